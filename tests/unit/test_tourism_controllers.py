"""The tourism, relocation and search controllers with fake services (one layer under test),
the real AppState, and the real relocation plan repository over a dict: newest answers win,
nothing of one spot shows on another's screen, odd budget input is explained, taps in a row
all count."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any

import pytest

from app.controllers.relocation import (
    ADULT_AGE,
    BAD_AGES,
    BAD_YEN,
    TOO_MANY_CHILDREN,
    RelocationController,
    parse_ages,
    parse_yen,
)
from app.controllers.tourism import TourismController
from app.state import AppState
from services.i18n import JAPAN_TZ
from services.relocation.plan import RelocationPlanRepository
from services.search.service import printable
from services.tourism.crowds import CrowdBasis, CrowdLevel, DayCrowds, HourCrowd, Quieter
from tests.unit.conftest import DictStorage

NOW = datetime(2026, 12, 6, 10, 30, tzinfo=JAPAN_TZ)


def crowds(spot_id: str, day: date, level: CrowdLevel) -> DayCrowds:
    hour = HourCrowd(10, level, 0.5, False)
    return DayCrowds(spot_id, day, CrowdBasis.survey_estimate, (hour,), hour, NOW)


class SlowTourism:
    """Answers when told to: each question waits on its own event."""

    def __init__(self) -> None:
        self.gates: dict[tuple[Any, ...], asyncio.Event] = {}

    async def _wait(self, *key: Any) -> None:
        await self.gates.setdefault(key, asyncio.Event()).wait()

    def release(self, *key: Any) -> None:
        self.gates.setdefault(key, asyncio.Event()).set()

    async def spot(self, spot_id: str) -> Any:
        return type("S", (), {"id": spot_id})()

    async def crowds(self, spot_id: str, day: date) -> DayCrowds:
        await self._wait("crowds", spot_id, day)
        return crowds(spot_id, day, CrowdLevel.busy if spot_id == "A" else CrowdLevel.quiet)

    async def quieter(self, spot_id: str, day: date, hour: int | None) -> Quieter:
        await self._wait("quieter", spot_id, day, hour)
        return Quieter(spot_id, day, hour or 14, CrowdLevel.busy, (), (), NOW)


async def test_an_answer_about_the_spot_left_never_shows_on_the_next() -> None:
    state, service = AppState(), SlowTourism()
    controller = TourismController(state, service, lambda: NOW)  # type: ignore[arg-type]
    service.release("crowds", "A", NOW.date())
    service.release("quieter", "A", NOW.date(), 10)
    await controller.open_spot("A")
    hour_asked = asyncio.create_task(controller.set_hour(16))  # A's answer is slow...
    await asyncio.sleep(0)
    service.release("crowds", "B", NOW.date())
    service.release("quieter", "B", NOW.date(), 10)
    await controller.open_spot("B")  # ...and the visitor has moved on to B
    service.release("quieter", "A", NOW.date(), 16)
    await hour_asked
    view = state.tourism
    assert view.spot_id == "B" and view.crowds is not None and view.crowds.spot_id == "B"
    assert view.quieter is not None and view.quieter.spot_id == "B"


async def test_a_later_day_wins_over_an_earlier_slow_one() -> None:
    state, service = AppState(), SlowTourism()
    controller = TourismController(state, service, lambda: NOW)  # type: ignore[arg-type]
    today = NOW.date()
    service.release("crowds", "A", today)
    service.release("quieter", "A", today, 10)
    await controller.open_spot("A")
    seventh, eighth = date(2026, 12, 7), date(2026, 12, 8)
    slow = asyncio.create_task(controller.set_day(seventh))
    await asyncio.sleep(0)
    assert state.tourism.crowds is None  # the old day's levels are not left under the new day
    service.release("crowds", "A", eighth)
    service.release("quieter", "A", eighth, 14)
    await controller.set_day(eighth)
    service.release("crowds", "A", seventh)
    service.release("quieter", "A", seventh, 14)
    await slow
    assert state.tourism.day == eighth
    assert state.tourism.crowds is not None and state.tourism.crowds.date == eighth


def test_selecting_another_spot_forgets_the_last_one_at_once() -> None:
    state = AppState()
    controller = TourismController(state, SlowTourism(), lambda: NOW)  # type: ignore[arg-type]
    view = state.tourism
    view.spot_id, view.crowds = "A", crowds("A", NOW.date(), CrowdLevel.busy)
    controller.select_spot("B")
    assert (view.spot_id, view.spot, view.crowds, view.quieter) == ("B", None, None, None)


@pytest.mark.parametrize(("text", "expected"), [
    ("3, 7", [3, 7]), ("３、７", [3, 7]), ("3 7歳", [3, 7]), ("", []),
    ("3, x", BAD_AGES), ("-1", BAD_AGES), ("\ud800", BAD_AGES), ("3, 18", ADULT_AGE),
    (", ".join(["1"] * 11), TOO_MANY_CHILDREN), ("፩", BAD_AGES),
])
def test_children_ages_are_read_or_explained(text, expected) -> None:
    assert parse_ages(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("65,000", 65000), ("65000円", 65000), ("￥65,000", 65000), ("", None),
    ("፩", BAD_YEN), ("-5", BAD_YEN), ("123456789", BAD_YEN), ("6万", BAD_YEN),
])
def test_rent_is_read_or_explained(text, expected) -> None:
    assert parse_yen(text) == expected


class FakeRelocation:
    async def town(self, code: str) -> None:
        return None

    async def programmes(self, **_kwargs: Any) -> list[Any]:
        return []


class SlowStorage(DictStorage):
    async def set(self, key: str, value: str) -> None:
        await asyncio.sleep(0.01)
        await super().set(key, value)


async def test_taps_on_two_towns_and_two_items_in_a_row_all_count() -> None:
    state = AppState()
    controller = RelocationController(state, FakeRelocation(),  # type: ignore[arg-type]
                                      RelocationPlanRepository(SlowStorage()))
    await controller.load_plan()
    await asyncio.gather(controller.toggle_town("162019"), controller.toggle_town("162108"),
                         controller.check_item("job", True), controller.check_item("home", True))
    plan = state.relocation.plan
    assert set(plan.towns) == {"162019", "162108"}
    assert {i.id for i in plan.checklist if i.done} == {"job", "home"}


async def test_odd_budget_input_is_explained_and_leaves_no_old_budget() -> None:
    state = AppState()
    controller = RelocationController(state, FakeRelocation(),  # type: ignore[arg-type]
                                      RelocationPlanRepository(DictStorage()))
    state.relocation.budget = object()  # type: ignore[assignment]  # an earlier answer
    await controller.calculate(2, "3, 18", 1, "፩", "162019")
    assert state.relocation.budget is None
    assert state.relocation.household_problems == {"children": ADULT_AGE, "rent": BAD_YEN}
    assert not controller.calculate.failed


def test_a_query_with_control_characters_is_still_searchable() -> None:
    assert printable("toy\x00ama\ud800 eki") == "toyama eki"
