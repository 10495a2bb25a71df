"""The session guard of the app layer, with fakes for the card and the backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from app.controllers.auth import AUTO_LOGOUT, LOGGED_OUT
from app.state import Topic
from services.auth_api import CertificateRevoked, RateLimited, SessionExpired
from services.errors import Offline
from services.login_problems import LoginProblemKind, login_problem
from services.mynumber import CardLocked, PinKind, WrongPin
from tests.unit.conftest import CARD, Clock, FakeLogin, FakeSession, Resident, auth_controller


async def test_refreshes_in_the_background_then_warns_then_logs_out(
        resident: Resident, clock: Clock) -> None:
    controller, state, session = resident.controller, resident.state, resident.session
    seen: list[frozenset[Topic]] = []
    state.subscribe(seen.append)
    await controller.check()
    assert session.refreshed == 1 and state.auth.expiry_warning_min is None
    clock.now += timedelta(minutes=13, seconds=30)
    await controller.check()
    assert state.auth.expiry_warning_min == 2
    clock.now += timedelta(seconds=5)
    await controller.check()  # still "2 minutes": the warning is not redrawn every check
    assert state.auth.expiry_warning_min == 2
    assert [t for t in seen if Topic.session_warning in t] == [{Topic.session_warning}]
    await controller.extend()
    assert state.auth.expiry_warning_min is None
    await controller.check()
    assert state.auth.expiry_warning_min is None
    clock.now += timedelta(minutes=16)
    await controller.check()
    assert session.logged_out and not state.auth.logged_in and controller.tickets is None
    assert state.auth.farewell == AUTO_LOGOUT and resident.went == ["/"]


async def test_a_session_the_server_ended_logs_out_locally(clock: Clock) -> None:
    session = FakeSession(refresh_fails=SessionExpired(401, "refresh_reused"))
    controller, state = auth_controller(clock, FakeLogin(session), [])
    controller.choose_card(CARD)
    await controller.login("1234")
    await controller.check()
    assert not state.auth.logged_in and session.logged_out


async def test_being_offline_for_a_moment_keeps_the_session(clock: Clock) -> None:
    session = FakeSession(refresh_fails=Offline("ConnectError"))
    controller, state = auth_controller(clock, FakeLogin(session), [])
    controller.choose_card(CARD)
    await controller.login("1234")
    await controller.check()
    assert state.auth.logged_in and not session.logged_out


async def test_logout_says_the_personal_data_was_deleted_and_forgets_the_ticket(
        resident: Resident) -> None:
    state = resident.state
    state.trips.ticket = object()  # type: ignore[assignment]  # a resident's QR ticket
    state.trips.ticket_problem = "x"
    await resident.controller.logout()
    assert resident.session.logged_out and state.auth.farewell == LOGGED_OUT
    assert resident.went == ["/"]
    assert state.trips.ticket is None and state.trips.ticket_problem is None


async def test_the_live_session_is_not_in_the_state_views_read(resident: Resident) -> None:
    """Views get a Resident (name, town); the session object stays in the controller."""
    auth = resident.state.auth
    assert auth.display_name == "立山 花子" and auth.municipality == "富山市"
    assert not any(value is resident.session for value in vars(auth).values())
    assert resident.controller.tickets is not None


async def test_a_double_tap_on_log_in_tries_the_pin_once(clock: Clock) -> None:
    gate = asyncio.Event()

    class SlowLogin(FakeLogin):
        async def login(self, card: object, pin: str, *, device: object = None) -> FakeSession:
            await gate.wait()
            return await super().login(card, pin)

    login = SlowLogin(FakeSession())
    controller, state = auth_controller(clock, login, [])
    controller.choose_card(CARD)
    first = asyncio.create_task(controller.login("1234"))
    await asyncio.sleep(0)
    assert controller.login.running
    assert await controller.login("1234") is False  # refused while the first is in flight
    gate.set()
    assert await first is True
    assert state.auth.logged_in


async def test_a_wrong_pin_is_advice_and_the_pin_field_is_emptied(clock: Clock) -> None:
    controller, state = auth_controller(clock, FakeLogin(WrongPin(PinKind.auth, 2)), [])
    seen: list[frozenset[Topic]] = []
    state.subscribe(seen.append)
    controller.choose_card(CARD)
    await controller.login("9999")
    assert state.auth.problem is not None
    assert state.auth.problem.kind == LoginProblemKind.wrong_pin
    assert state.auth.problem.remaining_tries == 2
    assert any(Topic.pin_reset in topics for topics in seen[1:])
    assert not controller.login.failed


async def test_an_unexpected_error_is_logged_and_shown_not_raised(clock: Clock) -> None:
    controller, state = auth_controller(clock, FakeLogin(RuntimeError("bug")), [])
    controller.choose_card(CARD)
    assert await controller.login("1234") is True
    assert not state.auth.logged_in and state.auth.problem is not None
    assert state.auth.problem.kind == LoginProblemKind.unexpected
    controller.choose_card(CARD)  # another try starts clean
    assert state.auth.problem is None


async def test_a_refresh_that_fails_after_a_logout_does_not_end_the_next_session(
        clock: Clock) -> None:
    gate = asyncio.Event()

    class SlowExpiredSession(FakeSession):
        async def ensure_fresh(self, margin: timedelta) -> None:
            await gate.wait()
            raise SessionExpired(401, "refresh_reused")

    first, second = SlowExpiredSession(), FakeSession()
    login = FakeLogin(first)
    went: list[str] = []
    controller, state = auth_controller(clock, login, went)
    controller.choose_card(CARD)
    await controller.login("1234")
    checking = asyncio.create_task(controller.check())
    await asyncio.sleep(0)
    await controller.logout()
    login.outcome = second
    controller.choose_card(CARD)
    await controller.login("1234")  # someone logs in again while the old refresh is out
    gate.set()
    await checking
    assert state.auth.logged_in and not second.logged_out
    assert state.auth.farewell is None


async def test_login_returns_to_the_screen_that_asked_for_it(clock: Clock) -> None:
    went: list[str] = []
    controller, state = auth_controller(clock, FakeLogin(FakeSession()), went)
    state.auth.return_to = "/trips/saved/0"
    controller.choose_card(CARD)
    await controller.login("1234")
    assert went == ["/trips/saved/0"] and state.auth.return_to is None


def test_errors_become_advice() -> None:
    assert login_problem(WrongPin(PinKind.auth, 2)).remaining_tries == 2
    assert login_problem(CardLocked(PinKind.auth)).kind == LoginProblemKind.locked
    revoked = CertificateRevoked(401, "certificate_revoked")
    assert login_problem(revoked).kind == LoginProblemKind.revoked
    assert login_problem(RateLimited(429, "too_many", 30)).retry_after_s == 30
    assert login_problem(Offline("x")).kind == LoginProblemKind.offline
    assert login_problem(RuntimeError("bug")).kind == LoginProblemKind.unexpected


async def test_logout_sends_what_waits_first(resident) -> None:
    applications = resident.controller.applications
    applications.waiting = 2
    await resident.controller.logout()
    assert not resident.state.auth.logged_in and applications.forgotten == 0


async def test_logout_offline_with_unsent_changes_asks_first_then_deletes_them(
        resident) -> None:
    applications = resident.controller.applications
    applications.waiting, applications.offline = 2, True
    await resident.controller.logout()
    assert resident.state.auth.logged_in  # not yet: the resident is shown what would be lost
    assert resident.state.applications.logout_blocked
    assert resident.went[-1] == "/applications"
    await resident.controller.logout_anyway()
    assert not resident.state.auth.logged_in and applications.forgotten == 2
