"""How busy a tourist spot is likely to be, estimated from the real Toyama tourism web survey
(server/seed/tourism/README.md). Pure functions: no database, no clock.

Method (docs/tourism-crowds.md):
1. Each answer's 訪問場所 names are matched to spot ids with SURVEY_SPOTS (a small explicit
   table; a cell naming several places counts a visit to each). The answer date (アンケート回答日)
   stands for the visit date: most answers are given during or just after the trip.
2. Per spot, visits per survey day by month (visits in the month ÷ survey days in it) and by
   kind of day (Monday..Sunday; a public holiday counts as Sunday: visits ÷ such days in the
   survey period), each with one visit added (small spots have sparse cells).
3. index(month, day kind) = month rate ÷ mean month rate × day rate ÷ mean day rate, divided by
   the spot's largest such product: 1.0 = the spot's busiest month and day; months the survey
   does not cover (November–March) take the mean month (factor 1).
4. An hour's index = the day's index × HOURLY_PROFILE[hour] (an assumption: the usual shape of
   a day-trip destination, peaking early afternoon).
5. Levels: index < QUIET_BELOW → quiet (空いています), < BUSY_FROM → moderate (やや混雑),
   else busy (混雑).

Sensor readings (occupancy 0..1 per hour) come first when there are any (day_forecast): an hour
measured on the day is the measured value; another hour is the median of that hour's readings on
past days of the same kind (weekday, or Saturday/Sunday/public holiday) in the HISTORY_WEEKS
weeks before, when at least MIN_HISTORY_DAYS such days have one; else the survey estimate.

The survey measures answers, not visitor counts: months with more answers (May) read as busier
for every spot. It is a relative signal, good for "which day or place is quieter", not for
absolute numbers.
"""

from __future__ import annotations

import csv
import functools
import io
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

import holidays

SURVEY = Path(__file__).resolve().parents[1] / "seed" / "tourism" / "toyama_tourism_survey_2025.csv"
DATE_COLUMN = "アンケート回答日"
PLACES_COLUMN = "訪問場所"

# 訪問場所 name (matched inside each comma-separated part) → spot ids of the bundled spots
# (server/seed/info/spots/, ids <municipality>-<NO>). Longer names are tried first.
SURVEY_SPOTS: Mapping[str, tuple[str, ...]] = {
    "雨晴海岸": ("162027-6",),
    "富山市ガラス美術館": ("162019-4",),
    "宇奈月温泉": ("162078-1",),
    "海王丸パーク": ("162116-1",),
    "富岩運河環水公園": ("162019-2",),
    "立山黒部アルペンルート": ("163236-1",),
    "新湊きっときと市場": ("162116-3",),
    "黒部ダム": ("163236-3",),
    "黒部峡谷鉄道": ("162078-2",),
    "砺波チューリップ公園": ("162086-1",),
    "高岡大仏": ("162027-1",),
    "富山城": ("162019-1",),
    "新湊大橋": ("162116-2",),
    "ほたるいかミュージアム": ("162060-1",),
    "五箇山": ("162108-1", "162108-2"),
    "瑞龍寺": ("162027-2",),
    "岩瀬": ("162019-5",),
    "富山県美術館": ("162019-3",),
    "称名滝": ("163236-4",),
    "舟川": ("163431-2",),
    "庄川峡": ("162086-3",),
    "番屋街": ("162051-1",),
    "魚津水族館": ("162043-3",),
    "ヒスイ海岸": ("163431-1",),
    "太閤山ランド": ("162116-5",),
    "立山博物館": ("163236-6",),
    "八尾": ("162019-6",),
    "ファミリーパーク": ("162019-10",),
    "大岩山日石寺": ("163228-1",),
    "埋没林博物館": ("162043-1",),
}

# Share of a day's visitors present in each hour 0..23 (assumption: a day-trip destination,
# arrivals from 9, a peak 13–15, gone by 19), as a fraction of the peak hour.
HOURLY_PROFILE: tuple[float, ...] = (
    0, 0, 0, 0, 0, 0, 0, 0.05, 0.15, 0.35, 0.65, 0.85,
    0.85, 0.95, 1.0, 0.9, 0.7, 0.45, 0.25, 0.12, 0.06, 0.03, 0, 0,
)
QUIET_BELOW = 0.35
BUSY_FROM = 0.65
SATURDAY, SUNDAY = 5, 6
# Readings of past days forecast a day (docs/tourism-crowds.md, "From past readings"): the
# weeks looked back, the fewest past days an hour needs, and how far ahead the recent pattern
# is trusted over the survey's seasons.
HISTORY_WEEKS = 8
MIN_HISTORY_DAYS = 2
HISTORY_AHEAD_DAYS = 7


class Level(StrEnum):
    quiet = "quiet"  # 空いています
    moderate = "moderate"  # やや混雑
    busy = "busy"  # 混雑


LEVEL_JA = {Level.quiet: "空いています", Level.moderate: "やや混雑", Level.busy: "混雑"}


class Source(StrEnum):
    """Where an hour's level comes from."""

    measured = "measured"  # a sensor reading of that hour of that day
    history = "history"  # past readings of the same kind of day
    survey = "survey"  # the survey estimate


class Basis(StrEnum):
    """A day's best source: sensor when any hour is measured, else sensor-history when any
    hour comes from past readings, else the survey estimate."""

    survey = "survey-estimate"
    history = "sensor-history"
    sensor = "sensor"


@dataclass(frozen=True)
class Visit:
    spot_id: str
    day: date


@dataclass(frozen=True)
class Popularity:
    """A spot's relative index by (month 1..12, day kind 0..6 = Monday..Sunday/holiday)."""

    spot_id: str
    visits: int
    index: Mapping[tuple[int, int], float]
    month_rate: Mapping[int, float]  # visits per survey day, months the survey covers
    day_rate: Mapping[int, float]  # visits per such day in the survey period

    def of(self, day: date) -> float:
        return self.index[(day.month, day_kind(day))]


def _is_holiday(day: date) -> bool:
    return day in _holidays(day.year)


@functools.cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("JP", years=year))


def day_kind(day: date) -> int:
    """0..6 = Monday..Sunday; a public holiday counts as Sunday."""
    return SUNDAY if _is_holiday(day) else day.weekday()


def weekend_like(day: date) -> bool:
    """Saturday, Sunday or a public holiday: the kind of day past readings are matched by."""
    return day_kind(day) >= SATURDAY


def parse_date(text: str) -> date | None:
    try:
        year, month, day = (int(p) for p in text.strip().split("/"))
        return date(year, month, day)
    except ValueError:
        return None


def spots_named(places: str) -> list[str]:
    """The spot ids a 訪問場所 cell names (each once)."""
    found: list[str] = []
    names = sorted(SURVEY_SPOTS, key=len, reverse=True)
    for part in places.split(","):
        for name in names:
            if name in part:
                found += [s for s in SURVEY_SPOTS[name] if s not in found]
    return found


def read_visits(text: str) -> list[Visit]:
    """Visits from the survey CSV's text (answers without a readable date are skipped)."""
    visits = []
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        day = parse_date(row.get(DATE_COLUMN) or "")
        if day is not None:
            visits += [Visit(s, day) for s in spots_named(row.get(PLACES_COLUMN) or "")]
    return visits


def survey_days(visits: Iterable[Visit]) -> list[date]:
    days = [v.day for v in visits]
    if not days:
        return []
    first, last = min(days), max(days)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def popularity(visits: Sequence[Visit]) -> dict[str, Popularity]:
    """Each surveyed spot's relative index (module docstring, steps 2–3)."""
    period = survey_days(visits)
    month_days = Counter(d.month for d in period)
    kind_days = Counter(day_kind(d) for d in period)
    by_spot: dict[str, list[date]] = defaultdict(list)
    for visit in visits:
        by_spot[visit.spot_id].append(visit.day)
    result = {}
    for spot_id, days in by_spot.items():
        months = Counter(d.month for d in days)
        kinds = Counter(day_kind(d) for d in days)
        month_rate = {m: (months[m] + 1) / n for m, n in month_days.items()}
        day_rate = {k: (kinds[k] + 1) / n for k, n in kind_days.items()}
        mean_month = sum(month_rate.values()) / len(month_rate)
        mean_day = sum(day_rate.values()) / len(day_rate)
        raw = {(m, k): month_rate.get(m, mean_month) / mean_month * day_rate.get(k, mean_day)
               / mean_day for m in range(1, 13) for k in range(7)}
        top = max(raw.values())
        result[spot_id] = Popularity(spot_id, len(days), {key: v / top for key, v in raw.items()},
                                     month_rate, day_rate)
    return result


@functools.cache
def survey_popularity(path: Path = SURVEY) -> dict[str, Popularity]:
    """The shipped survey, read once per process."""
    return popularity(read_visits(path.read_text(encoding="utf-8-sig")))


def level(index: float) -> Level:
    if index < QUIET_BELOW:
        return Level.quiet
    if index < BUSY_FROM:
        return Level.moderate
    return Level.busy


@dataclass(frozen=True)
class HourForecast:
    hour: int
    level: Level
    index: float
    source: Source = Source.survey


def forecast(day_index: float, profile: Sequence[float] = HOURLY_PROFILE) -> list[HourForecast]:
    """The hours of a day (those the profile has any visitor in) from the day's index."""
    return [HourForecast(hour, level(round(day_index * share, 3)), round(day_index * share, 3))
            for hour, share in enumerate(profile) if share > 0]


def from_occupancy(hourly: Mapping[int, float]) -> list[HourForecast]:
    """Sensor readings (occupancy 0..1 per hour) as a forecast: the measured values."""
    return [HourForecast(hour, level(value), round(value, 3), Source.measured)
            for hour, value in sorted(hourly.items())]


def quieter_hours(hours: Sequence[HourForecast], than: Level) -> list[int]:
    order = list(Level)
    return [h.hour for h in hours if order.index(h.level) < order.index(than)]


def day_index(table: Mapping[str, Popularity], spot_id: str, day: date) -> float:
    """The spot's index for the day; a spot the survey does not name takes the mean of the
    surveyed spots (no signal of its own)."""
    if spot_id in table:
        return table[spot_id].of(day)
    if not table:
        return 0.5
    return sum(p.of(day) for p in table.values()) / len(table)


@dataclass(frozen=True)
class DayForecast:
    basis: Basis
    hours: list[HourForecast]


def history_window(day: date, today: date, weeks: int = HISTORY_WEEKS) -> tuple[date, date] | None:
    """The first and last past day whose readings forecast `day`: the `weeks` weeks up to the
    day before it, never after today (a future day is forecast from the weeks up to today).
    None when the day is more than HISTORY_AHEAD_DAYS ahead: there the survey's seasons say
    more than the recent weeks."""
    if (day - today).days > HISTORY_AHEAD_DAYS:
        return None
    last = min(day - timedelta(days=1), today)
    return last - timedelta(days=7 * weeks - 1), last


def readings_span(day: date, today: date, weeks: int = HISTORY_WEEKS) -> tuple[date, date]:
    """The days of readings day_forecast needs: the history window and the day itself."""
    window = history_window(day, today, weeks)
    return (window[0] if window else day), day


def from_history(day: date, today: date, readings: Mapping[date, Mapping[int, float]],
                 weeks: int = HISTORY_WEEKS,
                 min_days: int = MIN_HISTORY_DAYS) -> dict[int, float]:
    """Per hour, the median occupancy on the past days of the day's kind in its window, for the
    hours that at least `min_days` such days measured. The median, not the mean: one unusual
    day (a festival, a storm, a sensor fault) in a handful does not move it."""
    window = history_window(day, today, weeks)
    if window is None:
        return {}
    first, last = window
    kind = weekend_like(day)
    by_hour: dict[int, list[float]] = defaultdict(list)
    for past, hourly in readings.items():
        if first <= past <= last and weekend_like(past) == kind:
            for hour, value in hourly.items():
                by_hour[hour].append(value)
    return {hour: statistics.median(values) for hour, values in by_hour.items()
            if len(values) >= min_days}


def day_forecast(day: date, today: date, survey_index: float,
                 readings: Mapping[date, Mapping[int, float]],
                 weeks: int = HISTORY_WEEKS, min_days: int = MIN_HISTORY_DAYS) -> DayForecast:
    """The hours of `day` (module docstring): measured hours as measured, other hours from past
    readings when there are enough, else from the survey index. `readings` are a spot's
    occupancies by day and hour (days outside readings_span are ignored). The hours are those
    the survey profile expects anyone in plus any hour with readings."""
    hours = {h.hour: h for h in forecast(survey_index)}
    history = from_history(day, today, readings, weeks, min_days)
    for hour, value in history.items():
        hours[hour] = HourForecast(hour, level(round(value, 3)), round(value, 3), Source.history)
    measured = readings.get(day, {})
    for measured_hour in from_occupancy(measured):
        hours[measured_hour.hour] = measured_hour
    basis = Basis.sensor if measured else Basis.history if history else Basis.survey
    return DayForecast(basis, [hours[h] for h in sorted(hours)])
