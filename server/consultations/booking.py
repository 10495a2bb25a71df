"""The resident's booking kinds through the outbox (server.mutation_kinds): booking.create,
booking.cancel, booking.reschedule (docs/booking.md).

As every handler: each check comes before the first write, and a rejection leaves nothing
written. The write that decides whether there is room, taking the slot's place
(server.consultations.capacity), is the last check and the first write: when it finds the
slot full it has written nothing. A resident's booking mutations take turns (lock_scope: an
advisory lock on PostgreSQL; SQLite has one writer anyway), so two devices of one resident
cannot both book the same start, nor cancel and reschedule one booking at once. Statuses
change by conditional UPDATE (WHERE status = 'confirmed'), so the clinic completing a booking
while the resident cancels it cannot both win.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import update
from sqlmodel import Session, col, select

from server.consultations import capacity, places
from server.consultations.catalogue import Schedule, schedule
from server.consultations.models import (
    Booking,
    BookingStatus,
    CancelPayload,
    CreatePayload,
    ReschedulePayload,
    ServiceKind,
)
from server.consultations.slots import iso
from server.core.quota import lock_scope
from server.core.sealing import Sealer
from server.mutation_context import Context, Rejection, invalid

NOT_FOUND = Rejection("not_found", "No such booking of yours")
NOT_ACTIVE = Rejection("not_active", "This booking is already cancelled or done")


def sealed_context(booking_id: str) -> str:
    return f"consultation_booking:{booking_id}"


def seal_answers(sealer: Sealer, booking_id: str, answers: dict[str, Any]) -> str:
    return sealer.seal(json.dumps(answers, ensure_ascii=False).encode("utf-8"),
                       context=sealed_context(booking_id))


def cancel_deadline_passed(service_hours: int, start: str, now: datetime) -> bool:
    return now >= datetime.fromisoformat(start) - timedelta(hours=service_hours)


def set_status(session: Session, booking_id: str, to: BookingStatus, now: datetime,
               **changes: Any) -> bool:
    """confirmed -> `to`, if the booking is still confirmed; False (nothing written) if not."""
    result = session.execute(
        update(Booking)
        .where(col(Booking.id) == booking_id, col(Booking.status) == BookingStatus.confirmed)
        .values(status=to.value, updated_at=now, **changes))
    return int(getattr(result, "rowcount", 0)) == 1


def _holds(session: Session, user_id: str, service_id: str, start: str) -> bool:
    return session.exec(select(Booking.id).where(
        col(Booking.user_id) == user_id, col(Booking.service_id) == service_id,
        col(Booking.start) == start, col(Booking.status) == BookingStatus.confirmed)
    ).first() is not None


def _questionnaire_problem(found: Schedule, body: CreatePayload) -> Rejection | None:
    telemedicine = found.service.kind == ServiceKind.telemedicine
    if telemedicine and body.questionnaire is None:
        return Rejection("invalid_payload", "questionnaire: required for telemedicine")
    if not telemedicine and body.questionnaire is not None:
        return Rejection("invalid_payload", "questionnaire: only for telemedicine")
    return None


def create(ctx: Context, payload: dict[str, Any]) -> Rejection | None:
    try:
        body = CreatePayload.model_validate(payload)
    except ValidationError as exc:
        return invalid(exc)
    found = schedule(ctx.session, body.service_id)
    if found is None:
        return Rejection("unknown_service", "No such consultation service")
    problem = _questionnaire_problem(found, body)
    if problem is not None:
        return problem
    lock_scope(ctx.session, f"bookings:{ctx.user_id}")
    existing = ctx.session.get(Booking, body.booking_id)
    if existing is not None:
        if (existing.user_id, existing.service_id, existing.start) == (
                ctx.user_id, body.service_id, iso(body.start)):
            return None  # this very booking, sent again in another mutation: nothing to do
        return Rejection("booking_id_taken", "This booking id cannot be used")
    slot = places.find_slot(found, body.start, ctx.now)
    if isinstance(slot, Rejection):
        return slot
    start = iso(slot.start)
    if _holds(ctx.session, ctx.user_id, found.service.id, start):
        return Rejection("already_booked", "You already have a booking of this service then")
    full = places.claim(ctx.session, found, slot, ctx.now)
    if full is not None:
        return full
    questionnaire = body.questionnaire.model_dump() if body.questionnaire else None
    ctx.session.add(Booking(
        id=body.booking_id, user_id=ctx.user_id, service_id=found.service.id, start=start,
        end=iso(slot.end), status=BookingStatus.confirmed.value,
        channel=found.service.channel.value, language=body.language,
        sealed=seal_answers(ctx.sealer, body.booking_id,
                            {"questionnaire": questionnaire, "note": body.note}),
        created_at=ctx.now, updated_at=ctx.now))
    ctx.session.flush()
    return None


def _own_live(ctx: Context, booking_id: str) -> Booking | Rejection:
    booking = ctx.session.get(Booking, booking_id)
    if booking is None or booking.user_id != ctx.user_id:
        return NOT_FOUND
    if booking.status != BookingStatus.confirmed:
        return NOT_ACTIVE
    return booking


def _too_late(found: Schedule, booking: Booking, now: datetime) -> Rejection | None:
    hours = found.service.cancel_until_hours
    if cancel_deadline_passed(hours, booking.start, now):
        return Rejection("too_late", f"Changes close {hours} hours before the start: "
                                     "call the service")
    return None


def cancel(ctx: Context, payload: dict[str, Any]) -> Rejection | None:
    try:
        body = CancelPayload.model_validate(payload)
    except ValidationError as exc:
        return invalid(exc)
    lock_scope(ctx.session, f"bookings:{ctx.user_id}")
    booking = _own_live(ctx, body.booking_id)
    if isinstance(booking, Rejection):
        return booking
    found = schedule(ctx.session, booking.service_id)
    assert found is not None  # a booking's service is a foreign key
    late = _too_late(found, booking, ctx.now)
    if late is not None:
        return late
    if not set_status(ctx.session, booking.id, BookingStatus.cancelled, ctx.now):
        return NOT_ACTIVE  # the clinic completed it a moment ago
    capacity.free(ctx.session, booking.service_id, booking.start)
    return None


def reschedule(ctx: Context, payload: dict[str, Any]) -> Rejection | None:
    try:
        body = ReschedulePayload.model_validate(payload)
    except ValidationError as exc:
        return invalid(exc)
    lock_scope(ctx.session, f"bookings:{ctx.user_id}")
    booking = _own_live(ctx, body.booking_id)
    if isinstance(booking, Rejection):
        return booking
    found = schedule(ctx.session, booking.service_id)
    assert found is not None
    late = _too_late(found, booking, ctx.now)
    if late is not None:
        return late
    slot = places.find_slot(found, body.start, ctx.now)
    if isinstance(slot, Rejection):
        return slot
    start, old_start = iso(slot.start), booking.start
    if start == old_start:
        return None  # already there
    if _holds(ctx.session, ctx.user_id, found.service.id, start):
        return Rejection("already_booked", "You already have a booking of this service then")
    full = places.claim(ctx.session, found, slot, ctx.now)
    if full is not None:
        return full
    moved = ctx.session.execute(
        update(Booking)
        .where(col(Booking.id) == booking.id, col(Booking.status) == BookingStatus.confirmed,
               col(Booking.start) == old_start)
        .values(start=start, end=iso(slot.end), updated_at=ctx.now))
    if int(getattr(moved, "rowcount", 0)) != 1:
        # The clinic completed it between our read and now (it takes no resident lock):
        # give the new place back; the transaction still writes nothing else.
        capacity.free(ctx.session, found.service.id, start)
        return NOT_ACTIVE
    capacity.free(ctx.session, found.service.id, old_start)
    return None
