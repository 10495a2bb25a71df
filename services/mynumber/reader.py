"""Where the app gets a My Number card from.

The stub reads the simulated cards in the data dir (as if the resident tapped one on the phone);
an NFC reader, or the national digital-authentication app's OpenID Connect flow, replaces this
class behind the same two methods.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from services.mynumber.card import CardSummary, MyNumberCard
from services.mynumber.issue import ensure_demo_cards, list_cards, open_card


class CardReader:
    def __init__(self, data_dir: Path) -> None:
        self._data_dir = Path(data_dir)

    def cards(self) -> list[CardSummary]:
        return list_cards(self._data_dir)

    def open(self, serial: str) -> MyNumberCard:
        return open_card(self._data_dir, serial)

    def close(self) -> None:
        """The device's cards stay: they are the resident's."""


class SessionDemoCards:
    """Web mode: ONE browser session's own set of the demo residents' cards.

    One process serves every visitor, so the data dir's cards would be everyone's: anyone
    could see them all and lock them with three wrong PINs. Here each browser session gets
    fresh demo cards (made on first use, signed by the same test CA, so the backend trusts
    them) in a folder of its own, and never sees another session's cards or a real one.
    `close()` deletes them with the session.
    """

    def __init__(self, data_dir: Path, root: Path) -> None:
        self._data_dir = Path(data_dir)
        self._root = Path(root)
        self._made = threading.Lock()  # two first taps must not make two sets

    def cards(self) -> list[CardSummary]:
        with self._made:
            return ensure_demo_cards(self._data_dir, root=self._root)

    def open(self, serial: str) -> MyNumberCard:
        return open_card(self._data_dir, serial, root=self._root)

    def close(self) -> None:
        shutil.rmtree(self._root, ignore_errors=True)
