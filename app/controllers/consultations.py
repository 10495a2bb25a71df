"""Consultations: find a service by need, pick a day and a time, book (through the outbox when
logged in, with a one-time code when anonymous), then see, join, move or cancel the booking.

Browsing answers from what the device last downloaded; a booking made offline waits in the
outbox as "pending confirmation" and is confirmed or refused (with other times) once online.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from app.commands import Command
from app.paths import RoutePath, build
from app.state import AppState, ConsultationsState, Topic
from services.consultations.anonymous import AnonymousBookings, AnonymousTicket
from services.consultations.bookings import BookingService, MyBooking
from services.consultations.calendar import booking_ics
from services.consultations.catalogue import ConsultationCatalogue
from services.consultations.models import Channel, Questionnaire, Service
from services.consultations.refusals import SlotRefused
from services.consultations.reminders import ReminderLog
from services.errors import ApiError, Offline
from services.i18n import JAPAN_TZ, N_

log = logging.getLogger(__name__)

CALENDAR_DAYS = 14  # the calendar shows two weeks; the window may be longer
SLOTS_FRESH = timedelta(minutes=4)  # the list's "next free" may be this old
BOOKED = N_("Booked. It is confirmed as soon as it reaches the office.")
QUEUED = N_("Saved on this device: it is sent when you are online again.")
CANCELLED = N_("Cancellation sent.")
MOVED = N_("The new time is sent to the office.")
SAVED_ICS = N_("Calendar file saved.")
TRY_LATER = N_("The booking could not be made just now. Please try again in a few minutes.")
OFFLINE_ANONYMOUS = N_("You are offline. A booking without login needs a connection: your "
                       "choice is kept, please try again when online.")


class FileSaving(Protocol):
    async def save(self, name: str, data: bytes) -> None: ...


class ReminderNotifier(Protocol):
    def notify(self, title: str, message: str) -> None: ...


def japan_now() -> datetime:
    return datetime.now(JAPAN_TZ)


class ConsultationsController:
    def __init__(self, state: AppState, catalogue: ConsultationCatalogue,
                 bookings: Callable[[], BookingService | None], anonymous: AnonymousBookings,
                 reminders: ReminderLog, files: FileSaving, notifier: ReminderNotifier,
                 navigate: Callable[[str], None],
                 now: Callable[[], datetime] = japan_now) -> None:
        self.state = state
        self.catalogue = catalogue
        self._bookings = bookings  # the logged-in resident's, at the time of the tap
        self._anonymous = anonymous
        self._reminders = reminders
        self._files = files
        self._notifier = notifier
        self._navigate = navigate
        self.now = now
        view = Topic.bookings
        self.book = Command(self._book, state, Topic.booking_form)
        self.cancel = Command(self._cancel, state, view)
        self.cancel_anonymous = Command(self._cancel_anonymous, state, view)
        self.save_calendar = Command(self._save_calendar, state, view)
        self.refresh = Command(self._refresh, state, view, Topic.consultations)

    @property
    def view(self) -> ConsultationsState:
        return self.state.consultations

    # --- finding ----------------------------------------------------------------------------
    def service(self, service_id: str) -> Service | None:
        return self.catalogue.get(service_id)

    def search(self, query: str) -> None:
        self.view.query = query
        self._find()

    def set_channel(self, channel: Channel | None) -> None:
        self.view.channel = channel
        self._find()

    def set_spoken(self, language: str | None) -> None:
        self.view.spoken = language
        self._find()

    def languages(self) -> list[str]:
        """The languages some service is held in, for the filter."""
        found = {code for s in self.catalogue.services() for code in s.languages}
        return sorted(found, key=lambda code: (code != "ja", code != "en", code))

    def _find(self) -> None:
        view = self.view
        found = self.catalogue.search(view.query, self.state.language.code,
                                      channel=view.channel)
        view.results = [s for s in found if view.spoken is None or s.speaks(view.spoken)]
        view.synced_at, view.loaded = self.catalogue.synced_at, True
        self.state.changed(Topic.consultations)

    def next_free(self, service: Service) -> datetime | None:
        found = self.catalogue.next_free(service, 1)
        return found[0].start if found else None

    async def _refresh(self) -> None:
        """The catalogue, and the resident's bookings (sending what waits first)."""
        try:
            await self.catalogue.refresh()
            await self._refresh_slots()
            self.view.offline = False
        except (Offline, ApiError):
            self.view.offline = True
        self._find()
        view = self.view
        if view.service_id and not view.days and self.catalogue.get(view.service_id):
            await self.open_service(view.service_id)  # opened by a link before the download
        await self.sync_bookings()

    async def _refresh_slots(self) -> None:
        """Every service's slots, for "next free" in the list: the files are shared by every
        session of this process, so only those older than SLOTS_FRESH are asked again (with
        their ETags: mostly a 304)."""
        now = datetime.now(UTC)
        stale = [s for s in self.catalogue.services()
                 if (at := self.catalogue.cached_slots(s.id).synced_at) is None
                 or now - at > SLOTS_FRESH]
        await asyncio.gather(*(self.catalogue.refresh_slots(s) for s in stale))

    # --- one service: calendar and times ---------------------------------------------------------
    async def open_service(self, service_id: str) -> None:
        view = self.view
        if view.service_id != service_id:
            view.service_id, view.day, view.start, view.problems = service_id, None, None, []
            view.code = None
        service = self.catalogue.get(service_id)
        if service is None:
            view.days = []
            self.state.changed(Topic.slots)
            return
        try:
            await self.catalogue.refresh_slots(service)
            view.slots_offline = False
        except (Offline, ApiError):
            view.slots_offline = True  # the slots last downloaded are shown
        today = self.now().date()
        view.days = [today + timedelta(days=n) for n in range(CALENDAR_DAYS)]
        view.room = self.catalogue.days_with_room(service, today, CALENDAR_DAYS)
        if view.day is None or view.day not in view.room:
            view.day = min(view.room) if view.room else None
        self._show_day()

    def choose_day(self, day: date) -> None:
        self.view.day, self.view.start = day, None
        self._show_day()

    def _show_day(self) -> None:
        view = self.view
        service = self.catalogue.get(view.service_id or "")
        view.slots = self.catalogue.slots_on(service, view.day) if service and view.day else []
        self.state.changed(Topic.slots)

    def choose_time(self, start: datetime) -> None:
        view = self.view
        view.start, view.problems, view.refused, view.alternatives = start, [], None, ()
        view.notice = None
        self.state.changed(Topic.slots, Topic.booking_form)
        if self.view.service_id:
            self._navigate(build(RoutePath.consultation_confirm, service=self.view.service_id))

    def book_instead(self, service_id: str, start: datetime) -> None:
        """A refused booking's alternative: straight to the confirm step for that time."""
        view = self.view
        view.service_id, view.start, view.rescheduling, view.problems = (
            service_id, start, None, [])
        view.refused, view.alternatives, view.notice = None, (), None
        self._navigate(build(RoutePath.consultation_confirm, service=service_id))

    def start_reschedule(self, booking_id: str) -> None:
        booking = self._find_booking(booking_id)
        if booking is None:
            return
        self.view.rescheduling = booking_id
        self._navigate(build(RoutePath.consultation, service=booking.service_id))

    def stop_reschedule(self) -> None:
        self.view.rescheduling = None

    # --- booking ----------------------------------------------------------------------------
    def questionnaire(self, service_id: str) -> Questionnaire | None:
        service = self._bookings()
        return service.questionnaire(service_id) if service else None

    def keep_questionnaire(self, service_id: str, questionnaire: Questionnaire) -> None:
        """The telemedicine questionnaire as typed, sealed on the device until it is sent."""
        service = self._bookings()
        if service is not None:
            service.save_questionnaire(service_id, questionnaire)

    async def _book(self, language: str | None, questionnaire: Questionnaire | None,
                    note: str, /) -> None:
        view = self.view
        service = self.catalogue.get(view.service_id or "")
        if service is None or view.start is None:
            return
        resident = self._bookings()
        if view.rescheduling and resident is not None:
            result = resident.reschedule(view.rescheduling, view.start)
            view.problems = list(result.problems)
            if result.ok:
                view.rescheduling, view.notice = None, MOVED
                await self.sync_bookings()
                self._navigate(RoutePath.bookings.value)
            return
        if resident is not None:
            result = resident.book(service, view.start, language, questionnaire, note)
            view.problems = list(result.problems)
            if result.ok:
                resident.discard_questionnaire(service.id)
                view.notice = BOOKED
                await self.sync_bookings()
                made = resident.booking(result.booking.id) if result.booking else None
                if made is not None and made.waiting:  # not sent yet: offline
                    view.notice = QUEUED
                self._navigate(RoutePath.bookings.value)
            return
        if not service.anonymous_allowed:
            self._navigate(RoutePath.login.value)  # the screen offers login first; a guard
            return
        view.refused, view.alternatives, view.notice = None, (), None
        try:
            anonymous = await self._anonymous.book(service, view.start)
        except Offline:
            view.notice = OFFLINE_ANONYMOUS
            return
        except SlotRefused as exc:  # e.g. the last place went a moment ago
            view.refused, view.alternatives = exc.code, exc.alternatives
            return
        except ApiError:  # too many tries from this address, or the server is down
            view.notice = TRY_LATER
            return
        view.problems = list(anonymous.problems)
        if anonymous.ok and anonymous.ticket is not None:
            view.code = anonymous.ticket
            view.tickets = await self._anonymous.kept()
            self.state.changed(Topic.bookings)

    async def sync_bookings(self) -> None:
        """Send what waits, read the resident's bookings back; anonymous ones from the
        device."""
        resident = self._bookings()
        view = self.view
        if resident is not None:
            try:
                await resident.send()
                await resident.refresh()
            except (Offline, ApiError):
                log.info("bookings: offline, showing what the device has")
            view.bookings = resident.bookings()
        else:
            view.bookings = []
        view.tickets = await self._anonymous.kept()
        self.state.changed(Topic.bookings)

    def _find_booking(self, booking_id: str) -> MyBooking | None:
        return next((b for b in self.view.bookings if b.id == booking_id), None)

    def booking(self, booking_id: str) -> MyBooking | None:
        return self._find_booking(booking_id)

    async def _cancel(self, booking_id: str, /) -> None:
        resident = self._bookings()
        if resident is None:
            return
        result = resident.cancel(booking_id)
        self.view.problems = list(result.problems)
        if result.ok:
            self.view.notice = CANCELLED
        await self.sync_bookings()

    async def _cancel_anonymous(self, booking_id: str, /) -> None:
        ticket = next((t for t in self.view.tickets if t.booking_id == booking_id), None)
        if ticket is None:
            return
        try:
            await self._anonymous.cancel(ticket)
        except Offline:
            self.view.notice = OFFLINE_ANONYMOUS
            return
        self.view.notice = CANCELLED
        self.view.tickets = await self._anonymous.kept()

    def dismiss(self, booking: MyBooking) -> None:
        resident = self._bookings()
        if resident is not None and booking.refusal is not None:
            resident.dismiss(booking.refusal)
            self.view.bookings = resident.bookings()
            self.state.changed(Topic.bookings)

    async def _save_calendar(self, booking_id: str, /) -> None:
        booking = self._find_booking(booking_id)
        service = self.catalogue.get(booking.service_id) if booking else None
        if booking is None or service is None:
            return
        data = booking_ics(booking, service, self.state.language.code)
        await self._files.save(f"kitokito-{booking.start:%Y%m%d-%H%M}.ics", data)
        self.view.notice = SAVED_ICS

    def forget_code(self) -> None:
        """The one-time code was shown; it stays in the list of this device's bookings."""
        self.view.code = None
        self.state.changed(Topic.booking_form)

    # --- reminders ---------------------------------------------------------------------------
    async def remind(self) -> None:
        """Reminders due now (the day before, 30 minutes before), each once: a device
        notification where there is one, and a line on the bookings screen."""
        due = await self._reminders.due(self.view.bookings, self.now())
        t = self.state.t
        for reminder in due:
            service = self.catalogue.get(reminder.service_id)
            name = service.name_in(self.state.language.code) if service else ""
            self._notifier.notify(t("Kitokito"), t(reminder.message, service=name,
                                                   time=reminder.start.astimezone(
                                                       JAPAN_TZ).strftime("%H:%M")))
        if due:
            self.view.reminders = [r.booking_id for r in due]
            self.state.changed(Topic.bookings)

    def forget(self) -> None:
        """At logout: nothing of the resident stays in this session's state."""
        view = self.view
        view.bookings, view.rescheduling, view.problems, view.reminders = [], None, [], []
        self.state.changed(Topic.bookings)


def ticket_of(tickets: list[AnonymousTicket], booking_id: str) -> AnonymousTicket | None:
    return next((t for t in tickets if t.booking_id == booking_id), None)
