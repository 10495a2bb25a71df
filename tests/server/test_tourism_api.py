"""Crowd levels of tourist spots through the real app (SQLite and PostgreSQL): the survey
estimate for a date, sensor readings overriding it (staff only), the forecast from past readings
after the bundled replay (`python -m server.ingest crowds`), quieter places and hours."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func
from sqlmodel import Session, col, select

from server.api.tourism import JST, RADIUS_KM
from server.ingest.__main__ import main as ingest_main
from server.ingest.bundle import bundle_files
from server.tourism.crowds import (
    HISTORY_AHEAD_DAYS,
    HISTORY_WEEKS,
    day_index,
    forecast,
    survey_popularity,
    weekend_like,
)
from server.tourism.models import CrowdReading
from server.tourism.readings import (
    SensorReading,
    load,
    read_file,
    rebase_weeks,
    replay_files,
)
from tests.cardworld import PASSWORDS, PINS, World
from tests.server.conftest import FakeClock, bearer, login
from tests.server.e_apps import staff_headers
from tests.server.info_support import by_id, ingest

NOW = datetime.now(UTC)  # the test cards are valid from now on: the clock cannot go back
LOCAL = NOW.astimezone(JST)
TODAY, HOUR = LOCAL.date().isoformat(), LOCAL.hour
TOMORROW = (LOCAL.date() + timedelta(days=1)).isoformat()
NEXT_HOUR = (HOUR + 1) % 24
AMAHARASHI = "162027-6"
GLASS = "162019-4"
IKEDAYA = "162019-8"


@pytest.fixture
def spots(client: TestClient, clock: FakeClock) -> TestClient:
    clock.current = NOW
    for kind, path in bundle_files():  # the spots only
        if kind == "spots":
            ingest(client, kind, path)
    return client


def _busiest_day(spot_id: str) -> date:
    """A day in 2026 when the estimate says the spot is busiest."""
    table = survey_popularity()
    days = [date(2026, m, d) for m in range(4, 11) for d in range(1, 29)]
    return max(days, key=lambda d: day_index(table, spot_id, d))


def test_the_estimate_for_a_date(spots: TestClient) -> None:
    answer = spots.get(f"/v1/tourism/crowds/{AMAHARASHI}", params={"date": TODAY})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["spot_id"], body["date"], body["basis"]) == (
        AMAHARASHI, TODAY, "survey-estimate")
    expected = forecast(day_index(survey_popularity(), AMAHARASHI, NOW.date()))
    assert [(h["hour"], h["level"], h["index"]) for h in body["hours"]] == [
        (h.hour, h.level.value, h.index) for h in expected]
    now = next((h for h in body["hours"] if h["hour"] == HOUR),
               {"level": "quiet", "index": 0.0})  # at night: nobody expected
    assert body["now"] == {"level": now["level"], "index": now["index"], "source": "survey"}
    assert {(h["source"], h["measured"]) for h in body["hours"]} == {("survey", False)}
    other_day = spots.get(f"/v1/tourism/crowds/{AMAHARASHI}", params={"date": TOMORROW})
    assert other_day.json()["now"] is None


@pytest.mark.parametrize(("path", "params", "status"), [
    ("/v1/tourism/crowds/999999-1", {"date": TODAY}, 404),
    (f"/v1/tourism/crowds/{AMAHARASHI}", {"date": "2026-13-01"}, 422),
    (f"/v1/tourism/crowds/{AMAHARASHI}", {}, 422),
    ("/v1/tourism/crowds/999999-1/quieter", {"date": TODAY}, 404),
])
def test_bad_requests(spots: TestClient, path: str, params: dict, status: int) -> None:
    assert spots.get(path, params=params).status_code == status


def test_readings_refuse_anonymous_callers_and_residents(spots: TestClient,
                                                        world: World) -> None:
    reading = {"readings": [{"spot_id": AMAHARASHI, "date": TODAY, "hour": 14,
                             "occupancy": 0.1}]}
    assert spots.post("/v1/tourism/readings", json=reading).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert spots.post("/v1/tourism/readings", json=reading, headers=bad).status_code == 401
    card = world.card("toyama-hanako")
    resident = bearer(login(spots, card, PINS["toyama-hanako"], PASSWORDS["toyama-hanako"]))
    assert spots.post("/v1/tourism/readings", json=reading, headers=resident).status_code == 403
    answer = spots.get(f"/v1/tourism/crowds/{AMAHARASHI}", params={"date": TODAY})
    assert answer.json()["basis"] == "survey-estimate"


def test_sensor_readings_override_the_estimate(spots: TestClient, world: World) -> None:
    staff = staff_headers(spots, world)
    readings = {"readings": [
        {"spot_id": AMAHARASHI, "date": TODAY, "hour": HOUR, "occupancy": 0.1},
        {"spot_id": AMAHARASHI, "date": TODAY, "hour": NEXT_HOUR, "occupancy": 0.5}]}
    answer = spots.post("/v1/tourism/readings", json=readings, headers=staff)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"stored": 2}
    again = {"readings": [{"spot_id": AMAHARASHI, "date": TODAY, "hour": HOUR,
                           "occupancy": 0.9}]}
    assert spots.post("/v1/tourism/readings", json=again, headers=staff).status_code == 200
    body = spots.get(f"/v1/tourism/crowds/{AMAHARASHI}", params={"date": TODAY}).json()
    assert body["basis"] == "sensor"
    hours = {h["hour"]: h for h in body["hours"]}
    assert (hours[HOUR]["level"], hours[HOUR]["index"], hours[HOUR]["measured"]) == (
        "busy", 0.9, True)
    assert (hours[NEXT_HOUR]["level"], hours[NEXT_HOUR]["measured"]) == ("moderate", True)
    assert all(not h["measured"] for h in body["hours"] if h["hour"] not in (HOUR, NEXT_HOUR))
    assert body["now"] == {"level": "busy", "index": 0.9, "source": "measured"}
    assert {h["hour"] for h in body["hours"] if h["source"] == "measured"} == {HOUR, NEXT_HOUR}
    other = spots.get(f"/v1/tourism/crowds/{AMAHARASHI}", params={"date": TOMORROW})
    assert other.json()["basis"] == "survey-estimate"  # only that date
    unknown = {"readings": [{"spot_id": "999999-1", "date": TODAY, "hour": 1,
                             "occupancy": 0.5}]}
    assert spots.post("/v1/tourism/readings", json=unknown, headers=staff).status_code == 404
    out_of_range = {"readings": [{"spot_id": AMAHARASHI, "date": TODAY, "hour": 24,
                                  "occupancy": 1.5}]}
    assert spots.post("/v1/tourism/readings", json=out_of_range,
                      headers=staff).status_code == 422


def test_quieter_places_are_near_and_quieter(spots: TestClient, world: World) -> None:
    day = _busiest_day(GLASS)
    # On the glass museum's busiest day the estimate has central Toyama busy everywhere; a
    # sensor says the medicine shop round the corner is quiet at 14:00.
    quiet = {"readings": [{"spot_id": IKEDAYA, "date": day.isoformat(), "hour": 14,
                           "occupancy": 0.2}]}
    assert spots.post("/v1/tourism/readings", json=quiet,
                      headers=staff_headers(spots, world)).status_code == 200
    answer = spots.get(f"/v1/tourism/crowds/{GLASS}/quieter",
                       params={"date": day.isoformat(), "hour": 14})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["level"], body["hour"], body["radius_km"]) == ("busy", 14, RADIUS_KM)
    records = by_id(spots, "spots")
    assert IKEDAYA in [a["spot_id"] for a in body["alternatives"]]
    assert len(body["alternatives"]) <= 3
    distances = [a["distance_km"] for a in body["alternatives"]]
    assert distances == sorted(distances) and all(d <= RADIUS_KM for d in distances)
    for alternative in body["alternatives"]:
        assert alternative["level"] in ("quiet", "moderate")
        assert alternative["name"] == records[alternative["spot_id"]]["body"]["name"]
        there = spots.get(f"/v1/tourism/crowds/{alternative['spot_id']}",
                          params={"date": day.isoformat()}).json()
        assert next(h for h in there["hours"] if h["hour"] == 14)["level"] == alternative["level"]
    here = spots.get(f"/v1/tourism/crowds/{GLASS}", params={"date": day.isoformat()}).json()
    assert body["quieter_hours"] == [h["hour"] for h in here["hours"] if h["level"] != "busy"]
    assert 9 in body["quieter_hours"] and 14 not in body["quieter_hours"]


# --- The forecast from past readings, after the bundled SAMPLE replay --------------------------

MUSEUM = "162019-3"  # 富山県美術館: its replayed sensor reports 9–17 only
KANSUI = "162019-2"  # 富岩運河環水公園: replayed, near the museum and the glass museum
REPLAYED_DAYS = 7 * 9


@pytest.fixture
def replayed(spots: TestClient) -> TestClient:
    with Session(spots.app.state.engine) as session:  # type: ignore[attr-defined]
        assert session.exec(select(func.count()).select_from(CrowdReading)).one() == 0
    assert load(spots.app.state.engine, [], today=LOCAL.date()) == 0  # type: ignore[attr-defined]
    return spots


def _moved(spot_id: str) -> list[SensorReading]:
    """The bundled replay of a spot as `load` moved it for today."""
    readings = [r for path in replay_files() for r in read_file(path)[0]]
    shift = rebase_weeks(max(r.day for r in readings), LOCAL.date())
    return [SensorReading(r.spot_id, r.day + shift, r.hour, r.occupancy) for r in readings
            if r.spot_id == spot_id]


def _ahead(weekend: bool) -> date:
    """The first day after today, within the week, of that kind."""
    return next(day for n in range(1, 8)
                if weekend_like(day := LOCAL.date() + timedelta(days=n)) == weekend)


def _crowds(client: TestClient, spot_id: str, day: date | str) -> dict:
    answer = client.get(f"/v1/tourism/crowds/{spot_id}", params={"date": str(day)})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_after_the_replay_a_weekend_day_is_busier_than_a_weekday(replayed: TestClient) -> None:
    saturday, weekday = _ahead(weekend=True), _ahead(weekend=False)
    for spot_id in (AMAHARASHI, MUSEUM):
        weekend_body, weekday_body = (_crowds(replayed, spot_id, d) for d in (saturday, weekday))
        assert weekend_body["basis"] == weekday_body["basis"] == "sensor-history"
        peaks = [max(h["index"] for h in body["hours"] if h["source"] == "history")
                 for body in (weekend_body, weekday_body)]
        assert peaks[0] > peaks[1], spot_id
        # The weekend's 14:00 is the median of the replayed weekend-like days' 14:00 in the
        # eight weeks up to today (a day ahead looks back from today).
        first = LOCAL.date() - timedelta(days=7 * HISTORY_WEEKS - 1)
        past = [r.occupancy for r in _moved(spot_id)
                if r.hour == 14 and first <= r.day <= LOCAL.date() and weekend_like(r.day)]
        at_14 = next(h for h in weekend_body["hours"] if h["hour"] == 14)
        assert at_14["index"] == pytest.approx(statistics.median(past), abs=0.001)
        assert (at_14["source"], at_14["measured"]) == ("history", False)
    today = _crowds(replayed, AMAHARASHI, TODAY)
    assert today["basis"] == "sensor-history"
    assert today["now"]["source"] == next(
        (h["source"] for h in today["hours"] if h["hour"] == HOUR), "survey")

    # Hours the museum's sensor does not report keep the survey estimate.
    day = weekday
    reported = {r.hour for r in _moved(MUSEUM)}
    body = _crowds(replayed, MUSEUM, day)
    survey = {h.hour: h for h in forecast(day_index(survey_popularity(), MUSEUM, day))}
    assert set(survey) - reported  # the museum's sensor is off early and late
    for hour in body["hours"]:
        if hour["hour"] in reported:
            assert hour["source"] == "history"
        else:
            assert hour["source"] == "survey"
            assert hour["index"] == survey[hour["hour"]].index
    # A spot without readings, and a day further ahead than history reaches: the survey.
    assert _crowds(replayed, GLASS, day)["basis"] == "survey-estimate"
    far = LOCAL.date() + timedelta(days=HISTORY_AHEAD_DAYS + 7)
    assert _crowds(replayed, MUSEUM, far)["basis"] == "survey-estimate"


def test_an_hour_needs_two_past_days_of_its_kind_and_today_wins(spots: TestClient,
                                                                world: World) -> None:
    staff = staff_headers(spots, world)
    kind = weekend_like(LOCAL.date())
    recent = [day for n in range(1, 7 * HISTORY_WEEKS + 1)
              if weekend_like(day := LOCAL.date() - timedelta(days=n)) == kind][:2]
    survey = {h.hour: h for h in forecast(day_index(survey_popularity(), GLASS, LOCAL.date()))}

    def post(day: date, hour: int, occupancy: float) -> dict:
        reading = {"readings": [{"spot_id": GLASS, "date": day.isoformat(), "hour": hour,
                                 "occupancy": occupancy}]}
        assert spots.post("/v1/tourism/readings", json=reading, headers=staff).status_code == 200
        return _crowds(spots, GLASS, TODAY)

    one = post(recent[0], 10, 0.9)
    at_10 = next(h for h in one["hours"] if h["hour"] == 10)
    assert (one["basis"], at_10["source"], at_10["index"]) == (
        "survey-estimate", "survey", survey[10].index)
    two = post(recent[1], 10, 0.7)
    at_10 = next(h for h in two["hours"] if h["hour"] == 10)
    assert (two["basis"], at_10["source"], at_10["index"], at_10["level"]) == (
        "sensor-history", "history", 0.8, "busy")
    # A reading of today wins over history for its hour; the other hours stay as they were.
    today = post(LOCAL.date(), 10, 0.05)
    hours = {h["hour"]: h for h in today["hours"]}
    assert today["basis"] == "sensor"
    assert (hours[10]["source"], hours[10]["measured"], hours[10]["level"]) == (
        "measured", True, "quiet")
    assert [h for h in two["hours"] if h["hour"] != 10] == [
        h for h in today["hours"] if h["hour"] != 10]


def test_quieter_reads_the_nearby_spots_in_one_query(replayed: TestClient) -> None:
    engine = replayed.app.state.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    day = _ahead(weekend=True)
    event.listen(engine, "before_cursor_execute", count)
    try:
        _crowds(replayed, KANSUI, day)
        single = len(statements)
        statements.clear()
        answer = replayed.get(f"/v1/tourism/crowds/{KANSUI}/quieter",
                              params={"date": day.isoformat(), "hour": 14})
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert answer.status_code == 200, answer.text
    assert len(statements) == single  # the spots, then every nearby spot's readings at once
    body = answer.json()
    assert body["level"] == next(h["level"] for h in _crowds(replayed, KANSUI, day)["hours"]
                                 if h["hour"] == 14)
    for alternative in body["alternatives"]:
        there = _crowds(replayed, alternative["spot_id"], day)
        assert next(h for h in there["hours"] if h["hour"] == 14)["level"] == alternative["level"]


def _rows(client: TestClient) -> list[tuple]:
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        return [(r.spot_id, r.day, r.hour, r.occupancy, r.recorded_by, r.recorded_at)
                for r in session.exec(select(CrowdReading).order_by(col(CrowdReading.id)))]


def test_the_crowds_command_replays_once_and_loads_files(
        spots: TestClient, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    settings = spots.app.state.settings  # type: ignore[attr-defined]
    files = {path.name: len(read_file(path)[0]) for path in replay_files()}
    assert ingest_main(["crowds", "--today", TODAY], settings=settings) == 0
    first = capsys.readouterr().out
    for name, rows in files.items():
        assert f"{name}: added {rows}, changed 0, unchanged 0" in first
    stored = _rows(spots)
    assert len(stored) == sum(files.values())
    assert {r[1] for r in stored} >= {(LOCAL.date() - timedelta(days=n)).isoformat()
                                      for n in range(7, REPLAYED_DAYS - 6)}
    assert max(r[1] for r in stored) < TODAY
    assert ingest_main(["crowds", "--today", TODAY], settings=settings) == 0
    again = capsys.readouterr().out
    for name, rows in files.items():
        assert f"{name}: added 0, changed 0, unchanged {rows}" in again
    assert _rows(spots) == stored  # not even who and when

    mine = tmp_path / "sensor.csv"
    mine.write_text("spot_id,date,hour,occupancy\n"
                    f"{GLASS},{TODAY},10,0.5\n"
                    f"{GLASS},{TODAY},25,0.5\n"
                    f"999999-1,{TODAY},10,0.5\n"
                    f"{MUSEUM},{TODAY},10,1.5\n", encoding="utf-8")
    broken = tmp_path / "broken.csv"
    broken.write_text("spot_id,hour,occupancy\nx,1,0.1\n", encoding="utf-8")
    assert ingest_main(["crowds", str(mine), str(broken)], settings=settings) == 2
    out = capsys.readouterr()
    assert f"{mine}: added 1, changed 0, unchanged 0" in out.out
    assert f"{mine}:3: hour 25 is not 0..23" in out.out
    assert f"{mine}:5: occupancy 1.5 is not 0..1" in out.out
    assert f"{mine}: unknown spot 999999-1: 1 row(s) skipped" in out.out
    assert f"{broken}: refused: missing column(s): date" in out.err
    assert _crowds(spots, GLASS, TODAY)["basis"] == "sensor"  # stored as dated
    mine.write_text(f"spot_id,date,hour,occupancy\n{GLASS},{TODAY},10,0.6\n", encoding="utf-8")
    assert ingest_main(["crowds", str(mine)], settings=settings) == 0
    assert f"{mine}: added 0, changed 1, unchanged 0" in capsys.readouterr().out
