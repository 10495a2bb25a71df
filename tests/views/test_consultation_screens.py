"""The consultation screens as control trees, built through the registry."""

from __future__ import annotations

from datetime import timedelta

import flet as ft

from app.state import Resident
from services.consultations.bookings import BookingState, Change, MyBooking, Refusal
from services.consultations.models import Channel
from services.consultations.refusals import RefusalCode
from tests.views.conftest import NOW, controllers, screen, state_in
from tests.views.tree import buttons, label_of, texts, walk

START = NOW + timedelta(days=1)


def logged_in(language: str):
    state = state_in(language)
    state.auth.resident = Resident("立山 花子", "富山市")
    return state


def test_services_found_show_how_when_and_who_and_open_their_calendar() -> None:
    state = state_in("en")
    c = controllers(state)
    c.consultations.free["childcare_toyama_video"] = START
    view = state.consultations
    view.results = [c.consultations.services["childcare_toyama_video"]]
    view.loaded, view.synced_at = True, NOW
    page = screen("/consultations", state, c)
    shown = texts(page.controls)
    assert any(t.startswith("Video call ・ ") for t in shown), shown
    assert any(t.startswith("Next free: ") for t in shown)
    row = next(b for b in buttons(page.controls) if b.key == "service-childcare_toyama_video")
    row.on_click(None)
    assert c.went == ["/consultations/childcare_toyama_video"]


def test_never_downloaded_says_so_instead_of_no_match() -> None:
    state = state_in("en")
    state.consultations.loaded = True
    assert "Not downloaded yet" in texts(screen("/consultations", state).controls)


def test_the_mental_health_service_shows_crisis_lines_before_anything_else() -> None:
    state = state_in("ja")
    c = controllers(state)
    page = screen("/consultations/mental_health_phone", state, c)
    links = [b for b in walk(page.controls) if isinstance(b, ft.Button) and b.url]
    assert links and links[0].url == "tel:119"
    assert any(b.url == "tel:0120279338" for b in links)
    shown = texts(page.controls)
    name = c.consultations.services["mental_health_phone"].name_in("ja")
    assert shown.index(label_of(links[0])) < shown.index(name)


def test_telemedicine_asks_the_questionnaire_and_a_login_before_booking() -> None:
    state = state_in("en")
    state.consultations.service_id, state.consultations.start = "telemed_kodomo_night", START
    page = screen("/consultations/telemed_kodomo_night/confirm", state)
    fields = [f.label for f in walk(page.controls) if isinstance(f, ft.TextField)]
    assert fields[:4] == ["Symptoms", "Medicines you take", "Allergies",
                          "Health insurance card number"]
    labels = [label_of(b) for b in buttons(page.controls)]
    assert "Log in and book" in labels and "Book without login" not in labels


async def test_an_anonymous_service_can_be_booked_without_login() -> None:
    state = state_in("en")
    state.consultations.service_id, state.consultations.start = "mental_health_phone", START
    c = controllers(state)
    page = screen("/consultations/mental_health_phone/confirm", state, c)
    anonymous = next(b for b in buttons(page.controls) if b.key == "book-anonymous")
    await anonymous.on_click(None)
    assert c.calls[0][0] == "book" and c.calls[0][2] is None  # no questionnaire asked


def test_my_bookings_say_pending_and_offer_the_free_times_of_a_refusal() -> None:
    state = logged_in("en")
    pending = MyBooking("a" * 32, "childcare_toyama_video", START, START + timedelta(minutes=30),
                        BookingState.pending, Channel.video, NOW, waiting=Change.create)
    refused = MyBooking("b" * 32, "childcare_toyama_video", START, START + timedelta(minutes=30),
                        BookingState.rejected, Channel.video, NOW, refusal=Refusal(
                            "c" * 32, Change.create, RefusalCode.slot_full, "", START,
                            (START + timedelta(hours=1),)))
    state.consultations.bookings = [refused, pending]
    shown = texts(screen("/consultations/bookings", state).controls)
    assert "Pending confirmation: sent when you are online" in shown
    assert "This time was fully booked. Please choose another time." in shown
    assert any(t.startswith("Free instead: ") for t in shown)


def test_a_confirmed_video_booking_can_be_joined_moved_cancelled_and_saved() -> None:
    state = logged_in("en")
    booking = MyBooking("d" * 32, "telemed_naika", START, START + timedelta(minutes=15),
                        BookingState.confirmed, Channel.video, NOW)
    state.consultations.bookings = [booking]
    page = screen(f"/consultations/bookings/{'d' * 32}", state)
    keys = {b.key for b in buttons(page.controls)}
    assert {"ics", "move", "cancel"} <= keys
    assert "The link to join appears here once the clinic has set it." in texts(page.controls)
