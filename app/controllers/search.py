"""The home's one search: procedures, clinics, childcare, shelters, AEDs, consultations, spots,
walking routes, towns, programmes, stops and notices, as you type, offline.

Each letter asks the device's full-text index (services/search); an answer that arrives after a
newer letter is dropped, so the hits always match what is in the field. Which screen a hit
opens is decided here, from its kind.
"""

from __future__ import annotations

from app.paths import RoutePath, build, stop_trip
from app.state import AppState, Topic
from services.search.models import Hit, HitKind
from services.search.service import SearchService

LIMIT = 30

_SCREENS: dict[HitKind, tuple[RoutePath, str]] = {
    HitKind.procedure: (RoutePath.procedure, "procedure"),
    HitKind.clinic: (RoutePath.medical_facility, "facility"),
    HitKind.childcare: (RoutePath.childcare_facility, "facility"),
    HitKind.shelter: (RoutePath.shelter, "shelter"),
    HitKind.aed: (RoutePath.aed, "aed"),
    HitKind.consultation: (RoutePath.consultation, "service"),
    HitKind.spot: (RoutePath.spot, "spot"),
    HitKind.guide: (RoutePath.guide, "guide"),
    HitKind.town: (RoutePath.town_profile, "town"),
    HitKind.programme: (RoutePath.programme, "programme"),
    HitKind.notice: (RoutePath.notice, "id"),
}


def hit_url(hit: Hit) -> str:
    """The screen a hit opens."""
    if hit.kind == HitKind.stop:
        return stop_trip(hit.id)
    path, key = _SCREENS[hit.kind]
    return build(path, **{key: hit.id})


class SearchController:
    def __init__(self, state: AppState, search: SearchService) -> None:
        self.state = state
        self._search = search
        self._asked = 0

    async def search(self, query: str) -> None:
        self._asked += 1
        asked = self._asked
        view = self.state.search
        view.query = query
        if not query.strip():
            view.hits, view.asked = [], ""
            self.state.changed(Topic.search)
            return
        hits = await self._search.search(query, self.state.language.code, LIMIT)
        if asked != self._asked:
            return  # a newer letter came meanwhile: its answer is the one to show
        view.hits, view.asked = hits, query
        self.state.changed(Topic.search)
