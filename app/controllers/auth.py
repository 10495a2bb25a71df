"""Login with the card, the idle time-out and logout for ONE session.

The live AuthSession and the resident's ticket service live here, in this session's
controller, never in the state that views read.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from datetime import timedelta

from app.commands import Command
from app.container import SessionServices
from app.paths import RoutePath
from app.state import AppState, DevicesState, Resident, Topic
from services.applications import ApplicationService
from services.auth_api import Profile, SessionExpired
from services.consultations.bookings import BookingService
from services.devices import DeviceService
from services.errors import ApiError
from services.i18n import N_
from services.login import AuthSession
from services.login_problems import (
    LOGIN_ERRORS,
    LoginProblem,
    LoginProblemKind,
    login_problem,
)
from services.mynumber import CardSummary, FourFacts, MyNumberCard
from services.session_timer import IdlePhase, IdleTimer
from services.tickets import TicketService

log = logging.getLogger(__name__)

SEND_BEFORE_LOGOUT_S = 8.0
LOGGED_OUT = N_("You have logged out. Personal data on this device was deleted.")
AUTO_LOGOUT = N_("For your safety you were logged out after a period without activity.")


class AuthController:
    def __init__(
        self, state: AppState, services: SessionServices, navigate: Callable[[str], None],
        idle: IdleTimer,
    ) -> None:
        self.state = state
        self.services = services
        self._navigate = navigate
        self.idle = idle
        self._session: AuthSession | None = None
        self._tickets: TicketService | None = None
        self._devices: DeviceService | None = None
        self._applications: ApplicationService | None = None
        self._bookings: BookingService | None = None
        self._card_serial: str | None = None  # the card the resident logged in with
        self._facts: FourFacts | None = None  # read from that card at login, for forms
        self.on_end: list[Callable[[], None]] = []  # who forgets the resident at logout
        self.login = Command(self._login, state, Topic.login)
        self.logout = Command(self._logout, state)
        self.logout_anyway = Command(self._logout_anyway, state)
        self.extend = Command(self._extend, state, Topic.session_warning)

    @property
    def tickets(self) -> TicketService | None:
        """The logged-in resident's ticket service (None when nobody is logged in)."""
        return self._tickets

    @property
    def devices(self) -> DeviceService | None:
        """The logged-in resident's devices (None when nobody is logged in)."""
        return self._devices

    @property
    def applications(self) -> ApplicationService | None:
        """The logged-in resident's e-applications (None when nobody is logged in)."""
        return self._applications

    @property
    def bookings(self) -> BookingService | None:
        """The logged-in resident's consultation bookings (None when nobody is logged in)."""
        return self._bookings

    @property
    def profile(self) -> Profile | FourFacts | None:
        """The resident's four facts: the server's record, else what the card says."""
        if self._session is None:
            return None
        return self._session.profile or self._facts

    def signing_card(self) -> MyNumberCard | None:
        """The card the resident logged in with, opened for signing (blocking: a thread)."""
        serial = self._card_serial
        return None if serial is None or self._session is None else \
            self.services.cards.open(serial)

    async def load_cards(self) -> None:
        auth = self.state.auth
        try:
            auth.cards = await asyncio.to_thread(self.services.cards.cards)
        except OSError:  # a card folder that cannot be read: said on screen, and logged
            log.exception("the cards could not be read")
            auth.cards = []
        auth.cards_loaded = True
        self.state.changed(Topic.login)

    def choose_card(self, card: CardSummary | None) -> None:
        auth = self.state.auth
        auth.chosen = card
        auth.problem = None
        self.state.changed(Topic.login, Topic.pin_reset)

    async def _login(self, pin: str, /) -> None:
        auth = self.state.auth
        chosen = auth.chosen  # the card tapped now; "use another card" may change auth.chosen
        if chosen is None:
            return
        auth.problem = None
        self.state.changed(Topic.pin_reset)  # the field is emptied: a PIN is typed afresh
        try:
            card = await asyncio.to_thread(self.services.cards.open, chosen.serial)
            device = await self.services.device()
            session = await self.services.login.login(card, pin, device=device)
            # 券面事項入力補助: the card's four facts, read with the same PIN, to fill in forms.
            facts = await asyncio.to_thread(card.facts)
        except LOGIN_ERRORS as exc:
            auth.problem = login_problem(exc)
            return
        except Exception:  # logged with its traceback; the resident gets advice instead
            log.exception("login failed unexpectedly")
            auth.problem = LoginProblem(LoginProblemKind.unexpected)
            return
        self.state.trips.ticket = None  # nothing of an earlier resident stays on screen
        self.state.trips.ticket_problem = None
        self._session = session
        self._tickets = self.services.tickets_for(session)
        self._devices = self.services.devices_for(session)
        self._applications = self.services.applications_for(session)
        self._bookings = self.services.bookings_for(session)
        self._card_serial = chosen.serial
        self._facts = facts
        profile = session.profile
        auth.resident = Resident(
            name=profile.name if profile else chosen.name,
            municipality=profile.municipality if profile else chosen.municipality)
        auth.chosen = None
        auth.farewell = None
        self.idle.touch()
        log.info("resident logged in")
        destination, auth.return_to = auth.return_to or RoutePath.home, None
        self._navigate(destination)
        self.state.changed(Topic.auth, Topic.login, Topic.trip_journey)

    async def _extend(self) -> None:
        if self._session is None:
            return
        self.idle.touch()
        self.state.auth.expiry_warning_min = None
        try:
            await self._session.extend()
        except ApiError:
            pass  # still valid for now; the background check retries and logs out if it ends

    async def _logout(self) -> None:
        """Log out; but changes still waiting to be sent would be lost with the resident's key,
        so they are sent first, and if that fails the resident is shown them and asked."""
        service = self._applications
        if service is not None and service.unsent():
            try:
                await asyncio.wait_for(service.send(), SEND_BEFORE_LOGOUT_S)
            except (ApiError, TimeoutError):
                pass
            if service.unsent() and self._applications is service:
                self.state.applications.logout_blocked = True
                self._navigate(RoutePath.applications)
                self.state.changed(Topic.applications)
                return
        await self.end_session(LOGGED_OUT)

    async def _logout_anyway(self) -> None:
        await self.end_session(LOGGED_OUT)

    async def end_session(self, farewell: str) -> None:
        auth = self.state.auth
        session, self._session, self._tickets = self._session, None, None
        applications, self._applications = self._applications, None
        self._devices, self._card_serial, self._facts = None, None, None
        self._bookings = None
        if applications is not None:
            # Sealed with the key the logout deletes: they could never be read again.
            applications.forget_unsent()
        if session is None and auth.resident is None:
            return  # already ended (a logout tap and the idle check, say)
        for forget in self.on_end:
            forget()
        auth.resident = None
        auth.expiry_warning_min = None
        auth.farewell = farewell
        auth.return_to = None
        # A ticket and the device list are personal: the next person here must not see them.
        self.state.trips.ticket = None
        self.state.trips.ticket_problem = None
        self.state.devices = DevicesState()
        try:
            if session is not None:
                await session.logout()
        finally:  # the screen never shows a resident who is no longer logged in
            self._navigate(RoutePath.home)
            self.state.changed(Topic.auth, Topic.session_warning, Topic.trip_journey,
                               Topic.devices)

    async def close(self) -> None:
        """The browser tab closed: revoke the session and wipe the personal cache."""
        if self._session is not None:
            session, self._session, self._tickets = self._session, None, None
            self._devices, self._applications, self._card_serial = None, None, None
            self._facts, self._bookings = None, None
            await session.logout()

    async def check(self) -> None:
        """Run every few seconds: idle warning, idle logout, token refresh ahead of expiry."""
        auth, session = self.state.auth, self._session
        if session is None:
            return
        status = self.idle.status()
        if status.phase == IdlePhase.expired:
            await self.end_session(AUTO_LOGOUT)
            return
        warning = (max(1, math.ceil(status.remaining.total_seconds() / 60))
                   if status.phase == IdlePhase.warning else None)
        if warning != auth.expiry_warning_min:
            auth.expiry_warning_min = warning
            self.state.changed(Topic.session_warning)
        try:
            await session.ensure_fresh(timedelta(seconds=120))
        except SessionExpired:
            if self._session is session:  # not a session that ended or changed meanwhile
                await self.end_session(AUTO_LOGOUT)
        except ApiError:
            pass  # offline for a moment: the access token is still good; try again later
