"""State of ONE session (one browser tab or one device): plain data, never live services.

Views read it; controllers change it and then say which part changed with `changed(topic)`.
Whoever shows that part (a region of a screen, the frame) redraws just that part, so a
keystroke never rebuilds a screen. Testable without any UI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum, auto

from app.theme import WIDE_BREAKPOINT, Tokens
from forms.definition import Procedure
from forms.problems import Problem
from services.application_models import (
    ApplicationDetail,
    ApplicationSummary,
    Draft,
    InboxEvent,
    QueuedChange,
    ShownReceipt,
)
from services.consultations.anonymous import AnonymousTicket
from services.consultations.bookings import MyBooking
from services.consultations.models import Channel, Service, Slot
from services.consultations.problems import BookingProblem
from services.consultations.refusals import RefusalCode
from services.devices import Device
from services.i18n import Language, Translator
from services.info.models import (
    Aed,
    Alert,
    ChildcareFacility,
    ChildcareType,
    Hazard,
    MedicalFacility,
    Shelter,
)
from services.info.plan import EvacuationPlan
from services.info.schedules import ScheduleItem
from services.info.service import Found
from services.info.towns import find_town
from services.login_problems import LoginProblem
from services.models import InfoDataset, Notice
from services.mynumber import CardSummary
from services.preferences import Preferences
from services.relocation.budget import Budget, Household
from services.relocation.models import Programme, ProgrammeKind, TownProfile
from services.relocation.plan import RelocationPlan
from services.saved_journeys import SavedJourney
from services.search.models import Hit
from services.tickets import IssuedTicket
from services.tourism.crowds import DayCrowds, Quieter
from services.tourism.filters import Found as SpotFound
from services.tourism.guides import Guide
from services.tourism.models import Spot
from services.transit import StopMatch
from services.trips import TripEnd, TripMode, TripPlan, TripProblem


class Topic(Enum):
    """A part of the state that changes on its own; screens redraw per topic."""

    look = auto()  # language, text size, simplified mode, contrast: everything is redrawn
    layout = auto()  # the window crossed a width class: the frame is redrawn
    notices = auto()
    auth = auto()  # who is logged in (greeting, logout buttons, tickets)
    login = auto()  # the login screen: cards, the chosen card, a problem, checking
    pin_reset = auto()  # the app emptied the PIN field (after a try, for another card)
    session_warning = auto()  # the idle warning
    trip_form = auto()  # options, problems, timetable status
    trip_text = auto()  # the app set the text of the trip fields in `TripsState.replaced`
    trip_origin = auto()  # one stop field's matches and choice
    trip_destination = auto()
    trip_results = auto()
    trip_saved = auto()
    trip_journey = auto()  # a confirmation or a ticket on the journey screen
    devices = auto()  # the resident's logged-in devices
    procedures = auto()  # the catalogue and the search results
    form = auto()  # the open form's items (a group item added or removed, a draft loaded)
    form_problems = auto()  # the messages under the open form's fields
    signing = auto()  # the confirm step: signing, its problem
    payment = auto()  # the payment step
    applications = auto()  # my applications, drafts, what waits to be sent, the inbox
    application = auto()  # the open application: status, history, receipt code
    where = auto()  # the chosen town or the device's location, for "nearest first"
    info_status = auto()  # how fresh the medical, childcare and disaster data are
    medical = auto()  # the medical search's options and results
    childcare = auto()
    checkups = auto()  # a child's check-up and vaccination schedule
    alerts = auto()  # warnings and evacuation information in force for the town
    shelters = auto()  # the hazard chosen and the shelters for it
    aeds = auto()
    plan = auto()  # my evacuation plan
    place = auto()  # the clinic, facility, shelter or AED open on a details screen
    consultations = auto()  # the services found for a need
    slots = auto()  # the open service's calendar, its slots and the time chosen
    booking_form = auto()  # the confirm step: problems, the anonymous code
    bookings = auto()  # my bookings, what waits to be sent, refusals, reminders
    tourism = auto()  # the spot list's results
    tourism_filters = auto()  # the spot list's filters (not redrawn at each letter typed)
    spot = auto()  # the open spot, its crowd levels and quieter places
    guides = auto()  # the walking routes and the open one
    relocation = auto()  # town profiles, programmes, the open town or programme
    relocation_plan = auto()  # my relocation plan (towns of interest, notes, checklist)
    budget = auto()  # the household described and its budget
    search = auto()  # the home's one search: the hits for what is typed


TRIP_END_TOPIC = {TripEnd.origin: Topic.trip_origin, TripEnd.destination: Topic.trip_destination}


class TripField(Enum):
    """The trip form's text fields, for saying which ones the app itself filled in."""

    origin = auto()
    destination = auto()
    day = auto()
    time = auto()


TRIP_END_FIELD = {TripEnd.origin: TripField.origin, TripEnd.destination: TripField.destination}

Listener = Callable[[frozenset[Topic]], None]


@dataclass
class NoticesState:
    items: list[Notice] = field(default_factory=list)
    last_updated: datetime | None = None
    offline: bool = False
    loaded: bool = False


@dataclass
class StopField:
    """One end of a trip: what the resident typed, the matches, and the stop they chose."""

    query: str = ""  # what is in the field now
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
    mode: TripMode = TripMode.depart
    fewer_transfers: bool = False
    less_walking: bool = False
    slow_walking: bool = False
    problems: list[TripProblem] = field(default_factory=list)
    plan: TripPlan | None = None
    timetables_ready: bool = False
    timetables_error: str | None = None  # msgid
    realtime_checked: bool = False  # delays from the live feed were applied to `plan`
    saved: list[SavedJourney] = field(default_factory=list)
    notice: str | None = None  # msgid of a short confirmation ("Saved", "Copied")
    # While Topic.trip_text is announced: the fields whose text the app replaced. Only those
    # are written, so a field someone is typing in keeps every letter.
    replaced: frozenset[TripField] = frozenset()
    ticket: IssuedTicket | None = None
    ticket_problem: str | None = None  # msgid

    def end(self, which: TripEnd) -> StopField:
        return self.origin if which == TripEnd.origin else self.destination


@dataclass
class DevicesState:
    """The resident's logged-in devices, as last read from the backend."""

    items: list[Device] = field(default_factory=list)
    loaded: bool = False
    problem: str | None = None  # msgid: why the list could not be read or changed
    notice: str | None = None  # msgid: what the last action did


@dataclass
class ApplicationsState:
    """E-applications in this session: the catalogue, the open draft, the resident's list."""

    query: str = ""
    results: list[Procedure] = field(default_factory=list)
    draft: Draft | None = None  # the draft open in the form, confirm or payment screen
    problems: list[Problem] = field(default_factory=list)  # the open draft's, all of them
    shown: frozenset[str] = frozenset()  # fields whose problems are shown (left, or checked)
    attach_problems: dict[str, Problem] = field(default_factory=dict)  # a file refused, by spec
    sign_problem: str | None = None  # msgid
    pay_problem: str | None = None  # msgid
    drafts: list[Draft] = field(default_factory=list)
    items: list[ApplicationSummary] = field(default_factory=list)
    queued: list[QueuedChange] = field(default_factory=list)
    inbox: list[InboxEvent] = field(default_factory=list)
    unread: int = 0
    loaded: bool = False
    offline: bool = False
    problem: str | None = None  # msgid: the list could not be read or a change not made
    notice: str | None = None  # msgid: what the last action did
    detail: ApplicationDetail | None = None
    receipt: ShownReceipt | None = None
    logout_blocked: bool = False  # a logout waits: changes here would be lost with it


class OpenWhen(Enum):
    """Which opening hours the medical search asks for."""

    any_time = auto()
    now = auto()
    at = auto()  # the day and time in MedicalState.day_text / time_text


@dataclass
class WhereState:
    """Where "nearest" is measured from: the device's position when it gave one, else the
    chosen town (the resident's own after login, or the one picked on the device)."""

    here: tuple[float, float] | None = None
    locating: bool = False
    problem: str | None = None  # msgid: why the location could not be used


@dataclass
class InfoStatus:
    last_updated: datetime | None = None  # the oldest of the datasets' last good syncs
    offline: bool = False
    synced: bool = False  # at least one sync finished (any outcome) in this session


@dataclass
class MedicalState:
    query: str = ""
    department: str | None = None  # as published ("小児科"); None: any
    when: OpenWhen = OpenWhen.any_time
    day_text: str = ""
    time_text: str = ""
    problem: str | None = None  # msgid: the day or time cannot be read
    asked_at: datetime | None = None  # the moment the results are open at (None: any time)
    results: list[Found[MedicalFacility]] = field(default_factory=list)
    total: int = 0  # how many matched before the list was cut
    loaded: bool = False


@dataclass
class ChildcareState:
    query: str = ""
    kind: ChildcareType | None = None
    age_months: int | None = None  # the child's age band, or None: any
    results: list[Found[ChildcareFacility]] = field(default_factory=list)
    total: int = 0
    loaded: bool = False


@dataclass
class CheckupsState:
    birth_text: str = ""
    problem: str | None = None  # msgid
    birth: date | None = None
    items: list[ScheduleItem] = field(default_factory=list)


@dataclass
class DisasterState:
    alerts: list[Alert] = field(default_factory=list)
    hazard: Hazard = Hazard.flood
    shelters: list[Found[Shelter]] = field(default_factory=list)
    shelter_total: int = 0
    aeds: list[Found[Aed]] = field(default_factory=list)
    plan: EvacuationPlan | None = None
    plan_problem: Problem | None = None  # why the last change to the plan was refused
    notice: str | None = None  # msgid: what the last change to the plan did
    loaded: bool = False


@dataclass
class ConsultationsState:
    """Finding a consultation and booking it, in this session."""

    query: str = ""
    channel: Channel | None = None
    spoken: str | None = None  # only services held in (or interpreted into) this language
    results: list[Service] = field(default_factory=list)
    synced_at: datetime | None = None
    offline: bool = False
    loaded: bool = False
    service_id: str | None = None  # the service open on its screen
    days: list[date] = field(default_factory=list)  # days of the window, in order
    room: set[date] = field(default_factory=set)  # the days with a free place
    day: date | None = None  # the day chosen in the calendar
    slots: list[Slot] = field(default_factory=list)  # the chosen day's
    start: datetime | None = None  # the time chosen
    slots_offline: bool = False  # shown from the last download
    rescheduling: str | None = None  # the booking being moved to another time
    problems: list[BookingProblem] = field(default_factory=list)
    code: AnonymousTicket | None = None  # an anonymous booking's code, shown once
    refused: RefusalCode | None = None  # the server refused the anonymous booking
    alternatives: tuple[datetime, ...] = ()  # the free times it offered instead
    notice: str | None = None  # msgid: what the last action did
    bookings: list[MyBooking] = field(default_factory=list)
    tickets: list[AnonymousTicket] = field(default_factory=list)  # anonymous, on this device
    reminders: list[str] = field(default_factory=list)  # booking ids due a reminder now


@dataclass
class TourismState:
    query: str = ""
    language: str | None = None  # on-site support in this language
    barrier_free: bool = False
    free_entry: bool = False
    open_now: bool = False
    municipality: str | None = None
    category: str | None = None
    categories: list[str] = field(default_factory=list)
    results: list[SpotFound[Spot]] = field(default_factory=list)
    total: int = 0
    loaded: bool = False
    spot_id: str = ""
    spot: Spot | None = None
    spot_loaded: bool = False
    day: date | None = None  # the day the crowd levels are for
    hour: int | None = None  # the hour quieter places are compared at
    crowds: DayCrowds | None = None
    crowds_loaded: bool = False
    quieter: Quieter | None = None
    nearby: dict[str, Spot] = field(default_factory=dict)  # the quieter places, by id
    guides: list[Guide] = field(default_factory=list)
    guides_loaded: bool = False
    guide_id: str = ""
    guide: Guide | None = None
    guide_loaded: bool = False


@dataclass
class RelocationState:
    towns: list[TownProfile] = field(default_factory=list)
    loaded: bool = False
    town_code: str = ""  # the town's profile screen shows (also before its first download)
    town: TownProfile | None = None
    town_loaded: bool = False
    all_programmes: list[Programme] = field(default_factory=list)  # for the towns' profiles
    programmes: list[Programme] = field(default_factory=list)  # of the kind chosen
    programme_kind: ProgrammeKind | None = None
    programme_id: str = ""
    programme: Programme | None = None
    programme_loaded: bool = False
    plan: RelocationPlan = field(default_factory=RelocationPlan)
    plan_loaded: bool = False
    message: str | None = None  # msgid: what the last change to the plan did
    problem: Problem | None = None  # why the last change to the plan was refused
    household: Household | None = None
    household_problems: dict[str, str] = field(default_factory=dict)  # field -> msgid
    budget: Budget | None = None


@dataclass
class SearchState:
    query: str = ""
    hits: list[Hit] = field(default_factory=list)
    asked: str = ""  # the query the hits answer


@dataclass
class PlaceState:
    """The record a details screen shows (read from the device's store when it opens)."""

    dataset: InfoDataset | None = None
    id: str = ""
    record: MedicalFacility | ChildcareFacility | Shelter | Aed | None = None
    loaded: bool = False


@dataclass(frozen=True)
class Resident:
    """Who is logged in, as the screens show it (the live session stays in the controller)."""

    name: str
    municipality: str | None


@dataclass
class AuthState:
    """This session's login. Lives only here, in this browser tab's state."""

    cards: list[CardSummary] = field(default_factory=list)
    cards_loaded: bool = False  # the card reader answered (the list may still be empty)
    chosen: CardSummary | None = None
    problem: LoginProblem | None = None
    resident: Resident | None = None
    # Whole minutes left when the idle warning shows: it changes once a minute, not at every
    # check, so the warning (a live region, with a button) is not redrawn under the focus.
    expiry_warning_min: int | None = None
    farewell: str | None = None  # msgid shown on home after a logout, until the next move
    return_to: str | None = None  # where to go after login (a screen that needs it)

    @property
    def logged_in(self) -> bool:
        return self.resident is not None

    @property
    def display_name(self) -> str | None:
        return self.resident.name if self.resident else None

    @property
    def municipality(self) -> str | None:
        return self.resident.municipality if self.resident else None


class AppState:
    def __init__(self, preferences: Preferences | None = None) -> None:
        self._preferences = preferences or Preferences()
        self._translator = Translator(self._preferences.language)
        self._tokens = Tokens.from_preferences(self._preferences)
        self.width = 0.0  # logical pixels of the window, from the client
        self.notices = NoticesState()
        self.trips = TripsState()
        self.auth = AuthState()
        self.devices = DevicesState()
        self.applications = ApplicationsState()
        self.where = WhereState()
        self.info_status = InfoStatus()
        self.medical = MedicalState()
        self.childcare = ChildcareState()
        self.checkups = CheckupsState()
        self.disaster = DisasterState()
        self.place = PlaceState()
        self.consultations = ConsultationsState()
        self.tourism = TourismState()
        self.relocation = RelocationState()
        self.search = SearchState()
        self._listeners: list[Listener] = []

    # --- observation --------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def changed(self, *topics: Topic) -> None:
        """Tell whoever shows these parts to redraw them."""
        if not topics:
            return
        which = frozenset(topics)
        for listener in list(self._listeners):
            listener(which)

    # --- derived ------------------------------------------------------------------------
    @property
    def preferences(self) -> Preferences:
        return self._preferences

    @property
    def t(self) -> Translator:
        return self._translator

    @property
    def language(self) -> Language:
        return self._translator.language

    @property
    def tokens(self) -> Tokens:
        return self._tokens

    @property
    def wide(self) -> bool:
        return self.width >= WIDE_BREAKPOINT

    @property
    def town(self) -> str | None:
        """The town to show information for: the logged-in resident's, else the device's
        choice."""
        if self.auth.municipality and (found := find_town(self.auth.municipality)):
            return found.code
        return self.preferences.town

    @property
    def search_town(self) -> str | None:
        """The town lists are limited to: none when the device gave its position (the nearest
        place may be over a town border), else the town shown."""
        return None if self.where.here is not None else self.town

    @property
    def compact_chrome(self) -> bool:
        """Large text on a phone: the bottom bar's labels would not fit, so the shell drops it
        (home and the back button still reach everything) and shortens the app bar."""
        return not self.wide and (
            self.tokens.scale > 1.5 or (self.tokens.scale > 1.0 and self.width < 480)
        )

    # --- mutations ----------------------------------------------------------------------
    def set_preferences(self, preferences: Preferences) -> None:
        if preferences == self._preferences:
            return
        if preferences.language != self._preferences.language:
            self._translator = Translator(preferences.language)
        # The chosen town changes what is shown, not how: no need to redraw everything.
        looks_alike = replace(preferences, town=None) == replace(self._preferences, town=None)
        self._preferences = preferences
        self._tokens = Tokens.from_preferences(preferences)
        self.changed(Topic.where if looks_alike else Topic.look)

    def set_width(self, width: float) -> None:
        if width != self.width:
            before = (self.wide, self.compact_chrome)
            self.width = width
            if (self.wide, self.compact_chrome) != before:
                self.changed(Topic.layout)

    def set_notices(
        self, items: list[Notice], *, last_updated: datetime | None, offline: bool
    ) -> None:
        self.notices = NoticesState(
            items=items, last_updated=last_updated, offline=offline, loaded=True
        )
        self.changed(Topic.notices)
