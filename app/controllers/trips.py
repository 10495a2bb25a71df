"""The trip screens' actions: stop search while typing, the form, planning with live delays,
and what the resident does with a journey (save, share, a ticket)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from app.commands import Command
from app.container import SessionServices
from app.state import TRIP_END_FIELD, TRIP_END_TOPIC, AppState, Topic, TripField
from services.errors import ApiError, Offline
from services.i18n import JAPAN_TZ, N_
from services.tickets import TicketService
from services.transit import Journey, StopMatch
from services.trips import (
    JourneySource,
    TripEnd,
    TripMode,
    TripRequestError,
    build_request,
    stop_label,
)
from views.trips import FORM_TOP_KEY, RESULTS_KEY

log = logging.getLogger(__name__)

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


class ShareOutcome(StrEnum):
    shared = "shared"  # the platform's share sheet took it
    copied = "copied"  # no share sheet: it is on the clipboard


class LocationUnavailable(Exception):
    """The device gave no position; `denied` says whether the resident refused permission."""

    def __init__(self, denied: bool) -> None:
        super().__init__("permission denied" if denied else "no position")
        self.denied = denied


class Location(Protocol):
    async def current(self) -> tuple[float, float]: ...


class Sharing(Protocol):
    async def share_text(self, text: str, subject: str) -> ShareOutcome: ...


class TripController:
    """Mutates `state.trips`, then says which part changed."""

    def __init__(
        self, state: AppState, services: SessionServices, *,
        tickets: Callable[[], TicketService | None],
        sharing: Sharing, location: Location,
        reveal: Callable[[str], None] = lambda _key: None,
        activity: Callable[[], None] = lambda: None,
    ) -> None:
        self.state = state
        self._trips = services.trips
        self._saved_journeys = services.saved_journeys
        self._live_delays = services.live_delays
        self._tickets = tickets  # the logged-in resident's, at the time of the tap
        self._sharing = sharing
        self._location = location
        self._reveal = reveal  # scrolls the screen to a part (the results, the form's top)
        self._activity = activity  # using the trip screen counts as activity for the idle timer
        form, results = Topic.trip_form, Topic.trip_results
        self.plan = Command(self._plan, state, form, results)
        self.use_date = Command(self._use_date, state, form)
        self.use_location = Command(self._use_location, state, Topic.trip_origin,
                                   Topic.trip_destination)
        self.save = Command(self._save, state, Topic.trip_journey)
        self.remove_saved = Command(self._remove_saved, state, Topic.trip_journey)
        self.share = Command(self._share, state, Topic.trip_journey)
        self.issue_ticket = Command(self._issue_ticket, state, Topic.trip_journey)

    def set_reveal(self, reveal: Callable[[str], None]) -> None:
        self._reveal = reveal

    async def start(self) -> None:
        now = datetime.now(JAPAN_TZ)
        form = self.state.trips
        if not form.day_text and not form.time_text:
            form.day_text = now.strftime("%Y-%m-%d")
            form.time_text = now.strftime("%H:%M")
            self._replaced(TripField.day, TripField.time)
        form.saved = await self._saved_journeys.list()
        self.state.changed(Topic.trip_saved)
        ready = await self._trips.wait_ready()
        form.timetables_ready = ready
        if not ready:
            log.error("timetables unavailable: %s", self._trips.error or "timed out")
        form.timetables_error = None if ready else TIMETABLES_UNAVAILABLE
        self.state.changed(Topic.trip_form)
        if ready:  # what was typed while the timetables loaded gets its matches now
            for which in TripEnd:
                stop = form.end(which)
                if stop.query.strip() and stop.choice is None and not stop.matches:
                    await self.search(which, stop.query)

    def _replaced(self, *fields: TripField, also: tuple[Topic, ...] = ()) -> None:
        """Say that the app itself set these fields' text (and only these)."""
        form = self.state.trips
        form.replaced = frozenset(fields)
        try:
            self.state.changed(Topic.trip_text, *also)
        finally:
            form.replaced = frozenset()

    # --- the form ---------------------------------------------------------------------------
    async def search(self, which: TripEnd, query: str) -> None:
        """A keystroke in a stop field: new matches under it, nothing else redrawn."""
        self._activity()
        stop = self.state.trips.end(which)
        stop.query = query
        stop.choice = None
        if not self._trips.ready:
            return
        matches = await self._trips.search_stops(query)
        if self.state.trips.end(which) is not stop or stop.query != query:
            return  # a newer keystroke (or a swap) came since: its state is the one to show
        stop.matches = matches
        stop.searched = bool(query.strip())
        self.state.changed(TRIP_END_TOPIC[which])

    def choose(self, which: TripEnd, match: StopMatch) -> None:
        self._activity()
        stop = self.state.trips.end(which)
        stop.near = stop.near_m = stop.problem = None
        stop.choice = match
        stop.query = stop_label(match, self.state.language)
        stop.matches = []
        stop.searched = False
        self.state.trips.problems = []
        self._replaced(TRIP_END_FIELD[which], also=(TRIP_END_TOPIC[which], Topic.trip_form))

    def swap(self) -> None:
        self._activity()
        form = self.state.trips
        form.origin, form.destination = form.destination, form.origin
        self._replaced(TripField.origin, TripField.destination,
                       also=(Topic.trip_origin, Topic.trip_destination))

    def set_day_text(self, text: str) -> None:
        """Typing in the date field: kept, nothing redrawn (the field shows it)."""
        self._activity()
        self.state.trips.day_text = text

    def set_time_text(self, text: str) -> None:
        self._activity()
        self.state.trips.time_text = text

    def set_mode(self, mode: TripMode) -> None:
        self._activity()
        self.state.trips.mode = mode
        self.state.changed(Topic.trip_form)

    def set_fewer_transfers(self, on: bool) -> None:
        self._activity()
        self.state.trips.fewer_transfers = on
        self.state.changed(Topic.trip_form)

    def set_less_walking(self, on: bool) -> None:
        self._activity()
        self.state.trips.less_walking = on
        self.state.changed(Topic.trip_form)

    def set_slow_walking(self, on: bool) -> None:
        self._activity()
        self.state.trips.slow_walking = on
        self.state.changed(Topic.trip_form)

    # --- a stop near a place ------------------------------------------------------------
    async def _use_location(self, which: TripEnd, /) -> None:
        """From (or to) the stop nearest to where the resident stands."""
        self._activity()
        stop = self.state.trips.end(which)
        stop.problem = None
        if not self._trips.ready:
            stop.problem = LOCATION_UNAVAILABLE
            return
        try:
            lat, lon = await self._location.current()
        except LocationUnavailable as exc:
            stop.problem = LOCATION_DENIED if exc.denied else LOCATION_UNAVAILABLE
            self.state.changed(TRIP_END_TOPIC[which])
            return
        await self.near_place(which, lat, lon, CURRENT_LOCATION)

    async def wait_and_go_to(self, lat: float, lon: float, name: str) -> None:
        """A trip to a place another screen sent: wait for the timetables, then the stop."""
        if await self._trips.wait_ready():
            await self.near_place(TripEnd.destination, lat, lon, name or PLACE)

    async def wait_and_choose_stop(self, name: str) -> None:
        """A trip to a stop another screen named: wait for the timetables, then choose the
        stop of that name (else the best match; else the name stays typed, with its matches)."""
        if not await self._trips.wait_ready():
            return
        matches = await self._trips.search_stops(name)
        exact = [m for m in matches if m.name == name]
        if exact or matches:
            self.choose(TripEnd.destination, (exact or matches)[0])
            return
        await self.search(TripEnd.destination, name)
        self._replaced(TRIP_END_FIELD[TripEnd.destination])

    async def near_place(self, which: TripEnd, lat: float, lon: float, name: str) -> None:
        """Choose the stop nearest to a place: the resident, or one from another screen."""
        stop = self.state.trips.end(which)
        nearby = await self._trips.nearest_stops(lat, lon, 1)
        if not nearby:
            stop.problem = NO_STOP_NEARBY
            self.state.changed(TRIP_END_TOPIC[which])
            return
        self.choose(which, nearby[0].match)
        stop.near, stop.near_m = name, round(nearby[0].metres)
        self.state.changed(TRIP_END_TOPIC[which])

    # --- planning ---------------------------------------------------------------------------
    async def _plan(self) -> None:
        self._activity()
        form = self.state.trips
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
            self.state.changed(Topic.trip_form, Topic.trip_results)
            self._reveal(FORM_TOP_KEY)
            return
        form.problems = []
        form.plan = None  # the old results must not pass for the answer to this search
        self.state.changed(Topic.trip_form, Topic.trip_results)
        plan = await self._trips.plan(request)
        live = await self._live_delays.apply(plan)
        form.plan, form.realtime_checked = live.plan, live.checked
        self.state.changed(Topic.trip_results)
        self._reveal(RESULTS_KEY)

    async def _use_date(self, day: date, /) -> None:
        self.state.trips.day_text = day.isoformat()
        self._replaced(TripField.day)
        await self.plan()  # the Search command: "Searching…", and no second search meanwhile

    def fare_yen(self, journey: Journey) -> int | None:
        return self._trips.fare_yen(journey)

    # --- what the resident does with a journey ----------------------------------------
    def journey(self, source: JourneySource, index: int) -> tuple[date, Journey] | None:
        """The journey behind a results row or a saved one."""
        form = self.state.trips
        if source == JourneySource.saved:
            if 0 <= index < len(form.saved):
                item = form.saved[index]
                return item.day, item.journey
            return None
        if form.plan and 0 <= index < len(form.plan.journeys):
            return form.plan.request.day, form.plan.journeys[index]
        return None

    def _confirm(self, msgid: str) -> None:
        self.state.trips.notice = msgid

    async def _save(self, index: int, label: str, /) -> None:
        self._activity()
        found = self.journey(JourneySource.result, index)
        if found is None:
            return
        await self._saved_journeys.save(found[0], found[1], label)
        self.state.trips.saved = await self._saved_journeys.list()
        self._confirm(SAVED)
        self.state.changed(Topic.trip_saved)

    async def _remove_saved(self, index: int, /) -> None:
        form = self.state.trips
        if 0 <= index < len(form.saved):
            await self._saved_journeys.remove(form.saved[index].id)
            form.saved = await self._saved_journeys.list()
        self._confirm(REMOVED)
        self.state.changed(Topic.trip_saved)

    async def _share(self, text: str, subject: str, /) -> None:
        outcome = await self._sharing.share_text(text, subject)
        self._confirm(SHARED if outcome == ShareOutcome.shared else COPIED)

    async def _issue_ticket(self, source: JourneySource, index: int, /) -> None:
        self._activity()
        form, tickets = self.state.trips, self._tickets()
        found = self.journey(source, index)
        if found is None or tickets is None:
            return
        day, journey = found
        form.ticket_problem = None
        ticket, problem = None, None
        try:
            ticket = await tickets.issue(journey, day, self.state.language)
        except Offline:
            problem = TICKET_OFFLINE
        except (ApiError, ValueError):
            problem = TICKET_REFUSED
        if self._tickets() is not tickets:
            return  # logged out (or another resident logged in) meanwhile: not theirs
        form.ticket, form.ticket_problem = ticket, problem
