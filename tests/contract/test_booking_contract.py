"""Consultation booking through the real client services and the real server (issue 11):
the catalogue and slots downloaded, a booking through the outbox confirmed, a full slot refused
with other times, cancel, an anonymous booking with its code; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from server.core.config import ServerSettings
from server.main import create_app
from services.api import ApiClient
from services.auth_api import AuthApi
from services.consultations.anonymous import AnonymousBookings
from services.consultations.bookings import BookingService, BookingState
from services.consultations.catalogue import ConsultationCatalogue
from services.crypto import MemoryKeyStore
from services.login import LoginFlow
from services.outbox import Outbox
from services.outbox_sender import RetryPolicy
from services.personal_cache import PersonalCache
from services.store import LocalStore
from tests.cardworld import PINS, World

FAST = RetryPolicy(attempts=3, wait_initial_s=0, wait_max_s=0, wait_jitter_s=0)


@pytest.fixture
async def seeded(server_settings: ServerSettings, world: World) -> FastAPI:
    app = create_app(server_settings.model_copy(update={"seed_consultations": True}))
    async with app.router.lifespan_context(app):
        yield app


class Storage:
    """The browser's key/value storage."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        return self.values.get(key)

    async def set(self, key: str, value: str) -> None:
        self.values[key] = value


async def catalogue(app: FastAPI, folder: Path) -> ConsultationCatalogue:
    api = ApiClient("http://backend", transport=httpx.ASGITransport(app=app), get_retries=0)
    found = ConsultationCatalogue(folder / "client", api)
    await found.refresh()
    return found


async def resident(app: FastAPI, world: World, folder: Path, services: ConsultationCatalogue,
                   demo_id: str) -> BookingService:
    api = AuthApi("http://backend", transport=httpx.ASGITransport(app=app))
    session = await LoginFlow(api).login(world.card(demo_id), PINS[demo_id])
    cache = PersonalCache(folder / demo_id, session.user_id, MemoryKeyStore())
    outbox = Outbox(LocalStore(folder / demo_id / "store.db"), session.user_id,
                    sealer=cache.sealer)
    return BookingService(session, cache, outbox, services, retry=FAST)


async def test_book_the_first_free_slot_see_it_confirmed_then_cancel(
        seeded, world, tmp_path) -> None:
    services = await catalogue(seeded, tmp_path)
    childcare = services.get("childcare_toyama_video")
    assert childcare is not None and services.search("kosodate", "en")[0].kind == childcare.kind
    await services.refresh_slots(childcare)
    first = services.next_free(childcare, 1)[0]
    hanako = await resident(seeded, world, tmp_path, services, "toyama-hanako")
    booked = hanako.book(childcare, first.start, "ja")
    assert booked.ok and booked.booking is not None
    assert booked.booking.state == BookingState.pending  # until the server has it
    await hanako.send()
    mine = hanako.booking(booked.booking.id)
    assert mine is not None and mine.state == BookingState.confirmed
    await services.refresh_slots(childcare)
    again = next(s for s in services.cached_slots(childcare.id).slots if s.start == first.start)
    assert again.free == first.free - 1
    assert hanako.cancel(mine.id).ok
    await hanako.send()
    assert hanako.booking(mine.id).state == BookingState.cancelled


async def test_the_last_place_taken_by_another_resident_is_refused_with_other_times(
        seeded, world, tmp_path) -> None:
    services = await catalogue(seeded, tmp_path)
    service = next(s for s in services.services() if s.capacity == 1)
    await services.refresh_slots(service)
    slot = services.next_free(service, 1)[0]
    hanako = await resident(seeded, world, tmp_path, services, "toyama-hanako")
    kenta = await resident(seeded, world, tmp_path, services, "takaoka-kenta")
    questionnaire = None
    if service.kind.value == "telemedicine":
        from services.consultations.models import Questionnaire
        questionnaire = Questionnaire(symptoms="熱", medication="なし", allergies="なし",
                                      insurance_card="12345")
    first = hanako.book(service, slot.start, None, questionnaire)
    second = kenta.book(service, slot.start, None, questionnaire)  # offline at the same time
    await hanako.send()
    await kenta.send()
    assert hanako.booking(first.booking.id).state == BookingState.confirmed
    refused = kenta.booking(second.booking.id)
    assert refused.state == BookingState.rejected and refused.refusal is not None
    assert refused.refusal.code.value == "slot_full"
    assert refused.refusal.alternatives and slot.start not in refused.refusal.alternatives


async def test_an_anonymous_booking_is_kept_with_its_code_and_cancelled(
        seeded, tmp_path) -> None:
    services = await catalogue(seeded, tmp_path)
    kokoro = next(s for s in services.services() if s.anonymous_allowed)
    await services.refresh_slots(kokoro)
    slot = services.next_free(kokoro, 1)[0]
    api = ApiClient("http://backend", transport=httpx.ASGITransport(app=seeded))
    anonymous = AnonymousBookings(Storage(), api)
    result = await anonymous.book(kokoro, slot.start)
    assert result.ok and result.ticket is not None and len(result.ticket.code) == 10
    kept = await anonymous.kept()
    assert [t.booking_id for t in kept] == [result.ticket.booking_id]
    assert await anonymous.cancel(kept[0]) == ()
