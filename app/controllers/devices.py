"""The resident's logged-in devices: see them, log one out, or every other one (issue 8, #5)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.commands import Command
from app.state import AppState, Topic
from services.devices import DeviceService
from services.errors import ApiError, Offline
from services.i18n import N_

DEVICES_OFFLINE = N_("The list of devices needs an internet connection. Try again when you "
                     "are online.")
DEVICES_FAILED = N_("The list of devices could not be read. Please try again later.")
LOGGED_OUT_ELSEWHERE = N_("The other devices were logged out.")
DEVICE_LOGGED_OUT = N_("That device was logged out.")


class DevicesController:
    def __init__(self, state: AppState, devices: Callable[[], DeviceService | None],
                 log_out_here: Callable[[], Awaitable[object]]) -> None:
        self.state = state
        self._devices = devices  # the logged-in resident's, at the time of the tap
        self._log_out_here = log_out_here
        self.refresh = Command(self._refresh, state, Topic.devices)
        self.log_out = Command(self._log_out, state, Topic.devices)
        self.log_out_others = Command(self._log_out_others, state, Topic.devices)

    async def _refresh(self) -> None:
        await self._read(notice=None)

    async def _read(self, notice: str | None) -> None:
        view, service = self.state.devices, self._devices()
        if service is None:
            return
        try:
            items = await service.list()
        except Offline:
            view.problem = DEVICES_OFFLINE
        except ApiError:
            view.problem = DEVICES_FAILED
        else:
            if self._devices() is service:  # still the same resident
                view.items, view.loaded, view.problem = items, True, None
                view.notice = notice

    async def _log_out(self, device_id: str, /) -> None:
        current = next((d for d in self.state.devices.items if d.id == device_id), None)
        if current is not None and current.current:
            await self._log_out_here()  # this device: an ordinary logout
            return
        service = self._devices()
        if service is None:
            return
        try:
            await service.log_out(device_id)
        except Offline:
            self.state.devices.problem = DEVICES_OFFLINE
            return
        except ApiError:
            pass  # already gone (404): the list below shows it
        await self._read(notice=DEVICE_LOGGED_OUT)

    async def _log_out_others(self) -> None:
        service = self._devices()
        if service is None:
            return
        try:
            await service.log_out_others()
        except Offline:
            self.state.devices.problem = DEVICES_OFFLINE
            return
        except ApiError:
            self.state.devices.problem = DEVICES_FAILED
            return
        await self._read(notice=LOGGED_OUT_ELSEWHERE)
