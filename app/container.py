"""The ONLY place that constructs concrete services.

Process-wide: the device's local store and the notice sync over it (public data only).
Per session (one browser tab, or the one user of a phone build): the API client and the
services that will hold personal data later. Nothing personal is created at process level.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from app.config import AppConfig
from services.api import ApiClient
from services.notices import NoticeService
from services.preferences import KeyValueStore, PreferencesRepository
from services.store import LocalStore
from services.sync import NoticeSync
from services.transit import TransitService
from services.trips import TripService


@dataclass
class SessionServices:
    api: ApiClient
    notices: NoticeService
    preferences: PreferencesRepository
    trips: TripService  # shared: timetables are public data

    async def aclose(self) -> None:
        await self.api.aclose()


class Container:
    def __init__(
        self, config: AppConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.config = config
        self._transport = transport
        self.store = LocalStore(config.client_store_path)
        self.notice_sync = NoticeSync(self.store)
        cache_dir = config.data_dir / "client" / "transit-cache"
        self.trips = TripService(lambda: TransitService.bundled(cache_dir=cache_dir))
        self.trips.start_loading()  # in the background: the first trip screen finds it ready

    def session_services(self, storage: KeyValueStore) -> SessionServices:
        api = ApiClient(self.config.effective_api_url, transport=self._transport)
        return SessionServices(
            api=api,
            notices=NoticeService(self.store, self.notice_sync, api),
            preferences=PreferencesRepository(storage),
            trips=self.trips,
        )

    def close(self) -> None:
        self.store.close()
