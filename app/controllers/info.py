"""The public information behind the medical, childcare and disaster screens: keeping it fresh
(one sync path for every dataset), where "nearest" is measured from, and opening one record.

Screens answer from the device's store at once; a sync in the background brings changes, and
then every loaded screen asks again (`on_data`), so what is shown is never older than the store.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from app.commands import Command
from app.controllers.settings import SettingsController
from app.controllers.trips import Location, LocationUnavailable
from app.state import AppState, Topic
from services.i18n import N_
from services.info.service import InfoService
from services.models import InfoDataset

log = logging.getLogger(__name__)

LOCATION_DENIED = N_("Location is not allowed. Allow it in the browser's settings, or choose "
                     "your town.")
LOCATION_UNAVAILABLE = N_("Your location is not available on this device. Choose your town "
                          "instead.")

Reload = Callable[[], Awaitable[None]]


class InfoController:
    def __init__(self, state: AppState, info: InfoService, settings: SettingsController,
                 location: Location) -> None:
        self.state = state
        self._info = info
        self._settings = settings
        self._location = location
        self._reloads: list[Reload] = []  # each area's "ask the store again"
        self.refresh = Command(self._refresh, state, Topic.info_status)
        self.locate = Command(self._locate, state, Topic.where)
        self.choose_town = Command(self._choose_town, state, Topic.where)

    def on_data(self, reload: Reload) -> None:
        """`reload` runs after a sync brought changes and when "nearest to" moves."""
        self._reloads.append(reload)

    async def _reload_all(self) -> None:
        for reload in self._reloads:
            await reload()

    async def _refresh(self) -> None:
        results = await self._info.refresh()
        changed = sum(result.changed for result in results.values())
        await self.read_status(synced=True)
        if changed:
            log.info("info sync: %d records changed", changed)
            await self._reload_all()

    async def read_status(self, *, synced: bool = False) -> None:
        status = self.state.info_status
        each = [await self._info.status(dataset) for dataset in InfoDataset]
        # The oldest dataset's last good sync: what the screens show is at least that fresh.
        stamps = [s.last_updated for s in each]
        status.last_updated = None if None in stamps else min(s for s in stamps if s)
        status.offline = any(s.offline for s in each)
        status.synced = status.synced or synced
        self.state.changed(Topic.info_status)

    async def _locate(self) -> None:
        where = self.state.where
        where.locating, where.problem = True, None
        self.state.changed(Topic.where)
        try:
            where.here = await self._location.current()
        except LocationUnavailable as exc:
            where.problem = LOCATION_DENIED if exc.denied else LOCATION_UNAVAILABLE
        finally:
            where.locating = False
        self.state.changed(Topic.where)
        await self._reload_all()

    async def _choose_town(self, code: str | None, /) -> None:
        # A town chosen by hand is where the resident wants to look: the device position,
        # if any, no longer applies.
        self.state.where.here = None
        self.state.where.problem = None
        await self._settings.set_town(code)
        self.state.changed(Topic.where)
        await self._reload_all()

    async def prepare(self) -> None:
        """Read every dataset and build its search index now, off the event loop, so the
        first letter typed on a screen does not wait for it (once per process and change)."""
        for dataset in InfoDataset:
            await self._info.prepare(dataset)

    async def open(self, dataset: InfoDataset, record_id: str) -> None:
        """Read a record for its details screen. Not a Command: opening another record while
        one loads must not be refused; the newest wins."""
        place = self.state.place
        if place.dataset == dataset and place.id == record_id and place.record is not None:
            return
        place.dataset, place.id, place.record, place.loaded = dataset, record_id, None, False
        self.state.changed(Topic.place)
        record = await self._info.record(dataset, record_id)
        if record is None:  # a link opened before the first sync, or to a newer record
            await self._info.refresh(dataset)
            record = await self._info.record(dataset, record_id)
        if (place.dataset, place.id) == (dataset, record_id):  # not moved on meanwhile
            place.record = record  # type: ignore[assignment]
            place.loaded = True
            self.state.changed(Topic.place)
