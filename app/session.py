"""One resident's session: what `main(page)` sets up for each browser tab (or device)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import flet as ft

from app.container import Container, SessionServices
from app.controllers.applications import ApplicationsController, Notifier
from app.controllers.auth import AuthController
from app.controllers.childcare import ChildcareController
from app.controllers.consultations import ConsultationsController
from app.controllers.devices import DevicesController
from app.controllers.disaster import DisasterController
from app.controllers.info import InfoController
from app.controllers.medical import MedicalController, japan_now
from app.controllers.navigation import NavigationController
from app.controllers.notices import NoticesController
from app.controllers.relocation import RelocationController
from app.controllers.search import SearchController
from app.controllers.settings import SettingsController
from app.controllers.tourism import TourismController
from app.controllers.trips import Location, Sharing, TripController
from app.paths import Match, RoutePath, match, place_query, stop_query
from app.platform import (
    ClientFiles,
    ClientLocation,
    ClientPreferencesStorage,
    ClientSharing,
    DeviceNotifier,
    SilentNotifier,
)
from app.routes import Controllers
from app.shell import Shell
from app.state import AppState, Topic
from services.models import InfoDataset

log = logging.getLogger(__name__)
DRAFT_SCREENS = (RoutePath.draft, RoutePath.draft_confirm, RoutePath.draft_pay)
# Details screens of public records: which dataset, and the path's key naming the record.
RECORD_SCREENS = {
    RoutePath.medical_facility: (InfoDataset.medical, "facility"),
    RoutePath.childcare_facility: (InfoDataset.childcare, "facility"),
    RoutePath.shelter: (InfoDataset.shelters, "shelter"),
    RoutePath.aed: (InfoDataset.aeds, "aed"),
}

RELOCATION_SCREENS = (RoutePath.relocation, RoutePath.town_profile, RoutePath.compare,
                      RoutePath.budget, RoutePath.programmes, RoutePath.programme,
                      RoutePath.relocation_plan)


def make_controllers(state: AppState, services: SessionServices,
                     navigate: Callable[[str], None], *, sharing: Sharing | None = None,
                     location: Location | None = None,
                     notifier: Notifier | None = None,
                     files: ClientFiles | None = None) -> Controllers:
    """This session's controllers, wired to each other where one feature needs another."""
    auth = AuthController(state, services, navigate, services.idle_timer())
    picked_files = files or ClientFiles()  # one file chooser per session, for every screen
    notices = NoticesController(state, services.notices)
    applications = ApplicationsController(
        state, services.procedures, lambda: auth.applications, auth.signing_card,
        lambda: auth.profile, navigate, notifier or SilentNotifier(), picked_files,
        log_out_anyway=auth.logout_anyway)
    auth.on_end.append(applications.forget)
    settings = SettingsController(state, services.preferences, notices.load)
    where = location or ClientLocation()
    info = InfoController(state, services.info, settings, where)
    medical = MedicalController(state, services.info, japan_now)
    childcare = ChildcareController(state, services.info, japan_now)
    disaster = DisasterController(state, services.info, services.evacuation_plan, japan_now)

    async def medical_reload() -> None:
        if state.medical.loaded:
            await medical.load()

    info.on_data(medical_reload)
    info.on_data(childcare.reload)
    info.on_data(disaster.reload)
    consultations = ConsultationsController(
        state, services.consultations, lambda: auth.bookings, services.anonymous_bookings,
        services.booking_reminders, picked_files, notifier or SilentNotifier(), navigate)
    auth.on_end.append(consultations.forget)
    tourism = TourismController(state, services.tourism, japan_now)
    relocation = RelocationController(state, services.relocation, services.relocation_plan)
    info.on_data(tourism.reload)
    info.on_data(relocation.reload)
    return Controllers(
        tourism=tourism,
        relocation=relocation,
        search=SearchController(state, services.search),
        consultations=consultations,
        info=info,
        medical=medical,
        childcare=childcare,
        disaster=disaster,
        applications=applications,
        devices=DevicesController(state, lambda: auth.devices, auth.logout),
        nav=NavigationController(state, navigate, activity=auth.idle.touch),
        settings=settings,
        notices=notices,
        auth=auth,
        trips=TripController(
            state, services, tickets=lambda: auth.tickets,
            sharing=sharing or ClientSharing(), location=where,
            activity=auth.idle.touch),
    )


def make_main(container: Container) -> Callable[[ft.Page], Awaitable[None]]:
    async def main(page: ft.Page) -> None:
        state = AppState()
        services = container.session_services(ClientPreferencesStorage(), page.client_ip,
                                              page.client_user_agent)
        controllers = make_controllers(
            state, services, page.navigate,
            notifier=SilentNotifier() if container.web else DeviceNotifier())
        shell = Shell(page, state, controllers)
        controllers.trips.set_reveal(shell.reveal)

        # Preferences come from the device first, so the first frame is already in the
        # resident's language and text size.
        await controllers.settings.load()
        state.width = float(page.width or 0)
        state.subscribe(shell.on_change)

        async def route_changed(_e: ft.RouteChangeEvent) -> None:
            shell.show_route()
            await arrived(page.route)

        async def arrived(route: str) -> None:
            """What a screen needs when it is opened, also by a deep link."""
            try:
                await prepare(route)
            except Exception:  # logged; the screen says what it could not show
                log.exception("preparing %s failed", match(route).path.value)

        async def prepare(route: str) -> None:
            path = match(route).path
            if path == RoutePath.login and not state.auth.cards:
                await controllers.auth.load_cards()
            if path == RoutePath.devices and state.auth.logged_in:
                await controllers.devices.refresh()
            found = match(route)
            if path in DRAFT_SCREENS:
                controllers.applications.open_draft(found.keys["draft"])
            if path == RoutePath.applications:
                controllers.applications.load()
                controllers.applications.read_inbox()
                await controllers.applications.refresh()
            if path == RoutePath.application:
                await controllers.applications.open_application(found.keys["application"])
            place = place_query(route)
            if path == RoutePath.trips and place is not None:
                await controllers.trips.wait_and_go_to(*place)
            stop = stop_query(route)
            if path == RoutePath.trips and stop is not None:
                await controllers.trips.wait_and_choose_stop(stop)
            await prepare_info(path, found)

        async def prepare_info(path: RoutePath, found: Match) -> None:
            """The info screens answer from the device's store: ask it when one opens."""
            c = controllers
            if path == RoutePath.medical and not state.medical.loaded:
                await c.medical.load()
            if path == RoutePath.childcare and not state.childcare.loaded:
                await c.childcare.load()
            if path in (RoutePath.disaster, RoutePath.shelter, RoutePath.evacuation_plan):
                await c.disaster.load_plan()
            if path == RoutePath.disaster:
                await c.disaster.load_alerts()
                if not state.disaster.loaded:
                    await c.disaster.load_shelters()
            if path == RoutePath.aeds:
                await c.disaster.load_aeds()
            if path == RoutePath.consultations and not state.consultations.loaded:
                c.consultations.search(state.consultations.query)
                await c.consultations.refresh()
            if path == RoutePath.consultation:
                if c.consultations.service(found.keys["service"]) is None:
                    await c.consultations.refresh()  # a link opened before the first download
                await c.consultations.open_service(found.keys["service"])
            if path in (RoutePath.bookings, RoutePath.booking):
                await c.consultations.sync_bookings()
            await prepare_tourism(path, found)
            await prepare_relocation(path, found)
            record = RECORD_SCREENS.get(path)
            if record is not None:
                dataset, key = record
                await c.info.open(dataset, found.keys[key])

        async def prepare_tourism(path: RoutePath, found: Match) -> None:
            c, view = controllers.tourism, state.tourism
            if path == RoutePath.tourism and not view.loaded:
                await c.load()
            if path == RoutePath.spot:
                await c.open_spot(found.keys["spot"])
            if path == RoutePath.guides:
                await c.load_guides()
            if path == RoutePath.guide:
                await c.open_guide(found.keys["guide"])

        async def prepare_relocation(path: RoutePath, found: Match) -> None:
            c = controllers.relocation
            if path in RELOCATION_SCREENS:
                if not state.relocation.loaded:
                    await c.load()
                if not state.relocation.plan_loaded:
                    await c.load_plan()
            if path == RoutePath.town_profile:
                await c.open_town(found.keys["town"])
            if path == RoutePath.programme:
                await c.open_programme(found.keys["programme"])

        page.on_route_change = route_changed
        page.on_view_pop = shell.on_view_pop
        page.on_resize = lambda e: state.set_width(float(e.width))
        shell.apply_theme()
        shell.show_route()

        page.run_task(controllers.trips.start)

        async def every(seconds: float, job: Callable[[], Awaitable[object]]) -> None:
            """Run `job` forever; one failed pass is logged and the next one still runs."""
            while True:
                try:
                    await job()
                except Exception:  # logged: the loop must outlive one bad pass
                    log.exception("background job %r failed", job)
                await asyncio.sleep(seconds)

        await controllers.notices.load()
        await controllers.info.read_status()
        await controllers.disaster.load_alerts()

        def town_may_have_changed(topics: frozenset[Topic]) -> None:
            if Topic.auth in topics:  # a login brings the resident's town, a logout drops it
                page.run_task(controllers.disaster.load_alerts)
            if Topic.look in topics and state.search.query:  # hits in the new language
                page.run_task(controllers.search.search, state.search.query)

        state.subscribe(town_may_have_changed)
        page.run_task(controllers.info.prepare)
        # The one search's index in this language (shared by every session; built once).
        page.run_task(services.search.prepare, state.language.code)
        tasks = [
            asyncio.create_task(every(container.config.refresh_interval_s,
                                      controllers.info.refresh)),
            asyncio.create_task(every(container.config.refresh_interval_s,
                                      controllers.consultations.refresh)),
            asyncio.create_task(every(60, controllers.consultations.remind)),
            asyncio.create_task(every(container.config.refresh_interval_s,
                                      controllers.notices.refresh)),
            asyncio.create_task(every(5, controllers.auth.check)),
            asyncio.create_task(every(container.config.refresh_interval_s,
                                      controllers.applications.sync)),
            asyncio.create_task(controllers.applications.refresh_catalogue()),
        ]
        page.run_task(arrived, page.route)

        async def on_close(_e: ft.Event) -> None:
            for task in tasks:
                task.cancel()
            try:
                await controllers.auth.close()  # revoke, and wipe the personal cache
            finally:  # the clients and this session's demo cards go in any case
                await services.aclose()

        page.on_close = on_close

    return main
