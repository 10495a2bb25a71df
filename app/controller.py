"""Carries out what the resident asks for: updates the session state and calls services."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime

from app.container import SessionServices
from app.state import AppState, StopField
from services.i18n import JAPAN_TZ
from services.preferences import TextSize
from services.transit import Journey, StopMatch
from services.trips import TripRequestError, TripService, build_request, stop_label
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
        self.trips = TripController(state, services.trips)

    # --- navigation ---------------------------------------------------------------------
    def go(self, route: str) -> None:
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
        self, state: AppState, trips: TripService,
        reveal: Callable[[str], None] = lambda _key: None,
    ) -> None:
        self.state = state
        self.trips = trips
        self._reveal = reveal

    def set_reveal(self, reveal: Callable[[str], None]) -> None:
        self._reveal = reveal

    def _field(self, which: str) -> StopField:
        return self.state.trips.origin if which == "origin" else self.state.trips.destination

    async def start(self) -> None:
        now = datetime.now(JAPAN_TZ)
        form = self.state.trips
        form.day_text = form.day_text or now.strftime("%Y-%m-%d")
        form.time_text = form.time_text or now.strftime("%H:%M")
        ready = await self.trips.wait_ready()
        form.timetables_ready = ready
        form.timetables_error = None if ready else (self.trips.error or "timeout")
        self.state.notify()

    async def search(self, which: str, query: str) -> None:
        stop = self._field(which)
        stop.query = query
        stop.choice = None
        if not self.trips.ready:
            return
        stop.matches = await self.trips.search_stops(query)
        stop.searched = bool(query.strip())
        if stop.query == query:  # a newer keystroke may have started another search
            self.state.notify()

    def choose(self, which: str, match: StopMatch) -> None:
        stop = self._field(which)
        stop.choice = match
        stop.query = stop_label(match, self.state.preferences.language)
        stop.matches = []
        stop.searched = False
        self.state.trips.problems = []
        self.state.notify()

    def swap(self) -> None:
        form = self.state.trips
        form.origin, form.destination = form.destination, form.origin
        self.state.notify()

    def edit(self, **changes: object) -> None:
        """Typing in date and time fields: kept without a redraw (the field shows it)."""
        for name, value in changes.items():
            setattr(self.state.trips, name, value)

    def set_option(self, **changes: object) -> None:
        self.edit(**changes)
        self.state.notify()

    async def plan(self) -> None:
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
        finally:
            form.planning = False
            self.state.notify()
        self._reveal(RESULTS_KEY)

    async def use_date(self, day: date) -> None:
        self.state.trips.day_text = day.isoformat()
        await self.plan()

    def fare_yen(self, journey: Journey) -> int | None:
        return self.trips.fare_yen(journey)
