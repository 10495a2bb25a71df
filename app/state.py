"""Observable state of ONE session (one browser tab or one device). Never module-global.

Views read it; the controller changes it through the methods here, which notify subscribers
(the shell re-renders). Testable without any UI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from app.theme import WIDE_BREAKPOINT, Tokens
from services.i18n import Translator
from services.models import Notice
from services.preferences import Preferences
from services.transit import Journey, StopMatch
from services.trips import TripMode, TripPlan, TripProblem
from views.widgets.fields import FieldKeeper

if TYPE_CHECKING:  # only for annotations: views import this module and must stay storage-free
    from services.login import AuthSession
    from services.mynumber import CardSummary
    from services.saved_journeys import SavedJourney
    from services.tickets import Ticket


@dataclass
class NoticesState:
    items: list[Notice] = field(default_factory=list)
    last_updated: datetime | None = None
    offline: bool = False
    refreshing: bool = False
    loaded: bool = False


@dataclass
class StopField:
    """One end of a trip: what the resident typed, the matches, and the stop they chose."""

    query: str = ""  # what is in the field now
    revision: int = 0  # bumped when the app itself sets the text (views/widgets/fields.py)
    matches: list[StopMatch] = field(default_factory=list)
    choice: StopMatch | None = None
    searched: bool = False
    near: str | None = None  # "current location" or a place's name the stop was chosen near
    near_m: int | None = None  # metres from that place to the chosen stop
    problem: str | None = None  # msgid: why "current location" gave no stop


@dataclass
class TripsState:
    """The trip form is kept for the whole session: leaving the screen loses nothing."""

    origin: StopField = field(default_factory=StopField)
    destination: StopField = field(default_factory=StopField)
    day_text: str = ""
    time_text: str = ""
    # Bumped when the app itself sets the date or time text (views/widgets/fields.py).
    when_revision: int = 0
    mode: TripMode = TripMode.depart
    fewer_transfers: bool = False
    less_walking: bool = False
    slow_walking: bool = False
    problems: list[TripProblem] = field(default_factory=list)
    plan: TripPlan | None = None
    planning: bool = False
    timetables_ready: bool = False
    timetables_error: str | None = None
    realtime_checked: bool = False  # delays from the live feed were applied to `plan`
    saved: list[SavedJourney] = field(default_factory=list)
    notice: str | None = None  # msgid of a short confirmation ("Saved", "Copied")
    ticket: IssuedTicket | None = None
    ticket_problem: str | None = None  # msgid


def journey_key(day: date, journey: Journey) -> tuple:
    """Identifies a journey across re-planning (what a ticket was issued for)."""
    return (day.isoformat(), journey.leaves_at, journey.arrival,
            tuple(ride.trip_id for ride in journey.rides))


@dataclass(frozen=True)
class IssuedTicket:
    journey_key: tuple  # which journey it is for
    ticket: Ticket
    qr_png: bytes


@dataclass(frozen=True)
class LoginProblem:
    """Why the last login attempt failed, in terms the login screen turns into advice."""

    kind: str  # see views.login.PROBLEM_KINDS
    remaining_tries: int | None = None
    retry_after_s: int | None = None


@dataclass
class AuthState:
    """This session's login. Lives only here, in this browser tab's state."""

    cards: list[CardSummary] = field(default_factory=list)
    chosen: CardSummary | None = None
    problem: LoginProblem | None = None
    busy: bool = False
    pin_revision: int = 0  # bumped to empty the PIN field after each attempt
    session: AuthSession | None = None
    card: CardSummary | None = None  # the card this session logged in with
    expiry_warning_s: int | None = None  # seconds left when the idle warning shows
    farewell: str | None = None  # msgid shown once on home after a logout

    @property
    def logged_in(self) -> bool:
        return self.session is not None and self.session.active

    @property
    def display_name(self) -> str | None:
        if not self.logged_in:
            return None
        profile = self.session.profile if self.session else None
        if profile is not None:
            return profile.name
        return self.card.name if self.card else None

    @property
    def municipality(self) -> str | None:
        if not self.logged_in:
            return None
        profile = self.session.profile if self.session else None
        if profile is not None:
            return profile.municipality
        return self.card.municipality if self.card else None


class AppState:
    def __init__(self, preferences: Preferences | None = None) -> None:
        self._preferences = preferences or Preferences()
        self._translator = Translator(self._preferences.language)
        self._tokens = Tokens.from_preferences(self._preferences)
        self.width = 0.0  # logical pixels of the window, from the client
        self.notices = NoticesState()
        self.trips = TripsState()
        self.auth = AuthState()
        self.fields = FieldKeeper()  # this session's text fields (kept across redraws)
        self._listeners: list[Callable[[], None]] = []

    # --- observation --------------------------------------------------------------------
    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    # --- derived ------------------------------------------------------------------------
    @property
    def preferences(self) -> Preferences:
        return self._preferences

    @property
    def t(self) -> Translator:
        return self._translator

    @property
    def tokens(self) -> Tokens:
        return self._tokens

    # --- mutations ----------------------------------------------------------------------
    def set_preferences(self, preferences: Preferences) -> None:
        if preferences == self._preferences:
            return
        if preferences.language != self._preferences.language:
            self._translator = Translator(preferences.language)
        self._preferences = preferences
        self._tokens = Tokens.from_preferences(preferences)
        self.notify()

    @property
    def wide(self) -> bool:
        return self.width >= WIDE_BREAKPOINT

    @property
    def compact_chrome(self) -> bool:
        """Large text on a phone: the bottom bar's labels would not fit, so the shell drops it
        (home and the back button still reach everything) and shortens the app bar."""
        return not self.wide and (
            self.tokens.scale > 1.5 or (self.tokens.scale > 1.0 and self.width < 480)
        )

    def set_width(self, width: float) -> None:
        if width != self.width:
            before = (self.wide, self.compact_chrome)
            self.width = width
            if (self.wide, self.compact_chrome) != before:
                self.notify()

    def set_notices(
        self, items: list[Notice], *, last_updated: datetime | None, offline: bool
    ) -> None:
        self.notices = NoticesState(
            items=items, last_updated=last_updated, offline=offline, loaded=True
        )
        self.notify()

    def set_refreshing(self, refreshing: bool) -> None:
        self.notices.refreshing = refreshing
        self.notify()
