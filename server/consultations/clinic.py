"""The clinic's and the counter's side of bookings (no screen; server.booking_cli): list a
day's bookings with what the resident wrote, mark one completed, issue a prescription and move
it on, give a video booking its join link.

Statuses move by conditional UPDATE as the resident's kinds do (a booking the resident
cancels meanwhile cannot be completed too). A prescription is for a completed telemedicine
booking; its status moves forward only: pickup preparing -> ready, delivery preparing ->
shipped -> delivered.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import update
from sqlmodel import Session, col, select

from server.consultations.booking import set_status
from server.consultations.catalogue import schedule
from server.consultations.models import (
    Booking,
    BookingStatus,
    Channel,
    Fulfilment,
    PrescriptionStatus,
    ServiceKind,
)
from server.consultations.reads import answers, prescription_context, public
from server.consultations.slots import JST
from server.core.sealing import Sealer

P = PrescriptionStatus
ORDER: dict[Fulfilment, tuple[PrescriptionStatus, ...]] = {
    Fulfilment.pickup: (P.preparing, P.ready),
    Fulfilment.delivery: (P.preparing, P.shipped, P.delivered),
}
MAX_NOTE = 1000


class NotAllowed(Exception):
    """The change does not apply to this booking; the message is a code and why."""


def listing(session: Session, sealer: Sealer, *, service_id: str | None, day: date | None,
            limit: int = 500) -> list[dict[str, Any]]:
    query = select(Booking).order_by(col(Booking.start), col(Booking.id)).limit(limit)
    if service_id:
        query = query.where(col(Booking.service_id) == service_id)
    if day:
        first = datetime.combine(day, datetime.min.time(), JST)
        query = query.where(col(Booking.start) >= first.isoformat(),
                            col(Booking.start) < (first + timedelta(days=1)).isoformat())
    return [{**public(sealer, b).model_dump(mode="json"), "anonymous": b.user_id is None,
             "language": b.language, "answers": answers(sealer, b)}
            for b in session.exec(query).all()]


def complete(session: Session, booking: Booking, now: datetime) -> None:
    if not set_status(session, booking.id, BookingStatus.completed, now):
        raise NotAllowed("not_active: only a confirmed booking can be completed")
    session.commit()


def join_url(session: Session, booking: Booking, url: str, now: datetime) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or len(url) > 500:
        raise NotAllowed("invalid_url: an https link of at most 500 characters")
    if booking.channel != Channel.video:
        raise NotAllowed("not_video: only a video booking has a join link")
    if booking.status != BookingStatus.confirmed:
        raise NotAllowed("not_active: the booking is cancelled or done")
    session.execute(update(Booking).where(col(Booking.id) == booking.id)
                    .values(join_url=url, updated_at=now))
    session.commit()


def prescribe(session: Session, sealer: Sealer, booking: Booking, *, note: str,
              fulfilment: Fulfilment, now: datetime) -> None:
    found = schedule(session, booking.service_id)
    if found is None or found.service.kind != ServiceKind.telemedicine:
        raise NotAllowed("not_telemedicine: prescriptions come from an online consultation")
    if booking.status != BookingStatus.completed:
        raise NotAllowed("not_completed: complete the consultation first")
    if not 1 <= len(note) <= MAX_NOTE:
        raise NotAllowed(f"invalid_note: 1 to {MAX_NOTE} characters")
    sealed = sealer.seal(note.encode("utf-8"), context=prescription_context(booking.id))
    session.execute(update(Booking).where(col(Booking.id) == booking.id).values(
        prescription_sealed=sealed, fulfilment=fulfilment.value,
        prescription_status=P.preparing.value, updated_at=now))
    session.commit()


def prescription_status(session: Session, booking: Booking, to: PrescriptionStatus,
                        now: datetime) -> None:
    if booking.fulfilment is None or booking.prescription_status is None:
        raise NotAllowed("no_prescription: issue the prescription first")
    steps = ORDER[Fulfilment(booking.fulfilment)]
    current = PrescriptionStatus(booking.prescription_status)
    if to not in steps or steps.index(to) <= steps.index(current):
        raise NotAllowed(f"status_not_allowed: {booking.fulfilment} goes "
                         + " -> ".join(s.value for s in steps))
    moved = session.execute(update(Booking).where(
        col(Booking.id) == booking.id, col(Booking.prescription_status) == current.value)
        .values(prescription_status=to.value, updated_at=now))
    if int(getattr(moved, "rowcount", 0)) != 1:
        session.rollback()
        raise NotAllowed("status_not_allowed: it changed meanwhile")
    session.commit()
