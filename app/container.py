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


@dataclass
class SessionServices:
    api: ApiClient
    notices: NoticeService
    preferences: PreferencesRepository

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

    def session_services(self, storage: KeyValueStore) -> SessionServices:
        api = ApiClient(self.config.effective_api_url, transport=self._transport)
        return SessionServices(
            api=api,
            notices=NoticeService(self.store, self.notice_sync, api),
            preferences=PreferencesRepository(storage),
        )

    def close(self) -> None:
        self.store.close()
