"""What the server says when it refuses a booking change (docs/booking.md), read into codes.

Through the outbox a refusal arrives as (code, reason) on the rejected item; an anonymous
booking gets it as a 409 `{code, reason}` (SlotRefused). For `slot_full` the reason lists the
next free starts joined by "; " (up to 3), or says `none`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from services.errors import Conflict


class RefusalCode(StrEnum):
    invalid_payload = "invalid_payload"
    unknown_service = "unknown_service"
    login_only = "login_only"
    no_such_slot = "no_such_slot"
    outside_window = "outside_window"
    slot_full = "slot_full"
    already_booked = "already_booked"
    booking_id_taken = "booking_id_taken"  # added by the server (docs/booking.md, decided)
    not_found = "not_found"
    too_late = "too_late"
    not_active = "not_active"
    other = "other"  # a code this version of the app does not know

    @classmethod
    def of(cls, code: str | None) -> RefusalCode:
        return cls(code) if code is not None and code in cls._value2member_map_ else cls.other


def alternatives(reason: str | None) -> tuple[datetime, ...]:
    """The starts a `slot_full` reason offers instead ("none", or garbage: none)."""
    found = []
    for part in (reason or "").split(";"):
        text = part.strip()
        if not text or text == "none":
            continue
        try:
            start = datetime.fromisoformat(text)
        except ValueError:
            continue
        if start.tzinfo is not None:
            found.append(start)
    return tuple(found[:3])


class SlotRefused(Conflict):
    """409 on an anonymous booking: the same codes as through the outbox."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(409, code)
        self.code = RefusalCode.of(code)
        self.detail = reason

    @property
    def alternatives(self) -> tuple[datetime, ...]:
        return alternatives(self.detail) if self.code is RefusalCode.slot_full else ()
