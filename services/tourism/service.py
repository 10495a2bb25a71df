"""Tourist spots, their crowd levels and the walking guides for the screens.

Spots and guides are info datasets (synced by InfoService's one sync path): queries answer from
the local store at once, each dataset parsed once per snapshot (InfoService.records gives the
store's generation: parse again only when it moved). Crowd levels are asked of the server
each time (they change by the hour); the last answer per spot and date is kept on the device
and answered, marked offline, when the server cannot be reached. Blocking work (SQLite,
parsing, the search index) runs in a worker thread, never on the event loop.

Process-wide: the data is public, nothing personal is held here.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy.exc import OperationalError

from services.api import ApiClient
from services.errors import BadResponse, Offline, ServerError
from services.info.service import InfoService
from services.models import InfoDataset
from services.store import LocalStore, StoredInfo
from services.sync import PullResult, utc_now
from services.tourism.crowds import SPOT_ID, CrowdCache, DayCrowds, Quieter
from services.tourism.filters import DEFAULT_LIMIT, Found, SpotFilter, SpotIndex
from services.tourism.models import Spot, parse_spot

if TYPE_CHECKING:
    from services.tourism.guides import Guide

log = logging.getLogger(__name__)
P = TypeVar("P")
GUIDES_MODULE = "services.tourism.guides"
# The server could not give an answer now: the copy kept on the device is the best there is.
_UNAVAILABLE = (Offline, ServerError, BadResponse)


@dataclass(frozen=True)
class _Parsed(Generic[P]):
    generation: int
    value: P


class TourismService:
    def __init__(self, info: InfoService, api: ApiClient, store: LocalStore,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self._info = info
        self._api = api
        self._store = store
        self._clock = clock
        self._crowds = CrowdCache(store)
        self._parsed: dict[InfoDataset, _Parsed[Any]] = {}
        self._parse_lock = threading.Lock()

    # --- sync ----------------------------------------------------------------------------
    async def refresh(self) -> dict[InfoDataset, PullResult]:
        """Pull spots and guides through the one sync path, concurrently."""
        spots, guides = await asyncio.gather(self._info.refresh(InfoDataset.spots),
                                             self._info.refresh(InfoDataset.guides))
        return {**spots, **guides}

    # --- spots ---------------------------------------------------------------------------
    async def spots(self, spot_filter: SpotFilter | None = None,
                    near: tuple[float, float] | None = None,
                    limit: int = DEFAULT_LIMIT) -> list[Found[Spot]]:
        """Spots the filter keeps (filters.py says how each part decides), nearest first from
        `near`, else by name reading."""
        index = await self._spot_index()
        return await asyncio.to_thread(index.find, spot_filter or SpotFilter(), near, limit)

    async def spot(self, spot_id: str) -> Spot | None:
        return (await self._spot_index()).by_id.get(spot_id)

    async def categories(self) -> list[str]:
        """Published categories (「公園」; models.category_label names them), most common
        first."""
        return (await self._spot_index()).categories()

    async def prepare(self) -> None:
        """Parse the spots and build their search index now (e.g. when the screen opens), so
        the first keystroke does not wait for it."""
        index = await self._spot_index()
        await asyncio.to_thread(index.search_index)

    # --- crowds --------------------------------------------------------------------------
    async def crowds(self, spot_id: str, day: date) -> DayCrowds | None:
        """The spot's levels by hour on `day`, from the server (and kept); when it cannot be
        reached (or answers a server error or something unreadable), the kept answer marked
        offline. None: an unknown spot, or never downloaded and offline."""
        if not SPOT_ID.fullmatch(spot_id):
            return None
        try:
            found = await self._api.tourism_crowds(spot_id, day, fetched_at=self._clock())
        except _UNAVAILABLE as exc:
            log.info("crowds of %s from the device: %s", spot_id, type(exc).__name__)
            return await asyncio.to_thread(self._crowds.day, spot_id, day, self._clock())
        if found is not None:
            await self._keep(self._crowds.put_day, found)
        return found

    async def quieter(self, spot_id: str, day: date,
                      hour: int | None = None) -> Quieter | None:
        """Quieter spots nearby and the spot's quieter hours at `hour` (without one: now when
        `day` is today, else the usual peak), kept like `crowds`."""
        if not SPOT_ID.fullmatch(spot_id):
            return None
        try:
            found = await self._api.tourism_quieter(spot_id, day, hour,
                                                    fetched_at=self._clock())
        except _UNAVAILABLE as exc:
            log.info("quieter places of %s from the device: %s", spot_id, type(exc).__name__)
            return await asyncio.to_thread(self._crowds.quieter, spot_id, day, hour,
                                           self._clock())
        if found is not None:
            await self._keep(self._crowds.put_quieter, found, hour)
        return found

    async def _keep(self, put: Callable[..., None], *args: Any) -> None:
        """Keep an answer for offline use. A store busy beyond its timeout (a big sync
        writing) costs the offline copy of this one answer, never the answer itself."""
        try:
            await asyncio.to_thread(put, *args)
        except OperationalError as exc:
            log.warning("crowd answer not kept for offline use: %s", exc)

    # --- guides --------------------------------------------------------------------------
    async def guides(self) -> list[Guide]:
        """The walking guides (services/tourism/guides.py parses them), in the dataset's
        order."""
        try:
            from services.tourism.guides import parse_guide
        except ModuleNotFoundError as exc:
            if exc.name != GUIDES_MODULE:
                raise
            log.warning("no guides: %s is not part of this build", GUIDES_MODULE)
            return []

        def parse(records: list[StoredInfo]) -> list[Guide]:
            return [g for g in map(parse_guide, records) if g is not None]

        return list(await self._parsed_dataset(InfoDataset.guides, parse))

    async def guide(self, guide_id: str) -> Guide | None:
        return next((g for g in await self.guides() if g.id == guide_id), None)

    # --- inside --------------------------------------------------------------------------
    async def _spot_index(self) -> SpotIndex:
        def parse(records: list[StoredInfo]) -> SpotIndex:
            return SpotIndex([s for s in map(parse_spot, records) if s is not None])

        index: SpotIndex = await self._parsed_dataset(InfoDataset.spots, parse)
        return index

    async def _parsed_dataset(self, dataset: InfoDataset,
                              parse: Callable[[list[StoredInfo]], P]) -> P:
        """The dataset parsed, again only when the store's generation for it moved."""
        current = self._parsed.get(dataset)
        if current is not None and current.generation == self._store.info_generation(dataset):
            return current.value
        generation, records = await self._info.records(dataset)
        return await asyncio.to_thread(self._parse_once, dataset, generation, records, parse)

    def _parse_once(self, dataset: InfoDataset, generation: int, records: list[StoredInfo],
                    parse: Callable[[list[StoredInfo]], P]) -> P:
        with self._parse_lock:  # two screens asking at once parse once
            current = self._parsed.get(dataset)
            if current is not None and current.generation == generation:
                return current.value
            value = parse(records)
            self._parsed[dataset] = _Parsed(generation, value)
            return value
