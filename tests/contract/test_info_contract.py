"""The real client (ApiClient + one FeedSync per dataset + LocalStore + InfoService) against the
real server app seeded with the bundled data, in process, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session

from server.core.config import ServerSettings
from server.ingest.bundle import alert_files
from server.ingest.files import parse, store
from server.main import create_app
from services.api import ApiClient
from services.i18n import JAPAN_TZ
from services.info.models import DayCode, Hazard
from services.info.service import InfoService
from services.models import InfoDataset
from services.store import LocalStore
from services.sync import PullOutcome, info_syncs

SUNDAY_MORNING = datetime(2026, 12, 6, 10, 30, tzinfo=JAPAN_TZ)  # a duty day in the rota
TOYAMA = "162019"


@pytest.fixture
async def seeded(server_settings: ServerSettings, world) -> FastAPI:
    app = create_app(server_settings.model_copy(update={"seed_info": True}))
    async with app.router.lifespan_context(app):
        yield app


class Device:
    def __init__(self, app: FastAPI, store: LocalStore) -> None:
        self.requests: list[httpx.Request] = []

        async def record(request: httpx.Request) -> None:
            self.requests.append(request)

        self.api = ApiClient("http://backend", transport=httpx.ASGITransport(app=app),
                             get_retries=0)
        self.api._client.event_hooks["request"].append(record)
        self.info = InfoService(store, info_syncs(store), self.api)


@pytest.fixture
def local(tmp_path) -> LocalStore:
    store = LocalStore(tmp_path / "client" / "store.db")
    yield store
    store.close()


def ingest(app: FastAPI, path) -> None:
    with Session(app.state.engine) as session:
        store(session=session, parsed=parse("jma" if "evacuation" not in path.name
                                            else "evacuation", path))
        session.commit()


async def test_one_sync_brings_every_dataset_and_a_second_is_one_request_each(
        seeded, local) -> None:
    device = Device(seeded, local)
    results = await device.info.refresh()
    assert {d: r.outcome for d, r in results.items()} == {
        d: PullOutcome.unchanged if d == InfoDataset.alerts else PullOutcome.updated
        for d in InfoDataset}
    assert results[InfoDataset.shelters].changed == 2444  # the real GSI sites and shelters
    assert results[InfoDataset.medical].changed >= 150
    assert results[InfoDataset.childcare].changed >= 80
    assert results[InfoDataset.aeds].changed >= 60
    await device.info.refresh()  # the final pages' ETags are kept from here
    device.requests.clear()
    again = await device.info.refresh()
    assert all(r.outcome == PullOutcome.unchanged for r in again.values())
    assert len(device.requests) == len(InfoDataset)  # one 304 per dataset


async def test_a_paediatrician_open_on_sunday_is_found_nearest_first(seeded, local) -> None:
    device = Device(seeded, local)
    await device.info.refresh()
    found = await device.info.medical(department="小児科", open_at=SUNDAY_MORNING,
                                      town=TOYAMA)
    assert found, "the duty rota has a paediatric clinic on every Sunday in Toyama City"
    distances = [f.distance_m for f in found]
    assert distances == sorted(distances)
    for facility, _ in found:
        sunday = any(DayCode.sun in slot.days for slot in facility.hours)
        on_duty = any(day.date == SUNDAY_MORNING.date() for day in facility.duty)
        assert sunday or on_duty


async def test_shelters_for_a_hazard_are_the_real_ones_with_capacity_unpublished(
        seeded, local) -> None:
    device = Device(seeded, local)
    await device.info.refresh()
    found = await device.info.shelters(hazard=Hazard.flood, town=TOYAMA, limit=5)
    assert len(found) == 5
    assert all(Hazard.flood in f.item.hazards and f.item.capacity is None for f in found)
    assert [f.distance_m for f in found] == sorted(f.distance_m for f in found)


async def test_replayed_alerts_reach_the_town_and_lifting_withdraws_them(seeded, local) -> None:
    device = Device(seeded, local)
    files = alert_files()
    for path in files[:4]:  # warnings, an update, 土砂災害警戒情報, an evacuation order
        ingest(seeded, path)
    await device.info.refresh()
    in_force = await device.info.alerts(TOYAMA, datetime(2026, 7, 12, 11, 30,
                                                          tzinfo=JAPAN_TZ))
    assert in_force and in_force[0].level == 4  # the evacuation order comes first
    levels = [a.level or 0 for a in in_force]
    assert levels == sorted(levels, reverse=True)
    for path in files[4:7]:  # everything of that day lifted
        ingest(seeded, path)
    await device.info.refresh()
    assert await device.info.alerts(TOYAMA, datetime(2026, 7, 12, 19, 0,
                                                      tzinfo=JAPAN_TZ)) == []


async def test_everything_reads_from_the_device_after_the_server_is_gone(
        seeded, local, tmp_path) -> None:
    device = Device(seeded, local)
    await device.info.refresh()
    offline = ApiClient("http://127.0.0.1:9", get_retries=0)  # nothing listens there
    cut_off = InfoService(local, info_syncs(local), offline)
    results = await cut_off.refresh()
    assert all(r.outcome == PullOutcome.offline for r in results.values())
    assert (await cut_off.status(InfoDataset.medical)).offline
    assert await cut_off.medical(query="とやま", town=TOYAMA)
    assert await cut_off.aeds(town=TOYAMA)
    await offline.aclose()
