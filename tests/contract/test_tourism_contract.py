"""The real client services (ApiClient, the spots sync, LocalStore, InfoService, TourismService)
against the real server app with the bundled spots, in process, on SQLite and PostgreSQL: sync
and filter the spots, crowd levels for today and another date, quieter places, and the kept
answers when the server is gone."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from server.core.config import ServerSettings
from server.info_models import InfoRecordRow
from server.ingest.bundle import bundle_files
from server.ingest.files import parse, store
from server.main import create_app
from server.tourism.models import CrowdReading
from services.api import ApiClient
from services.i18n import JAPAN_TZ
from services.info import hours as opening
from services.info.service import InfoService
from services.models import InfoDataset
from services.store import LocalStore
from services.sync import PullOutcome, info_syncs
from services.tourism.crowds import CrowdBasis, CrowdLevel, quieter_than
from services.tourism.filters import SpotFilter, always_open
from services.tourism.service import TourismService

AMAHARASHI = "162027-6"  # 雨晴海岸
GLASS = "162019-4"  # 富山市ガラス美術館
IKEDAYA = "162019-8"  # 池田屋安兵衛商店, round the corner from it
KANSUI = "162019-2"


@pytest.fixture
async def backend(server_settings: ServerSettings) -> AsyncIterator[FastAPI]:
    """The server with the bundled spots only (the other datasets are not needed here)."""
    app = create_app(server_settings)
    async with app.router.lifespan_context(app):
        with Session(app.state.engine) as session:
            for kind, path in bundle_files():
                if kind == "spots":
                    store(session=session, parsed=parse(kind, path))
            session.commit()
        yield app


@pytest.fixture
def local(tmp_path: Path) -> Iterator[LocalStore]:
    store = LocalStore(tmp_path / "client" / "store.db")
    yield store
    store.close()


def device(api: ApiClient, store: LocalStore) -> TourismService:
    return TourismService(InfoService(store, info_syncs(store), api), api, store)


def published(app: FastAPI) -> dict[str, dict[str, Any]]:
    """The spots the server holds: id -> body."""
    with Session(app.state.engine) as session:
        rows = session.exec(select(InfoRecordRow).where(
            InfoRecordRow.dataset == "spots", InfoRecordRow.withdrawn == False)).all()  # noqa: E712
        return {r.record_id: json.loads(r.body) for r in rows}


def sensor(app: FastAPI, spot_id: str, day: str, hour: int, occupancy: float) -> None:
    """A sensor reading as POST /v1/tourism/readings stores it (staff only: tested there)."""
    with Session(app.state.engine) as session:
        session.add(CrowdReading(spot_id=spot_id, day=day, hour=hour, occupancy=occupancy,
                                 recorded_by="contract-test", recorded_at=datetime.now(UTC)))
        session.commit()


async def test_spots_crowds_and_quieter_places_then_offline(backend: FastAPI,
                                                           local: LocalStore) -> None:
    transport = httpx.ASGITransport(app=backend)
    api = ApiClient("http://backend", transport=transport, get_retries=0)
    raw = httpx.AsyncClient(base_url="http://backend", transport=transport)  # what the wire says
    tourism = device(api, local)

    # --- the spots, synced and filtered ---------------------------------------------------
    results = await tourism.refresh()
    spots = published(backend)
    assert results[InfoDataset.spots].outcome == PullOutcome.updated
    assert results[InfoDataset.spots].changed == len(spots) > 50
    listed = await tourism.spots(limit=1_000)
    assert {f.item.id for f in listed} == set(spots)
    free = await tourism.spots(SpotFilter(free_entry=True), limit=1_000)
    assert {f.item.id for f in free} == {i for i, b in spots.items() if b["fee_yen"] == 0}
    english = await tourism.spots(SpotFilter(language="en"), limit=1_000)
    assert english and {f.item.id for f in english} == {
        i for i, b in spots.items() if "en" in b["support_languages"]}
    assert [f.item.id for f in await tourism.spots(SpotFilter(query="amaharashi"))][0] == (
        AMAHARASHI)
    museums = await tourism.spots(SpotFilter(category="美術館", municipality="162019"),
                                  near=(36.7013, 137.2133))
    assert museums and all(f.item.category == "美術館" for f in museums)
    assert [f.distance_m for f in museums] == sorted(f.distance_m or 0 for f in museums)
    monday_night = datetime(2026, 11, 30, 21, 0, tzinfo=JAPAN_TZ)
    open_late = await tourism.spots(SpotFilter(open_at=monday_night), limit=1_000)
    assert open_late and all(
        always_open(f.item) or opening.open_at(f.item.hours, (), monday_night)
        for f in open_late)
    assert {f.item.id for f in open_late} < set(spots)  # the museums are closed by then

    # --- crowd levels: today and another date ----------------------------------------------
    now = datetime.now(JAPAN_TZ)
    today, later = now.date(), now.date() + timedelta(days=40)
    before = datetime.now(UTC)
    day = await tourism.crowds(AMAHARASHI, today)
    assert day is not None and not day.offline and day.fetched_at >= before
    wire = (await raw.get(f"/v1/tourism/crowds/{AMAHARASHI}",
                          params={"date": today.isoformat()})).json()
    assert [(h.hour, h.level.value, h.index, h.measured) for h in day.hours] == [
        (h["hour"], h["level"], h["index"], h["measured"]) for h in wire["hours"]]
    assert day.basis == CrowdBasis(wire["basis"])
    hours_now = {now.hour, datetime.now(JAPAN_TZ).hour}  # an hour may turn meanwhile
    assert day.now is not None and day.now.hour in hours_now
    assert day.now.level.value == wire["now"]["level"]
    other = await tourism.crowds(AMAHARASHI, later)
    assert other is not None and other.date == later and other.now is None
    assert await tourism.crowds("999999-1", today) is None  # the server does not know it

    # a sensor reading that day: measured, and the basis says so
    sensor(backend, AMAHARASHI, later.isoformat(), 14, 0.9)
    sensed = await tourism.crowds(AMAHARASHI, later)
    assert sensed is not None and sensed.basis == CrowdBasis.sensor
    assert (sensed.at(14).level, sensed.at(14).index, sensed.at(14).measured) == (
        CrowdLevel.busy, 0.9, True)

    # --- quieter places nearby and quieter hours -------------------------------------------
    sensor(backend, GLASS, later.isoformat(), 14, 0.95)
    sensor(backend, IKEDAYA, later.isoformat(), 14, 0.1)
    quieter = await tourism.quieter(GLASS, later, 14)
    assert quieter is not None and (quieter.hour, quieter.level) == (14, CrowdLevel.busy)
    assert IKEDAYA in [a.spot_id for a in quieter.alternatives]
    assert quieter.radius_km is not None
    distances = [a.distance_km for a in quieter.alternatives]
    assert distances == sorted(distances) and all(d <= quieter.radius_km for d in distances)
    for alternative in quieter.alternatives:
        assert alternative.name == spots[alternative.spot_id]["name"]
        there = await tourism.crowds(alternative.spot_id, later)
        assert there is not None and there.at(14).level == alternative.level
        assert quieter_than(alternative.level, quieter.level)
    glass = await tourism.crowds(GLASS, later)
    assert glass is not None
    assert list(quieter.quieter_hours) == [h.hour for h in glass.hours
                                           if quieter_than(h.level, CrowdLevel.busy)]
    asked_now = await tourism.quieter(GLASS, today)
    assert asked_now is not None and asked_now.hour in hours_now | {datetime.now(JAPAN_TZ).hour}

    # --- the server is gone: the kept answers, marked offline ------------------------------
    await raw.aclose()
    await api.aclose()
    gone = ApiClient("http://127.0.0.1:9", get_retries=0)  # nothing listens there
    cut_off = device(gone, local)
    assert {r.outcome for r in (await cut_off.refresh()).values()} == {PullOutcome.offline}
    assert len(await cut_off.spots(limit=1_000)) == len(spots)
    kept = await cut_off.crowds(AMAHARASHI, today)
    assert kept is not None and kept.offline and kept.fetched_at == day.fetched_at
    assert kept.hours == day.hours and kept.basis == day.basis
    kept_sensed = await cut_off.crowds(AMAHARASHI, later)
    assert kept_sensed is not None and kept_sensed.offline and kept_sensed.at(14).measured
    kept_quieter = await cut_off.quieter(GLASS, later, 14)
    assert kept_quieter is not None and kept_quieter.offline
    assert kept_quieter.alternatives == quieter.alternatives
    assert await cut_off.quieter(GLASS, later, 9) is None  # never asked for 9:00
    assert await cut_off.crowds(KANSUI, today) is None  # never downloaded
    await gone.aclose()
