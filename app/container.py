"""The ONLY place that constructs concrete services.

Process-wide: the device's local store and the notice sync over it (public data only).
Per session (one browser tab, or the one user of a phone build): the API client and the
services that will hold personal data later. Nothing personal is created at process level.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx

from app.config import AppConfig
from forms.bundled import load_catalogue
from services.api import ApiClient
from services.applications import ApplicationService
from services.auth_api import AuthApi
from services.consultations.anonymous import AnonymousBookings
from services.consultations.bookings import BookingService
from services.consultations.catalogue import ConsultationCatalogue
from services.consultations.reminders import ReminderLog
from services.crypto import FileKeyStore, KeyStore, MemoryKeyStore
from services.devices import DeviceIdentity, DeviceService, load_device
from services.i18n import japan_today
from services.info.plan import EvacuationPlanRepository
from services.info.service import InfoService
from services.login import AuthSession, LoginFlow
from services.mynumber import CardSummary, ensure_demo_cards
from services.mynumber.reader import CardReader, SessionDemoCards
from services.notices import NoticeService
from services.outbox import Outbox
from services.personal_cache import PersonalCache
from services.preferences import KeyValueStore, PreferencesRepository
from services.procedures import ProcedureCatalogue
from services.realtime import LiveDelayService, RealtimeClient
from services.relocation.plan import RelocationPlanRepository
from services.relocation.service import RelocationService
from services.saved_journeys import SavedJourneys
from services.search.service import SearchService
from services.search.sources import (
    ConsultationSource,
    NoticeSource,
    ProcedureSource,
    StopSource,
    info_sources,
)
from services.session_timer import IdleTimer
from services.store import LocalStore
from services.sync import NoticeSync, info_syncs
from services.tickets import TicketService
from services.tourism.service import TourismService
from services.transit import TransitService
from services.trips import TripService


@dataclass
class SessionServices:
    api: ApiClient
    notices: NoticeService
    preferences: PreferencesRepository
    trips: TripService  # shared: timetables are public data
    auth_api: AuthApi
    login: LoginFlow
    cards: CardReader | SessionDemoCards
    idle_timer: Callable[[], IdleTimer]
    live_delays: LiveDelayService  # shared: public data
    saved_journeys: SavedJourneys
    # The ticket service of the resident logged in now: made at login, dropped at logout.
    tickets_for: Callable[[AuthSession], TicketService]
    devices_for: Callable[[AuthSession], DeviceService]
    applications_for: Callable[[AuthSession], ApplicationService]
    procedures: ProcedureCatalogue  # shared: the catalogue is public data
    device: Callable[[], Awaitable[DeviceIdentity]]  # this device's id and name
    info: InfoService  # shared: medical, childcare and disaster data are public
    evacuation_plan: EvacuationPlanRepository  # on the device, like saved journeys
    consultations: ConsultationCatalogue  # shared: services and slots are public
    bookings_for: Callable[[AuthSession], BookingService]
    anonymous_bookings: AnonymousBookings  # kept in this browser's or device's storage
    booking_reminders: ReminderLog  # which reminders this device has shown
    tourism: TourismService  # shared: spots, crowd levels and routes are public
    relocation: RelocationService  # shared: town profiles and programmes are public
    relocation_plan: RelocationPlanRepository  # on the device, like the evacuation plan
    search: SearchService  # shared: the index holds public data only

    async def aclose(self) -> None:
        await self.api.aclose()
        await self.auth_api.aclose()
        await asyncio.to_thread(self.cards.close)


def prepare_demo_cards(config: AppConfig) -> list[CardSummary]:
    """The embedded default's demo residents and their test CA, before the backend starts (it
    trusts that CA). Idempotent."""
    return ensure_demo_cards(config.data_dir)


class Container:
    def __init__(
        self, config: AppConfig, *, transport: httpx.AsyncBaseTransport | None = None,
        web: bool = True,
    ) -> None:
        self.config = config
        self._transport = transport
        self._web = web
        if web:  # demo cards of browser sessions that ended with the last run
            shutil.rmtree(self._web_cards_root, ignore_errors=True)
        # Web mode: the Python side runs on a server for everyone, so personal-data keys live
        # only in this process's memory (nothing usable is left on the server's disk). On a
        # resident's own device the key file survives restarts (see README).
        self._keys: KeyStore = MemoryKeyStore() if web else FileKeyStore(
            config.data_dir / "client" / "keys")
        self.store = LocalStore(config.client_store_path)
        self.notice_sync = NoticeSync(self.store)
        cache_dir = config.data_dir / "client" / "transit-cache"
        self.trips = TripService(lambda: TransitService.bundled(cache_dir=cache_dir))
        self.trips.start_loading()  # in the background: the first trip screen finds it ready
        self.realtime = RealtimeClient(config.effective_api_url, transport=transport)
        self.live_delays = LiveDelayService(self.realtime, self.trips)
        self._public_api = ApiClient(config.effective_api_url, transport=transport)
        self.procedures = ProcedureCatalogue(
            config.data_dir / "client" / "procedures.json", self._public_api, load_catalogue)
        # One sync per dataset and store: each holds its feed's lock, so every session's pulls
        # fold into one.
        self.info = InfoService(self.store, info_syncs(self.store), self._public_api)
        self.consultations = ConsultationCatalogue(config.data_dir / "client", self._public_api)
        self.tourism = TourismService(self.info, self._public_api, self.store)
        self.relocation = RelocationService(self.info)
        self.search = SearchService([  # shared: public data only
            ProcedureSource(self.procedures),
            ConsultationSource(self.consultations),
            *info_sources(self.info, self.store),
            StopSource(self.trips),
            NoticeSource(NoticeService(self.store, self.notice_sync, self._public_api)),
        ])

    @property
    def web(self) -> bool:
        return self._web

    def session_services(
        self, storage: KeyValueStore, client_ip: str | None = None,
        user_agent: str | None = None,
    ) -> SessionServices:
        config = self.config
        api = ApiClient(config.effective_api_url, transport=self._transport)
        auth_api = AuthApi(config.effective_api_url, transport=self._transport,
                           forwarded_for=client_ip)
        personal_dir: Path = config.data_dir / "client"
        keys = self._keys
        return SessionServices(
            api=api,
            notices=NoticeService(self.store, self.notice_sync, api),
            preferences=PreferencesRepository(storage),
            trips=self.trips,
            auth_api=auth_api,
            login=LoginFlow(
                auth_api, personal_cache=lambda uid: PersonalCache(personal_dir, uid, keys)),
            cards=self._cards(),
            idle_timer=lambda: IdleTimer(
                timeout=timedelta(seconds=config.idle_timeout_s),
                warn_before=timedelta(seconds=config.idle_warning_s),
            ),
            live_delays=self.live_delays,
            tickets_for=lambda session: TicketService(session, self.trips),
            devices_for=DeviceService,
            applications_for=self._applications_for,
            procedures=self.procedures,
            device=lambda: load_device(storage, user_agent),
            # On the device: the browser's own storage in web mode, never shared between people.
            saved_journeys=SavedJourneys(storage),
            info=self.info,
            evacuation_plan=EvacuationPlanRepository(storage),
            consultations=self.consultations,
            bookings_for=self._bookings_for,
            anonymous_bookings=AnonymousBookings(storage, api),
            booking_reminders=ReminderLog(storage),
            tourism=self.tourism,
            relocation=self.relocation,
            relocation_plan=RelocationPlanRepository(storage),
            search=self.search,
        )

    def _applications_for(self, session: AuthSession) -> ApplicationService:
        cache = session.personal_cache
        if cache is None:
            raise RuntimeError("a logged-in session has a personal cache")
        return ApplicationService(
            session, cache, Outbox(self.store, session.user_id, sealer=cache.sealer),
            today=japan_today)

    def _bookings_for(self, session: AuthSession) -> BookingService:
        cache = session.personal_cache
        if cache is None:
            raise RuntimeError("a logged-in session has a personal cache")
        # The resident's one outbox: bookings and applications are sent in one order.
        return BookingService(session, cache,
                              Outbox(self.store, session.user_id, sealer=cache.sealer),
                              self.consultations)

    @property
    def _web_cards_root(self) -> Path:
        return self.config.data_dir / "web-cards"

    def _cards(self) -> CardReader | SessionDemoCards:
        """On a resident's own device: the cards in the data dir. In web mode, where one
        process serves every visitor: each browser session's own demo cards (issue 8, #4)."""
        if not self._web:
            return CardReader(self.config.data_dir)
        return SessionDemoCards(self.config.data_dir,
                                self._web_cards_root / secrets.token_hex(16))

    def close(self) -> None:
        self.store.close()
