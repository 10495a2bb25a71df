"""One resident's session: what `main(page)` sets up for each browser tab (or device)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import flet as ft

from app import routes
from app.container import Container
from app.controller import Controller
from app.platform import ClientLocation, ClientPreferencesStorage, ClientSharing
from app.shell import Shell
from app.state import AppState

log = logging.getLogger(__name__)


def make_main(container: Container) -> Callable[[ft.Page], Awaitable[None]]:
    async def main(page: ft.Page) -> None:
        state = AppState()
        services = container.session_services(ClientPreferencesStorage(), page.client_ip)
        controller = Controller(state, services, navigate=page.navigate)
        shell = Shell(page, state, controller)
        controller.trips.set_reveal(shell.reveal)
        controller.trips.set_sharing(ClientSharing())
        controller.trips.set_location(ClientLocation())

        # Preferences come from the device first, so the first frame is already in the
        # resident's language and text size.
        state.set_preferences(await services.preferences.load())
        state.width = float(page.width or 0)
        state.subscribe(shell.render)
        async def route_changed(e: ft.RouteChangeEvent) -> None:
            shell.on_route_change(e)
            await arrived(page.route)

        async def arrived(route: str) -> None:
            """What a screen needs when it is opened, also by a deep link."""
            template = routes.match(route).template
            if template == routes.LOGIN and not state.auth.cards:
                await controller.auth.load_cards()
            place = routes.place_query(route)
            if template == routes.TRIPS and place is not None:
                await controller.trips.wait_and_go_to(*place)

        page.on_route_change = route_changed
        page.on_view_pop = shell.on_view_pop
        page.on_resize = lambda e: state.set_width(float(e.width))
        shell.render()

        page.run_task(controller.trips.start)

        async def every(seconds: float, job: Callable[[], Awaitable[None]]) -> None:
            """Run `job` forever; one failed pass is logged and the next one still runs."""
            while True:
                try:
                    await job()
                except Exception:  # noqa: BLE001 - logged; the loop must outlive one bad pass
                    log.exception("background job %s failed", job.__name__)
                await asyncio.sleep(seconds)

        await controller.load_notices()
        tasks = [
            asyncio.create_task(every(container.config.refresh_interval_s,
                                      controller.refresh_notices)),
            asyncio.create_task(every(5, controller.auth.check)),
        ]
        page.run_task(arrived, page.route)

        async def on_close(_e: ft.Event) -> None:
            for task in tasks:
                task.cancel()
            if state.auth.session is not None:
                await state.auth.session.logout()  # revoke, and wipe the personal cache
            await services.aclose()

        page.on_close = on_close

    return main
