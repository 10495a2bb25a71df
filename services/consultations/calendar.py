"""A booking as a calendar file (RFC 5545), to add to the resident's own calendar app.

One VEVENT: UID `<booking id>@kitokito` (the same booking updates the same event), DTSTART and
DTEND in Asia/Tokyo with its VTIMEZONE, SUMMARY (the service's name in the resident's language),
LOCATION (the address, or "Video call" / "Telephone" in that language), DESCRIPTION (the video
link, or the number to call / the provider), and a VALARM 30 minutes before. Written by the
`icalendar` library, which escapes texts and folds lines as the standard asks.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import icalendar

from services.consultations.models import Channel, Service
from services.i18n import JAPAN_TZ, N_, Translator

PRODID = "-//Toyama Prefecture//Kitokito//JA"
ALARM_BEFORE = timedelta(minutes=30)

VIDEO = N_("Video call")
PHONE = N_("Telephone")
JOIN = N_("Join the video call: {url}")
JOIN_LATER = N_("The link to the video call appears in the Kitokito app once it is ready.")
CALL = N_("Telephone: {phone}")
WITH = N_("With: {provider}")
REMINDER = N_("Consultation in 30 minutes: {service}")


class CalendarBooking(Protocol):
    """What the file needs of a booking (bookings.MyBooking, models.Booking)."""

    @property
    def id(self) -> str: ...

    @property
    def start(self) -> datetime: ...

    @property
    def end(self) -> datetime: ...

    @property
    def join_url(self) -> str | None: ...


def booking_ics(booking: CalendarBooking, service: Service, language: str, *,
                now: datetime | None = None) -> bytes:
    t = Translator(language)
    name = service.name_in(language)
    start = booking.start.astimezone(JAPAN_TZ)
    end = booking.end.astimezone(JAPAN_TZ)
    if end <= start:
        end = start + timedelta(minutes=service.duration_min)
    if service.channel is Channel.video:
        location = t(VIDEO)
        lines = [t(JOIN, url=booking.join_url) if booking.join_url else t(JOIN_LATER)]
    elif service.channel is Channel.phone:
        location = t(PHONE)
        lines = [t(CALL, phone=service.phone)] if service.phone else []
    else:
        location = service.address or service.provider
        lines = [t(CALL, phone=service.phone)] if service.phone else []
    lines.append(t(WITH, provider=service.provider))

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{booking.id}@kitokito")
    event.add("dtstamp", (now or datetime.now(JAPAN_TZ)).astimezone(JAPAN_TZ))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", name)
    event.add("location", location)
    event.add("description", "\n".join(lines))
    if service.channel is Channel.video and booking.join_url:
        event.add("url", booking.join_url)
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -ALARM_BEFORE)
    alarm.add("description", t(REMINDER, service=name))
    event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()  # the VTIMEZONE of Asia/Tokyo that DTSTART names
    return calendar.to_ical()
