"""Slots from opening rules: pure functions, Japan time.

A service opens by weekly rules (`mon`..`sun`: from, to, slot length) and by date exceptions
(`closed`: nothing that day from the rules; `open`: an extra opening, added to whatever else
that day has). A Japanese public holiday (the `holidays` library) or a day of the year-end
closure (12/29-1/3) is closed to the weekday rules: only rules for `holiday` (日祝 in the
clinics' own notation) and `open` exceptions give it slots. A slot lasts its rule's slot
length and the next starts when it ends; a slot that would run past the rule's end is not
made.

The booking window: a slot can be booked from `book_from_days` days ahead (the whole of that
day) until `book_until_hours` hours before it starts.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum

import holidays

JST = timezone(timedelta(hours=9), "JST")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Day(StrEnum):
    mon = "mon"
    tue = "tue"
    wed = "wed"
    thu = "thu"
    fri = "fri"
    sat = "sat"
    sun = "sun"
    holiday = "holiday"  # public holidays and the year-end closure


class ExceptionKind(StrEnum):
    closed = "closed"
    open = "open"


@dataclass(frozen=True)
class Rule:
    day: Day
    start: time
    end: time
    slot_min: int


@dataclass(frozen=True)
class DateException:
    on: date
    kind: ExceptionKind
    start: time | None = None  # open: the extra opening
    end: time | None = None
    slot_min: int | None = None


@dataclass(frozen=True, order=True)
class SlotTime:
    start: datetime  # aware, JST
    end: datetime


@functools.lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("JP", years=year))


def is_year_end(day: date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_closure_day(day: date) -> bool:
    """A public holiday or a day of the year-end closure (12/29-1/3)."""
    return is_year_end(day) or day in _holidays(day.year)


def _run(day: date, start: time, end: time, slot_min: int) -> list[SlotTime]:
    if slot_min <= 0:
        return []
    made, at = [], datetime.combine(day, start, JST)
    until, step = datetime.combine(day, end, JST), timedelta(minutes=slot_min)
    while at + step <= until:
        made.append(SlotTime(at, at + step))
        at += step
    return made


def day_slots(day: date, rules: Iterable[Rule], exceptions: Iterable[DateException]
              ) -> list[SlotTime]:
    """The slots of one day, earliest first, each start once."""
    todays = [e for e in exceptions if e.on == day]
    closed = any(e.kind == ExceptionKind.closed for e in todays)
    wanted = Day.holiday if is_closure_day(day) else Day(WEEKDAYS[day.weekday()])
    slots: dict[datetime, SlotTime] = {}
    if not closed:
        for rule in rules:
            if rule.day == wanted:
                slots.update((s.start, s) for s in _run(day, rule.start, rule.end,
                                                        rule.slot_min))
    for extra in todays:
        if extra.kind == ExceptionKind.open and extra.start and extra.end and extra.slot_min:
            slots.update((s.start, s) for s in _run(day, extra.start, extra.end,
                                                    extra.slot_min))
    return sorted(slots.values())


def slots_between(first: date, last: date, rules: Sequence[Rule],
                  exceptions: Sequence[DateException]) -> list[SlotTime]:
    """Every slot from `first` to `last`, both included."""
    made: list[SlotTime] = []
    day = first
    while day <= last:
        made += day_slots(day, rules, exceptions)
        day += timedelta(days=1)
    return made


@dataclass(frozen=True)
class Window:
    earliest: datetime  # the first start that can still be booked
    last_day: date  # the last day that can already be booked

    @classmethod
    def at(cls, now: datetime, *, book_from_days: int, book_until_hours: int) -> Window:
        local = now.astimezone(JST)
        return cls(local + timedelta(hours=book_until_hours),
                   local.date() + timedelta(days=book_from_days))

    @property
    def first_day(self) -> date:
        return self.earliest.astimezone(JST).date()

    def too_late(self, start: datetime) -> bool:
        return start < self.earliest

    def too_early(self, start: datetime) -> bool:
        return start.astimezone(JST).date() > self.last_day

    def holds(self, start: datetime) -> bool:
        return not (self.too_late(start) or self.too_early(start))


def bookable(window: Window, rules: Sequence[Rule], exceptions: Sequence[DateException],
             first: date | None = None, last: date | None = None) -> list[SlotTime]:
    """The slots inside the window (and inside first..last when given)."""
    lo = max(window.first_day, first) if first else window.first_day
    hi = min(window.last_day, last) if last else window.last_day
    return [s for s in slots_between(lo, hi, rules, exceptions) if window.holds(s.start)]


def iso(moment: datetime) -> str:
    """The one text form of a slot start or end: seconds, +09:00 (what the database keys)."""
    return moment.astimezone(JST).replace(microsecond=0).isoformat()
