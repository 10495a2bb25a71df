"""Town profiles and support programmes for the relocation screens, answered from the local
store (offline after one sync of the towns and programmes datasets).

InfoService keeps the records and pulls them (`InfoService.refresh`); this service parses them
once per snapshot — again only when the store's generation for the dataset moved.

Process-wide: the data is public, nothing personal is held here (the plan is
plan.RelocationPlanRepository, per session).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from services.info.towns import TOWNS
from services.models import InfoDataset
from services.relocation import budget as budget_module
from services.relocation.compare import DEFAULT_KEYS, Comparison, compare
from services.relocation.models import (
    FigureKey,
    Programme,
    ProgrammeKind,
    TownProfile,
    parse_programme,
    parse_town,
)
from services.store import StoredInfo

T = TypeVar("T", TownProfile, Programme)
_TOWN_ORDER = {t.code: i for i, t in enumerate(TOWNS)}  # the code list's order
_KIND_ORDER = {k: i for i, k in enumerate(ProgrammeKind)}


class InfoRecords(Protocol):
    """What this service uses of services.info.service.InfoService."""

    async def records(self, dataset: InfoDataset) -> tuple[int, list[StoredInfo]]: ...


@dataclass(frozen=True)
class _Parsed(Generic[T]):
    generation: int
    items: tuple[T, ...]


def _town_key(town: TownProfile) -> tuple[int, str]:
    return _TOWN_ORDER.get(town.code, len(_TOWN_ORDER)), town.code


def _programme_key(programme: Programme) -> tuple[int, int, str]:
    # The prefecture's own first, then by town, then by kind.
    town = -1 if programme.municipality is None else _TOWN_ORDER.get(
        programme.municipality, len(_TOWN_ORDER))
    return town, _KIND_ORDER[programme.kind], programme.id


class RelocationService:
    def __init__(self, info: InfoRecords) -> None:
        self._info = info
        self._towns: _Parsed[TownProfile] | None = None
        self._programmes: _Parsed[Programme] | None = None

    async def towns(self) -> list[TownProfile]:
        """Every profile the store holds, in the prefecture's usual order of the towns."""
        return list(await self._all_towns())

    async def town(self, code: str) -> TownProfile | None:
        return next((t for t in await self._all_towns() if t.code == code), None)

    async def programmes(self, municipality: str | None = None,
                         kind: ProgrammeKind | None = None) -> list[Programme]:
        """Programmes of a kind; with a municipality, that town's and the prefecture-wide ones
        (a resident of any town can use those). Prefecture-wide first, then by town and kind."""
        return [p for p in await self._all_programmes()
                if (kind is None or p.kind == kind)
                and (municipality is None or p.municipality in (municipality, None))]

    async def programme(self, programme_id: str) -> Programme | None:
        return next((p for p in await self._all_programmes() if p.id == programme_id), None)

    async def compare(self, codes: Sequence[str],
                      keys: Sequence[FigureKey] = DEFAULT_KEYS) -> Comparison:
        """The towns of `codes` side by side, in that order; a code without a profile is left
        out (it has not been synced yet)."""
        found = {t.code: t for t in await self._all_towns()}
        return compare([found[c] for c in codes if c in found], keys)

    async def budget(self, household: budget_module.Household) -> budget_module.Budget | None:
        """The household's budget in its town; None when the town's profile is not here."""
        profile = await self.town(household.town)
        if profile is None:
            return None
        return budget_module.check(household, profile,
                                   await self.programmes(municipality=household.town))

    # --- parsing, once per snapshot --------------------------------------------------------
    async def _all_towns(self) -> tuple[TownProfile, ...]:
        self._towns = await self._refresh(InfoDataset.towns, self._towns, parse_town, _town_key)
        return self._towns.items

    async def _all_programmes(self) -> tuple[Programme, ...]:
        self._programmes = await self._refresh(InfoDataset.programmes, self._programmes,
                                               parse_programme, _programme_key)
        return self._programmes.items

    async def _refresh(self, dataset: InfoDataset, cached: _Parsed[T] | None,
                       parse: Callable[[StoredInfo], T | None],
                       order: Callable[[T], tuple[int | str, ...]]) -> _Parsed[T]:
        generation, records = await self._info.records(dataset)
        if cached is not None and cached.generation == generation:
            return cached
        items = [item for item in map(parse, records) if item is not None]  # a few dozen
        return _Parsed(generation, tuple(sorted(items, key=order)))
