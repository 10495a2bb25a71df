"""Stub cards for tests: built once per test process (RSA key generation is the slow part),
then copied into each test's own data dir, so every test starts from fresh counters."""

from __future__ import annotations

import atexit
import base64
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from services.mynumber import (
    DEMO_RESIDENTS,
    CardSummary,
    FourFacts,
    MyNumberCard,
    Sex,
    create_card,
    ensure_demo_cards,
    open_card,
)

PINS = {r.demo_id: r.pin for r in DEMO_RESIDENTS}
PASSWORDS = {r.demo_id: r.password for r in DEMO_RESIDENTS}
STAFF_FACTS = FourFacts("窓口 職員", date(1980, 5, 5), "富山県富山市新総曲輪1番7号", Sex.not_known)
STAFF_PIN = "9999"
STAFF_PASSWORD = "STAFF2026"


@dataclass(frozen=True)
class World:
    data_dir: Path
    demo: dict[str, CardSummary]
    staff_serial: str
    foreign_card_dir: Path  # a card issued by a CA the server does not trust

    def card(self, demo_id: str) -> MyNumberCard:
        return open_card(self.data_dir, self.demo[demo_id].serial)

    def staff_card(self) -> MyNumberCard:
        return open_card(self.data_dir, self.staff_serial)

    def foreign_card(self) -> MyNumberCard:
        return MyNumberCard(self.foreign_card_dir)


@lru_cache(maxsize=1)
def _template() -> tuple[Path, dict[str, CardSummary], str, str]:
    root = Path(tempfile.mkdtemp(prefix="kitokito-cards-"))
    atexit.register(shutil.rmtree, root, True)
    demo = {s.demo_id: s for s in ensure_demo_cards(root / "data")}
    staff = create_card(root / "data", STAFF_FACTS, pin=STAFF_PIN, password=STAFF_PASSWORD)
    foreign = create_card(root / "foreign", FourFacts("偽 造", date(1990, 1, 1), "富山県富山市"),
                          pin="1234", password="FAKE1234")
    return root, demo, staff.serial, foreign.card_dir.name


def card_world(dest: Path) -> World:
    """The demo cards, a staff card, the test CA and a foreign card, copied under `dest`."""
    root, demo, staff_serial, foreign = _template()
    shutil.copytree(root / "data", dest, dirs_exist_ok=True)
    shutil.copytree(root / "foreign", dest / "foreign", dirs_exist_ok=True)
    return World(dest, demo, staff_serial, dest / "foreign" / "cards" / foreign)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def nonce_bytes(encoded: str) -> bytes:
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
