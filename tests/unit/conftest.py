"""Shared fixtures of the unit tests: a settable clock, and a resident logged in through the
real AuthController with fakes for the card and the backend (one layer under test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from app.controllers.auth import AuthController
from app.state import AppState
from services.devices import DeviceIdentity
from services.mynumber import CardSummary, FourFacts, Sex
from services.session_timer import IdleTimer


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


class DictStorage:
    """The device's key/value storage (SharedPreferences, localStorage in web mode)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        return self.values.get(key)

    async def set(self, key: str, value: str) -> None:
        self.values[key] = value


class FakeSession:
    """What the controller uses of services.login.AuthSession."""

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


CARD = CardSummary(serial="0001", name="立山 花子", municipality="富山市",
                   birth_date=datetime(1980, 4, 1).date(), sex=Sex.female,
                   auth_not_after=datetime(2030, 1, 1, tzinfo=UTC), auth_locked=False)


class StubApplications:
    """What the auth controller asks of the resident's applications: is anything unsent."""

    def __init__(self, session: object) -> None:
        self.session = session
        self.waiting = 0
        self.offline = False
        self.forgotten = 0

    def unsent(self) -> int:
        return self.waiting

    async def send(self) -> None:
        if self.offline:
            from services.errors import Offline
            raise Offline("ConnectError")
        self.waiting = 0

    def forget_unsent(self) -> int:
        self.forgotten, self.waiting = self.waiting, 0
        return self.forgotten


@dataclass(frozen=True)
class OpenedCard:
    """The card as the reader hands it over: its face can be read for forms."""

    serial: str

    def facts(self) -> FourFacts:
        return FourFacts(CARD.name, CARD.birth_date, "富山県富山市新桜町7番38号", CARD.sex)


class FakeLogin:
    def __init__(self, outcome: FakeSession | Exception) -> None:
        self.outcome = outcome
        self.pins: list[str] = []

    async def login(self, _card: object, pin: str, *, device: object = None) -> FakeSession:
        self.pins.append(pin)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


@dataclass
class Resident:
    """A resident logged in through the real AuthController."""

    controller: AuthController
    state: AppState
    session: FakeSession
    went: list[str] = field(default_factory=list)


async def this_device() -> DeviceIdentity:
    return DeviceIdentity("f" * 32, "Chrome on Linux")


def auth_controller(clock: Clock, login: FakeLogin, went: list[str]) -> tuple[
        AuthController, AppState]:
    state = AppState()
    services = SimpleNamespace(
        cards=SimpleNamespace(open=lambda serial: OpenedCard(serial), cards=lambda: [CARD]),
        login=login, tickets_for=lambda session: SimpleNamespace(session=session),
        devices_for=lambda session: SimpleNamespace(session=session), device=this_device,
        applications_for=lambda session: StubApplications(session),
        bookings_for=lambda session: SimpleNamespace(session=session))
    timer = IdleTimer(timeout=timedelta(minutes=15), warn_before=timedelta(minutes=2),
                      now=clock)
    return AuthController(state, services, went.append, timer), state  # type: ignore[arg-type]


@pytest.fixture
async def resident(clock: Clock) -> Resident:
    session = FakeSession()
    went: list[str] = []
    controller, state = auth_controller(clock, FakeLogin(session), went)
    controller.choose_card(CARD)
    await controller.login("1234")
    assert state.auth.logged_in
    went.clear()
    return Resident(controller, state, session, went)
