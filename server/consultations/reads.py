"""Bookings as the resident (or the anonymous caller, or the clinic) reads them back."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from server.consultations.booking import sealed_context
from server.consultations.models import (
    Booking,
    BookingPublic,
    BookingStatus,
    Channel,
    Fulfilment,
    Prescription,
    PrescriptionStatus,
)
from server.consultations.slots import iso
from server.core.sealing import Sealer, SealingError

log = logging.getLogger("kitokito.booking")


def prescription_context(booking_id: str) -> str:
    return f"consultation_prescription:{booking_id}"


def visit_code(sealer: Sealer, booking_id: str) -> str:
    """What the counter scans: the booking id and a MAC of it (a made-up id does not pass)."""
    tag = sealer.mac(booking_id.encode("ascii"), context="consultation_visit_code")[:12]
    return f"kitokito-visit:{booking_id}.{tag}"


def _open(sealer: Sealer, text: str, context: str) -> str | None:
    try:
        return sealer.open(text, context=context).decode("utf-8")
    except (SealingError, UnicodeDecodeError):
        log.error("a sealed booking field does not open with the server key")
        return None


def prescription(sealer: Sealer, booking: Booking) -> Prescription | None:
    if booking.prescription_sealed is None or booking.fulfilment is None:
        return None
    note = _open(sealer, booking.prescription_sealed, prescription_context(booking.id))
    return Prescription(note=note or "", fulfilment=Fulfilment(booking.fulfilment),
                        status=PrescriptionStatus(booking.prescription_status or "preparing"))


def public(sealer: Sealer, booking: Booking) -> BookingPublic:
    channel = Channel(booking.channel)
    live = booking.status == BookingStatus.confirmed
    return BookingPublic(
        id=booking.id, service_id=booking.service_id, start=booking.start, end=booking.end,
        status=BookingStatus(booking.status), channel=channel,
        join_url=booking.join_url if channel == Channel.video and live else None,
        visit_code=visit_code(sealer, booking.id)
        if channel == Channel.in_person and live else None,
        prescription=prescription(sealer, booking),
        created_at=booking.created_at, updated_at=booking.updated_at)


def answers(sealer: Sealer, booking: Booking) -> dict[str, Any] | None:
    """The questionnaire and note the resident wrote (for the clinic)."""
    if booking.sealed is None:
        return None
    text = _open(sealer, booking.sealed, sealed_context(booking.id))
    return None if text is None else dict(json.loads(text))


def of_resident(session: Session, sealer: Sealer, user_id: str, now: datetime,
                limit: int) -> list[BookingPublic]:
    """Upcoming first (soonest first), then past ones (newest first)."""
    mine = col(Booking.user_id) == user_id
    cut = iso(now)
    upcoming = session.exec(select(Booking).where(mine, col(Booking.start) >= cut)
                            .order_by(col(Booking.start), col(Booking.id)).limit(limit)).all()
    past = session.exec(select(Booking).where(mine, col(Booking.start) < cut)
                        .order_by(col(Booking.start).desc(), col(Booking.id))
                        .limit(max(1, limit - len(upcoming)))).all()
    past = past[:max(0, limit - len(upcoming))]
    return [public(sealer, b) for b in [*upcoming, *past]]
