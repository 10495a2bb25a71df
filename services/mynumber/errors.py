"""Typed errors of the card stub, so the login screen can pick its message by type.

CardError
├── InvalidPinFormat    the input cannot be a PIN/password (not sent to the card, no try used)
├── WrongPin            wrong PIN/password; `remaining_tries` before the card locks
├── CardLocked          too many wrong tries; only a reset at the municipal counter helps
├── CardNotFound        no card with that serial in the card directory
├── CardDamaged         the card's files are missing or corrupt
└── InvalidResetTicket  a counter reset ticket that is forged, expired, used or for another card
"""

from __future__ import annotations

from enum import StrEnum


class PinKind(StrEnum):
    """Which secret: 利用者証明用 PIN (4 digits) or 署名用 password (6-16 A-Z/0-9)."""

    auth = "auth"
    sign = "sign"


class CardError(Exception):
    """Base of every error the card stub raises. Messages never contain the PIN."""


class InvalidPinFormat(CardError):
    def __init__(self, kind: PinKind) -> None:
        rule = "exactly 4 digits" if kind is PinKind.auth else "6-16 letters A-Z and digits"
        super().__init__(f"{kind.value} PIN must be {rule}")
        self.kind = kind


class WrongPin(CardError):
    def __init__(self, kind: PinKind, remaining_tries: int) -> None:
        super().__init__(f"wrong {kind.value} PIN: {remaining_tries} tries left before the lock")
        self.kind = kind
        self.remaining_tries = remaining_tries


class CardLocked(CardError):
    def __init__(self, kind: PinKind) -> None:
        super().__init__(
            f"the {kind.value} PIN is locked; it can only be reset at the municipal counter"
        )
        self.kind = kind


class CardNotFound(CardError):
    pass


class CardDamaged(CardError):
    pass


class InvalidResetTicket(CardError):
    pass
