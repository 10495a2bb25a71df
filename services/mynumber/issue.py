"""Issuing stub cards, the demo residents, and finding cards in the data dir.

`ensure_demo_cards(data_dir)` is what the app launcher calls before starting the embedded
backend: it creates the test CA and the demo residents' cards the first time and returns the
same cards (same serials, same counters) every later time. Cards are written to a temporary
directory and renamed into place, so a crash never leaves half a card behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from cryptography import x509

from services.mynumber.ca import JpkiTestCa, new_rsa_key, utc_now
from services.mynumber.card import CardSummary, Clock, MyNumberCard, write_card_files
from services.mynumber.errors import CardDamaged, CardNotFound, PinKind
from services.mynumber.facts import FourFacts, Sex
from services.mynumber.pins import check_format
from services.mynumber.storage import ensure_private_dir, exclusive_lock

CARDS = "cards"
JPKI = "jpki"


@dataclass(frozen=True)
class DemoResident:
    demo_id: str
    facts: FourFacts
    pin: str
    password: str
    state: str  # "valid" | "revoked" | "expired"
    note: str | None


DEMO_RESIDENTS: tuple[DemoResident, ...] = (
    DemoResident(
        "toyama-hanako",
        FourFacts("立山 花子", date(1948, 4, 10), "富山県富山市新桜町7番38号", Sex.female),
        "1234", "HANAKO1948", "valid", None,
    ),
    DemoResident(
        "takaoka-kenta",
        FourFacts("高岡 健太", date(1990, 11, 3), "富山県高岡市広小路7番50号", Sex.male),
        "2345", "KENTA1990", "valid", None,
    ),
    DemoResident(
        "uozu-misaki",
        FourFacts("魚津 美咲", date(2003, 7, 21), "富山県魚津市釈迦堂1丁目10番1号", Sex.female),
        "3456", "MISAKI2003", "revoked", "certificate revoked (reported lost)",
    ),
    DemoResident(
        "imizu-hiroto",
        FourFacts("射水 大翔", date(1966, 2, 14), "富山県射水市新開発410番地1", Sex.male),
        "4567", "HIROTO1966", "expired", "certificate expired",
    ),
)


def cards_dir(data_dir: Path) -> Path:
    return data_dir / CARDS


def jpki_dir(data_dir: Path) -> Path:
    return data_dir / JPKI


def fifth_birthday_after(issued: date, birth: date) -> date:
    """利用者証明用 certificates are valid until the 5th birthday after issuance."""
    first = issued.year if (birth.month, birth.day) > (issued.month, issued.day) else (
        issued.year + 1
    )
    year = first + 4
    try:
        return birth.replace(year=year)
    except ValueError:  # born on 29 February
        return date(year, 2, 28)


def create_card(
    data_dir: Path,
    facts: FourFacts,
    *,
    pin: str,
    password: str,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    demo_id: str | None = None,
    note: str | None = None,
    ca: JpkiTestCa | None = None,
    now: Clock = utc_now,
    root: Path | None = None,
) -> MyNumberCard:
    """Issue a card to `facts` with the CA in <data_dir>/jpki (created if needed), into
    `root` (default <data_dir>/cards)."""
    check_format(PinKind.auth, pin)
    check_format(PinKind.sign, password)
    ca = ca or JpkiTestCa.ensure(jpki_dir(data_dir), now=now)
    start = not_before or now() - timedelta(minutes=5)
    if not_after is None:
        end_day = fifth_birthday_after(start.date(), facts.birth_date)
        not_after = datetime(
            end_day.year, end_day.month, end_day.day, 23, 59, 59, tzinfo=start.tzinfo
        )
    auth_key, sign_key = new_rsa_key(), new_rsa_key()
    auth_cert = ca.issue_auth_certificate(
        auth_key.public_key(), not_before=start, not_after=not_after)
    sign_cert = ca.issue_signing_certificate(
        sign_key.public_key(), facts, not_before=start, not_after=not_after,
        card_auth_serial=auth_cert.serial_number)
    root = ensure_private_dir(root or cards_dir(data_dir))
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".new-"))
    try:
        os.chmod(staging, 0o700)
        write_card_files(
            staging, auth_key=auth_key, auth_cert=auth_cert, sign_key=sign_key,
            sign_cert=sign_cert, facts=facts, pin=pin, password=password,
            demo_id=demo_id, note=note,
        )
        final = root / f"{auth_cert.serial_number:040X}"
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return MyNumberCard(final, now=now)


def list_cards(data_dir: Path, *, now: Clock = utc_now,
               root: Path | None = None) -> list[CardSummary]:
    """Every readable card in `root` (default the data dir's): demo residents first, then by
    name."""
    root = root or cards_dir(data_dir)
    if not root.is_dir():
        return []
    summaries = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        with contextlib.suppress(CardNotFound, CardDamaged):
            summaries.append(MyNumberCard(entry, now=now).summary())
    order = {r.demo_id: i for i, r in enumerate(DEMO_RESIDENTS)}
    return sorted(summaries, key=lambda s: (order.get(s.demo_id or "", len(order)), s.name))


def open_card(data_dir: Path, serial: str, *, now: Clock = utc_now,
              root: Path | None = None) -> MyNumberCard:
    """The card with this serial (as in CardSummary.serial) in `root` (default the data
    dir's); CardNotFound otherwise."""
    if len(serial) != 40 or any(c not in "0123456789ABCDEF" for c in serial):
        raise CardNotFound("not a card serial")
    return MyNumberCard((root or cards_dir(data_dir)) / serial, now=now)


def ensure_demo_cards(data_dir: Path, *, now: Clock = utc_now,
                      root: Path | None = None) -> list[CardSummary]:
    """Create the demo residents' cards once in `root` (default <data_dir>/cards; in web mode
    each browser session has its own root); later calls return the existing ones."""
    data_dir = Path(data_dir)
    root = root or cards_dir(data_dir)
    ca = JpkiTestCa.ensure(jpki_dir(data_dir), now=now)
    with exclusive_lock(ensure_private_dir(root) / ".demo.lock"):
        existing = {s.demo_id: s for s in list_cards(data_dir, now=now, root=root)
                    if s.demo_id}
        for resident in DEMO_RESIDENTS:
            if resident.demo_id in existing:
                continue
            card = _issue_demo(data_dir, resident, ca, now, root)
            existing[resident.demo_id] = card.summary()
    return [existing[r.demo_id] for r in DEMO_RESIDENTS]


def _issue_demo(
    data_dir: Path, resident: DemoResident, ca: JpkiTestCa, now: Clock, root: Path
) -> MyNumberCard:
    not_before = not_after = None
    if resident.state == "expired":
        not_before = now() - timedelta(days=5 * 365 + 30)
        not_after = now() - timedelta(days=30)
    card = create_card(
        data_dir, resident.facts, pin=resident.pin, password=resident.password,
        not_before=not_before, not_after=not_after, demo_id=resident.demo_id,
        note=resident.note, ca=ca, now=now, root=root,
    )
    if resident.state == "revoked":
        sign_serial = _signing_serial(card)
        ca.revoke([card.auth_certificate.serial_number, sign_serial])
    return card


def _signing_serial(card: MyNumberCard) -> int:
    return x509.load_pem_x509_certificate(
        (card.card_dir / "sign-cert.pem").read_bytes()).serial_number
