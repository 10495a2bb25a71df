"""Anonymous bookings kept on the device, the calendar file, reminders and crisis lines
(services/consultations/anonymous.py, calendar.py, reminders.py, crisis.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from services.api import ApiClient
from services.consultations.anonymous import AnonymousBookings
from services.consultations.bookings import BookingState, MyBooking
from services.consultations.calendar import booking_ics
from services.consultations.crisis import crisis_lines
from services.consultations.models import Channel, Service
from services.consultations.problems import BookingProblemCode
from services.consultations.refusals import RefusalCode, SlotRefused
from services.consultations.reminders import ReminderKind, ReminderLog, reminders_due
from services.errors import Offline
from services.i18n import JAPAN_TZ
from tests.unit.conftest import DictStorage
from tests.unit.consultation_fakes import SERVICES, PublicBackend, jst

TODAY = date(2026, 12, 1)
NOW = jst(TODAY, 9)
CATALOGUE = {s["id"]: Service.model_validate(s) for s in SERVICES}
KOKORO, KOSODATE = CATALOGUE["kokoro"], CATALOGUE["kosodate"]
PEDIATRIC, IJU = CATALOGUE["pediatric_night"], CATALOGUE["iju"]
DAY2 = TODAY + timedelta(days=2)


def anonymous(backend: PublicBackend, storage: DictStorage) -> AnonymousBookings:
    api = ApiClient("http://test", transport=backend.transport(), get_retries=0)
    return AnonymousBookings(storage, api, now=lambda: NOW)


async def test_an_anonymous_booking_is_kept_and_cancelled() -> None:
    backend, storage = PublicBackend(TODAY), DictStorage()
    bookings = anonymous(backend, storage)
    result = await bookings.book(KOKORO, jst(DAY2, 10))
    assert result.ok and result.ticket is not None
    ticket = result.ticket
    assert ticket.code == "7K3M9QXR2A" and ticket.spoken_code == "7K3M9 QXR2A"
    # Another visit: the device still knows it, and the server with its code.
    again = anonymous(backend, storage)
    assert await again.kept() == [ticket]
    state = await again.status(ticket)
    assert state is not None and state.status is not None and state.status.value == "confirmed"
    before = DictStorage()
    before.values = dict(storage.values)
    late = AnonymousBookings(storage, ApiClient("http://test", transport=backend.transport()),
                             now=lambda: jst(DAY2, 9))  # 1 hour before; 24 are needed
    assert [p.code for p in await late.cancel(ticket, KOKORO)] == [
        BookingProblemCode.cancel_deadline_passed]
    assert await again.kept() == [ticket]
    assert await again.cancel(ticket, KOKORO) == ()
    assert await again.kept() == [] and ticket.booking_id in backend.cancelled
    assert backend.slots["kokoro"][jst(DAY2, 10)][1] == 1  # the fake does not free; the call went
    sent = [r for r in backend.requests if r.method == "DELETE"]
    assert len(sent) == 1 and sent[0].headers["X-Booking-Code"] == "7K3M9QXR2A"
    # A copy of the storage from before (another tab): the server says `not_active`; forgotten.
    assert await anonymous(backend, before).cancel(ticket) == ()
    assert await anonymous(backend, before).kept() == []


async def test_offline_keeps_the_choice_and_the_retry_is_the_same_booking() -> None:
    backend, storage = PublicBackend(TODAY), DictStorage()
    bookings = anonymous(backend, storage)
    backend.offline = True
    with pytest.raises(Offline):
        await bookings.book(KOKORO, jst(DAY2, 14))
    waiting = await bookings.waiting()
    assert waiting is not None and waiting.start == jst(DAY2, 14)
    backend.offline = False
    first = await bookings.book(KOKORO, jst(DAY2, 14))
    keys = {r.headers["Idempotency-Key"] for r in backend.requests if r.method == "POST"}
    assert len(keys) == 1 and await bookings.waiting() is None
    # The answer was lost and the same choice asked again: the same booking, one place.
    storage.values.clear()
    await storage.set("kitokito.anonymous_bookings.v1",
                      '{"choice": {"service_id": "kokoro", "start": "'
                      + jst(DAY2, 14).isoformat() + '", "key": "' + keys.pop() + '"}}')
    second = await bookings.book(KOKORO, jst(DAY2, 14))
    assert second.ticket == first.ticket
    assert backend.slots["kokoro"][jst(DAY2, 14)][1] == 1


async def test_anonymous_refusals() -> None:
    backend, storage = PublicBackend(TODAY), DictStorage()
    bookings = anonymous(backend, storage)
    refused = await bookings.book(KOSODATE, jst(DAY2, 10))
    assert [p.code for p in refused.problems] == [BookingProblemCode.anonymous_not_offered]
    late = await bookings.book(KOKORO, jst(TODAY, 10))
    assert [p.code for p in late.problems] == [BookingProblemCode.window_closed]
    backend.slots["kokoro"][jst(DAY2, 10)][1] = 0
    with pytest.raises(SlotRefused) as full:
        await bookings.book(KOKORO, jst(DAY2, 10))
    assert full.value.code is RefusalCode.slot_full and full.value.alternatives == ()
    assert await bookings.waiting() is None and await bookings.kept() == []


def booking(service: Service, start: datetime, *, state: BookingState = BookingState.confirmed,
            booked_at: datetime = NOW - timedelta(days=3), join_url: str | None = None
            ) -> MyBooking:
    from services.consultations.models import Booking

    record = Booking.model_validate({
        "id": "0123456789abcdef0123456789abcdef", "service_id": service.id,
        "start": start.isoformat(), "end": (start + timedelta(minutes=30)).isoformat(),
        "status": "confirmed", "channel": service.channel.value, "join_url": join_url,
        "created_at": booked_at.isoformat(), "updated_at": booked_at.isoformat()})
    return MyBooking(id=record.id, service_id=service.id, start=start,
                     end=start + timedelta(minutes=30), state=state, channel=service.channel,
                     booked_at=booked_at, record=record)


def parse(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_calendar_file_of_a_video_consultation() -> None:
    mine = booking(PEDIATRIC, jst(DAY2, 20), join_url="https://meet.example.jp/abc")
    calendar, event = parse(booking_ics(mine, PEDIATRIC, "en", now=NOW))
    assert str(event["UID"]) == "0123456789abcdef0123456789abcdef@kitokito"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == jst(DAY2, 20) and end == jst(DAY2, 20, 30)
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert start.utcoffset() == timedelta(hours=9)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Tokyo"
    assert str(event["SUMMARY"]) == "Online night clinic for children"
    assert str(event["LOCATION"]) == "Video call"
    assert "https://meet.example.jp/abc" in str(event["DESCRIPTION"])
    assert "富山こども医療センター" in str(event["DESCRIPTION"])
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(minutes=30)


def test_the_calendar_file_in_japanese_in_person_and_by_phone() -> None:
    _, event = parse(booking_ics(booking(KOSODATE, jst(DAY2, 10)), KOSODATE, "ja", now=NOW))
    assert str(event["SUMMARY"]) == "子育て相談"
    assert str(event["LOCATION"]) == "富山県富山市新総曲輪1-7"
    assert "076-444-3300" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART").astimezone(ZoneInfo("UTC")) == datetime(
        2026, 12, 3, 1, tzinfo=ZoneInfo("UTC"))
    _, event = parse(booking_ics(booking(KOKORO, jst(DAY2, 14)), KOKORO, "en", now=NOW))
    assert str(event["LOCATION"]) == "Telephone"
    assert "076-444-3300" in str(event["DESCRIPTION"])
    # A video booking whose link is not given yet says where it will appear.
    _, event = parse(booking_ics(booking(IJU, jst(DAY2, 10)), IJU, "en", now=NOW))
    assert "appears in the Kitokito app" in str(event["DESCRIPTION"])
    assert IJU.channel is Channel.video


def test_reminders_the_day_before_and_30_minutes_before() -> None:
    mine = [booking(KOSODATE, jst(DAY2, 10))]
    assert reminders_due(mine, jst(DAY2 - timedelta(days=1), 17, 59)) == []
    (evening,) = reminders_due(mine, jst(DAY2 - timedelta(days=1), 18, 0))
    assert evening.kind is ReminderKind.day_before
    assert evening.at == jst(DAY2 - timedelta(days=1), 18)
    assert reminders_due(mine, jst(DAY2, 9, 0))[0].kind is ReminderKind.day_before
    (soon,) = reminders_due(mine, jst(DAY2, 9, 30))
    assert soon.kind is ReminderKind.soon
    assert reminders_due(mine, jst(DAY2, 10, 0)) == []  # started: too late to remind
    cancelled = [booking(KOSODATE, jst(DAY2, 10), state=BookingState.cancelled)]
    assert reminders_due(cancelled, jst(DAY2, 9, 45)) == []
    # Booked after 18:00 the day before: no "tomorrow" reminder, only the one before.
    late = [booking(KOSODATE, jst(DAY2, 10), booked_at=jst(DAY2 - timedelta(days=1), 20))]
    assert reminders_due(late, jst(DAY2 - timedelta(days=1), 21)) == []


async def test_each_reminder_is_shown_once() -> None:
    storage = DictStorage()
    log = ReminderLog(storage)
    mine = [booking(KOSODATE, jst(DAY2, 10))]
    evening = jst(DAY2 - timedelta(days=1), 18, 5)
    assert [r.kind for r in await log.due(mine, evening)] == [ReminderKind.day_before]
    assert await log.due(mine, evening + timedelta(hours=1)) == []
    assert await ReminderLog(storage).due(mine, jst(DAY2, 8)) == []  # a restart: remembered
    assert [r.kind for r in await log.due(mine, jst(DAY2, 9, 31))] == [ReminderKind.soon]
    assert await log.due(mine, jst(DAY2, 9, 50)) == []
    # Moved to another time: reminded again for the new one.
    moved = [booking(KOSODATE, jst(DAY2, 14))]
    assert [r.kind for r in await log.due(moved, jst(DAY2, 13, 35))] == [ReminderKind.soon]


def test_crisis_lines_are_there_offline() -> None:
    lines = {line.id: line for line in crisis_lines()}
    assert lines["yorisoi"].number == "0120-279-338" and lines["yorisoi"].always_open
    assert lines["kokoro_dial"].number == "0570-064-556"
    assert lines["yorisoi"].tel == "tel:0120279338"
    assert all(line.hours and line.name for line in lines.values())
    assert JAPAN_TZ.key == "Asia/Tokyo"
