"""server/tourism/crowds.py on the real survey (pure functions, no app): name matching, the
per-spot index by month and day kind, the hourly forecast and its levels. Expectations are
computed from the survey itself, not hard-coded counts."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

import pytest

from server.ingest.bundle import bundle_files
from server.ingest.files import parse
from server.tourism import crowds
from server.tourism.crowds import (
    HOURLY_PROFILE,
    SURVEY,
    SURVEY_SPOTS,
    Level,
    Visit,
    day_index,
    day_kind,
    forecast,
    from_occupancy,
    level,
    popularity,
    quieter_hours,
    read_visits,
    spots_named,
    survey_popularity,
)

AMAHARASHI = "162027-6"


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
