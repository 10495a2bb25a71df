"""Where the app gets a My Number card from.

The stub reads the simulated cards in the data dir (as if the resident tapped one on the phone);
an NFC reader, or the national digital-authentication app's OpenID Connect flow, replaces this
class behind the same two methods.
"""

from __future__ import annotations

from pathlib import Path

from services.mynumber.card import CardSummary, MyNumberCard
from services.mynumber.issue import list_cards, open_card


class CardReader:
    def __init__(self, data_dir: Path) -> None:
        self._data_dir = Path(data_dir)

    def cards(self) -> list[CardSummary]:
        return list_cards(self._data_dir)

    def open(self, serial: str) -> MyNumberCard:
        return open_card(self._data_dir, serial)
