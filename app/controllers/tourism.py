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
        self._opened = 0  # the newest spot opened

    # --- the list -----------------------------------------------------------------------
    async def search(self, query: str) -> None:
        self.state.tourism.query = query
        await self.load()

    async def set_language(self, code: str | None) -> None:
        self.state.tourism.language = code
        await self.load()

    async def set_barrier_free(self, on: bool) -> None:
        self.state.tourism.barrier_free = on
        await self.load()

    async def set_free_entry(self, on: bool) -> None:
        self.state.tourism.free_entry = on
        await self.load()

    async def set_open_now(self, on: bool) -> None:
        self.state.tourism.open_now = on
        await self.load()

    async def set_municipality(self, code: str | None) -> None:
        self.state.tourism.municipality = code
        await self.load()

    async def set_category(self, category: str | None) -> None:
        self.state.tourism.category = category
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
        found = await self._tourism.spots(self.filter(), near=self.state.where.here, limit=ALL)
        if asked != self._asked:
            return
        view.results, view.total, view.loaded = found[:SHOWN], len(found), True
        self.state.changed(Topic.tourism)

    async def reload(self) -> None:
        """After a sync brought changes, or "nearest to" moved."""
        view = self.state.tourism
        view.categories = []
        if view.loaded:
            await self.load()
        if view.spot_id:
            view.spot = await self._tourism.spot(view.spot_id)
            self.state.changed(Topic.spot)
        if view.guides_loaded:
            await self.load_guides()

    # --- one spot -----------------------------------------------------------------------
    def default_hour(self, day: date) -> int:
        now = self.now()
        if day == now.date() and FIRST_HOUR <= now.hour <= LAST_HOUR:
            return now.hour
        return PEAK_HOUR

    async def open_spot(self, spot_id: str) -> None:
        """Read the spot and its crowd levels for today. Not a Command: opening another spot
        while one loads must not be refused; the newest wins."""
        view = self.state.tourism
        if view.spot_id == spot_id and view.spot is not None:
            return
        self._opened += 1
        opened = self._opened
        today = self.now().date()
        view.spot_id, view.spot, view.spot_loaded = spot_id, None, False
        view.day, view.hour = today, self.default_hour(today)
        view.crowds, view.quieter, view.crowds_loaded = None, None, False
        self.state.changed(Topic.spot)
        spot = await self._tourism.spot(spot_id)
        if spot is None:  # a link opened before the first sync
            await self._tourism.refresh()
            spot = await self._tourism.spot(spot_id)
        if opened != self._opened:
            return
        view.spot, view.spot_loaded = spot, True
        self.state.changed(Topic.spot)
        if spot is not None:
            await self._load_crowds(opened)

    async def set_day(self, day: date) -> None:
        view = self.state.tourism
        view.day, view.hour = day, self.default_hour(day)
        view.crowds_loaded = False
        self.state.changed(Topic.spot)
        await self._load_crowds(self._opened)

    async def set_hour(self, hour: int) -> None:
        view = self.state.tourism
        view.hour = hour
        if view.day is not None:
            await self._set_quieter(await self._tourism.quieter(view.spot_id, view.day, hour))
        self.state.changed(Topic.spot)

    async def _set_quieter(self, quieter: Quieter | None) -> None:
        """The suggestions, with each place read from the device (its names in every
        language: the server names it in Japanese only)."""
        view = self.state.tourism
        view.quieter = quieter
        view.nearby = {}
        for other in quieter.alternatives if quieter else ():
            found = await self._tourism.spot(other.spot_id)
            if found is not None:
                view.nearby[other.spot_id] = found

    async def _load_crowds(self, opened: int) -> None:
        view = self.state.tourism
        day = view.day or self.now().date()
        crowds = await self._tourism.crowds(view.spot_id, day)
        quieter = await self._tourism.quieter(view.spot_id, day, view.hour)
        if opened != self._opened:
            return
        view.crowds, view.crowds_loaded = crowds, True
        await self._set_quieter(quieter)
        self.state.changed(Topic.spot)

    # --- walking routes -----------------------------------------------------------------
    async def load_guides(self) -> None:
        view = self.state.tourism
        view.guides, view.guides_loaded = await self._tourism.guides(), True
        self.state.changed(Topic.guides)

    async def open_guide(self, guide_id: str) -> None:
        view = self.state.tourism
        if view.guide is not None and view.guide.id == guide_id:
            return
        view.guide, view.guide_loaded = None, False
        self.state.changed(Topic.guides)
        guide = await self._tourism.guide(guide_id)
        if guide is None:
            await self._tourism.refresh()
            guide = await self._tourism.guide(guide_id)
        view.guide, view.guide_loaded = guide, True
        self.state.changed(Topic.guides)
