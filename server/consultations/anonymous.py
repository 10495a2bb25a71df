"""Anonymous bookings (services with anonymous_allowed; docs/booking.md): booked without a
login, read and cancelled with a one-time code.

The code is 10 Crockford base32 characters (50 bits), shown once. The server keeps only an
HMAC of it under the server key (a plain hash of 50 bits would be reversed offline from a
copied database), and compares in constant time. The same Idempotency-Key must answer the same
booking again, code included, yet the code is not stored: it is derived from the key and the
booking id by another HMAC under the server key. The key itself is kept only as an HMAC too,
so neither the database nor the database with the server key gives the code back: only the
caller who holds the key does. A client must therefore make the key random (it is as secret
as the code). The same key with another body is refused (422 idempotency_key_reused).
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.consultations import capacity, places
from server.consultations.booking import cancel_deadline_passed, set_status
from server.consultations.catalogue import schedule
from server.consultations.models import (
    AnonymousCreate,
    AnonymousCreated,
    Booking,
    BookingStatus,
)
from server.consultations.slots import iso
from server.core.sealing import Sealer
from server.mutation_context import Rejection

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
_READS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


class Refused(Exception):
    def __init__(self, status: int, code: str, reason: str = "") -> None:
        super().__init__(code)
        self.status, self.code, self.reason = status, code, reason


@dataclass(frozen=True)
class Outcome:
    answer: AnonymousCreated
    created: bool


def _code(sealer: Sealer, key: str, booking_id: str) -> str:
    digest = int(sealer.mac(f"{key}\x00{booking_id}".encode(), context="anonymous_code"), 16)
    return "".join(CROCKFORD[(digest >> (5 * n)) & 31] for n in range(CODE_LENGTH))


def _code_mac(sealer: Sealer, code: str) -> str:
    return sealer.mac(code.encode("ascii", "replace"), context="anonymous_code_check")


def normalise(code: str) -> str:
    """As a person types it: any case, O for 0, I or L for 1, hyphens and spaces ignored."""
    return code.upper().translate(_READS)


def _answer(sealer: Sealer, key: str, booking: Booking) -> AnonymousCreated:
    return AnonymousCreated(booking_id=booking.id, code=_code(sealer, key, booking.id),
                            start=booking.start, end=booking.end)


def _by_key(session: Session, key_mac: str) -> Booking | None:
    return session.exec(select(Booking).where(col(Booking.key_mac) == key_mac)).first()


def _again(sealer: Sealer, key: str, booking: Booking, fingerprint: str) -> Outcome:
    if not hmac.compare_digest(booking.key_fingerprint or "", fingerprint):
        raise Refused(422, "idempotency_key_reused")
    return Outcome(_answer(sealer, key, booking), created=False)


def _refuse(rejection: Rejection) -> Refused:
    return Refused(409, rejection.code, rejection.reason)


def create(session: Session, sealer: Sealer, *, body: AnonymousCreate, key: str,
           now: datetime) -> Outcome:
    """Book (committed) or answer the key's booking again; Refused otherwise."""
    key_mac = sealer.mac(key.encode("ascii"), context="anonymous_booking_key")
    fingerprint = sealer.mac(json.dumps([body.service_id, iso(body.start)]).encode(),
                             context="anonymous_booking_request")
    earlier = _by_key(session, key_mac)
    if earlier is not None:
        return _again(sealer, key, earlier, fingerprint)
    found = schedule(session, body.service_id)
    if found is None:
        raise Refused(409, "unknown_service", "No such consultation service")
    if not found.service.anonymous_allowed:
        raise Refused(409, "login_only", "This service is booked after logging in")
    slot = places.find_slot(found, body.start, now)
    if isinstance(slot, Rejection):
        raise _refuse(slot)
    booking_id = secrets.token_hex(16)
    try:
        full = places.claim(session, found, slot, now)
        if full is not None:
            session.rollback()
            raise _refuse(full)
        booking = Booking(
            id=booking_id, user_id=None, service_id=found.service.id, start=iso(slot.start),
            end=iso(slot.end), status=BookingStatus.confirmed.value,
            channel=found.service.channel.value,
            code_mac=_code_mac(sealer, _code(sealer, key, booking_id)), key_mac=key_mac,
            key_fingerprint=fingerprint, created_at=now, updated_at=now)
        session.add(booking)
        session.commit()
    except IntegrityError:
        # A copy of this request (the same key) booked a moment ago; its place was ours too,
        # and the rollback gave it back.
        session.rollback()
        earlier = _by_key(session, key_mac)
        if earlier is None:
            raise
        return _again(sealer, key, earlier, fingerprint)
    return Outcome(_answer(sealer, key, booking), created=True)


def find(session: Session, sealer: Sealer, booking_id: str, code: str) -> Booking | None:
    """The anonymous booking if `code` is its code; None alike for a wrong code, an unknown id
    or a resident's booking (the comparison runs either way, in constant time)."""
    booking = session.get(Booking, booking_id)
    stored = booking.code_mac if booking is not None and booking.user_id is None else None
    given = _code_mac(sealer, normalise(code))
    matches = hmac.compare_digest(stored or "0" * len(given), given)
    return booking if matches and stored is not None else None


def cancel(session: Session, booking: Booking, now: datetime) -> None:
    """Cancel (committed) and free the place; Refused too_late or not_active."""
    found = schedule(session, booking.service_id)
    assert found is not None
    if booking.status != BookingStatus.confirmed:
        raise Refused(409, "not_active", "This booking is already cancelled or done")
    hours = found.service.cancel_until_hours
    if cancel_deadline_passed(hours, booking.start, now):
        raise Refused(409, "too_late", f"Changes close {hours} hours before the start: "
                                       "call the service")
    if not set_status(session, booking.id, BookingStatus.cancelled, now):
        session.rollback()
        raise Refused(409, "not_active", "This booking is already cancelled or done")
    capacity.free(session, booking.service_id, booking.start)
    session.commit()
    session.refresh(booking)
