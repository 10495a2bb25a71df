"""The trip controller with fakes for the planner and the device (one layer under test), and
the real ticket and saved-journey services over fake transports."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from app.controllers.trips import (
    COPIED,
    LOCATION_DENIED,
    SAVED,
    TICKET_OFFLINE,
    LocationUnavailable,
    ShareOutcome,
    TripController,
)
from app.state import AppState, Topic, TripField
from services.errors import Offline
from services.i18n import language
from services.realtime import LivePlan
from services.saved_journeys import SavedJourneys
from services.tickets import TicketService
from services.transit import NearbyStop, PlanResult, StopMatch
from services.trips import JourneySource, TripEnd, TripMode, TripPlan, TripProblem
from tests.unit.conftest import DictStorage
from tests.views.conftest import journey

ARAYA = StopMatch("feeder:15_1", "荒屋", "Araya", "あらや", 3, "toyama_city_2019")
HASUMACHI = StopMatch("feeder:12_1", "蓮町", "Hasumachi", "はすまち", 3, "toyama_city_2019")


class FakeTrips:
    """The on-device planner: answers at once, records what it was asked."""

    ready = True
    error = None

    def __init__(self) -> None:
        self.searches: list[str] = []
        self.requests: list[Any] = []
        self.search_gate: asyncio.Event | None = None

    async def wait_ready(self, timeout_s: float = 60.0) -> bool:
        return True

    async def search_stops(self, query: str, limit: int = 8) -> list[StopMatch]:
        self.searches.append(query)
        if self.search_gate is not None and query == "a":
            await self.search_gate.wait()  # the first, slow search
        return [m for m in (ARAYA, HASUMACHI) if m.name_en and
                m.name_en.lower().startswith(query.lower())]

    async def nearest_stops(self, lat: float, lon: float, limit: int = 3) -> list[NearbyStop]:
        return [NearbyStop(ARAYA, 120.4)]

    async def plan(self, request: Any) -> TripPlan:
        self.requests.append(request)
        await asyncio.sleep(0.01)  # planning takes a moment, in a worker thread
        found = journey()
        return TripPlan(request, PlanResult(True, found, (found,)), None)

    def fare_yen(self, _journey: Any) -> int | None:
        return 210


class NoDelays:
    async def apply(self, plan: TripPlan) -> LivePlan:
        return LivePlan(plan, checked=False)


class Clipboard:
    def __init__(self) -> None:
        self.texts: list[str] = []

    async def share_text(self, text: str, subject: str) -> ShareOutcome:
        self.texts.append(text)
        return ShareOutcome.copied


class DeniedLocation:
    async def current(self) -> tuple[float, float]:
        raise LocationUnavailable(denied=True)


class TicketBackend:
    """The resident's authorised requests: counts POSTs, answers like the real issuer."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.posts = 0
        self.gate = asyncio.Event()
        self.fail = fail

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.posts += 1
        await self.gate.wait()
        if self.fail:
            raise self.fail
        now = datetime(2019, 6, 12, 6, tzinfo=UTC)
        body = {"id": "t1", "issued_at": now.isoformat(),
                "valid_until": (now + timedelta(hours=3)).isoformat(),
                "payload": {"order": kwargs["json"]}, "signature": "c2ln",
                "qr_text": "KTK1.e30.c2ln"}
        return httpx.Response(201, content=json.dumps(body).encode())


def controller(trips: FakeTrips | None = None, *, backend: TicketBackend | None = None,
               state: AppState | None = None) -> tuple[TripController, AppState, FakeTrips]:
    state = state or AppState()
    trips = trips or FakeTrips()
    services = SimpleNamespace(trips=trips, saved_journeys=SavedJourneys(DictStorage()),
                               live_delays=NoDelays())
    tickets = TicketService(backend, trips) if backend else None  # type: ignore[arg-type]
    made = TripController(state, services, tickets=lambda: tickets,  # type: ignore[arg-type]
                          sharing=Clipboard(), location=DeniedLocation())
    return made, state, trips


async def chosen_form(made: TripController, state: AppState) -> None:
    made.choose(TripEnd.origin, ARAYA)
    made.choose(TripEnd.destination, HASUMACHI)
    made.set_day_text("2019-06-12")
    made.set_time_text("06:10")


async def test_matches_follow_the_latest_keystroke_only() -> None:
    trips = FakeTrips()
    trips.search_gate = asyncio.Event()
    made, state, _ = controller(trips)
    seen: list[frozenset[Topic]] = []
    state.subscribe(seen.append)
    slow = asyncio.create_task(made.search(TripEnd.origin, "a"))
    await asyncio.sleep(0)
    await made.search(TripEnd.origin, "ar")
    trips.search_gate.set()
    await slow  # the older answer arrives last and must not win
    assert state.trips.origin.query == "ar" and state.trips.origin.matches == [ARAYA]
    assert seen == [frozenset({Topic.trip_origin})]  # one redraw, of that field's matches


async def test_choosing_a_stop_writes_its_name_into_the_field() -> None:
    made, state, _ = controller()
    seen: list[frozenset[Topic]] = []
    state.subscribe(seen.append)
    replaced: list[frozenset] = []
    state.subscribe(lambda topics: replaced.append(state.trips.replaced)
                    if Topic.trip_text in topics else None)
    made.choose(TripEnd.origin, ARAYA)
    assert state.trips.origin.query == "荒屋" and state.trips.origin.choice == ARAYA
    assert Topic.trip_text in seen[-1]
    assert replaced == [{TripField.origin}]  # only that field's text is replaced
    assert state.trips.replaced == frozenset()  # and only while it is announced
    state.set_preferences(state.preferences.with_language("en"))
    made.choose(TripEnd.destination, HASUMACHI)
    assert state.trips.destination.query == "Hasumachi"


async def test_typing_a_date_redraws_nothing() -> None:
    made, state, _ = controller()
    seen: list[frozenset[Topic]] = []
    state.subscribe(seen.append)
    made.set_day_text("2019-06-1")
    made.set_time_text("06:1")
    assert seen == [] and state.trips.day_text == "2019-06-1"


async def test_swap_exchanges_both_ends_and_their_texts() -> None:
    made, state, _ = controller()
    made.choose(TripEnd.origin, ARAYA)
    made.swap()
    assert state.trips.origin.choice is None and state.trips.destination.choice == ARAYA


async def test_a_plan_with_problems_names_every_fix() -> None:
    made, state, trips = controller()
    made.set_time_text("25:99")
    await made.plan()
    assert state.trips.problems == [TripProblem.no_origin, TripProblem.no_destination,
                                    TripProblem.bad_date, TripProblem.bad_time]
    assert trips.requests == []


async def test_a_plan_uses_the_form_and_its_options() -> None:
    made, state, trips = controller()
    await chosen_form(made, state)
    made.set_mode(TripMode.arrive)
    made.set_slow_walking(True)
    await made.plan()
    request = trips.requests[0]
    assert (request.origin, request.destination, request.day) == (
        "feeder:15_1", "feeder:12_1", date(2019, 6, 12))
    assert request.mode == TripMode.arrive and request.slow_walking
    assert state.trips.plan is not None and not state.trips.realtime_checked


async def test_a_double_tap_on_search_plans_once() -> None:
    made, state, trips = controller()
    await chosen_form(made, state)
    assert (await asyncio.gather(made.plan(), made.plan())).count(True) == 1
    assert len(trips.requests) == 1


async def test_a_double_tap_on_get_a_ticket_sends_one_request() -> None:
    backend = TicketBackend()
    made, state, _ = controller(backend=backend)
    await chosen_form(made, state)
    await made.plan()
    first = asyncio.create_task(made.issue_ticket(JourneySource.result, 0))
    await asyncio.sleep(0)
    second = await made.issue_ticket(JourneySource.result, 0)  # the second tap
    backend.gate.set()
    assert await first is True and second is False
    assert backend.posts == 1
    assert state.trips.ticket is not None and state.trips.ticket.qr_png.startswith(b"\x89PNG")


async def test_an_offline_ticket_says_so() -> None:
    backend = TicketBackend(fail=Offline("ConnectError"))
    backend.gate.set()
    made, state, _ = controller(backend=backend)
    await chosen_form(made, state)
    await made.plan()
    await made.issue_ticket(JourneySource.result, 0)
    assert state.trips.ticket is None and state.trips.ticket_problem == TICKET_OFFLINE


async def test_no_ticket_without_a_logged_in_resident() -> None:
    made, state, _ = controller()
    await chosen_form(made, state)
    await made.plan()
    await made.issue_ticket(JourneySource.result, 0)
    assert state.trips.ticket is None


@pytest.mark.parametrize("code", ["ja", "ja-easy"])
async def test_tickets_name_stops_as_the_screen_does(code: str) -> None:
    backend = TicketBackend()
    backend.gate.set()
    state = AppState()
    state.set_preferences(state.preferences.with_language(code))
    made, state, _ = controller(backend=backend, state=state)
    await chosen_form(made, state)
    await made.plan()
    await made.issue_ticket(JourneySource.result, 0)
    assert state.trips.ticket is not None
    order = state.trips.ticket.ticket.payload["order"]
    assert order["origin"]["name"] == "荒屋" and language(code).is_japanese


async def test_save_share_and_remove_a_journey() -> None:
    made, state, _ = controller()
    await chosen_form(made, state)
    await made.plan()
    await made.save(0, "荒屋 → 蓮町電停")
    assert state.trips.notice == SAVED and len(state.trips.saved) == 1
    assert made.journey(JourneySource.saved, 0) is not None
    await made.share("text", "subject")
    assert state.trips.notice == COPIED
    await made.remove_saved(0)
    assert state.trips.saved == []


async def test_a_refused_location_says_what_to_do() -> None:
    made, state, _ = controller()
    await made.use_location(TripEnd.origin)
    assert state.trips.origin.problem == LOCATION_DENIED


async def test_a_place_from_another_screen_picks_the_nearest_stop() -> None:
    made, state, _ = controller()
    await made.wait_and_go_to(36.7, 137.2, "県庁")
    destination = state.trips.destination
    assert destination.choice == ARAYA and destination.near == "県庁"
    assert destination.near_m == 120


async def test_a_swap_during_a_search_keeps_the_matches_with_their_field() -> None:
    trips = FakeTrips()
    trips.search_gate = asyncio.Event()
    made, state, _ = controller(trips)
    searching = asyncio.create_task(made.search(TripEnd.origin, "a"))
    await asyncio.sleep(0)
    made.swap()
    trips.search_gate.set()
    await searching
    assert state.trips.destination.matches == [] and state.trips.origin.matches == []


async def test_a_ticket_that_arrives_after_logout_is_dropped() -> None:
    backend = TicketBackend()
    tickets_now: list[TicketService | None] = []
    made, state, trips = controller(backend=backend)
    service = made._tickets()
    made._tickets = lambda: tickets_now[-1] if tickets_now else service
    await chosen_form(made, state)
    await made.plan()
    issuing = asyncio.create_task(made.issue_ticket(JourneySource.result, 0))
    await asyncio.sleep(0)
    tickets_now.append(None)  # the resident logs out while the ticket is on its way
    backend.gate.set()
    await issuing
    assert state.trips.ticket is None


async def test_a_failed_search_clears_the_old_results() -> None:
    made, state, trips = controller()
    await chosen_form(made, state)
    await made.plan()
    assert state.trips.plan is not None

    async def broken(_request: Any) -> TripPlan:
        raise RuntimeError("planner bug")

    trips.plan = broken  # type: ignore[method-assign]
    await made.plan()
    assert made.plan.failed and state.trips.plan is None


async def test_the_suggested_weekday_searches_through_the_search_command() -> None:
    made, state, trips = controller()
    await chosen_form(made, state)
    searching = asyncio.create_task(made.use_date(date(2019, 6, 12)))
    await asyncio.sleep(0)
    assert made.plan.running
    assert await made.plan() is False  # a tap on Search meanwhile does not plan twice
    await searching
    assert len(trips.requests) == 1


async def test_what_was_typed_while_the_timetables_loaded_gets_its_matches() -> None:
    trips = FakeTrips()
    trips.ready = False
    made, state, _ = controller(trips)
    await made.search(TripEnd.origin, "ar")  # before the timetables are ready: kept only
    assert state.trips.origin.query == "ar" and state.trips.origin.matches == []
    trips.ready = True
    await made.start()
    assert state.trips.origin.matches == [ARAYA]
