"""The consultations controller with fakes for the catalogue, the resident's bookings and the
anonymous bookings (one layer under test), the real AppState and the real ReminderLog."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from app.controllers.consultations import (
    BOOKED,
    OFFLINE_ANONYMOUS,
    QUEUED,
    ConsultationsController,
)
from app.paths import RoutePath, build
from app.state import AppState
from services.consultations.anonymous import AnonymousResult, AnonymousTicket
from services.consultations.bookings import BookingResult, BookingState, Change, MyBooking
from services.consultations.models import Service
from services.consultations.problems import BookingProblem, BookingProblemCode
from services.consultations.refusals import RefusalCode, SlotRefused
from services.consultations.reminders import ReminderLog
from services.errors import Offline
from services.i18n import JAPAN_TZ
from tests.unit.conftest import DictStorage, Resident
from tests.unit.consultation_fakes import SERVICES

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=JAPAN_TZ)
AT_TEN = datetime(2026, 12, 7, 10, 0, tzinfo=JAPAN_TZ)
CATALOGUE = {s["id"]: Service.model_validate(s) for s in SERVICES}
SHOHI, KOKORO = CATALOGUE["shohi"], CATALOGUE["kokoro"]  # login only; anonymous allowed


class FakeCatalogue:
    synced_at = None

    def get(self, service_id: str) -> Service | None:
        return CATALOGUE.get(service_id)


class FakeBookings:
    """The resident's BookingService: counts `book`; `send` delivers what waits when online
    and can be held with `gate` (a booking in flight)."""

    def __init__(self, problems: tuple[BookingProblem, ...] = (), *, online: bool = True) -> None:
        self.problems = problems
        self.online = online
        self.booked: list[tuple[str, datetime, str | None, str]] = []
        self.mine: list[MyBooking] = []
        self.gate: asyncio.Event | None = None

    def book(self, service: Service, start: datetime, language: str | None = None,
             questionnaire: object = None, note: str = "") -> BookingResult:
        self.booked.append((service.id, start, language, note))
        if self.problems:
            return BookingResult(None, self.problems)
        made = MyBooking(f"{len(self.booked):032x}", service.id, start,
                         start + timedelta(minutes=service.duration_min), BookingState.pending,
                         service.channel, NOW, waiting=Change.create)
        self.mine.append(made)
        return BookingResult(made)

    def discard_questionnaire(self, service_id: str) -> None:
        pass

    async def send(self) -> None:
        if self.gate is not None:
            await self.gate.wait()
        if not self.online:
            raise Offline("ConnectError")
        self.mine = [replace(b, state=BookingState.confirmed, waiting=None) for b in self.mine]

    async def refresh(self) -> None:
        pass

    def bookings(self) -> list[MyBooking]:
        return list(self.mine)

    def booking(self, booking_id: str) -> MyBooking | None:
        return next((b for b in self.mine if b.id == booking_id), None)


class FakeAnonymous:
    def __init__(self, fails: Exception | None = None) -> None:
        self.fails = fails
        self.asked: list[tuple[str, datetime]] = []
        self.tickets: list[AnonymousTicket] = []

    async def book(self, service: Service, start: datetime) -> AnonymousResult:
        self.asked.append((service.id, start))
        if self.fails is not None:
            raise self.fails
        ticket = AnonymousTicket("a" * 32, "7K3M9QXR2A", service.id, start,
                                 start + timedelta(minutes=30))
        self.tickets.append(ticket)
        return AnonymousResult(ticket)

    async def kept(self) -> list[AnonymousTicket]:
        return list(self.tickets)


class Notifier:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def notify(self, title: str, message: str) -> None:
        self.sent.append((title, message))


class Files:
    async def save(self, name: str, data: bytes) -> None:
        pass


class Made:
    """A controller and what it was given, for the assertions."""

    def __init__(self, bookings: FakeBookings | None = None,
                 anonymous: FakeAnonymous | None = None, state: AppState | None = None,
                 resident: Callable[[], FakeBookings | None] | None = None) -> None:
        self.state = state or AppState()
        self.bookings = bookings
        self.anonymous = anonymous or FakeAnonymous()
        self.notifier = Notifier()
        self.went: list[str] = []
        who = resident or (lambda: self.bookings)
        self.controller = ConsultationsController(
            self.state, FakeCatalogue(), who,  # type: ignore[arg-type]
            self.anonymous, ReminderLog(DictStorage()), Files(),  # type: ignore[arg-type]
            self.notifier, self.went.append, now=lambda: NOW)

    def chosen(self, service: Service, start: datetime = AT_TEN) -> ConsultationsController:
        self.state.consultations.service_id = service.id
        self.controller.choose_time(start)
        self.went.clear()
        return self.controller


def confirm_path(service: Service) -> str:
    return build(RoutePath.consultation_confirm, service=service.id)


async def test_a_logged_in_booking_goes_through_the_outbox_to_my_bookings() -> None:
    made = Made(FakeBookings())
    await made.chosen(SHOHI).book("en", None, "please call after 10")
    assert made.bookings is not None
    assert made.bookings.booked == [("shohi", AT_TEN, "en", "please call after 10")]
    assert made.went == [RoutePath.bookings.value]
    view = made.state.consultations
    assert view.notice == BOOKED and view.problems == []
    assert [(b.service_id, b.start, b.state) for b in view.bookings] == [
        ("shohi", AT_TEN, BookingState.confirmed)]


async def test_a_booking_made_offline_says_it_waits_on_the_device() -> None:
    made = Made(FakeBookings(online=False))
    await made.chosen(SHOHI).book(None, None, "")
    view = made.state.consultations
    assert view.notice == QUEUED and view.bookings[0].waiting == Change.create
    assert made.went == [RoutePath.bookings.value]


async def test_a_booking_with_problems_stays_on_the_confirm_screen() -> None:
    problems = (BookingProblem(BookingProblemCode.window_closed),)
    made = Made(FakeBookings(problems))
    await made.chosen(SHOHI).book(None, None, "")
    view = made.state.consultations
    assert view.problems == list(problems)
    assert made.went == [] and view.notice is None and view.bookings == []


async def test_a_double_tap_on_book_books_once() -> None:
    bookings = FakeBookings()
    bookings.gate = asyncio.Event()
    made = Made(bookings)
    controller = made.chosen(SHOHI)
    first = asyncio.create_task(controller.book(None, None, ""))
    await asyncio.sleep(0)
    assert await controller.book(None, None, "") is False  # the second tap, while in flight
    bookings.gate.set()
    assert await first is True
    assert len(bookings.booked) == 1 and made.went == [RoutePath.bookings.value]


async def test_an_anonymous_booking_gives_the_code_once() -> None:
    made = Made()
    await made.chosen(KOKORO).book(None, None, "")
    view = made.state.consultations
    assert made.anonymous.asked == [("kokoro", AT_TEN)]
    assert view.code is not None and view.code.code == "7K3M9QXR2A"
    assert view.tickets == [view.code]


async def test_an_anonymous_booking_offline_asks_to_try_again_online() -> None:
    made = Made(anonymous=FakeAnonymous(Offline("ConnectError")))
    await made.chosen(KOKORO).book(None, None, "")
    view = made.state.consultations
    assert view.notice == OFFLINE_ANONYMOUS and view.code is None
    assert made.anonymous.asked == [("kokoro", AT_TEN)] and not made.controller.book.failed


async def test_a_full_slot_offers_the_times_the_server_suggests() -> None:
    refused = SlotRefused("slot_full", "2026-12-07T10:00:00+09:00; 2026-12-07T10:30:00+09:00")
    made = Made(anonymous=FakeAnonymous(refused))
    await made.chosen(KOKORO).book(None, None, "")
    view = made.state.consultations
    assert view.refused == RefusalCode.slot_full
    assert view.alternatives == (AT_TEN, AT_TEN + timedelta(minutes=30))
    assert view.code is None and made.went == []


async def test_choosing_a_time_clears_the_refusal_and_goes_to_confirm() -> None:
    made = Made()
    view = made.state.consultations
    view.service_id = "kokoro"
    view.refused, view.alternatives = RefusalCode.slot_full, (AT_TEN,)
    view.problems = [BookingProblem(BookingProblemCode.window_closed)]
    made.controller.choose_time(AT_TEN + timedelta(hours=4))
    assert view.start == AT_TEN + timedelta(hours=4)
    assert view.refused is None and view.alternatives == () and view.problems == []
    assert made.went == [confirm_path(KOKORO)]


async def test_logout_leaves_none_of_the_residents_bookings(resident: Resident) -> None:
    bookings = FakeBookings()
    made = Made(bookings, state=resident.state,
                resident=lambda: bookings if resident.state.auth.logged_in else None)
    resident.controller.on_end.append(made.controller.forget)
    await made.chosen(SHOHI).book(None, None, "")
    assert resident.state.consultations.bookings
    await resident.controller.logout()
    assert not resident.state.auth.logged_in
    assert resident.state.consultations.bookings == []
    assert resident.state.consultations.problems == []


async def test_each_reminder_due_is_notified_once() -> None:
    soon = NOW + timedelta(minutes=20)
    bookings = FakeBookings()
    bookings.mine = [
        MyBooking("1" * 32, "shohi", soon, soon + timedelta(minutes=30), BookingState.confirmed,
                  SHOHI.channel, NOW - timedelta(days=3)),
        MyBooking("2" * 32, "kokoro", soon, soon + timedelta(minutes=30), BookingState.pending,
                  KOKORO.channel, NOW - timedelta(days=3)),
    ]
    made = Made(bookings)
    await made.controller.sync_bookings()
    await made.controller.remind()
    await made.controller.remind()  # a minute later, say: nothing new is due
    sent = made.notifier.sent
    assert len(sent) == 2
    assert SHOHI.name_in("ja") in sent[0][1] + sent[1][1]
    assert KOKORO.name_in("ja") in sent[0][1] + sent[1][1]
    assert all("09:20" in message for _, message in sent)
    assert sorted(made.state.consultations.reminders) == ["1" * 32, "2" * 32]
