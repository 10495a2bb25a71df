"""Which slot a requested start is, and taking its place: the checks create, reschedule and an
anonymous booking share, each answered with the contract's rejection codes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from server.consultations import capacity
from server.consultations.catalogue import Schedule
from server.consultations.slots import JST, SlotTime, bookable, day_slots, iso
from server.mutation_context import Rejection

NEXT_FREE = 3


def find_slot(schedule: Schedule, start: datetime, now: datetime) -> SlotTime | Rejection:
    """The slot starting at `start`, if it can be booked now.

    Too late or too early is said before whether the time is a slot at all: a start far out
    is `outside_window` without computing its day (or its year's holidays)."""
    window = schedule.window(now)
    service = schedule.service
    if window.too_late(start):
        return Rejection("outside_window", f"Bookings close {service.book_until_hours} hours "
                                           "before the start")
    if window.too_early(start):
        return Rejection("outside_window", f"Bookings open {service.book_from_days} days ahead")
    local = start.astimezone(JST)
    for slot in day_slots(local.date(), schedule.rules, schedule.exceptions):
        if slot.start == local:
            return slot
    return Rejection("no_such_slot", "This service has no slot starting then")


def next_free(session: Session, schedule: Schedule, after: datetime, now: datetime) -> str:
    """The next free starts after `after`, up to three, joined by "; " (or "none")."""
    window = schedule.window(now)
    found: list[str] = []
    day = after.astimezone(JST).date()
    while day <= window.last_day and len(found) < NEXT_FREE:
        # A week at a time: the usual answer is on the same day or the next.
        last = min(day + timedelta(days=6), window.last_day)
        slots = [s for s in bookable(window, schedule.rules, schedule.exceptions, day, last)
                 if s.start > after]
        starts = [iso(s.start) for s in slots]
        used = capacity.taken(session, schedule.service.id, starts)
        cap = schedule.service.capacity
        found += [start for start in starts if used.get(start, 0) < cap]
        day = last + timedelta(days=1)
    return "; ".join(found[:NEXT_FREE]) or "none"


def claim(session: Session, schedule: Schedule, slot: SlotTime,
          now: datetime) -> Rejection | None:
    """Take a place of `slot` (the write that decides), or `slot_full` with what is free."""
    if capacity.take(session, schedule.service.id, iso(slot.start), schedule.service.capacity):
        return None
    return Rejection("slot_full", next_free(session, schedule, slot.start, now))
