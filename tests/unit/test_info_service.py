"""InfoService (services/info/service.py) over a real LocalStore and the one sync path, against
a scripted backend speaking the info contract."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.i18n import JAPAN_TZ
from services.info import service as service_module
from services.info.models import Dataset, Hazard, MedicalFacility
from services.info.service import InfoService
from services.store import LocalStore
from services.sync import PullOutcome, info_syncs
from tests.unit.conftest import Clock
from tests.unit.info_fakes import InfoServer, client_for, clinic, record, shelter

TOYAMA_STATION = (36.7013, 137.2133)
# Real places (GSI shelter data): from Toyama Station, 市民プラザ is ~1.2 km, 清水 ~2.2 km,
# 市民球場 ~5.5 km and 氷見市役所 ~27.5 km away.
SHELTERS = [
    record("himi", 1, shelter("氷見市役所", hazards=["earthquake"]), lat=36.856022,
           lon=136.972717, municipality="162051"),
    record("shimizu", 2, shelter("清水保育所　洪水時２階以上", hazards=["flood"]), lat=36.685355,
           lon=137.227136),
    record("plaza", 3, shelter("富山市民プラザ　洪水時２階以上", kana="トヤマシミンプラザ",
                               hazards=["flood", "earthquake"]),
           lat=36.690502, lon=137.210909),
    record("stadium", 4, shelter("富山市民球場", hazards=["earthquake", "fire"]),
           lat=36.730608, lon=137.262086),
]
MEDICAL = [
    record("m-kids", 1, clinic("とやま駅前こどもクリニック", "トヤマエキマエコドモクリニック",
                               departments=["小児科", "アレルギー科"]),
           lat=36.7005, lon=137.2125),
    record("m-naika", 2, clinic("桜町内科医院", "サクラマチナイカイイン",
                                hours=[{"days": ["sun"], "open": "09:00", "close": "12:00"}]),
           lat=36.6975, lon=137.2180),
    record("m-takaoka", 3, clinic("高岡駅南歯科", "タカオカエキミナミシカ", kind="dental",
                                  departments=["歯科", "小児歯科"],
                                  address="富山県高岡市下関町1-1"),
           lat=36.7386, lon=137.0152, municipality="162027"),
    record("m-broken", 4, {"name_kana": "ナマエナシ", "type": "clinic"}),
]


def alert(rid: str, revision: int, *, kind: str = "warning", level: int | None = 3,
          issued: str = "2026-11-29T15:00:00+09:00", municipality: str | None = "162019",
          intensity: str | None = None) -> dict:
    return record(rid, revision, {
        "type": kind, "code": "03", "name": rid, "level": level, "status": "issued",
        "issued_at": issued, "headline": "", "area": "富山市", "intensity": intensity,
        "event_id": "e1"}, municipality=municipality)


@pytest.fixture
def store(tmp_path: Path):
    store = LocalStore(tmp_path / "store.db")
    yield store
    store.close()


@pytest.fixture
def server() -> InfoServer:
    return InfoServer({"shelters": SHELTERS, "medical": MEDICAL, "alerts": [
        alert("heavy-rain", 1, level=3),
        alert("evacuate", 2, kind="evacuation", level=4),
        alert("takaoka-flood", 3, level=4, municipality="162027"),
        alert("eq-today", 4, kind="earthquake", level=None, intensity="5+",
              issued="2026-11-29T17:00:00+09:00", municipality=None),
        alert("eq-old", 5, kind="earthquake", level=None, intensity="6-",
              issued="2026-11-27T10:00:00+09:00", municipality=None),
        alert("advisory", 6, level=2),
    ]})


@pytest.fixture
async def info(store: LocalStore, server: InfoServer, clock: Clock) -> InfoService:
    service = InfoService(store, info_syncs(store, clock=clock), client_for(server), clock)
    results = await service.refresh()
    assert set(results) == set(Dataset)
    assert results[Dataset.shelters].outcome == PullOutcome.updated
    assert results[Dataset.aeds].outcome == PullOutcome.unchanged
    return service


async def test_shelters_nearest_first_with_real_coordinates(info: InfoService) -> None:
    found = await info.shelters(near=TOYAMA_STATION)
    assert [f.item.id for f in found] == ["plaza", "shimizu", "stadium", "himi"]
    metres = [f.distance_m for f in found]
    assert metres[0] is not None and 1_000 < metres[0] < 1_400
    assert metres[3] is not None and 26_000 < metres[3] < 29_000
    flood = await info.shelters(Hazard.flood, near=TOYAMA_STATION)
    assert [f.item.id for f in flood] == ["plaza", "shimizu"]
    assert [f.item.id for f in await info.shelters(near=TOYAMA_STATION, limit=2)] == [
        "plaza", "shimizu"]


async def test_a_town_without_a_location_measures_from_the_town_hall(info: InfoService) -> None:
    found = await info.shelters(town="162019")
    assert [f.item.id for f in found] == ["plaza", "shimizu", "stadium"]  # 氷見 is not in 富山市
    assert all(f.distance_m is not None for f in found)
    no_place = await info.shelters()
    assert all(f.distance_m is None for f in no_place) and len(no_place) == 4


async def test_medical_by_department_open_now_and_search(
        info: InfoService, caplog: pytest.LogCaptureFixture) -> None:
    kids = await info.medical(department="小児科", near=TOYAMA_STATION)
    assert [f.item.id for f in kids] == ["m-kids"]
    sunday_morning = datetime(2026, 11, 29, 10, 0, tzinfo=JAPAN_TZ)
    assert [f.item.id for f in await info.medical(open_at=sunday_morning)] == ["m-naika"]
    monday_morning = datetime(2026, 11, 30, 10, 0, tzinfo=JAPAN_TZ)
    assert {f.item.id for f in await info.medical(open_at=monday_morning)} == {
        "m-kids", "m-takaoka"}
    for query in ("takaoka", "たかおか", "タカオカ", "ＴＡＫＡＯＫＡ", "高岡", "takoka"):
        assert [f.item.id for f in await info.medical(query)] == ["m-takaoka"], query
    assert await info.medical("sapporo") == []
    # A department typed in the search finds the clinics offering it, in any script.
    for query in ("小児科", "しょうにか"):
        assert [f.item.id for f in await info.medical(query)] == ["m-kids"], query
    # "pediatrics" finds the paediatrician and the paediatric dentist (小児歯科).
    assert {f.item.id for f in await info.medical("pediatrics")} == {"m-kids", "m-takaoka"}
    # without a location: by name reading (さくら < たかおか < とやま)
    assert [f.item.id for f in await info.medical()] == ["m-naika", "m-takaoka", "m-kids"]


async def test_a_body_that_does_not_parse_is_skipped_with_one_log_line(
        store: LocalStore, server: InfoServer, clock: Clock,
        caplog: pytest.LogCaptureFixture) -> None:
    service = InfoService(store, info_syncs(store, clock=clock), client_for(server), clock)
    await service.refresh(Dataset.medical)
    with caplog.at_level(logging.WARNING):
        assert len(await service.medical()) == 3
        assert len(await service.medical("kodomo")) == 1
    lines = [r.getMessage() for r in caplog.records if "m-broken" in r.getMessage()]
    assert len(lines) == 1
    assert await service.record(Dataset.medical, "m-broken") is None
    kids = await service.record(Dataset.medical, "m-kids")
    assert isinstance(kids, MedicalFacility) and kids.departments == ("小児科", "アレルギー科")


async def test_alerts_in_force_highest_level_first(info: InfoService, clock: Clock) -> None:
    clock.now = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)  # 18:00 in Toyama
    found = await info.alerts("162019")
    assert [a.id for a in found] == ["evacuate", "heavy-rain", "advisory", "eq-today"]
    assert [a.id for a in await info.alerts("162027")] == ["takaoka-flood", "eq-today"]
    later = clock.now + timedelta(hours=24)
    assert "eq-today" not in [a.id for a in await info.alerts("162019", now=later)]


async def test_each_dataset_is_parsed_once_per_snapshot(
        info: InfoService, server: InfoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = service_module.parse_record

    def counting(stored):  # type: ignore[no-untyped-def]
        calls.append(stored.id)
        return real(stored)

    monkeypatch.setattr(service_module, "parse_record", counting)
    await info.shelters()
    await info.shelters(near=TOYAMA_STATION)
    await info.shelters(query="toyama")
    assert len(calls) == 4
    await info.refresh(Dataset.shelters)  # nothing new: one request, nothing re-parsed
    await info.shelters()
    assert len(calls) == 4
    server.records["shelters"] = [*SHELTERS[1:], record("himi", 9, {}, withdrawn=True)]
    await info.refresh(Dataset.shelters)
    assert [f.item.id for f in await info.shelters(near=TOYAMA_STATION)] == [
        "plaza", "shimizu", "stadium"]
    assert len(calls) == 7


async def test_status_and_offline(info: InfoService, server: InfoServer, clock: Clock) -> None:
    status = await info.status(Dataset.shelters)
    assert status.last_updated == clock.now and not status.offline
    server.down = True
    results = await info.refresh(Dataset.shelters)
    assert results[Dataset.shelters].outcome == PullOutcome.offline
    assert (await info.status(Dataset.shelters)).offline
    assert len(await info.shelters()) == 4  # still answered from the store
