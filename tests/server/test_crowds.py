"""server/tourism/crowds.py on the real survey (pure functions, no app): name matching, the
per-spot index by month and day kind, the hourly forecast and its levels; the forecast from past
sensor readings; the bundled SAMPLE replay and its generator. Expectations are computed from the
survey (or the replay) itself, not hard-coded counts."""

from __future__ import annotations

import csv
import runpy
import statistics
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from server.ingest.bundle import bundle_files
from server.ingest.files import parse
from server.tourism import crowds
from server.tourism.crowds import (
    HISTORY_AHEAD_DAYS,
    HISTORY_WEEKS,
    HOURLY_PROFILE,
    SURVEY,
    SURVEY_SPOTS,
    Basis,
    Level,
    Source,
    Visit,
    day_forecast,
    day_index,
    day_kind,
    forecast,
    from_history,
    from_occupancy,
    level,
    popularity,
    quieter_hours,
    read_visits,
    spots_named,
    survey_popularity,
    weekend_like,
)
from server.tourism.readings import read_file, rebase_weeks, replay_files

AMAHARASHI = "162027-6"
ROOT = Path(__file__).resolve().parents[2]
WEDNESDAY = date(2026, 6, 10)  # no public holiday in the eight weeks before
SATURDAY = date(2026, 6, 13)


def _survey_rows() -> list[dict[str, str]]:
    with SURVEY.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_survey_names_map_to_bundled_spots() -> None:
    ids = {r.record_id for kind, path in bundle_files() if kind == "spots"
           for b in parse("spots", path).batches for r in b.records}
    assert {s for spots in SURVEY_SPOTS.values() for s in spots} <= ids
    assert spots_named("雨晴海岸岩瀬エリア, 宇奈月温泉") == [AMAHARASHI, "162019-5", "162078-1"]
    assert spots_named("国宝 高岡山瑞龍寺, なし") == ["162027-2"]
    assert spots_named("五箇山") == ["162108-1", "162108-2"]


def test_the_survey_is_read_whole() -> None:
    rows = _survey_rows()
    assert len(rows) == 3339
    visits = read_visits(SURVEY.read_text(encoding="utf-8-sig"))
    amaharashi = sum(1 for r in rows if "雨晴海岸" in r["訪問場所"])
    assert sum(1 for v in visits if v.spot_id == AMAHARASHI) == amaharashi
    assert {v.day.year for v in visits} == {2025}


def test_amaharashi_is_busier_in_the_survey_peak_month_than_in_its_quietest() -> None:
    table = survey_popularity()
    spot = table[AMAHARASHI]
    peak = max(spot.month_rate, key=spot.month_rate.__getitem__)
    quiet = min(spot.month_rate, key=spot.month_rate.__getitem__)
    assert peak != quiet
    for kind in range(7):
        assert spot.index[(peak, kind)] > spot.index[(quiet, kind)]
    months = Counter(v.day.month for v in read_visits(SURVEY.read_text(encoding="utf-8-sig"))
                     if v.spot_id == AMAHARASHI)
    assert months[peak] == max(months.values())  # the peak holds in raw counts too


def test_weekends_are_busier_than_weekdays_for_most_spots() -> None:
    table = survey_popularity()
    weekend_ahead = [s for s, p in table.items()
                     if (p.day_rate[5] + p.day_rate[6]) / 2
                     > sum(p.day_rate[k] for k in range(5)) / 5]
    # What the survey shows: every surveyed spot gets more answers per weekend day.
    assert len(weekend_ahead) >= 0.8 * len(table)
    assert len(table) == len({s for spots in SURVEY_SPOTS.values() for s in spots})


def test_the_index_is_normalised_per_spot_and_uses_holidays_as_sundays() -> None:
    for spot in survey_popularity().values():
        assert max(spot.index.values()) == pytest.approx(1.0)
        assert min(spot.index.values()) > 0
    assert day_kind(date(2026, 5, 5)) == 6  # こどもの日 (a Tuesday)
    assert day_kind(date(2026, 5, 7)) == 3


def test_index_on_a_tiny_survey() -> None:
    saturday, monday, tuesday, wednesday = (date(2025, 6, d) for d in (7, 9, 10, 11))
    visits = [Visit("a", saturday)] * 3 + [Visit("a", monday), Visit("b", wednesday)]
    table = popularity(visits)
    assert set(table) == {"a", "b"}
    assert table["a"].of(saturday) == 1.0
    assert table["a"].of(saturday) > table["a"].of(monday) > table["a"].of(tuesday)
    # December is outside the survey: the mean month, so the same as June here.
    assert table["a"].of(date(2025, 12, 6)) == pytest.approx(table["a"].of(saturday))
    assert day_index(table, "nobody", saturday) == pytest.approx(
        (table["a"].of(saturday) + table["b"].of(saturday)) / 2)


def test_levels_and_the_hourly_forecast() -> None:
    assert [level(i) for i in (0, 0.34, 0.35, 0.64, 0.65, 1)] == [
        Level.quiet, Level.quiet, Level.moderate, Level.moderate, Level.busy, Level.busy]
    hours = forecast(1.0)
    assert [h.hour for h in hours] == [h for h, s in enumerate(HOURLY_PROFILE) if s > 0]
    assert max(hours, key=lambda h: h.index).hour == 14
    assert {h.level for h in forecast(0.2)} == {Level.quiet}
    assert quieter_hours(hours, Level.busy) == [h.hour for h in hours if h.index < 0.65]
    measured = from_occupancy({10: 0.9, 9: 0.1})
    assert [(h.hour, h.level) for h in measured] == [(9, Level.quiet), (10, Level.busy)]
    assert crowds.LEVEL_JA[Level.moderate] == "やや混雑"


def _past(today: date, weeks: int, hourly) -> dict[date, dict[int, float]]:
    """Readings on every day of the `weeks` weeks before `today`: hourly(day) -> {hour: value}."""
    days = (today - timedelta(days=n) for n in range(1, 7 * weeks + 1))
    return {day: hourly(day) for day in days}


def test_history_is_the_median_of_past_days_of_the_same_kind() -> None:
    def hourly(day: date) -> dict[int, float]:
        if weekend_like(day):
            return {14: 0.9}
        return {14: 1.0 if day == WEDNESDAY - timedelta(days=7) else 0.4, 10: 0.2}

    past = _past(WEDNESDAY, HISTORY_WEEKS, hourly)
    # One odd weekday (a festival at 14:00) does not move the median; the mean would.
    assert from_history(WEDNESDAY, WEDNESDAY, past) == {14: 0.4, 10: 0.2}
    assert statistics.mean(v[14] for d, v in past.items() if not weekend_like(d)) > 0.4
    assert from_history(SATURDAY, WEDNESDAY, past) == {14: 0.9}
    # A public holiday is a weekend-like day: Monday 2026-07-20 (海の日) goes with Saturdays.
    holiday, monday = date(2026, 7, 20), date(2026, 7, 27)
    assert weekend_like(holiday) and not weekend_like(monday)
    on_holiday = {holiday: {11: 0.8}, date(2026, 7, 19): {11: 0.6}}
    assert from_history(date(2026, 7, 25), date(2026, 7, 24), on_holiday) == {11: 0.7}
    assert from_history(monday, monday, on_holiday) == {}


def test_history_needs_two_days_in_its_window() -> None:
    first = WEDNESDAY - timedelta(days=7 * HISTORY_WEEKS)
    one = {WEDNESDAY - timedelta(days=7): {9: 0.5}}
    assert from_history(WEDNESDAY, WEDNESDAY, one) == {}
    two = {**one, first: {9: 0.7}}
    assert from_history(WEDNESDAY, WEDNESDAY, two) == {9: pytest.approx(0.6)}
    too_old = {**one, first - timedelta(days=1): {9: 0.7}}  # a Tuesday, a day too early
    assert from_history(WEDNESDAY, WEDNESDAY, too_old) == {}
    # The day itself is measured, not history; for a later day, today's readings count.
    same_day = {**one, WEDNESDAY: {9: 0.7}}
    assert from_history(WEDNESDAY, WEDNESDAY, same_day) == {}
    next_week = WEDNESDAY + timedelta(days=HISTORY_AHEAD_DAYS)
    assert from_history(next_week, WEDNESDAY, same_day) == {9: pytest.approx(0.6)}
    # Further ahead than that, the survey's seasons beat the recent weeks.
    assert from_history(next_week + timedelta(days=1), WEDNESDAY, same_day) == {}


def test_a_day_is_measured_then_history_then_survey() -> None:
    survey_index = 0.8
    past = _past(WEDNESDAY, 2, lambda day: {} if weekend_like(day) else {6: 0.1, 13: 0.2,
                                                                        14: 0.3})
    survey_only = day_forecast(WEDNESDAY, WEDNESDAY, survey_index, {})
    assert survey_only.basis is Basis.survey
    assert survey_only.hours == forecast(survey_index)
    from_past = day_forecast(WEDNESDAY, WEDNESDAY, survey_index, past)
    assert from_past.basis is Basis.history
    hours = {h.hour: h for h in from_past.hours}
    assert [h for h in hours if hours[h].source is Source.history] == [6, 13, 14]
    assert (hours[14].index, hours[14].level) == (0.3, Level.quiet)
    survey = {h.hour: h for h in forecast(survey_index)}
    assert all(hours[h] == survey[h] for h in survey if h not in (6, 13, 14))
    measured = day_forecast(WEDNESDAY, WEDNESDAY, survey_index, {**past, WEDNESDAY: {14: 0.9}})
    assert measured.basis is Basis.sensor
    hours = {h.hour: h for h in measured.hours}
    assert (hours[14].source, hours[14].level, hours[13].source) == (
        Source.measured, Level.busy, Source.history)


def _replay() -> dict[str, list]:
    return {path.stem: read_file(path)[0] for path in replay_files()}


def test_the_replay_is_sample_sensor_like_and_what_the_script_writes(tmp_path: Path) -> None:
    readme = (replay_files()[0].parent / "README.md").read_text(encoding="utf-8")
    assert "SAMPLE" in readme and "not measurements" in readme
    spot_ids = {r.record_id for kind, path in bundle_files() if kind == "spots"
                for b in parse("spots", path).batches for r in b.records}
    assert all(read_file(path)[1] == [] for path in replay_files())
    for spot_id, readings in _replay().items():
        assert {r.spot_id for r in readings} == {spot_id} and spot_id in spot_ids
        days = sorted({r.day for r in readings})
        assert (days[-1] - days[0]).days + 1 >= 7 * HISTORY_WEEKS
        peak = [r for r in readings if r.hour == 14]
        weekend = statistics.median(r.occupancy for r in peak if r.day.weekday() >= 5)
        weekday = statistics.median(r.occupancy for r in peak if r.day.weekday() < 5)
        assert weekend > weekday, spot_id
    script = runpy.run_path(str(ROOT / "tools" / "make_crowd_readings.py"))
    script["main"](tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == [p.name for p in replay_files()]
    for made in tmp_path.glob("*.csv"):
        assert made.read_bytes() == (replay_files()[0].parent / made.name).read_bytes()


def test_a_replay_is_moved_by_whole_weeks_into_the_week_before_today() -> None:
    last = max(r.day for readings in _replay().values() for r in readings)
    for today in (date(2026, 11, 30), date(2026, 12, 6), date(2027, 3, 1), date(2026, 1, 1)):
        moved = last + rebase_weeks(last, today)
        assert moved.weekday() == last.weekday()
        assert today - timedelta(days=7) <= moved < today
