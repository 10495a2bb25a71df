"""The logged-in devices screen's controller, with a fake device service; and the guard that
sends a logged-out resident to login first and back afterwards."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from app.controllers.devices import (
    DEVICE_LOGGED_OUT,
    DEVICES_OFFLINE,
    LOGGED_OUT_ELSEWHERE,
    DevicesController,
)
from app.paths import RoutePath
from app.shell import Shell
from app.state import AppState
from services.devices import Device
from services.errors import Offline

WHEN = datetime(2026, 11, 30, 9, tzinfo=UTC)


def device(ident: str, current: bool) -> Device:
    return Device(id=ident * 32, device_name=f"device {ident}", place=None,
                  first_used_at=WHEN, last_used_at=WHEN, current=current)


class FakeDevices:
    def __init__(self) -> None:
        self.items = [device("a", True), device("b", False), device("c", False)]
        self.offline = False

    async def list(self) -> list[Device]:
        if self.offline:
            raise Offline("ConnectError")
        return list(self.items)

    async def log_out(self, device_id: str) -> None:
        self.items = [d for d in self.items if d.id != device_id]

    async def log_out_others(self) -> int:
        before = len(self.items)
        self.items = [d for d in self.items if d.current]
        return before - len(self.items)


def controller() -> tuple[DevicesController, AppState, FakeDevices, list[str]]:
    state, service, here = AppState(), FakeDevices(), []

    async def log_out_here() -> None:
        here.append("logout")

    return DevicesController(state, lambda: service, log_out_here), state, service, here


async def test_the_list_is_read_and_another_device_logged_out() -> None:
    made, state, service, here = controller()
    await made.refresh()
    assert [d.device_name for d in state.devices.items] == ["device a", "device b", "device c"]
    await made.log_out("b" * 32)
    assert [d.device_name for d in state.devices.items] == ["device a", "device c"]
    assert state.devices.notice == DEVICE_LOGGED_OUT and here == []


async def test_logging_out_this_device_is_an_ordinary_logout() -> None:
    made, state, service, here = controller()
    await made.refresh()
    await made.log_out("a" * 32)
    assert here == ["logout"] and len(service.items) == 3


async def test_everywhere_else_keeps_this_device() -> None:
    made, state, service, _ = controller()
    await made.refresh()
    await made.log_out_others()
    assert [d.current for d in state.devices.items] == [True]
    assert state.devices.notice == LOGGED_OUT_ELSEWHERE


async def test_offline_says_what_to_do() -> None:
    made, state, service, _ = controller()
    service.offline = True
    await made.refresh()
    assert state.devices.problem == DEVICES_OFFLINE and not state.devices.loaded


class FakePage:
    def __init__(self, route: str) -> None:
        self.route = route
        self.navigated: list[str] = []
        self.views: list = []

    def navigate(self, route: str) -> None:
        self.navigated.append(route)

    def update(self, *_controls: object) -> None:
        pass


def test_a_guarded_screen_sends_a_logged_out_resident_to_login_and_back() -> None:
    state = AppState()
    page = FakePage("/account/devices")
    shell = Shell(page, state, SimpleNamespace())  # type: ignore[arg-type]
    shell.show_route()
    assert page.navigated == [RoutePath.login.value]
    assert state.auth.return_to == "/account/devices" and page.views == []
