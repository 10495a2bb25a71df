"""Medical, childcare and disaster information for the screens, answered from the local store.

Every query reads the cached dataset (offline after one sync) and returns at once; `refresh`
pulls through the one sync path (services/sync.py) in the background. Each dataset is parsed
once per snapshot — the store's generation for it moves only when a pull changed a row — and
its search index is built once per snapshot, on first use or by `prepare`. Blocking work
(SQLite, parsing, the index) runs in a worker thread, never on the event loop.

Process-wide: the data is public, nothing personal is held here.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, NamedTuple, TypeVar

from services import sync as sync_module
from services.api import ApiClient
from services.info import hours
from services.info.departments import department_label, offers
from services.info.models import (
    Aed,
    Alert,
    AlertType,
    ChildcareFacility,
    ChildcareType,
    Dataset,
    Hazard,
    InfoItem,
    MedicalFacility,
    Shelter,
    parse_record,
)
from services.info.search import SearchIndex, SearchText
from services.info.towns import town as town_of
from services.models import InfoRecordWire
from services.store import LocalStore, StoredInfo, info_cursor
from services.sync import FeedSync, PullOutcome, PullResult
from services.transit.geo import distance_m
from services.transit.kana import canonical_japanese

T = TypeVar("T", MedicalFacility, ChildcareFacility, Shelter, Aed, Alert)
EARTHQUAKE_IN_FORCE = timedelta(hours=24)
DEFAULT_LIMIT = 50


class Found(NamedTuple, Generic[T]):
    item: T
    distance_m: float | None  # from `near`, or the town's point; None without either


@dataclass(frozen=True)
class DatasetStatus:
    """What a screen says about freshness."""

    last_updated: datetime | None
    offline: bool


@dataclass
class _Snapshot:
    generation: int
    items: list[InfoItem]
    by_id: dict[str, InfoItem]
    index: SearchIndex | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def search_index(self) -> SearchIndex:
        with self.lock:
            if self.index is None:
                self.index = SearchIndex([_search_text(item) for item in self.items])
            return self.index


def _search_text(item: InfoItem) -> SearchText:
    if isinstance(item, MedicalFacility):
        # Departments as published and by their English names: 「小児科」, "pediatrics" and
        # 「しょうにか」 all find a paediatric clinic.
        departments = " ".join(f"{d} {department_label(d)}" for d in item.departments)
        return SearchText(item.name, item.name_kana, item.name_en,
                          f"{item.address} {departments}")
    if isinstance(item, ChildcareFacility | Shelter):
        return SearchText(item.name, item.name_kana, None, item.address)
    if isinstance(item, Aed):
        return SearchText(f"{item.name} {item.location}", "", None, item.address)
    return SearchText(item.name, "", None, item.area)


class InfoService:
    def __init__(
        self,
        store: LocalStore,
        syncs: Mapping[Dataset, FeedSync[InfoRecordWire]],
        api: ApiClient,
        clock: Callable[[], datetime] = sync_module.utc_now,
    ) -> None:
        self._store = store
        self._syncs = syncs
        self._api = api
        self._clock = clock
        self._offline: dict[Dataset, bool] = {}
        self._snapshots: dict[Dataset, _Snapshot] = {}
        self._load_lock = threading.Lock()

    # --- sync ----------------------------------------------------------------------------
    async def refresh(self, dataset: Dataset | None = None) -> dict[Dataset, PullResult]:
        """Pull one dataset, or all of them concurrently; the result per dataset."""
        wanted = [dataset] if dataset is not None else list(self._syncs)
        results = await asyncio.gather(*(self._syncs[d].pull(self._api) for d in wanted))
        for d, result in zip(wanted, results, strict=True):
            self._offline[d] = result.outcome in (PullOutcome.offline, PullOutcome.failed)
        return dict(zip(wanted, results, strict=True))

    async def status(self, dataset: Dataset) -> DatasetStatus:
        state = await asyncio.to_thread(self._store.cursor, info_cursor(dataset))
        return DatasetStatus(last_updated=state.last_success_at,
                             offline=self._offline.get(dataset, False))

    async def prepare(self, dataset: Dataset) -> None:
        """Parse the dataset and build its search index now (e.g. when a screen opens), so
        the first keystroke does not wait for it."""
        await asyncio.to_thread(lambda: self._snapshot(dataset).search_index())

    # --- queries -------------------------------------------------------------------------
    async def medical(
        self, query: str = "", department: str | None = None, open_at: datetime | None = None,
        near: tuple[float, float] | None = None, town: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> list[Found[MedicalFacility]]:
        """Medical facilities matching the query, offering `department` (as published, e.g.
        「小児科」), open at `open_at`; nearest first from `near` (or the town's point), else
        by name reading."""
        def keep(item: MedicalFacility) -> bool:
            return ((department is None or offers(item.departments, department))
                    and (open_at is None or hours.open_at(item.hours, item.duty, open_at)))

        return await asyncio.to_thread(self._find, Dataset.medical, MedicalFacility, query,
                                       keep, near, town, limit)

    async def childcare(
        self, query: str = "", type: ChildcareType | None = None, age_months: int | None = None,
        near: tuple[float, float] | None = None, town: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> list[Found[ChildcareFacility]]:
        """Childcare facilities of a type, accepting a child of `age_months` (unknown ages do
        not exclude)."""
        def keep(item: ChildcareFacility) -> bool:
            return ((type is None or item.type == type)
                    and (age_months is None or item.accepts_age(age_months)))

        return await asyncio.to_thread(self._find, Dataset.childcare, ChildcareFacility, query,
                                       keep, near, town, limit)

    async def shelters(
        self, hazard: Hazard | None = None, near: tuple[float, float] | None = None,
        town: str | None = None, query: str = "", limit: int = DEFAULT_LIMIT,
    ) -> list[Found[Shelter]]:
        """Shelters designated for `hazard` (any when None)."""
        def keep(item: Shelter) -> bool:
            return hazard is None or hazard in item.hazards

        return await asyncio.to_thread(self._find, Dataset.shelters, Shelter, query, keep,
                                       near, town, limit)

    async def aeds(
        self, near: tuple[float, float] | None = None, town: str | None = None,
        limit: int = DEFAULT_LIMIT, query: str = "",
    ) -> list[Found[Aed]]:
        return await asyncio.to_thread(self._find, Dataset.aeds, Aed, query, None, near, town,
                                       limit)

    async def alerts(self, municipality: str | None = None,
                     now: datetime | None = None) -> list[Alert]:
        """Alerts in force for a municipality (and those for the whole prefecture), highest
        level first, then the strongest shaking, then the newest. Earthquake information older
        than 24 hours is no longer in force. Lifted alerts are withdrawn by the server."""
        moment = now or self._clock()

        def run() -> list[Alert]:
            found = [a for a in self._snapshot(Dataset.alerts).items if isinstance(a, Alert)
                     and (municipality is None or a.municipality in (None, municipality))
                     and not (a.type == AlertType.earthquake
                              and moment - a.issued_at > EARTHQUAKE_IN_FORCE)]
            return sorted(found, key=lambda a: (-(a.level or 0), -a.intensity_rank,
                                                -a.issued_at.timestamp(), a.id))

        return await asyncio.to_thread(run)

    async def records(self, dataset: Dataset) -> tuple[int, list[StoredInfo]]:
        """The cached records of a dataset that another package reads (spots, towns,
        programmes, guides), with the store's generation for it: parse again only when it
        moved."""
        def run() -> tuple[int, list[StoredInfo]]:
            return self._store.info_generation(dataset), self._store.info_records(dataset)

        return await asyncio.to_thread(run)

    async def record(self, dataset: Dataset, record_id: str) -> InfoItem | None:
        return await asyncio.to_thread(
            lambda: self._snapshot(dataset).by_id.get(record_id))

    # --- inside (worker thread) -----------------------------------------------------------
    def _snapshot(self, dataset: Dataset) -> _Snapshot:
        generation = self._store.info_generation(dataset)
        snapshot = self._snapshots.get(dataset)
        if snapshot is not None and snapshot.generation == generation:
            return snapshot
        with self._load_lock:
            snapshot = self._snapshots.get(dataset)
            if snapshot is not None and snapshot.generation == generation:
                return snapshot
            items = [i for i in map(parse_record, self._store.info_records(dataset))
                     if i is not None]
            snapshot = _Snapshot(generation, items, {i.id: i for i in items})
            self._snapshots[dataset] = snapshot
            return snapshot

    def _find(
        self, dataset: Dataset, kind: type[T], query: str, keep: Callable[[T], bool] | None,
        near: tuple[float, float] | None, town: str | None, limit: int,
    ) -> list[Found[T]]:
        snapshot = self._snapshot(dataset)
        items = snapshot.items
        if query.strip():
            index = snapshot.search_index()
            ranked: Sequence[tuple[int, bool]] = index.ranked(query) or []
        else:
            index = None
            ranked = [(i, False) for i in range(len(items))]
        origin = near
        if origin is None and town is not None:
            place = town_of(town)
            origin = (place.lat, place.lon) if place is not None else None
        rows: list[tuple[tuple[bool, float, str, str], Found[T]]] = []
        for position, typo in ranked:
            item = items[position]
            if not isinstance(item, kind):
                continue
            if town is not None and item.municipality != town:
                continue
            if keep is not None and not keep(item):
                continue
            metres = None
            if origin is not None and item.lat is not None and item.lon is not None:
                metres = distance_m(origin[0], origin[1], item.lat, item.lon)
            reading = index.reading(position) if index is not None else _reading(item)
            order = (typo, metres if metres is not None else float("inf"), reading, item.id)
            rows.append((order, Found(item, metres)))
        rows.sort(key=lambda row: row[0])
        return [found for _order, found in rows[:limit]]


def _reading(item: InfoItem) -> str:
    """The published reading, folded like the index's (no pykakasi: that needs the index)."""
    return canonical_japanese(getattr(item, "name_kana", "") or item.name)
