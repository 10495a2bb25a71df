"""Crowd levels of tourist spots through the real app (SQLite and PostgreSQL): the survey
estimate for a date, sensor readings overriding it (staff only), quieter places and hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from server.api.tourism import JST, RADIUS_KM
from server.ingest.bundle import bundle_files
from server.tourism.crowds import day_index, forecast, survey_popularity
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
    assert body["now"] == {"level": now["level"], "index": now["index"]}
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
    assert body["now"] == {"level": "busy", "index": 0.9}
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
