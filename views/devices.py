"""Logged-in devices: where the resident is logged in with their card, and a way to end it."""

from __future__ import annotations

from typing import Protocol

import flet as ft

from app.commands import Command
from app.state import AppState, Topic
from services.devices import Device
from services.i18n import N_
from views.screen import Screen
from views.widgets.controls import (
    BannerKind,
    ButtonKind,
    action_button,
    banner,
    body_text,
    heading,
)

# The backend names a network, not a town, when the address says no more than that.
PLACES = {
    "loopback": N_("On this computer"),
    "local_network": N_("On a local network (home or office)"),
}


def place_text(place: str, state: AppState) -> str:
    known = PLACES.get(place)
    return state.t(known) if known else state.t("Near {place}", place=place)


class DeviceActions(Protocol):
    refresh: Command[[]]
    log_out: Command[[str]]
    log_out_others: Command[[]]


class DevicesScreen(Screen):
    def __init__(self, state: AppState, devices: DeviceActions) -> None:
        super().__init__(state)
        self.devices = devices

    @property
    def title(self) -> str:
        return self.state.t("Logged-in devices")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            # The title again as a heading: at 200 % text the app bar cuts it short.
            heading(self.title, tokens),
            body_text(t("These are the devices where you are logged in with your My Number "
                        "card. If you do not recognise one, log it out."), tokens),
            self.region([Topic.devices], self._list),
        ]

    def _device(self, device: Device) -> ft.Control:
        t, tokens = self.state.t, self.state.tokens
        p = tokens.palette
        name = device.device_name or t("Unknown device")
        lines: list[ft.Control] = [
            ft.Text(name + (" ・ " + t("This device") if device.current else ""),
                    style=tokens.text_style("heading_4", p.text_strong)),
            body_text(t("Last used {time}", time=t.datetime(device.last_used_at, "short")),
                      tokens),
            body_text(t("Logged in {time}", time=t.datetime(device.first_used_at, "short")),
                      tokens, support=True),
        ]
        if device.place:
            lines.append(body_text(place_text(device.place, self.state), tokens,
                                   support=True))

        async def log_out(_e: ft.Event) -> None:
            await self.devices.log_out(device.id)

        busy = self.devices.log_out.running
        lines.append(action_button(
            t("Log out") if device.current else t("Log out this device"),
            None if busy else log_out, tokens, kind=ButtonKind.outline, icon=ft.Icons.LOGOUT,
            key=f"device-{device.id}"))
        return ft.Container(
            content=ft.Column(lines, spacing=tokens.space(1), tight=True),
            border=ft.Border.all(1, p.border), border_radius=12,
            padding=ft.Padding.all(tokens.space(4)),
        )

    def _list(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.devices
        controls: list[ft.Control] = []
        if view.problem:
            controls.append(banner(t(view.problem), None, tokens, BannerKind.error,
                                   announce=True))
        if view.notice:
            controls.append(banner(t(view.notice), None, tokens, BannerKind.success,
                                   announce=True))
        if not view.loaded:
            if not view.problem:
                controls.append(body_text(t("Loading…"), tokens, support=True))
            return controls
        controls.append(heading(t.ngettext("{n} device", "{n} devices",
                                           len(view.items)).format(n=len(view.items)),
                                tokens, 2))
        controls += [self._device(device) for device in view.items]

        async def others(_e: ft.Event) -> None:
            await self.devices.log_out_others()

        if sum(1 for d in view.items if not d.current):
            busy = self.devices.log_out_others.running
            controls.append(action_button(
                t("Log out everywhere else"), None if busy else others, tokens,
                icon=ft.Icons.PHONELINK_ERASE))

        async def refresh(_e: ft.Event) -> None:
            await self.devices.refresh()

        controls.append(action_button(t("Refresh"), refresh, tokens, kind=ButtonKind.outline,
                                      icon=ft.Icons.REFRESH))
        return controls
