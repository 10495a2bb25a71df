"""TourismService over a real LocalStore, InfoService and the one sync path, against a scripted
backend speaking the info contract: spots and guides synced, parsed once per snapshot."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from services.i18n import JAPAN_TZ
from services.info.service import InfoService
from services.models import InfoDataset
from services.store import LocalStore, StoredInfo
from services.sync import PullOutcome, info_syncs
from services.tourism import service as service_module
from services.tourism.filters import SpotFilter
from services.tourism.models import Spot
from services.tourism.service import TourismService
from tests.unit.conftest import Clock
from tests.unit.info_fakes import InfoServer, client_for, record

TOYAMA_STATION = (36.7013, 137.2133)
EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "hol"]


def body(name: str, kana: str, **more: object) -> dict[str, object]:
    return {"name": name, "name_kana": kana, "address": "富山県富山市", "hours": [],
            "hours_note": "", "fee_yen": None, "support_languages": [], "category": "公園",
            **more}


SPOTS = [
    record("162019-1", 1, body("富山城（富山市郷土博物館）", "トヤマジョウ",
                               name_en="Toyama Castle", category="歴史", fee_yen=210,
                               hours=[{"days": EVERY_DAY, "open": "09:00", "close": "17:00"}]),
           lat=36.6930, lon=137.2104),
    record("162019-2", 2, body("富岩運河環水公園", "フガンウンガカンスイコウエン", fee_yen=0,
                               hours_note="見学自由（屋外）", wheelchair="yes"),
           lat=36.7085, lon=137.2135),
    record("162027-6", 3, body("雨晴海岸", "アマハラシカイガン", address="富山県高岡市太田",
                               fee_yen=0, hours_note="見学自由", category="景観"),
           lat=36.8128, lon=137.0534, municipality="162027"),
    record("162019-99", 4, {"name_kana": "ナマエナシ"}),  # no name: skipped
]
GUIDES = [record("toyama-tram-day", 1, {"title": {"en": "A day by tram"}}),
          record("broken", 2, {"title": {}})]


@pytest.fixture
def store(tmp_path: Path):
    store = LocalStore(tmp_path / "store.db")
    yield store
    store.close()


@pytest.fixture
def server() -> InfoServer:
    return InfoServer({"spots": list(SPOTS), "guides": list(GUIDES)})


@pytest.fixture
async def tourism(store: LocalStore, server: InfoServer, clock: Clock) -> TourismService:
    api = client_for(server)
    info = InfoService(store, info_syncs(store, clock=clock), api, clock)
    service = TourismService(info, api, store, clock)
    results = await service.refresh()
    assert {d: r.outcome for d, r in results.items()} == {
        InfoDataset.spots: PullOutcome.updated, InfoDataset.guides: PullOutcome.updated}
    assert {r.url.path for r in server.requests} == {"/v1/info/spots", "/v1/info/guides"}
    return service


async def test_spots_are_synced_filtered_and_ordered(tourism: TourismService) -> None:
    everything = await tourism.spots()
    assert [f.item.id for f in everything] == ["162027-6", "162019-1", "162019-2"]  # by reading
    near = await tourism.spots(SpotFilter(free_entry=True), near=TOYAMA_STATION)
    assert [f.item.id for f in near] == ["162019-2", "162027-6"]
    assert near[0].distance_m is not None and near[0].distance_m < 1_000
    sunday_night = datetime(2026, 11, 29, 21, 0, tzinfo=JAPAN_TZ)
    assert [f.item.id for f in await tourism.spots(SpotFilter(open_at=sunday_night))] == [
        "162027-6", "162019-2"]
    assert [f.item.id for f in await tourism.spots(SpotFilter(query="amaharashi"))] == [
        "162027-6"]
    assert [f.item.id for f in await tourism.spots(SpotFilter(query="castle"))] == ["162019-1"]
    assert len(await tourism.spots(limit=1)) == 1
    castle = await tourism.spot("162019-1")
    assert castle is not None and castle.name_en == "Toyama Castle"
    assert await tourism.spot("162019-99") is None
    assert await tourism.categories() == ["公園", "景観", "歴史"]


async def test_spots_are_parsed_once_per_snapshot(
        tourism: TourismService, server: InfoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = service_module.parse_spot

    def counting(stored: StoredInfo) -> Spot | None:
        parsed.append(stored.id)
        return real(stored)

    monkeypatch.setattr(service_module, "parse_spot", counting)
    await tourism.spots()
    await tourism.spot("162019-1")
    await tourism.categories()
    assert len(parsed) == 4  # once, every record
    await tourism.refresh()  # nothing new: the snapshot stays
    await tourism.spots()
    assert len(parsed) == 4
    server.records["spots"].append(record("162019-2", 5, {}, withdrawn=True))
    museum = body("富山県美術館", "トヤマケンビジュツカン")
    server.records["spots"].append(record("162019-3", 6, museum))
    await tourism.refresh()
    assert [f.item.id for f in await tourism.spots()] == ["162027-6", "162019-3", "162019-1"]
    assert len(parsed) == 4 + 4  # parsed again, once


@dataclass(frozen=True)
class FakeGuide:
    id: str


def fake_guides_module(calls: list[str]) -> types.ModuleType:
    """What services/tourism/guides.py offers the service (written in another branch)."""
    module = types.ModuleType("services.tourism.guides")

    def parse_guide(stored: StoredInfo) -> FakeGuide | None:
        calls.append(stored.id)
        return FakeGuide(stored.id) if stored.body.get("title") else None

    module.parse_guide = parse_guide  # type: ignore[attr-defined]
    return module


async def test_guides_are_parsed_by_the_guides_module_once_per_snapshot(
        tourism: TourismService, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setitem(sys.modules, "services.tourism.guides", fake_guides_module(calls))
    assert await tourism.guides() == [FakeGuide("toyama-tram-day")]
    assert await tourism.guide("toyama-tram-day") == FakeGuide("toyama-tram-day")
    assert await tourism.guide("broken") is None
    assert calls == ["broken", "toyama-tram-day"]  # by id, once


async def test_without_the_guides_module_there_are_no_guides(
        tourism: TourismService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "services.tourism.guides", None)
    assert await tourism.guides() == []
    assert await tourism.guide("toyama-tram-day") is None


async def test_offline_the_synced_spots_still_answer(
        tourism: TourismService, server: InfoServer) -> None:
    server.down = True
    results = await tourism.refresh()
    assert {r.outcome for r in results.values()} == {PullOutcome.offline}
    assert len(await tourism.spots()) == 3
