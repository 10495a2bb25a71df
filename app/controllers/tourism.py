"""Tourism: spots filtered by what a visitor needs (their language on site, step-free access,
free entry, open now), a spot's crowd levels through the day with quieter places near by and
quieter hours (the prefecture's "dispersed tourism"), and the themed walking routes.

Spots and routes come from the device's store (offline after one sync); crowd levels from the
backend, the last answer kept for offline use and marked as such.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from app.state import AppState, Topic
from services.tourism.crowds import Quieter
from services.tourism.filters import SpotFilter
from services.tourism.service import TourismService

SHOWN = 100  # rows in the list (the bundle has 63 places); the count says if more matched
ALL = 10_000
FIRST_HOUR, LAST_HOUR = 8, 20  # the hours a visit can be planned at
PEAK_HOUR = 14  # when the day is not today: compare at the usual busiest hour


class TourismController:
    def __init__(self, state: AppState, tourism: TourismService,
                 now: Callable[[], datetime]) -> None:
        self.state = state
        self._tourism = tourism
        self.now = now
        self._asked = 0  # the newest list question; older answers are dropped
        self._asked_crowds = 0  # the newest question about the open spot

    # --- the list -----------------------------------------------------------------------
    async def search(self, query: str) -> None:
        self.state.tourism.query = query
        await self.load()

    async def set_language(self, code: str | None) -> None:
        self.state.tourism.language = code
        self.state.changed(Topic.tourism_filters)
        await self.load()

    async def set_barrier_free(self, on: bool) -> None:
        self.state.tourism.barrier_free = on
        self.state.changed(Topic.tourism_filters)
        await self.load()

    async def set_free_entry(self, on: bool) -> None:
        self.state.tourism.free_entry = on
        self.state.changed(Topic.tourism_filters)
        await self.load()

    async def set_open_now(self, on: bool) -> None:
        self.state.tourism.open_now = on
        self.state.changed(Topic.tourism_filters)
        await self.load()

    async def set_municipality(self, code: str | None) -> None:
        self.state.tourism.municipality = code
        self.state.changed(Topic.tourism_filters)
        await self.load()

    async def set_category(self, category: str | None) -> None:
        self.state.tourism.category = category
        self.state.changed(Topic.tourism_filters)
        await self.load()

    def filter(self) -> SpotFilter:
        view = self.state.tourism
        return SpotFilter(query=view.query, language=view.language,
                          barrier_free=view.barrier_free, free_entry=view.free_entry,
                          open_at=self.now() if view.open_now else None,
                          municipality=view.municipality, category=view.category)

    async def load(self) -> None:
        self._asked += 1
        asked = self._asked
        view = self.state.tourism
        if not view.categories:
            view.categories = await self._tourism.categories()
            self.state.changed(Topic.tourism_filters)
        found = await self._tourism.spots(self.filter(), near=self.state.where.here, limit=ALL)
        if asked != self._asked:
            return
        view.results, view.total, view.loaded = found[:SHOWN], len(found), True
        self.state.changed(Topic.tourism)

    async def reload(self) -> None:
        """After a sync brought changes, or "nearest to" moved: the list, and what is open (a
        link opened before the first download finds its place or route now)."""
        view = self.state.tourism
        view.categories = []
        if view.loaded:
            await self.load()
        if view.spot_id:
            had = view.spot is not None
            view.spot = await self._tourism.spot(view.spot_id)
            view.spot_loaded = True
            self.state.changed(Topic.spot)
            if view.spot is not None and not had:
                await self._load_crowds(self._next())
        if view.guides_loaded:
            await self.load_guides()
        if view.guide_id:
            view.guide, view.guide_loaded = await self._tourism.guide(view.guide_id), True
            self.state.changed(Topic.guides)

    # --- one spot -----------------------------------------------------------------------
    def default_hour(self, day: date) -> int:
        now = self.now()
        if day == now.date() and FIRST_HOUR <= now.hour <= LAST_HOUR:
            return now.hour
        return PEAK_HOUR

    def _next(self) -> int:
        """A new question about the open spot (opened, another day, another hour): answers to
        older ones are dropped, so what shows always belongs to the spot, day and hour on
        screen."""
        self._asked_crowds += 1
        return self._asked_crowds

    def select_spot(self, spot_id: str) -> None:
        """Before the spot's screen is built: forget another spot's details at once (its name
        must not show as this one's title, even for a moment)."""
        view = self.state.tourism
        if view.spot_id != spot_id:
            view.spot_id, view.spot, view.spot_loaded = spot_id, None, False
            view.crowds, view.quieter, view.crowds_loaded, view.nearby = None, None, False, {}

    async def open_spot(self, spot_id: str) -> None:
        """Read the spot and its crowd levels for today. Not a Command: opening another spot
        while one loads must not be refused; the newest wins."""
        self.select_spot(spot_id)
        view = self.state.tourism
        today = self.now().date()
        if view.spot is not None and view.day == today and view.crowds is not None:
            return  # the same spot again, the same day: what is shown still stands
        asked = self._next()
        view.day, view.hour = today, self.default_hour(today)
        view.crowds, view.quieter, view.crowds_loaded = None, None, False
        self.state.changed(Topic.spot)
        spot = await self._tourism.spot(spot_id)
        if asked != self._asked_crowds:
            return
        view.spot, view.spot_loaded = spot, True
        self.state.changed(Topic.spot)
        if spot is not None:
            await self._load_crowds(asked)

    async def set_day(self, day: date) -> None:
        view = self.state.tourism
        view.day, view.hour = day, self.default_hour(day)
        view.crowds, view.quieter, view.crowds_loaded = None, None, False  # "Loading…"
        self.state.changed(Topic.spot)
        await self._load_crowds(self._next())

    async def set_hour(self, hour: int) -> None:
        view = self.state.tourism
        view.hour = hour
        asked = self._next()
        self.state.changed(Topic.spot)
        if view.day is not None:
            quieter = await self._tourism.quieter(view.spot_id, view.day, hour)
            await self._set_quieter(quieter, asked)
        self.state.changed(Topic.spot)

    async def _set_quieter(self, quieter: Quieter | None, asked: int) -> None:
        """The suggestions, with each place read from the device (its names in every
        language: the server names it in Japanese only)."""
        nearby = {}
        for other in quieter.alternatives if quieter else ():
            found = await self._tourism.spot(other.spot_id)
            if found is not None:
                nearby[other.spot_id] = found
        if asked == self._asked_crowds:
            self.state.tourism.quieter, self.state.tourism.nearby = quieter, nearby

    async def _load_crowds(self, asked: int) -> None:
        view = self.state.tourism
        spot_id, day = view.spot_id, view.day or self.now().date()
        crowds = await self._tourism.crowds(spot_id, day)
        quieter = await self._tourism.quieter(spot_id, day, view.hour)
        if asked != self._asked_crowds:
            return
        view.crowds, view.crowds_loaded = crowds, True
        await self._set_quieter(quieter, asked)
        self.state.changed(Topic.spot)

    # --- walking routes -----------------------------------------------------------------
    async def load_guides(self) -> None:
        view = self.state.tourism
        view.guides, view.guides_loaded = await self._tourism.guides(), True
        self.state.changed(Topic.guides)

    def select_guide(self, guide_id: str) -> None:
        """Before the route's screen is built: forget another route at once."""
        view = self.state.tourism
        if view.guide_id != guide_id:
            view.guide_id, view.guide, view.guide_loaded = guide_id, None, False

    async def open_guide(self, guide_id: str) -> None:
        self.select_guide(guide_id)
        view = self.state.tourism
        if view.guide is not None:
            return
        guide = await self._tourism.guide(guide_id)
        if view.guide_id == guide_id:  # not moved on meanwhile
            view.guide, view.guide_loaded = guide, True
            self.state.changed(Topic.guides)
