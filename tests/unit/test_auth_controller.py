"""The session guard of the app layer, with fakes for the services it calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from app.controller import AUTO_LOGOUT, LOGGED_OUT, AuthController, login_problem
from app.state import AppState
from services.auth_api import CertificateRevoked, RateLimited, SessionExpired
from services.errors import Offline
from services.mynumber import CardLocked, PinKind, WrongPin
from services.session_timer import IdleTimer


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class FakeSession:
    def __init__(self, *, refresh_fails: Exception | None = None) -> None:
        self.active = True
        self.profile = None
        self.refreshed = 0
        self.logged_out = False
        self.refresh_fails = refresh_fails

    async def ensure_fresh(self, margin: timedelta) -> None:
        if self.refresh_fails:
            raise self.refresh_fails
        self.refreshed += 1

    async def extend(self) -> None:
        self.refreshed += 1

    async def logout(self) -> bool:
        self.active = False
        self.logged_out = True
        return True


def guard(session: FakeSession) -> tuple[AuthController, AppState, Clock, list[str]]:
    clock = Clock()
    state = AppState()
    state.auth.session = session
    went: list[str] = []
    timer = IdleTimer(timeout=timedelta(minutes=15), warn_before=timedelta(minutes=2), now=clock)
    return AuthController(state, SimpleNamespace(), went.append, timer), state, clock, went


async def test_refreshes_in_the_background_then_warns_then_logs_out() -> None:
    session = FakeSession()
    controller, state, clock, went = guard(session)
    await controller.check()
    assert session.refreshed == 1 and state.auth.expiry_warning_s is None
    clock.now += timedelta(minutes=14)
    await controller.check()
    assert state.auth.expiry_warning_s == 60
    await controller.extend()
    assert state.auth.expiry_warning_s is None
    await controller.check()
    assert state.auth.expiry_warning_s is None
    clock.now += timedelta(minutes=16)
    await controller.check()
    assert session.logged_out and state.auth.session is None
    assert state.auth.farewell == AUTO_LOGOUT and went == ["/"]


async def test_a_session_the_server_ended_logs_out_locally() -> None:
    session = FakeSession(refresh_fails=SessionExpired(401, "refresh_reused"))
    controller, state, _clock, _went = guard(session)
    await controller.check()
    assert state.auth.session is None and session.logged_out


async def test_being_offline_for_a_moment_keeps_the_session() -> None:
    session = FakeSession(refresh_fails=Offline("ConnectError"))
    controller, state, _clock, _went = guard(session)
    await controller.check()
    assert state.auth.session is session


async def test_logout_says_the_personal_data_was_deleted_and_forgets_the_ticket() -> None:
    session = FakeSession()
    controller, state, _clock, went = guard(session)
    state.trips.ticket = object()  # a resident's QR ticket on screen
    state.trips.ticket_problem = "x"
    await controller.logout()
    assert session.logged_out and state.auth.farewell == LOGGED_OUT and went == ["/"]
    assert state.trips.ticket is None and state.trips.ticket_problem is None


def test_errors_become_advice() -> None:
    assert login_problem(WrongPin(PinKind.auth, 2)).remaining_tries == 2
    assert login_problem(CardLocked(PinKind.auth)).kind == "locked"
    assert login_problem(CertificateRevoked(401, "certificate_revoked")).kind == "revoked"
    assert login_problem(RateLimited(429, "too_many", 30)).retry_after_s == 30
    assert login_problem(Offline("x")).kind == "offline"
    assert login_problem(RuntimeError("bug")).kind == "unexpected"
