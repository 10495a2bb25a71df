"""The medical, childcare, disaster and info controllers with a fake InfoService (one layer
under test), the real AppState, and the real plan and preferences repositories over a dict."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from app.controllers.childcare import (
    IN_THE_FUTURE,
    NOT_A_DATE,
    ChildcareController,
    parse_birth_date,
)
from app.controllers.disaster import CONTACT_ADDED, DisasterController
from app.controllers.info import LOCATION_DENIED, InfoController
from app.controllers.medical import BAD_TIME, MedicalController, parse_time
from app.controllers.settings import SettingsController
from app.controllers.trips import LocationUnavailable
from app.state import AppState, OpenWhen
from forms.problems import ProblemCode
from services.i18n import JAPAN_TZ
from services.info.models import Hazard
from services.info.plan import Contact, EvacuationPlanRepository
from services.info.schedules import timetable
from services.info.service import DatasetStatus, Found
from services.models import InfoDataset
from services.preferences import PreferencesRepository
from services.sync import PullOutcome, PullResult
from tests.unit.conftest import DictStorage

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=JAPAN_TZ)
TOYAMA, TAKAOKA = "162019", "162027"
HERE = (36.70, 137.21)


class FakeInfo:
    """What the controllers use of InfoService: records every question; answers are made from
    the question, so a test sees which question an answer belongs to."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.gates: list[asyncio.Event] | None = None  # medical: one per call, in order
        self.statuses: dict[InfoDataset, DatasetStatus] = {}
        self.store: dict[tuple[InfoDataset, str], object] = {}
        self.upstream: dict[tuple[InfoDataset, str], object] = {}  # arrives with a refresh

    def asked(self, name: str) -> list[dict[str, Any]]:
        return [kwargs for called, kwargs in self.calls if called == name]

    async def medical(self, **kwargs: Any) -> list[Found[Any]]:
        self.calls.append(("medical", kwargs))
        if self.gates is not None:
            await self.gates[len(self.asked("medical")) - 1].wait()
        return [Found(f"clinic {kwargs['query']} {n}", float(n)) for n in range(3)]

    async def childcare(self, **kwargs: Any) -> list[Found[Any]]:
        self.calls.append(("childcare", kwargs))
        return []

    async def shelters(self, **kwargs: Any) -> list[Found[Any]]:
        self.calls.append(("shelters", kwargs))
        return [Found(f"shelter for {kwargs['hazard']}", 10.0)]

    async def alerts(self, municipality: str | None, now: datetime) -> list[Any]:
        self.calls.append(("alerts", {"municipality": municipality, "now": now}))
        return [f"warning in {municipality}"]

    async def status(self, dataset: InfoDataset) -> DatasetStatus:
        return self.statuses[dataset]

    async def refresh(self, dataset: InfoDataset | None = None) -> dict[Any, PullResult]:
        self.calls.append(("refresh", {"dataset": dataset}))
        self.store.update(self.upstream)
        return {dataset: PullResult(PullOutcome.updated, changed=len(self.upstream))}

    async def record(self, dataset: InfoDataset, record_id: str) -> object | None:
        self.calls.append(("record", {"dataset": dataset, "id": record_id}))
        return self.store.get((dataset, record_id))


def in_town(code: str | None, state: AppState | None = None) -> AppState:
    state = state or AppState()
    state.set_preferences(state.preferences.with_town(code))
    return state


# --- medical ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("21:30", time(21, 30)), ("2130", time(21, 30)), ("9", time(9)), ("９時", time(9)),
    ("21時30分", time(21, 30)), ("０９：０５", time(9, 5)),
])
def test_a_time_reads_in_the_ways_residents_write_it(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "12:60", "abc", "", "21:3"])
def test_what_is_not_a_time_is_refused(text: str) -> None:
    assert parse_time(text) is None


def medical(info: FakeInfo | None = None, state: AppState | None = None) -> tuple[
        MedicalController, AppState, FakeInfo]:
    info = info or FakeInfo()
    state = state or in_town(TOYAMA)
    return MedicalController(state, info, now=lambda: NOW), state, info  # type: ignore[arg-type]


async def test_the_medical_search_asks_with_every_option_and_the_town() -> None:
    made, state, info = medical()
    state.medical.day_text, state.medical.time_text = "2026-12-01", "21時30分"
    await made.set_department("小児科")
    await made.set_when(OpenWhen.at)
    await made.search("こども")
    assert info.asked("medical")[-1] == {
        "query": "こども", "department": "小児科",
        "open_at": datetime(2026, 12, 1, 21, 30, tzinfo=JAPAN_TZ), "near": None,
        "town": TOYAMA, "limit": 10_000}
    assert state.medical.results[0].item == "clinic こども 0" and state.medical.total == 3


async def test_a_device_position_searches_across_town_borders() -> None:
    made, state, info = medical()
    state.where.here = HERE
    await made.search("内科")
    asked = info.asked("medical")[-1]
    assert asked["near"] == HERE and asked["town"] is None


async def test_open_now_asks_for_the_present_moment() -> None:
    made, state, info = medical()
    await made.set_when(OpenWhen.now)
    assert info.asked("medical")[-1]["open_at"] == NOW and state.medical.asked_at == NOW


async def test_a_time_that_does_not_read_empties_the_list_without_asking() -> None:
    made, state, info = medical()
    await made.search("内科")
    assert state.medical.results
    state.medical.day_text, state.medical.time_text = "2026-12-01", "25:00"
    await made.set_when(OpenWhen.at)
    assert state.medical.problem == BAD_TIME
    assert state.medical.results == [] and state.medical.total == 0 and state.medical.loaded
    assert len(info.asked("medical")) == 1  # only the search before the bad time


async def test_a_slow_answer_to_an_older_question_is_dropped() -> None:
    info = FakeInfo()
    info.gates = [asyncio.Event(), asyncio.Event()]
    made, state, _ = medical(info)
    older = asyncio.create_task(made.search("こ"))
    await asyncio.sleep(0)
    newer = asyncio.create_task(made.search("こども"))
    await asyncio.sleep(0)
    info.gates[1].set()
    await newer
    info.gates[0].set()
    await older  # arrives last and must not win
    assert [kwargs["query"] for kwargs in info.asked("medical")] == ["こ", "こども"]
    assert state.medical.query == "こども"
    assert [found.item for found in state.medical.results] == [
        "clinic こども 0", "clinic こども 1", "clinic こども 2"]


# --- childcare -------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("2025-04-01", date(2025, 4, 1)), ("2025/4/1", date(2025, 4, 1)),
    ("2025年4月1日", date(2025, 4, 1)), ("20250401", date(2025, 4, 1)),
    ("令和7年4月1日", date(2025, 4, 1)), ("R7.4.1", date(2025, 4, 1)),
    ("r7.4.1", date(2025, 4, 1)), ("令和元年5月1日", date(2019, 5, 1)),
    ("平成31年4月30日", date(2019, 4, 30)), ("２０２５年４月１日", date(2025, 4, 1)),
])
def test_a_birth_date_reads_in_western_and_japanese_years(text: str, expected: date) -> None:
    assert parse_birth_date(text) == expected


@pytest.mark.parametrize("text", ["2025-02-30", "tomorrow", "令和7年13月1日", "2025-04"])
def test_what_is_not_a_birth_date_is_refused(text: str) -> None:
    assert parse_birth_date(text) is None


def childcare() -> tuple[ChildcareController, AppState]:
    state = AppState()
    return ChildcareController(state, FakeInfo(), lambda: NOW), state  # type: ignore[arg-type]


def test_a_half_typed_date_is_not_called_wrong_until_the_field_is_left() -> None:
    made, state = childcare()
    made.set_birth_text("2025-0")
    assert state.checkups.problem is None and state.checkups.items == []
    made.set_birth_text("2025-0", finished=True)
    assert state.checkups.problem == NOT_A_DATE and state.checkups.birth is None


def test_a_birth_date_in_the_future_asks_to_check_the_year() -> None:
    made, state = childcare()
    made.set_birth_text("2027-01-10")
    assert state.checkups.problem == IN_THE_FUTURE
    assert state.checkups.birth is None and state.checkups.items == []


def test_a_birth_date_shows_the_check_up_and_vaccination_schedule() -> None:
    made, state = childcare()
    made.set_birth_text("令和7年4月1日")
    assert state.checkups.problem is None and state.checkups.birth == date(2025, 4, 1)
    assert state.checkups.items and state.checkups.items == timetable(date(2025, 4, 1))
    made.set_birth_text("")
    assert state.checkups.items == [] and state.checkups.problem is None


# --- disaster --------------------------------------------------------------------------------
def disaster(state: AppState | None = None) -> tuple[
        DisasterController, AppState, FakeInfo, DictStorage]:
    state, info, storage = state or AppState(), FakeInfo(), DictStorage()
    plans = EvacuationPlanRepository(storage)
    made = DisasterController(state, info, plans, lambda: NOW)  # type: ignore[arg-type]
    return made, state, info, storage


async def test_warnings_are_asked_for_the_town_shown() -> None:
    made, state, info, _ = disaster(in_town(TAKAOKA))
    await made.load_alerts()
    assert info.asked("alerts") == [{"municipality": TAKAOKA, "now": NOW}]
    assert state.disaster.alerts == [f"warning in {TAKAOKA}"]


async def test_without_a_town_no_warnings_are_shown() -> None:
    made, state, info, _ = disaster()
    state.disaster.alerts = ["an old warning"]  # type: ignore[list-item]
    await made.load_alerts()
    assert info.asked("alerts") == [] and state.disaster.alerts == []


async def test_a_wrong_phone_is_refused_and_a_good_contact_clears_the_problem() -> None:
    made, state, _, storage = disaster()
    await made.add_contact("母", "12-34")
    problem = state.disaster.plan_problem
    assert problem is not None and problem.code == ProblemCode.not_a_phone
    assert state.disaster.notice is None
    await made.add_contact("母", "０９０-１２３４-５６７８")
    assert state.disaster.plan_problem is None and state.disaster.notice == CONTACT_ADDED
    assert state.disaster.plan is not None
    assert state.disaster.plan.contacts == (Contact("母", "090-1234-5678"),)
    assert (await EvacuationPlanRepository(storage).load()).contacts == (
        Contact("母", "090-1234-5678"),)  # kept on the device


async def test_choosing_a_hazard_lists_the_shelters_for_it() -> None:
    made, state, info, _ = disaster(in_town(TOYAMA))
    await made.set_hazard(Hazard.tsunami)
    assert state.disaster.hazard == Hazard.tsunami
    assert info.asked("shelters")[-1]["hazard"] == Hazard.tsunami
    assert info.asked("shelters")[-1]["town"] == TOYAMA
    assert [f.item for f in state.disaster.shelters] == [f"shelter for {Hazard.tsunami}"]
    assert state.disaster.loaded


# --- info: town, location, freshness, one record ------------------------------------------------
class DeniedLocation:
    async def current(self) -> tuple[float, float]:
        raise LocationUnavailable(denied=True)


async def nothing() -> None:
    return None


def info_controller(state: AppState | None = None) -> tuple[
        InfoController, AppState, FakeInfo, DictStorage]:
    state, info, storage = state or AppState(), FakeInfo(), DictStorage()
    settings = SettingsController(state, PreferencesRepository(storage), nothing)
    made = InfoController(state, info, settings, DeniedLocation())  # type: ignore[arg-type]
    return made, state, info, storage


async def test_choosing_a_town_saves_it_and_asks_every_screen_again() -> None:
    made, state, _, storage = info_controller(in_town(TOYAMA))
    state.where.here = HERE
    reloaded: list[tuple[str, str | None]] = []

    async def medical_again() -> None:
        reloaded.append(("medical", state.search_town))

    async def shelters_again() -> None:
        reloaded.append(("shelters", state.search_town))

    made.on_data(medical_again)
    made.on_data(shelters_again)
    await made.choose_town(TAKAOKA)
    assert state.town == TAKAOKA and state.where.here is None
    assert (await PreferencesRepository(storage).load()).town == TAKAOKA
    assert reloaded == [("medical", TAKAOKA), ("shelters", TAKAOKA)]


async def test_a_refused_location_says_so_and_keeps_the_town() -> None:
    made, state, _, _ = info_controller(in_town(TOYAMA))
    await made.locate()
    assert state.where.problem == LOCATION_DENIED
    assert state.where.here is None and not state.where.locating
    assert state.town == TOYAMA and state.search_town == TOYAMA


@pytest.mark.parametrize("offline", [None, InfoDataset.aeds])
async def test_freshness_is_the_oldest_dataset_and_offline_if_any_is(
        offline: InfoDataset | None) -> None:
    made, state, info, _ = info_controller()
    stamps = {d: datetime(2026, 11, 20 + n, tzinfo=UTC) for n, d in enumerate(InfoDataset)}
    stamps[InfoDataset.shelters] = oldest = datetime(2026, 11, 2, tzinfo=UTC)
    info.statuses = {d: DatasetStatus(stamps[d], d == offline) for d in InfoDataset}
    await made.read_status()
    assert state.info_status.last_updated == oldest
    assert state.info_status.offline is (offline is not None)


async def test_a_record_missing_from_the_store_is_fetched_once_more_after_a_sync() -> None:
    made, state, info, _ = info_controller()
    info.upstream[(InfoDataset.shelters, "s-42")] = "the new shelter"
    await made.open(InfoDataset.shelters, "s-42")
    assert [name for name, _ in info.calls] == ["record", "refresh", "record"]
    assert info.asked("refresh") == [{"dataset": InfoDataset.shelters}]
    assert state.place.record == "the new shelter" and state.place.loaded


async def test_a_record_in_the_store_opens_without_a_sync() -> None:
    made, state, info, _ = info_controller()
    info.store[(InfoDataset.aeds, "a-1")] = "an AED"
    await made.open(InfoDataset.aeds, "a-1")
    assert info.asked("refresh") == [] and state.place.record == "an AED"


async def test_opening_another_record_while_one_loads_shows_the_newest() -> None:
    made, state, info, _ = info_controller()
    info.upstream[(InfoDataset.shelters, "s-1")] = "the first shelter"
    info.store[(InfoDataset.aeds, "a-2")] = "an AED"
    gate = asyncio.Event()
    original = info.refresh

    async def slow_refresh(dataset: InfoDataset | None = None) -> dict[Any, PullResult]:
        await gate.wait()
        return await original(dataset)

    info.refresh = slow_refresh  # type: ignore[method-assign]
    first = asyncio.create_task(made.open(InfoDataset.shelters, "s-1"))
    await asyncio.sleep(0)
    await made.open(InfoDataset.aeds, "a-2")  # not refused while the first still loads
    gate.set()
    await first  # arrives last: must not replace what is on screen
    assert (state.place.dataset, state.place.id, state.place.record) == (
        InfoDataset.aeds, "a-2", "an AED")


async def test_a_late_answer_for_an_earlier_hazard_is_dropped() -> None:
    made, state, info, _ = disaster(in_town(TOYAMA))
    gates = {Hazard.flood: asyncio.Event(), Hazard.tsunami: asyncio.Event()}
    answer = info.shelters

    async def slow(**kwargs: Any) -> list[Found[Any]]:
        await gates[kwargs["hazard"]].wait()
        return await answer(**kwargs)

    info.shelters = slow  # type: ignore[method-assign]
    flood = asyncio.create_task(made.set_hazard(Hazard.flood))
    await asyncio.sleep(0)
    tsunami = asyncio.create_task(made.set_hazard(Hazard.tsunami))
    await asyncio.sleep(0)
    gates[Hazard.tsunami].set()
    await tsunami
    gates[Hazard.flood].set()
    await flood
    assert state.disaster.hazard == Hazard.tsunami
    assert [f.item for f in state.disaster.shelters] == [f"shelter for {Hazard.tsunami}"]
