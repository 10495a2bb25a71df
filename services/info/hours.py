"""Opening hours in Japan time: open at a moment, when it next opens, a weekly table.

Semantics (docs/info-data.md): a facility is open at a moment when a slot covers it on that
day — on a Japanese public holiday (the `holidays` package) ONLY slots listing `hol` apply — or
when a duty day (休日当番) covers it, whatever the weekday. A slot whose close is not after its
open, or is 24:00, runs past midnight: a 19:00–02:00 slot of Friday covers Saturday 01:30
(whatever Saturday's own slots say). Closing minutes are exclusive: open at 17:59, closed at 18:00.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

from services.i18n import JAPAN_TZ, N_
from services.info.models import DAY_MINUTES, DayCode, DutyDay, Slot

Interval = tuple[datetime, datetime]

DAY_LABELS: dict[DayCode, str] = {
    DayCode.mon: N_("Monday"), DayCode.tue: N_("Tuesday"), DayCode.wed: N_("Wednesday"),
    DayCode.thu: N_("Thursday"), DayCode.fri: N_("Friday"), DayCode.sat: N_("Saturday"),
    DayCode.sun: N_("Sunday"), DayCode.hol: N_("Public holidays"),
}
CLOSED = N_("Closed")


@cache
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("JP", years=year).keys())


def is_holiday(day: date) -> bool:
    """A Japanese public holiday (振替休日 and 国民の休日 included)."""
    return day in _holidays_of(day.year)


def day_code(day: date) -> DayCode:
    """The code whose slots apply on `day`: `hol` on a public holiday, else its weekday."""
    return DayCode.hol if is_holiday(day) else DayCode.of_weekday(day.weekday())


def japan_time(moment: datetime) -> datetime:
    """`moment` in Japan time (a naive moment is taken to be Japan time already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=JAPAN_TZ)
    return moment.astimezone(JAPAN_TZ)


def _span(day: date, opens: int, closes: int) -> Interval:
    start_of_day = datetime.combine(day, time(0), tzinfo=JAPAN_TZ)
    end = closes + DAY_MINUTES if closes <= opens else closes  # past midnight (24:00 = 1440)
    return start_of_day + timedelta(minutes=opens), start_of_day + timedelta(minutes=end)


def _day_intervals(slots: Sequence[Slot], duty: Sequence[DutyDay], day: date) -> list[Interval]:
    code = day_code(day)
    found = [_span(day, s.opens, s.closes) for s in slots if code in s.days]
    found += [_span(day, d.opens, d.closes) for d in duty if d.date == day]
    return found


def intervals(slots: Sequence[Slot], duty: Sequence[DutyDay], first: date,
              last: date) -> list[Interval]:
    """Open intervals of the slots started on days first..last (inclusive), merged where
    they touch or overlap, in order."""
    raw: list[Interval] = []
    day = first
    while day <= last:
        raw += _day_intervals(slots, duty, day)
        day += timedelta(days=1)
    return _merge(raw)


def _merge(spans: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def open_at(slots: Sequence[Slot], duty: Sequence[DutyDay], moment: datetime) -> bool:
    """Is the facility open at `moment`?"""
    moment = japan_time(moment)
    today = moment.date()
    for day in (today - timedelta(days=1), today):
        for start, end in _day_intervals(slots, duty, day):
            if start <= moment < end:
                return True
    return False


def closes_at(slots: Sequence[Slot], duty: Sequence[DutyDay],
              moment: datetime) -> datetime | None:
    """When an opening that covers `moment` ends (slots that touch count as one); None when
    closed at `moment`."""
    moment = japan_time(moment)
    today = moment.date()
    for start, end in intervals(slots, duty, today - timedelta(days=1),
                                today + timedelta(days=8)):
        if start <= moment < end:
            return end
    return None


def next_opening(slots: Sequence[Slot], duty: Sequence[DutyDay], moment: datetime, *,
                 within_days: int = 14) -> datetime | None:
    """The first moment at or after `moment` when the facility is open (`moment` itself when
    it is open then), looking `within_days` ahead; None when it does not open in that time."""
    moment = japan_time(moment)
    today = moment.date()
    for start, end in intervals(slots, duty, today - timedelta(days=1),
                                today + timedelta(days=within_days)):
        if end > moment:
            return max(start, moment)
    return None


@dataclass(frozen=True)
class WeekRow:
    """One row of the weekly table: `label` is a msgid (translate it); `ranges` as
    "09:00–12:30", in order; none means closed that day (show CLOSED)."""

    day: DayCode
    label: str
    ranges: tuple[str, ...]

    @property
    def closed(self) -> bool:
        return not self.ranges


def weekly_table(slots: Sequence[Slot]) -> list[WeekRow]:
    """Rows Monday..Sunday, then public holidays, for display."""
    rows = []
    for code in DayCode:
        day_slots = sorted((s for s in slots if code in s.days), key=lambda s: (s.opens, s.closes))
        labels = tuple(dict.fromkeys(s.label for s in day_slots))
        rows.append(WeekRow(code, DAY_LABELS[code], labels))
    return rows
