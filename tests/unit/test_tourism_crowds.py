"""Crowd levels (services/tourism/crowds.py): the API client's two methods against a scripted
backend (errors mapped as for every call), answers read forgivingly, and the copy kept on the
device answering — marked offline — when the server cannot be reached."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.api import ApiClient
from services.errors import BadResponse, Offline
from services.i18n import JAPAN_TZ
from services.models import InfoDataset, InfoRecordWire
from services.store import SCHEMA_VERSION, LocalStore
from services.tourism.crowds import (
    CacheKind,
    CrowdBasis,
    CrowdCache,
    CrowdLevel,
    DayCrowds,
    HourCrowd,
    day_body,
    parse_day,
    parse_quieter,
    quieter_body,
)
from services.tourism.service import TourismService
from tests.unit.conftest import Clock

CASTLE, KANSUI = "162019-1", "162019-2"
PATH = re.compile(r"^/v1/tourism/crowds/([^/]+)(/quieter)?$")
INDEX = {7: 0.05, 8: 0.1, 9: 0.3, 10: 0.45, 11: 0.55, 12: 0.6, 13: 0.7, 14: 0.8, 15: 0.7,
         16: 0.5, 17: 0.4, 18: 0.3, 19: 0.2, 20: 0.1, 21: 0.05}


def level(index: float) -> str:
    return "quiet" if index < 0.35 else "moderate" if index < 0.65 else "busy"


class CrowdServer:
    """Speaks docs/tourism-crowds.md for two spots; `scale` changes the answers, `down` makes
    it unreachable, `status` makes it answer that status."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.scale = 1.0
        self.basis = "survey-estimate"
        self.down = False
        self.status: int | None = None
        self.requests: list[httpx.Request] = []

    def hours(self) -> list[dict[str, Any]]:
        return [{"hour": h, "level": level(i * self.scale), "index": round(i * self.scale, 3),
                 "measured": False} for h, i in INDEX.items()]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if self.status is not None:
            return httpx.Response(self.status, json={"detail": "trouble"})
        found = PATH.match(request.url.path)
        if not found or found.group(1) not in (CASTLE, KANSUI):
            return httpx.Response(404, json={"detail": "Unknown spot"})
        day = request.url.params["date"]
        local = self.clock().astimezone(JAPAN_TZ)
        today = local.date().isoformat() == day
        hours = self.hours()
        if found.group(2):
            hour = int(request.url.params.get("hour", local.hour if today else 14))
            here = next((h for h in hours if h["hour"] == hour), {"level": "quiet"})
            order = ["quiet", "moderate", "busy"]
            return httpx.Response(200, json={
                "spot_id": found.group(1), "date": day, "hour": hour, "level": here["level"],
                "radius_km": 3.0,
                "alternatives": [{"spot_id": KANSUI, "name": "富岩運河環水公園",
                                  "distance_km": 1.73, "level": "quiet", "index": 0.1}]
                if here["level"] != "quiet" else [],
                "quieter_hours": [h["hour"] for h in hours
                                  if order.index(h["level"]) < order.index(here["level"])]})
        now = None
        if today:
            at = next((h for h in hours if h["hour"] == local.hour),
                      {"level": "quiet", "index": 0.0})
            now = {"level": at["level"], "index": at["index"]}
        return httpx.Response(200, json={"spot_id": found.group(1), "date": day,
                                         "basis": self.basis, "hours": hours, "now": now})


@pytest.fixture
def backend(clock: Clock) -> CrowdServer:
    return CrowdServer(clock)


@pytest.fixture
def api(backend: CrowdServer) -> ApiClient:
    return ApiClient("http://backend.test", transport=httpx.MockTransport(backend),
                     retry_delay_s=0)


@pytest.fixture
def store(tmp_path: Path):
    store = LocalStore(tmp_path / "store.db")
    yield store
    store.close()


@pytest.fixture
def tourism(api: ApiClient, store: LocalStore, clock: Clock) -> TourismService:
    return TourismService(info=None, api=api, store=store, clock=clock)  # type: ignore[arg-type]


def today(clock: Clock) -> date:
    return clock().astimezone(JAPAN_TZ).date()


# --- the API client -----------------------------------------------------------------------------
async def test_the_client_reads_a_day_and_maps_errors_like_every_call(
        api: ApiClient, backend: CrowdServer, clock: Clock) -> None:
    day = today(clock)  # 2026-11-29, 18:00 in Japan
    found = await api.tourism_crowds(CASTLE, day, fetched_at=clock())
    assert found is not None
    assert (found.spot_id, found.date, found.basis, found.offline) == (
        CASTLE, day, CrowdBasis.survey_estimate, False)
    assert [h.hour for h in found.hours] == list(INDEX)
    assert found.at(14).level == CrowdLevel.busy and found.at(3).level == CrowdLevel.quiet
    assert found.now is not None and found.now.hour == 18  # the server's hour, Japan time
    assert (found.now.level, found.now.index) == (CrowdLevel.quiet, 0.3)
    assert backend.requests[-1].url.params["date"] == "2026-11-29"
    other = await api.tourism_crowds(CASTLE, day + timedelta(days=1))
    assert other is not None and other.now is None
    assert await api.tourism_crowds("162019-404", day) is None  # unknown spot: 404
    with pytest.raises(ValueError):
        await api.tourism_crowds("../admin", day)  # never sent
    backend.status = 503  # a gateway before a stopped server
    with pytest.raises(Offline):
        await api.tourism_crowds(CASTLE, day)
    backend.status, backend.down = None, True
    with pytest.raises(Offline):
        await api.tourism_quieter(CASTLE, day)


async def test_an_answer_without_its_hours_is_a_bad_response(
        api: ApiClient, backend: CrowdServer, clock: Clock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backend, "hours", lambda: "not a list")
    with pytest.raises(BadResponse):
        await api.tourism_crowds(CASTLE, today(clock) + timedelta(days=1))


async def test_quieter_places_and_hours(api: ApiClient, backend: CrowdServer,
                                        clock: Clock) -> None:
    day = today(clock)
    found = await api.tourism_quieter(CASTLE, day, 14)
    assert found is not None
    assert (found.hour, found.level, found.radius_km) == (14, CrowdLevel.busy, 3.0)
    [alternative] = found.alternatives
    assert (alternative.spot_id, alternative.distance_km, alternative.level) == (
        KANSUI, 1.73, CrowdLevel.quiet)
    assert found.quieter_hours == tuple(h for h, i in INDEX.items() if i < 0.65)
    assert backend.requests[-1].url.params["hour"] == "14"
    default = await api.tourism_quieter(CASTLE, day)
    assert default is not None and default.hour == 18  # the server's choice: now
    assert "hour" not in backend.requests[-1].url.params
    with pytest.raises(ValueError):
        await api.tourism_quieter(CASTLE, day, 24)


# --- reading forgivingly ------------------------------------------------------------------------
AT = datetime(2026, 11, 29, 9, 0).astimezone()


def test_unknown_basis_source_and_level_are_read_not_refused() -> None:
    body = {"spot_id": CASTLE, "date": "2026-11-29", "basis": "sensor-history",
            "hours": [{"hour": 9, "level": "quiet", "index": 0.2, "source": "sensor-history"},
                      {"hour": 10, "level": "moderate", "index": 0.5, "measured": True,
                       "source": "crystal-ball"},
                      {"hour": 11, "level": "heaving", "index": 0.9},  # unknown level: left out
                      {"hour": 25, "level": "busy"}, "junk",
                      {"hour": 12, "level": "busy", "index": "high"}],
            "now": {"level": "moderate", "index": 0.5, "hour": 10}, "extra": [1, 2]}
    day = parse_day(body, fetched_at=AT)
    assert day.basis == CrowdBasis.sensor_history
    assert [(h.hour, h.level, h.source) for h in day.hours] == [
        (9, CrowdLevel.quiet, CrowdBasis.sensor_history),
        (10, CrowdLevel.moderate, CrowdBasis.other),
        (12, CrowdLevel.busy, None)]
    assert day.hours[2].index == 0.0 and day.measured
    assert day.now == HourCrowd(10, CrowdLevel.moderate, 0.5, True, CrowdBasis.other)
    assert parse_day({**body, "basis": "lidar-fusion"}, fetched_at=AT).basis == CrowdBasis.other
    assert parse_day({**body, "basis": None}, fetched_at=AT).basis == CrowdBasis.other
    # what is kept reads back the same
    assert parse_day(day_body(day), fetched_at=AT) == day
    for broken in ({**body, "hours": None}, {**body, "date": "tomorrow"},
                   {**body, "spot_id": "../x"}, {k: v for k, v in body.items() if k != "date"}):
        with pytest.raises(ValueError):
            parse_day(broken, fetched_at=AT)


def test_a_quieter_answer_keeps_what_it_can() -> None:
    body = {"spot_id": CASTLE, "date": "2026-11-29", "hour": 14, "level": "busy",
            "alternatives": [{"spot_id": KANSUI, "name": "環水公園", "distance_km": 1.7,
                              "level": "quiet"},
                             {"spot_id": "x", "level": "serene"}, {"name": "no id"}],
            "quieter_hours": [9, 9, 30, "10", 8]}
    found = parse_quieter(body, fetched_at=AT)
    assert [a.spot_id for a in found.alternatives] == [KANSUI]
    assert found.quieter_hours == (8, 9) and found.radius_km is None
    assert parse_quieter(quieter_body(found), fetched_at=AT) == found
    with pytest.raises(ValueError):
        parse_quieter({**body, "level": "serene"}, fetched_at=AT)


# --- kept on the device -------------------------------------------------------------------------
async def test_offline_the_kept_day_comes_back_marked_with_when_it_was_fetched(
        tourism: TourismService, backend: CrowdServer, clock: Clock) -> None:
    day = today(clock)
    fetched_at = clock()
    online = await tourism.crowds(CASTLE, day)
    assert online is not None and not online.offline and online.fetched_at == fetched_at
    backend.down = True
    clock.now = fetched_at + timedelta(hours=-4)  # 14:00 in Japan, the same day
    kept = await tourism.crowds(CASTLE, day)
    assert kept is not None and kept.offline
    assert kept.fetched_at == fetched_at
    assert kept.hours == online.hours and kept.basis == online.basis
    # `now` is the hour it is now, from the kept hours (the server's was for 18:00)
    assert kept.now is not None and (kept.now.hour, kept.now.level) == (14, CrowdLevel.busy)
    clock.now = fetched_at + timedelta(days=1)
    assert (await tourism.crowds(CASTLE, day)).now is None  # type: ignore[union-attr]
    # never downloaded and offline: nothing to show
    assert await tourism.crowds(CASTLE, day + timedelta(days=3)) is None
    assert await tourism.crowds(KANSUI, day) is None


async def test_a_newer_answer_replaces_the_kept_one_and_a_server_error_falls_back(
        tourism: TourismService, backend: CrowdServer, clock: Clock) -> None:
    day = today(clock)
    await tourism.crowds(CASTLE, day)
    backend.scale = 0.5
    clock.now += timedelta(minutes=30)
    newer = await tourism.crowds(CASTLE, day)
    assert newer is not None and newer.at(14).level == CrowdLevel.moderate
    backend.status = 500
    kept = await tourism.crowds(CASTLE, day)
    assert kept is not None and kept.offline
    assert kept.at(14).level == CrowdLevel.moderate and kept.fetched_at == clock.now


async def test_an_unknown_spot_is_none_and_keeps_nothing(
        tourism: TourismService, backend: CrowdServer, store: LocalStore,
        clock: Clock) -> None:
    assert await tourism.crowds("162019-404", today(clock)) is None
    assert await tourism.crowds("not/an/id", today(clock)) is None
    assert len(backend.requests) == 1  # the malformed id is never sent
    assert store.answer(CacheKind.crowds, f"162019-404|{today(clock)}") is None


async def test_quieter_places_are_kept_per_hour(
        tourism: TourismService, backend: CrowdServer, clock: Clock) -> None:
    day = today(clock)  # 18:00 in Japan
    now = await tourism.quieter(CASTLE, day)
    at_two = await tourism.quieter(CASTLE, day, 14)
    tomorrow = await tourism.quieter(CASTLE, day + timedelta(days=1))  # the peak, 14
    assert now is not None and at_two is not None and tomorrow is not None
    backend.down = True
    kept_now = await tourism.quieter(CASTLE, day)
    assert kept_now is not None and kept_now.offline and kept_now.hour == 18
    assert kept_now.fetched_at == now.fetched_at
    kept_two = await tourism.quieter(CASTLE, day, 14)
    assert kept_two is not None and kept_two.offline
    assert (kept_two.level, kept_two.alternatives) == (at_two.level, at_two.alternatives)
    assert await tourism.quieter(CASTLE, day, 11) is None  # that hour was never asked
    # an hour later, "now" is an hour never asked: the last answer asked without an hour
    clock.now += timedelta(hours=1)
    later = await tourism.quieter(CASTLE, day)
    assert later is not None and later.hour == 18
    # asked without an hour for another day: kept as such
    kept_tomorrow = await tourism.quieter(CASTLE, day + timedelta(days=1))
    assert kept_tomorrow is not None and kept_tomorrow.hour == tomorrow.hour == 14


def test_answers_older_than_the_keeping_time_go_when_a_new_one_is_kept(
        store: LocalStore) -> None:
    cache = CrowdCache(store, keep_days=30)
    first = datetime(2026, 10, 1, 3, 0).astimezone()
    old = DayCrowds(CASTLE, date(2026, 10, 1), CrowdBasis.sensor,
                    (HourCrowd(9, CrowdLevel.quiet, 0.1, True),), None, first)
    cache.put_day(old)
    kept = cache.day(CASTLE, date(2026, 10, 1), first)
    assert kept is not None and kept.hours == old.hours and kept.offline
    cache.put_day(DayCrowds(KANSUI, date(2026, 10, 20), CrowdBasis.sensor, (), None,
                            first + timedelta(days=19)))
    assert cache.day(CASTLE, date(2026, 10, 1), first) is not None  # 19 days: still kept
    cache.put_day(DayCrowds(KANSUI, date(2026, 11, 5), CrowdBasis.sensor, (), None,
                            first + timedelta(days=35)))
    assert cache.day(CASTLE, date(2026, 10, 1), first) is None
    assert cache.day(KANSUI, date(2026, 10, 20), first) is not None


def test_a_damaged_kept_answer_reads_as_none(store: LocalStore, clock: Clock) -> None:
    store.put_answer(CacheKind.crowds, f"{CASTLE}|2026-11-29", {"spot_id": CASTLE},
                     at=clock())
    assert CrowdCache(store).day(CASTLE, date(2026, 11, 29), clock()) is None
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE cached_answer SET body_json = '[broken'")
    assert store.answer(CacheKind.crowds, f"{CASTLE}|2026-11-29") is None


def test_a_layout_3_store_gains_the_answer_table_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = LocalStore(path)
    store.apply_info(InfoDataset.spots, [InfoRecordWire(
        id=CASTLE, revision=1, withdrawn=False, body={"name": "富山城"})],
        cursor_name="info.spots", next_cursor=1, etag=None, at=AT)
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE cached_answer")
        conn.execute("PRAGMA user_version=3")
    store = LocalStore(path)
    try:
        assert [r.id for r in store.info_records(InfoDataset.spots)] == [CASTLE]
        assert store.cursor("info.spots").cursor == 1
        store.put_answer(CacheKind.crowds, "k", {"a": 1}, at=AT)
        kept = store.answer(CacheKind.crowds, "k")
        assert kept is not None and kept.body == {"a": 1} and kept.fetched_at == AT
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
