"""Carries out what the resident asks for: updates the session state and calls services."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Protocol

from app import routes
from app.container import SessionServices
from app.platform import LocationUnavailable
from app.state import AppState, IssuedTicket, LoginProblem, StopField, journey_key
from services.auth_api import (
    CertificateExpired,
    CertificateRevoked,
    CertificateUntrusted,
    LoginRefused,
    LoginUnavailable,
    RateLimited,
    SessionExpired,
    SignatureRejected,
)
from services.errors import ApiError, Offline
from services.i18n import JAPAN_TZ
from services.mynumber import CardDamaged, CardLocked, CardSummary, InvalidPinFormat, WrongPin
from services.preferences import TextSize
from services.qr import qr_png
from services.realtime import LiveDelays, apply_realtime, today_in_toyama
from services.session_timer import IdlePhase, IdleTimer
from services.tickets import TicketClient, order_for
from services.transit import Journey, RealtimeError, StopMatch
from services.trips import TripRequestError, TripService, build_request, stop_label
from views.areas import N_
from views.trips import FORM_TOP_KEY, RESULTS_KEY

log = logging.getLogger(__name__)


class Controller:
    def __init__(
        self,
        state: AppState,
        services: SessionServices,
        navigate: Callable[[str], None],
    ) -> None:
        self.state = state
        self.services = services
        self._navigate = navigate
        self.auth = AuthController(state, services, navigate, services.idle_timer())
        self.trips = TripController(state, services, activity=self.auth.idle.touch)

    # --- navigation ---------------------------------------------------------------------
    def go(self, route: str) -> None:
        self.auth.idle.touch()
        self.state.trips.notice = None  # a confirmation belongs to the screen it was shown on
        self._navigate(route)

    # --- preferences --------------------------------------------------------------------
    async def _update(self, **changes: object) -> None:
        before = self.state.preferences
        after = before.with_changes(**changes)
        self.state.set_preferences(after)
        await self.services.preferences.save(after)
        if after.language != before.language:
            await self.load_notices()

    async def set_language(self, code: str) -> None:
        await self._update(language=code)

    async def set_text_size(self, size: TextSize) -> None:
        await self._update(text_size=size)

    async def set_simplified(self, on: bool) -> None:
        await self._update(simplified=on)

    async def set_high_contrast(self, on: bool) -> None:
        await self._update(high_contrast=on)

    # --- notices ------------------------------------------------------------------------
    async def load_notices(self) -> None:
        notices = self.services.notices
        items = await notices.list(self.state.preferences.language)
        status = await notices.status()
        self.state.set_notices(items, last_updated=status.last_updated, offline=status.offline)

    async def refresh_notices(self) -> None:
        if self.state.notices.refreshing:
            return  # one refresh at a time: a double tap does not send two
        self.state.set_refreshing(True)
        try:
            result = await self.services.notices.refresh()
            log.info("notices pull: %s (%d changed)", result.outcome, result.changed)
        finally:
            await self.load_notices()


class TripController:
    """The trip screen's actions. Mutates `state.trips`, then asks for one redraw."""

    def __init__(
        self, state: AppState, services: SessionServices,
        reveal: Callable[[str], None] = lambda _key: None,
        activity: Callable[[], None] = lambda: None,
    ) -> None:
        self.state = state
        self.services = services
        self._activity = activity  # using the trip screen counts as activity for the idle timer
        self.trips: TripService = services.trips
        self._reveal = reveal
        self._sharing: Sharing | None = None
        self._location: Location | None = None

    def set_sharing(self, sharing: Sharing) -> None:
        self._sharing = sharing

    def set_reveal(self, reveal: Callable[[str], None]) -> None:
        self._reveal = reveal

    def _field(self, which: str) -> StopField:
        return self.state.trips.origin if which == "origin" else self.state.trips.destination

    async def start(self) -> None:
        now = datetime.now(JAPAN_TZ)
        form = self.state.trips
        if not form.day_text and not form.time_text:
            form.day_text = now.strftime("%Y-%m-%d")
            form.time_text = now.strftime("%H:%M")
            form.when_revision += 1
        form.saved = await self.services.saved_journeys.list()
        ready = await self.trips.wait_ready()
        form.timetables_ready = ready
        if not ready:
            log.error("timetables unavailable: %s", self.trips.error or "timed out")
        form.timetables_error = None if ready else TIMETABLES_UNAVAILABLE
        self.state.notify()

    async def search(self, which: str, query: str) -> None:
        self._activity()
        stop = self._field(which)
        stop.query = query
        stop.choice = None
        if not self.trips.ready:
            return
        matches = await self.trips.search_stops(query)
        if stop.query != query:
            return  # a newer keystroke started another search: its answer is the one to show
        stop.matches = matches
        stop.searched = bool(query.strip())
        self.state.notify()

    def set_location(self, location: Location) -> None:
        self._location = location

    async def use_location(self, which: str) -> None:
        """From (or to) the stop nearest to where the resident stands."""
        self._activity()
        stop = self._field(which)
        stop.problem = None
        if self._location is None or not self.trips.ready:
            stop.problem = LOCATION_UNAVAILABLE
            self.state.notify()
            return
        try:
            lat, lon = await self._location.current()
        except LocationUnavailable as exc:
            stop.problem = LOCATION_DENIED if exc.denied else LOCATION_UNAVAILABLE
            self.state.notify()
            return
        await self.near_place(which, lat, lon, CURRENT_LOCATION)

    async def wait_and_go_to(self, lat: float, lon: float, name: str) -> None:
        """A trip to a place another screen sent: wait for the timetables, then the stop."""
        if await self.trips.wait_ready():
            await self.near_place("destination", lat, lon, name or PLACE)

    async def near_place(self, which: str, lat: float, lon: float, name: str) -> None:
        """Choose the stop nearest to a place: the resident, or one from another screen."""
        stop = self._field(which)
        nearby = await self.trips.nearest_stops(lat, lon, 1)
        if not nearby:
            stop.problem = NO_STOP_NEARBY
            self.state.notify()
            return
        self.choose(which, nearby[0].match)
        stop.near, stop.near_m = name, round(nearby[0].metres)
        self.state.notify()

    def choose(self, which: str, match: StopMatch) -> None:
        self._activity()
        stop = self._field(which)
        stop.near = stop.near_m = stop.problem = None
        stop.choice = match
        stop.query = stop_label(match, self.state.preferences.language)
        stop.revision += 1  # only this field shows new text; the others keep what is typed
        stop.matches = []
        stop.searched = False
        self.state.trips.problems = []
        self.state.notify()

    def swap(self) -> None:
        self._activity()
        form = self.state.trips
        form.origin, form.destination = form.destination, form.origin
        form.origin.revision = form.destination.revision = max(
            form.origin.revision, form.destination.revision) + 1
        self.state.notify()

    def edit(self, **changes: object) -> None:
        """Typing in date and time fields: kept without a redraw (the field shows it)."""
        self._activity()
        for name, value in changes.items():
            setattr(self.state.trips, name, value)

    def set_option(self, **changes: object) -> None:
        self.edit(**changes)
        self.state.notify()

    async def plan(self) -> None:
        self._activity()
        form = self.state.trips
        if form.planning:
            return
        try:
            request = build_request(
                origin=form.origin.choice.stop_id if form.origin.choice else None,
                destination=form.destination.choice.stop_id if form.destination.choice else None,
                day_text=form.day_text, time_text=form.time_text, mode=form.mode,
                fewer_transfers=form.fewer_transfers, less_walking=form.less_walking,
                slow_walking=form.slow_walking,
            )
        except TripRequestError as exc:
            form.problems = exc.problems
            form.plan = None
            self.state.notify()
            self._reveal(FORM_TOP_KEY)
            return
        form.problems = []
        form.planning = True
        self.state.notify()
        try:
            form.plan = await self.trips.plan(request)
            await self._apply_live_delays()
        finally:
            form.planning = False
            self.state.notify()
        self._reveal(RESULTS_KEY)

    async def _apply_live_delays(self) -> None:
        """Online: shift the results by the operator's live delays. Offline: plan as timetabled
        and say that no live information was available."""
        form = self.state.trips
        form.realtime_checked = False
        client = self.services.realtime
        try:
            data = await client.fetch() or client.latest
        except ApiError:
            data = client.latest
        if not data or form.plan is None:
            return
        try:
            delays = LiveDelays.parse(data, self.trips.network())
        except RealtimeError:
            log.warning("the live trip updates could not be read")
            return
        form.plan = apply_realtime(form.plan, delays, today=today_in_toyama())
        form.realtime_checked = True

    # --- what the resident does with a journey ----------------------------------------
    def journey(self, source: str, index: int) -> tuple[date, Journey] | None:
        """The journey behind a results row ("result") or a saved one ("saved")."""
        form = self.state.trips
        if source == "saved":
            if 0 <= index < len(form.saved):
                item = form.saved[index]
                return item.day, item.journey
            return None
        if form.plan and 0 <= index < len(form.plan.journeys):
            return form.plan.request.day, form.plan.journeys[index]
        return None

    def _confirm(self, msgid: str) -> None:
        self.state.trips.notice = msgid
        self.state.notify()

    async def save(self, index: int, label: str) -> None:
        self._activity()
        found = self.journey("result", index)
        if found is None:
            return
        await self.services.saved_journeys.save(found[0], found[1], label)
        self.state.trips.saved = await self.services.saved_journeys.list()
        self._confirm(SAVED)

    async def remove_saved(self, index: int) -> None:
        form = self.state.trips
        if 0 <= index < len(form.saved):
            await self.services.saved_journeys.remove(form.saved[index].id)
            form.saved = await self.services.saved_journeys.list()
        self._confirm(REMOVED)

    async def share(self, text: str, subject: str) -> None:
        if self._sharing is None:
            return
        outcome = await self._sharing.share_text(text, subject)
        self._confirm(SHARED if outcome == "shared" else COPIED)

    async def issue_ticket(self, source: str, index: int) -> None:
        self._activity()
        form, session = self.state.trips, self.state.auth.session
        found = self.journey(source, index)
        if found is None or session is None:
            return
        day, journey = found
        form.ticket_problem = None
        try:
            order = order_for(journey, day, fare_yen=self.trips.fare_yen(journey),
                              language=self.state.preferences.language)
            ticket = await TicketClient(session).issue(order)
            png = await asyncio.to_thread(qr_png, ticket.qr_text)
        except Offline:
            form.ticket_problem = TICKET_OFFLINE
        except (ApiError, ValueError):
            form.ticket_problem = TICKET_REFUSED
        else:
            form.ticket = IssuedTicket(journey_key(day, journey), ticket, png)
        self.state.notify()

    async def use_date(self, day: date) -> None:
        self.state.trips.day_text = day.isoformat()
        self.state.trips.when_revision += 1
        await self.plan()

    def fare_yen(self, journey: Journey) -> int | None:
        return self.trips.fare_yen(journey)


SAVED = N_("Saved on this device. You can open it without a connection.")
REMOVED = N_("Removed from saved journeys.")
SHARED = N_("Shared.")
COPIED = N_("Copied. Paste it into a message or a note.")
TICKET_OFFLINE = N_("The ticket could not be issued: you are offline.")
TICKET_REFUSED = N_("The ticket could not be issued for this journey.")


TIMETABLES_UNAVAILABLE = N_("The trip planner cannot start on this device. Please try again "
                            "later.")
CURRENT_LOCATION = N_("your current location")
PLACE = N_("the place you chose")
LOCATION_DENIED = N_("Location is not allowed. Allow it in the browser's settings, or type a "
                     "stop name.")
LOCATION_UNAVAILABLE = N_("Your location is not available on this device. Type a stop name.")
NO_STOP_NEARBY = N_("There is no stop within 1.5 km in the app's timetables. Type a stop name.")


class Location(Protocol):
    async def current(self) -> tuple[float, float]: ...


class Sharing(Protocol):
    async def share_text(self, text: str, subject: str) -> str: ...


LOGGED_OUT = N_("You have logged out. Personal data on this device was deleted.")
AUTO_LOGOUT = N_("For your safety you were logged out after a period without activity.")


class AuthController:
    """Login with the card, the idle time-out and logout for ONE session."""

    def __init__(
        self, state: AppState, services: SessionServices, navigate: Callable[[str], None],
        idle: IdleTimer,
    ) -> None:
        self.state = state
        self.services = services
        self._navigate = navigate
        self.idle = idle

    async def load_cards(self) -> None:
        self.state.auth.cards = await asyncio.to_thread(self.services.cards.cards)
        self.state.notify()

    def choose_card(self, card: CardSummary | None) -> None:
        auth = self.state.auth
        auth.chosen = card
        auth.problem = None
        self.state.notify()

    async def login(self, pin: str) -> None:
        auth = self.state.auth
        chosen = auth.chosen  # the card tapped now; "use another card" may change auth.chosen
        if auth.busy or chosen is None:
            return
        auth.busy = True
        auth.problem = None
        auth.pin_revision += 1  # the field is emptied: a PIN is typed afresh every time
        self.state.notify()
        try:
            card = await asyncio.to_thread(self.services.cards.open, chosen.serial)
            session = await self.services.login.login(card, pin)
        except Exception as exc:  # noqa: BLE001 - every failure becomes advice on screen
            auth.problem = login_problem(exc)
            if auth.problem.kind == "unexpected":
                log.exception("login failed unexpectedly")
            return
        finally:
            auth.busy = False
            self.state.notify()
        auth.session = session
        auth.card = chosen
        auth.chosen = None
        auth.farewell = None
        self.idle.touch()
        log.info("resident logged in")
        self._navigate(routes.HOME)
        self.state.notify()

    async def extend(self) -> None:
        session = self.state.auth.session
        if session is None:
            return
        self.idle.touch()
        self.state.auth.expiry_warning_s = None
        try:
            await session.extend()
        except ApiError:
            pass  # still valid for now; the background check retries and logs out if it ends
        self.state.notify()

    async def logout(self, farewell: str = LOGGED_OUT) -> None:
        auth = self.state.auth
        session, auth.session = auth.session, None
        auth.card = None
        auth.expiry_warning_s = None
        auth.farewell = farewell
        # A ticket is personal: the next person at this screen must not see it.
        self.state.trips.ticket = None
        self.state.trips.ticket_problem = None
        if session is not None:
            await session.logout()
        self._navigate(routes.HOME)
        self.state.notify()

    async def check(self) -> None:
        """Run every few seconds: idle warning, idle logout, token refresh ahead of expiry."""
        auth = self.state.auth
        if auth.session is None:
            return
        status = self.idle.status()
        if status.phase == IdlePhase.expired:
            await self.logout(AUTO_LOGOUT)
            return
        warning = int(status.remaining.total_seconds()) if status.phase == IdlePhase.warning \
            else None
        if warning != auth.expiry_warning_s:
            auth.expiry_warning_s = warning
            self.state.notify()
        try:
            await auth.session.ensure_fresh(timedelta(seconds=120))
        except SessionExpired:
            await self.logout(AUTO_LOGOUT)
        except ApiError:
            pass  # offline for a moment: the access token is still good; try again later




def login_problem(exc: Exception) -> LoginProblem:
    """Map the card's and the server's errors to what the login screen explains."""
    if isinstance(exc, WrongPin):
        return LoginProblem("wrong_pin", remaining_tries=exc.remaining_tries)
    if isinstance(exc, CardLocked):
        return LoginProblem("locked")
    if isinstance(exc, InvalidPinFormat):
        return LoginProblem("pin_format")
    if isinstance(exc, CertificateExpired):
        return LoginProblem("expired")
    if isinstance(exc, CertificateRevoked):
        return LoginProblem("revoked")
    if isinstance(exc, RateLimited):
        return LoginProblem("rate_limited", retry_after_s=exc.retry_after)
    if isinstance(exc, (Offline, LoginUnavailable)):
        return LoginProblem("offline")
    if isinstance(exc, (CertificateUntrusted, SignatureRejected, CardDamaged, LoginRefused)):
        return LoginProblem("card_refused")
    return LoginProblem("unexpected")
