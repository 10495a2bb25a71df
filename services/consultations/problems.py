"""Checks made on the device before a booking change is queued or sent, so a resident hears
at once what they can fix (the server checks the same again and decides).

Each problem is a code the screens translate with `problem_message` (English msgids); the
server's refusals of what was sent have their own codes (refusals.RefusalCode) and messages
(`refusal_message`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import datetime, timedelta
from enum import StrEnum

from services.consultations.models import Questionnaire, Service, ServiceKind
from services.consultations.refusals import RefusalCode
from services.i18n import JAPAN_TZ, N_, Translator

NOTE_MAX = 400
QUESTIONNAIRE_TEXT_MAX = 1000
INSURANCE_CARD_MAX = 40
QUESTIONNAIRE_TEXTS = ("symptoms", "medication", "allergies")


class BookingProblemCode(StrEnum):
    window_closed = "window_closed"  # too late to book this time (or it has passed)
    too_far_ahead = "too_far_ahead"  # the service does not take bookings that far ahead
    questionnaire_missing = "questionnaire_missing"  # telemedicine needs the questionnaire
    questionnaire_not_asked = "questionnaire_not_asked"  # only telemedicine takes one
    too_long = "too_long"  # a text over its limit: `field`, params {max}
    already_booked = "already_booked"  # this resident holds this service at this time
    not_found = "not_found"  # no such booking on this device
    not_active = "not_active"  # cancelled, completed, refused, or a cancel already waits
    cancel_deadline_passed = "cancel_deadline_passed"  # params {hours}
    same_time = "same_time"  # rescheduling to the time it already has
    anonymous_not_offered = "anonymous_not_offered"  # this service needs a login


@dataclass(frozen=True)
class BookingProblem:
    code: BookingProblemCode
    field: str | None = None  # "note", "symptoms", ... for a text; None for the booking
    params: Mapping[str, int] = _field(default_factory=dict)


PROBLEM_MESSAGES: dict[BookingProblemCode, str] = {
    BookingProblemCode.window_closed: N_(
        "It is too late to book this time. Please choose a later time."),
    BookingProblemCode.too_far_ahead: N_(
        "This time cannot be booked yet. Please choose a time in the next {days} days."),
    BookingProblemCode.questionnaire_missing: N_(
        "Please describe your symptoms before booking an online consultation."),
    BookingProblemCode.questionnaire_not_asked: N_(
        "This consultation does not take a medical questionnaire."),
    BookingProblemCode.too_long: N_("Please shorten this to {max} characters or fewer."),
    BookingProblemCode.already_booked: N_("You have already booked this time."),
    BookingProblemCode.not_found: N_("This booking is not on this device."),
    BookingProblemCode.not_active: N_("This booking can no longer be changed."),
    BookingProblemCode.cancel_deadline_passed: N_(
        "Bookings can be changed or cancelled in the app until {hours} hours before the "
        "start. Please telephone the office."),
    BookingProblemCode.same_time: N_("The booking already has this time."),
    BookingProblemCode.anonymous_not_offered: N_(
        "Please log in to book this consultation."),
}

REFUSAL_MESSAGES: dict[RefusalCode, str] = {
    RefusalCode.invalid_payload: N_(
        "The booking could not be accepted. Please check what you entered and book again."),
    RefusalCode.unknown_service: N_("This consultation is no longer offered."),
    RefusalCode.login_only: N_("Please log in to book this consultation."),
    RefusalCode.no_such_slot: N_("This time is not offered. Please choose another time."),
    RefusalCode.outside_window: N_(
        "This time can no longer be booked. Please choose another time."),
    RefusalCode.slot_full: N_("This time was fully booked. Please choose another time."),
    RefusalCode.already_booked: N_("You have already booked this time."),
    RefusalCode.booking_id_taken: N_(
        "The booking could not be made. Please choose the time again."),
    RefusalCode.not_found: N_("This booking was not found."),
    RefusalCode.too_late: N_(
        "It was too late to change this booking in the app. Please telephone the office."),
    RefusalCode.not_active: N_("This booking had already been cancelled or completed."),
    RefusalCode.other: N_("The booking could not be changed. Please try again later."),
}


def problem_message(problem: BookingProblem, t: Translator) -> str:
    template = t.gettext(PROBLEM_MESSAGES[problem.code])
    try:
        return template.format(**problem.params)
    except (KeyError, IndexError, ValueError):
        return template


def refusal_message(code: RefusalCode, t: Translator) -> str:
    return t.gettext(REFUSAL_MESSAGES[code])


# --- the checks -----------------------------------------------------------------------------
def window_problems(service: Service, start: datetime, now: datetime) -> list[BookingProblem]:
    """Can `start` still be booked now? (until `book_until_hours` before it; no further ahead
    than `book_from_days` days from today in Japan)."""
    if now > start - timedelta(hours=service.book_until_hours):
        return [BookingProblem(BookingProblemCode.window_closed)]
    last_day = now.astimezone(JAPAN_TZ).date() + timedelta(days=service.book_from_days)
    if start.astimezone(JAPAN_TZ).date() > last_day:
        return [BookingProblem(BookingProblemCode.too_far_ahead,
                               params={"days": service.book_from_days})]
    return []


def text_problems(questionnaire: Questionnaire | None, note: str) -> list[BookingProblem]:
    found = []
    if len(note) > NOTE_MAX:
        found.append(BookingProblem(BookingProblemCode.too_long, "note", {"max": NOTE_MAX}))
    if questionnaire is not None:
        for name in QUESTIONNAIRE_TEXTS:
            if len(getattr(questionnaire, name)) > QUESTIONNAIRE_TEXT_MAX:
                found.append(BookingProblem(BookingProblemCode.too_long, name,
                                            {"max": QUESTIONNAIRE_TEXT_MAX}))
        if len(questionnaire.insurance_card) > INSURANCE_CARD_MAX:
            found.append(BookingProblem(BookingProblemCode.too_long, "insurance_card",
                                        {"max": INSURANCE_CARD_MAX}))
    return found


def questionnaire_problems(service: Service,
                           questionnaire: Questionnaire | None) -> list[BookingProblem]:
    if service.kind is ServiceKind.telemedicine:
        if questionnaire is None or not questionnaire.symptoms.strip():
            return [BookingProblem(BookingProblemCode.questionnaire_missing, "symptoms")]
        return []
    if questionnaire is not None:
        return [BookingProblem(BookingProblemCode.questionnaire_not_asked)]
    return []


def change_deadline_problems(service: Service, start: datetime,
                             now: datetime) -> list[BookingProblem]:
    """Cancelling or rescheduling: before `cancel_until_hours` before the start (the server
    refuses at that time or later)."""
    if now >= start - timedelta(hours=service.cancel_until_hours):
        return [BookingProblem(BookingProblemCode.cancel_deadline_passed,
                               params={"hours": service.cancel_until_hours})]
    return []
