"""Which booking reminders to show now, each once.

Two per booking: the day before at 18:00 Japan time, and 30 minutes before the start. Only
for bookings that hold a place (pending or confirmed). A reminder whose time has passed is
still shown until the next one is due (the app may not have run at 18:00), never after the
start. A reminder is keyed by booking, kind and start, so a rescheduled booking is reminded
again at its new time. What was shown is remembered in the device's storage; the app delivers
them through its Notifier (plyer on devices, in the page in web mode) — this module only
decides.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from services.consultations.bookings import MyBooking
from services.i18n import JAPAN_TZ, N_
from services.preferences import KeyValueStore

STORAGE_KEY = "kitokito.booking_reminders.v1"
DAY_BEFORE_AT = time(18, 0)
SOON = timedelta(minutes=30)
REMEMBERED = 200  # the most recent keys kept


class ReminderKind(StrEnum):
    day_before = "day_before"
    soon = "soon"


MESSAGES = {
    ReminderKind.day_before: N_("Tomorrow at {time}: {service}"),
    ReminderKind.soon: N_("In 30 minutes, at {time}: {service}"),
}


@dataclass(frozen=True)
class Reminder:
    booking_id: str
    service_id: str
    kind: ReminderKind
    start: datetime
    at: datetime  # when it was due

    @property
    def key(self) -> str:
        return f"{self.booking_id}|{self.kind.value}|{self.start.isoformat()}"

    @property
    def message(self) -> str:
        """The msgid; format with `time` (the start, formatted) and `service` (its name)."""
        return MESSAGES[self.kind]


def reminders_due(bookings: Iterable[MyBooking], now: datetime,
                  shown: Iterable[str] = ()) -> list[Reminder]:
    """Reminders due at `now` that are not in `shown` (keys), soonest start first."""
    already = set(shown)
    due = []
    for booking in bookings:
        if not booking.live or booking.start <= now:
            continue
        soon_at = booking.start - SOON
        day = booking.start.astimezone(JAPAN_TZ).date() - timedelta(days=1)
        day_before_at = datetime.combine(day, DAY_BEFORE_AT, tzinfo=JAPAN_TZ)
        if now >= soon_at:
            kind, at = ReminderKind.soon, soon_at
        elif now >= day_before_at and booking.booked_at < day_before_at:
            kind, at = ReminderKind.day_before, day_before_at
        else:
            continue
        reminder = Reminder(booking.id, booking.service_id, kind, booking.start, at)
        if reminder.key not in already:
            due.append(reminder)
    return sorted(due, key=lambda r: r.start)


class ReminderLog:
    """Remembers, in the device's storage, which reminders were shown."""

    def __init__(self, storage: KeyValueStore) -> None:
        self._storage = storage

    async def due(self, bookings: Iterable[MyBooking], now: datetime) -> list[Reminder]:
        """The reminders to show now; they count as shown from here on."""
        shown = await self._shown()
        found = reminders_due(bookings, now, shown)
        if found:
            keys = [*shown, *(r.key for r in found)][-REMEMBERED:]
            await self._storage.set(STORAGE_KEY, json.dumps(keys))
        return found

    async def _shown(self) -> list[str]:
        raw = await self._storage.get(STORAGE_KEY)
        try:
            data = json.loads(raw) if raw else []
        except ValueError:
            return []
        return [k for k in data if isinstance(k, str)] if isinstance(data, list) else []
