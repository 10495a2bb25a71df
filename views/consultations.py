"""Consultations (相談予約): find a service by need, its calendar and times, the confirm step
(with the telemedicine questionnaire), my bookings and one booking (join, QR, calendar file,
move, cancel). こころの相談 screens always show the crisis lines first, offline too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Protocol

import flet as ft

from app.commands import Command
from app.paths import RoutePath, build
from app.state import AppState, Topic
from services.consultations.anonymous import AnonymousTicket
from services.consultations.bookings import BookingState, MyBooking
from services.consultations.crisis import crisis_lines
from services.consultations.models import (
    Channel,
    PrescriptionStatus,
    Questionnaire,
    Service,
    ServiceKind,
)
from services.consultations.problems import problem_message, refusal_message
from services.i18n import JAPAN_TZ, N_
from services.qr import qr_png
from views.actions import Navigator
from views.screen import Screen
from views.widgets.controls import (
    BannerKind,
    ButtonKind,
    action_button,
    banner,
    body_text,
    choice_list,
    copyable_text,
    full_width,
    heading,
)
from views.widgets.fields import text_field
from views.widgets.places import fact, go_to, picker, place_row

CHANNEL_LABELS = {Channel.video: N_("Video call"), Channel.phone: N_("Telephone"),
                  Channel.in_person: N_("In person")}
STATE_LABELS = {
    BookingState.pending: N_("Pending confirmation: sent when you are online"),
    BookingState.confirmed: N_("Confirmed"), BookingState.cancelled: N_("Cancelled"),
    BookingState.completed: N_("Done"), BookingState.rejected: N_("Not booked"),
}
PRESCRIPTION_LABELS = {
    PrescriptionStatus.preparing: N_("Being prepared"), PrescriptionStatus.ready:
    N_("Ready to pick up"), PrescriptionStatus.shipped: N_("Sent"),
    PrescriptionStatus.delivered: N_("Delivered"),
}
ANY = "any"
# Language names in their own language: a visitor finds theirs whatever the app's language.
SPOKEN_NAMES = {"ja": "日本語", "en": "English", "zh": "中文", "ko": "한국어", "vi": "Tiếng Việt",
                "pt": "Português", "tl": "Tagalog", "id": "Bahasa Indonesia", "ne": "नेपाली",
                "es": "Español", "th": "ไทย", "my": "မြန်မာ", "km": "ខ្មែរ", "mn": "Монгол",
                "ru": "Русский"}


class ConsultationActions(Protocol):
    book: Command[[str | None, Questionnaire | None, str]]
    cancel: Command[[str]]
    cancel_anonymous: Command[[str]]
    save_calendar: Command[[str]]
    refresh: Command[[]]

    def now(self) -> datetime: ...

    def service(self, service_id: str) -> Service | None: ...

    def search(self, query: str) -> None: ...

    def set_channel(self, channel: Channel | None) -> None: ...

    def set_spoken(self, language: str | None) -> None: ...

    def languages(self) -> list[str]: ...

    def next_free(self, service: Service) -> datetime | None: ...

    def choose_day(self, day: date) -> None: ...

    def choose_time(self, start: datetime) -> None: ...

    def book_instead(self, service_id: str, start: datetime) -> None: ...

    def start_reschedule(self, booking_id: str) -> None: ...

    def stop_reschedule(self) -> None: ...

    def questionnaire(self, service_id: str) -> Questionnaire | None: ...

    def keep_questionnaire(self, service_id: str, questionnaire: Questionnaire) -> None: ...

    def booking(self, booking_id: str) -> MyBooking | None: ...

    def dismiss(self, booking: MyBooking) -> None: ...

    def forget_code(self) -> None: ...


def when_text(state: AppState, start: datetime, end: datetime | None = None) -> str:
    t = state.t
    local = start.astimezone(JAPAN_TZ)
    text = t.datetime(local, "short")
    return f"{text}–{end.astimezone(JAPAN_TZ):%H:%M}" if end else text


def service_facts(state: AppState, service: Service) -> str:
    t = state.t
    return " ・ ".join(part for part in (
        t(CHANNEL_LABELS[service.channel]),
        t("{n} min", n=service.duration_min),
        " / ".join(service.languages).upper() if service.languages else "") if part)


def booking_rules(state: AppState, service: Service) -> str:
    """How far ahead, the latest booking, the latest cancellation: each with its own plural."""
    t = state.t
    ahead = t.ngettext("Up to {n} day ahead.", "Up to {n} days ahead.",
                       service.book_from_days).format(n=service.book_from_days)
    latest = t.ngettext("Until {n} hour before it starts.", "Until {n} hours before it starts.",
                        service.book_until_hours).format(n=service.book_until_hours)
    cancel = t.ngettext("Cancel or change until {n} hour before.",
                        "Cancel or change until {n} hours before.",
                        service.cancel_until_hours).format(n=service.cancel_until_hours)
    return f"{ahead} {latest} {cancel}"


def crisis_block(state: AppState) -> list[ft.Control]:
    """Crisis lines: always there on mental-health screens, before anything to book."""
    t, tokens = state.t, state.tokens
    controls: list[ft.Control] = [banner(
        t("If you are thinking of ending your life, or are in danger now"),
        t("Call one of these lines now. You do not need to book."), tokens, BannerKind.error)]
    for line in crisis_lines():
        label = t("Call {name} ({number})", name=t(line.name), number=line.number)
        controls.append(action_button(label, None, tokens, icon=ft.Icons.CALL, url=line.tel,
                                      key=f"crisis-{line.id}"))
        notes = " ".join(part for part in (line.name_ja, t(line.hours),
                                            t(line.note) if line.note else "") if part)
        controls.append(body_text(notes, tokens, support=True))
    return controls


class ConsultationsScreen(Screen):
    def __init__(self, state: AppState, actions: ConsultationActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav
        t = state.t
        self.query = text_field(
            state, label=t("What do you need help with?"),
            helper=t("In your words and language, e.g. child has a fever at night, 移住, "
                     "kokoro"), value=state.consultations.query, key="need-search",
            on_change=lambda e: actions.search(e.control.value or ""))

    @property
    def title(self) -> str:
        return self.state.t("Consultations")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            heading(self.title, tokens),
            body_text(t("Book an online consultation or a telemedicine appointment, by video, "
                        "telephone or in person."), tokens),
            self.region([Topic.auth, Topic.bookings], self._mine),
            full_width(self.query),
            self.region([Topic.consultations], self._channel),
            self.region([Topic.consultations], self._results),
        ]

    def _mine(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.consultations
        if not self.state.auth.logged_in and not view.tickets:
            return []
        live = [b for b in view.bookings if b.live]
        label = t("My bookings ({n})", n=len(live) + len(view.tickets)) if (
            live or view.tickets) else t("My bookings")
        return [action_button(label, lambda _e: self.nav.go(RoutePath.bookings), tokens,
                              kind=ButtonKind.outline, icon=ft.Icons.EVENT_NOTE,
                              key="my-bookings")]

    def _channel(self) -> list[ft.Control]:
        t = self.state.t
        chosen = self.state.consultations.channel

        async def pick(value: str) -> None:
            self.actions.set_channel(None if value == ANY else Channel(value))

        options = [(ANY, t("Any way"))] + [(c.value, t(label))
                                           for c, label in CHANNEL_LABELS.items()]
        spoken = self.state.consultations.spoken

        async def pick_language(value: str) -> None:
            self.actions.set_spoken(None if value == ANY else value)

        languages = [(ANY, t("Any language"))] + [
            (code, SPOKEN_NAMES.get(code, code)) for code in self.actions.languages()]
        return [picker(self.state, label=t("How"), options=options,
                       value=chosen.value if chosen else ANY, on_pick=pick, key="channel"),
                picker(self.state, label=t("Language"), options=languages,
                       value=spoken or ANY, on_pick=pick_language, key="spoken")]

    def _results(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.consultations
        if not view.loaded:
            return []
        if view.synced_at is None:
            return [banner(t("Not downloaded yet"), t("Connect to the internet once to see "
                                                      "the consultations."), tokens,
                           BannerKind.info, announce=True)]
        if not view.results:
            return [banner(t("No consultation matches"), t("Try other words, or any way."),
                           tokens, BannerKind.info, announce=True)]
        rows: list[ft.Control] = []
        if view.offline:
            rows.append(body_text(t("Offline: times as last downloaded, {when}.",
                                    when=t.datetime(view.synced_at, "short")), tokens,
                                  support=True))
        for service in view.results:
            language = self.state.language.code
            next_free = self.actions.next_free(service)
            rows.append(place_row(
                self.state, key=f"service-{service.id}", title=service.name_in(language),
                lines=[service.provider, service_facts(self.state, service),
                       t("Next free: {when}", when=when_text(self.state, next_free))
                       if next_free else None,
                       t("No login needed") if service.anonymous_allowed else None],
                on_click=go_to(self.nav, build(RoutePath.consultation, service=service.id))))
        return rows


class ServiceScreen(Screen):
    """A service, its calendar (days with room marked) and the chosen day's times."""

    def __init__(self, state: AppState, actions: ConsultationActions, service_id: str) -> None:
        super().__init__(state)
        self.actions, self.service_id = actions, service_id

    @property
    def service(self) -> Service | None:
        """Looked up when drawn: a link opened before the first download finds it after."""
        return self.actions.service(self.service_id)

    @property
    def title(self) -> str:
        service = self.service
        if service is None:
            return self.state.t("Consultations")
        return service.name_in(self.state.language.code)

    def build(self) -> list[ft.Control]:
        return [self.region([Topic.consultations], self._about),
                self.region([Topic.slots, Topic.consultations], self._calendar)]

    def _about(self) -> list[ft.Control]:
        t, tokens, service = self.state.t, self.state.tokens, self.service
        if service is None:
            if self.state.consultations.synced_at is None:
                return [body_text(t("Downloading the consultations…"), tokens, support=True)]
            return [banner(t("This consultation is not offered any more"),
                           t("Please go back and search again."), tokens, BannerKind.warning)]
        language = self.state.language.code
        controls: list[ft.Control] = []
        if service.kind == ServiceKind.mental_health:
            controls += crisis_block(self.state)
        controls += [
            heading(service.name_in(language), tokens),
            body_text(service.description_in(language), tokens),
            *fact(self.state, t("With"), " ・ ".join(
                x for x in (service.provider, service.department, service.doctor) if x)),
            *fact(self.state, t("How"), service_facts(self.state, service)),
            *fact(self.state, t("Booking"), booking_rules(self.state, service)),
            *fact(self.state, t("Address"), service.address, selectable=True),
            *fact(self.state, t("Phone"), service.phone, selectable=True),
        ]
        return controls

    def _calendar(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.consultations
        if self.service is None or view.service_id != self.service_id:
            return []
        controls: list[ft.Control] = []
        if view.rescheduling:
            controls.append(banner(t("Choose the new time for your booking"), None, tokens,
                                   BannerKind.info))
        controls.append(heading(t("Choose a day"), tokens, 2))
        if view.slots_offline:
            controls.append(body_text(t("Offline: free places as last downloaded."), tokens,
                                      support=True))
        if not view.room:
            controls.append(banner(t("No free time in the next two weeks"),
                                   t("Please telephone, or look again later."), tokens,
                                   BannerKind.info, announce=True))
            return controls
        days = [(d.isoformat(), self._day_label(d)) for d in view.days if d in view.room]

        async def day_chosen(value: str) -> None:
            self.actions.choose_day(date.fromisoformat(value))

        controls.append(choice_list(days, view.day.isoformat() if view.day else "", day_chosen,
                                    tokens))
        if view.day is None:
            return controls
        controls.append(heading(t("Choose a time on {day}", day=t.date(view.day, "full")),
                                tokens, 2))
        buttons: list[ft.Control] = []
        for slot in view.slots:
            label = f"{slot.start.astimezone(JAPAN_TZ):%H:%M}–{slot.end.astimezone(JAPAN_TZ):%H:%M}"
            if slot.free <= 0:
                buttons.append(action_button(t("{time} (full)", time=label), None, tokens,
                                             kind=ButtonKind.outline))
                continue
            buttons.append(action_button(
                t("{time} ({n} free)", time=label, n=slot.free), self._chooser(slot.start),
                tokens, kind=ButtonKind.outline, key=f"slot-{slot.start:%H%M}"))
        controls.append(ft.Row(buttons, wrap=True, spacing=tokens.space(2),
                               run_spacing=tokens.space(2)))
        return controls

    def _chooser(self, start: datetime) -> Callable[[Any], None]:
        return lambda _e: self.actions.choose_time(start)

    def _day_label(self, day: date) -> str:
        t = self.state.t
        if self.state.language.is_japanese:
            return t.date(day, "M月d日(EEE)")
        return t.date(day, "EEE d MMM")


class BookingConfirmScreen(Screen):
    """What will be booked, the questionnaire for telemedicine, and the booking itself."""

    def __init__(self, state: AppState, actions: ConsultationActions, nav: Navigator,
                 service_id: str) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav
        self.service = actions.service(service_id)
        t = state.t
        kept = actions.questionnaire(service_id) if self.service else None
        self.fields: dict[str, ft.TextField] = {}
        if self.service is not None and self.service.kind == ServiceKind.telemedicine:
            for name, label, helper in (
                    ("symptoms", t("Symptoms"), t("What, since when, how bad")),
                    ("medication", t("Medicines you take"), t("Names, or \"none\"")),
                    ("allergies", t("Allergies"), t("To medicines or foods, or \"none\"")),
                    ("insurance_card", t("Health insurance card number"),
                     t("Checked by the clinic before the consultation"))):
                self.fields[name] = text_field(
                    state, label=label, helper=helper, key=f"q-{name}",
                    value=getattr(kept, name, "") if kept else "",
                    multiline=name != "insurance_card", on_blur=self._keep)
        self.note = text_field(state, label=t("Message to the office (optional)"),
                               helper=t("Anything they should know before"), key="note",
                               multiline=True)

    def _questionnaire(self) -> Questionnaire | None:
        if not self.fields:
            return None
        return Questionnaire(**{name: field.value or "" for name, field in self.fields.items()})

    def _keep(self, _e: ft.Event) -> None:
        questionnaire = self._questionnaire()
        if self.service is not None and questionnaire is not None and self.state.auth.logged_in:
            self.actions.keep_questionnaire(self.service.id, questionnaire)

    @property
    def title(self) -> str:
        return self.state.t("Confirm the booking")

    def build(self) -> list[ft.Control]:
        t, tokens, service = self.state.t, self.state.tokens, self.service
        view = self.state.consultations
        if service is None or view.start is None:
            return [banner(t("Choose a time first"), t("Please go back and choose a time."),
                           tokens, BannerKind.warning)]
        controls: list[ft.Control] = [self.region([Topic.slots], self._summary)]
        if service.kind == ServiceKind.mental_health:
            controls += crisis_block(self.state)
        if self.fields:
            controls += [heading(t("Before the consultation"), tokens, 2),
                         body_text(t("Kept encrypted on this device until it is sent to the "
                                     "clinic."), tokens, support=True),
                         *[full_width(field) for field in self.fields.values()]]
        controls += [full_width(self.note), self.region(
            [Topic.booking_form, Topic.auth], self._action)]
        return controls

    def _summary(self) -> list[ft.Control]:
        """What will be booked (a time chosen instead redraws it)."""
        tokens, view, service = self.state.tokens, self.state.consultations, self.service
        assert service is not None and view.start is not None
        end = view.start + timedelta(minutes=service.duration_min)
        return [heading(service.name_in(self.state.language.code), tokens),
                body_text(when_text(self.state, view.start, end), tokens),
                body_text(f"{service.provider} ・ {service_facts(self.state, service)}", tokens)]

    def _action(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.consultations
        service = self.service
        assert service is not None
        controls: list[ft.Control] = []
        if view.code is not None:
            return self._code(view.code)
        for problem in view.problems:
            controls.append(banner(problem_message(problem, t), None, tokens, BannerKind.error,
                                   announce=True))
        if view.refused is not None:
            controls.append(banner(refusal_message(view.refused, t), None, tokens,
                                   BannerKind.error, announce=True))
            controls += [action_button(t("Choose {when} instead", when=when_text(self.state, a)),
                                       self._instead(a), tokens, kind=ButtonKind.outline)
                         for a in view.alternatives]
        if view.notice and not self.state.auth.logged_in:
            controls.append(banner(t(view.notice), None, tokens, BannerKind.warning,
                                   announce=True))
        here = build(RoutePath.consultation_confirm, service=service.id)

        async def book(_e: ft.Event) -> None:
            language = self.state.language.code if service.speaks(
                self.state.language.code) else None
            await self.actions.book(language, self._questionnaire(), self.note.value or "")

        running = self.actions.book.running
        if self.state.auth.logged_in:
            label = t("Move my booking to this time") if view.rescheduling else t("Book")
            controls.append(action_button(t("Booking…") if running else label,
                                          None if running else book, tokens,
                                          icon=ft.Icons.EVENT_AVAILABLE, key="book"))
            return controls
        controls.append(action_button(t("Log in and book"),
                                      lambda _e: self.nav.log_in_and_return(here), tokens,
                                      icon=ft.Icons.LOGIN, key="login-book"))
        if service.anonymous_allowed:
            controls += [body_text(t("Or book without logging in: you get a code to show or "
                                     "say instead of your name."), tokens),
                         action_button(t("Booking…") if running else t("Book without login"),
                                       None if running else book, tokens,
                                       kind=ButtonKind.outline, icon=ft.Icons.PERSON_OFF,
                                       key="book-anonymous")]
        return controls

    def _instead(self, start: datetime) -> Callable[[Any], None]:
        return lambda _e: self.actions.choose_time(start)

    def _code(self, ticket: AnonymousTicket) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            banner(t("Booked without login"), t("Your code is {code}. Write it down: it is "
                                                "shown only once here, and you need it to "
                                                "change or cancel the booking.",
                                                code=ticket.spoken_code), tokens,
                   BannerKind.success, announce=True),
            copyable_text(ticket.spoken_code,
                          tokens.text_style("heading_2", tokens.palette.text_strong)),
            action_button(t("I have written it down"), lambda _e: self._done(), tokens,
                          key="code-done"),
        ]

    def _done(self) -> None:
        self.actions.forget_code()
        self.nav.go(RoutePath.bookings.value)


class BookingsScreen(Screen):
    def __init__(self, state: AppState, actions: ConsultationActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav

    @property
    def title(self) -> str:
        return self.state.t("My bookings")

    def build(self) -> list[ft.Control]:
        return [heading(self.title, self.state.tokens),
                self.region([Topic.bookings], self._list)]

    def _list(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.consultations
        controls: list[ft.Control] = []
        if view.notice:
            controls.append(banner(t(view.notice), None, tokens, BannerKind.success,
                                   announce=True))
        for booking in view.bookings:
            if booking.id in view.reminders and booking.live:
                controls.append(banner(t("Coming up: {when}", when=when_text(
                    self.state, booking.start)), self._name(booking.service_id), tokens,
                    BannerKind.info, announce=True))
        upcoming = [b for b in view.bookings if b.live or b.state == BookingState.rejected]
        past = [b for b in view.bookings if b not in upcoming]
        if not upcoming and not view.tickets:
            controls.append(body_text(t("No upcoming booking."), tokens, support=True))
        for booking in upcoming:
            controls.append(self._row(booking))
        for ticket in view.tickets:
            controls.append(self._ticket(ticket))
        if past:
            controls.append(heading(t("Past and cancelled"), tokens, 2))
            controls += [self._row(b) for b in past]
        controls.append(action_button(t("Book a consultation"),
                                      lambda _e: self.nav.go(RoutePath.consultations), tokens,
                                      kind=ButtonKind.outline, icon=ft.Icons.ADD))
        return controls

    def _name(self, service_id: str) -> str:
        service = self.actions.service(service_id)
        return service.name_in(self.state.language.code) if service else service_id

    def _row(self, booking: MyBooking) -> ft.Control:
        t = self.state.t
        lines = [when_text(self.state, booking.start, booking.end), t(STATE_LABELS[booking.state])]
        if booking.refusal is not None:
            lines.append(refusal_message(booking.refusal.code, t))
            if booking.refusal.alternatives:
                lines.append(t("Free instead: {times}", times=", ".join(
                    when_text(self.state, a) for a in booking.refusal.alternatives)))
        return place_row(self.state, key=f"booking-{booking.id}",
                         title=self._name(booking.service_id), lines=lines,
                         on_click=go_to(self.nav, build(RoutePath.booking, booking=booking.id)))

    def _ticket(self, ticket: AnonymousTicket) -> ft.Control:
        t, tokens = self.state.t, self.state.tokens

        async def cancel(_e: ft.Event) -> None:
            await self.actions.cancel_anonymous(ticket.booking_id)

        return ft.Column([
            heading(self._name(ticket.service_id), tokens, 3),
            body_text(when_text(self.state, ticket.start, ticket.end), tokens),
            body_text(t("Booked without login. Code: {code}", code=ticket.spoken_code), tokens),
            action_button(t("Cancel this booking"), cancel, tokens, kind=ButtonKind.outline,
                          icon=ft.Icons.EVENT_BUSY),
        ], spacing=self.state.tokens.space(1), tight=True)


class BookingScreen(Screen):
    def __init__(self, state: AppState, actions: ConsultationActions, nav: Navigator,
                 booking_id: str) -> None:
        super().__init__(state)
        self.actions, self.nav, self.booking_id = actions, nav, booking_id

    @property
    def title(self) -> str:
        return self.state.t("Booking")

    def build(self) -> list[ft.Control]:
        return [self.region([Topic.bookings], self._details)]

    def _details(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        booking = self.actions.booking(self.booking_id)
        if booking is None:
            return [banner(t("This booking is not on this device"),
                           t("Please go back to your bookings."), tokens, BannerKind.warning)]
        service = self.actions.service(booking.service_id)
        language = self.state.language.code
        controls: list[ft.Control] = [
            heading(service.name_in(language) if service else booking.service_id, tokens),
            body_text(when_text(self.state, booking.start, booking.end), tokens),
            body_text(t(STATE_LABELS[booking.state]), tokens),
        ]
        if service is not None and service.kind == ServiceKind.mental_health:
            controls += crisis_block(self.state)
        if booking.refusal is not None:
            controls.append(banner(refusal_message(booking.refusal.code, t), None, tokens,
                                   BannerKind.error))
            for start in booking.refusal.alternatives:
                controls.append(action_button(
                    t("Book {when} instead", when=when_text(self.state, start)),
                    self._instead(booking, start), tokens, kind=ButtonKind.outline))
            controls.append(action_button(t("Remove from the list"),
                                          lambda _e: self.actions.dismiss(booking), tokens,
                                          kind=ButtonKind.outline))
            return controls
        if booking.join_url:
            controls.append(action_button(t("Join the video call"), None, tokens,
                                          icon=ft.Icons.VIDEOCAM, url=booking.join_url,
                                          key="join"))
        elif booking.live and booking.channel == Channel.video:
            controls.append(body_text(t("The link to join appears here once the clinic has "
                                        "set it."), tokens, support=True))
        if booking.visit_code and booking.live:
            controls += [heading(t("Show this at the counter"), tokens, 2),
                         ft.Image(src=qr_png(booking.visit_code), width=tokens.px(220),
                                  height=tokens.px(220),
                                  semantics_label=t("QR code of this booking"))]
        if service is not None and service.phone:
            controls += fact(self.state, t("Phone"), service.phone, selectable=True)
        if booking.prescription is not None:
            p = booking.prescription
            controls += fact(self.state, t("Prescription"), f"{p.note}\n" + t(
                PRESCRIPTION_LABELS[p.status]))
        if booking.live:
            controls.append(self._actions(booking))
        return controls

    def _instead(self, booking: MyBooking, start: datetime) -> Callable[[Any], None]:
        def choose(_e: Any) -> None:
            self.actions.dismiss(booking)
            self.actions.book_instead(booking.service_id, start)
        return choose

    def _actions(self, booking: MyBooking) -> ft.Control:
        t, tokens = self.state.t, self.state.tokens

        async def calendar(_e: ft.Event) -> None:
            await self.actions.save_calendar(booking.id)

        async def cancel(_e: ft.Event) -> None:
            await self.actions.cancel(booking.id)

        return ft.Row([
            action_button(t("Add to my calendar"), calendar, tokens, kind=ButtonKind.outline,
                          icon=ft.Icons.EVENT, key="ics"),
            action_button(t("Change the time"),
                          lambda _e: self.actions.start_reschedule(booking.id), tokens,
                          kind=ButtonKind.outline, icon=ft.Icons.EDIT_CALENDAR, key="move"),
            action_button(t("Cancelling…") if self.actions.cancel.running
                          else t("Cancel this booking"),
                          None if self.actions.cancel.running else cancel, tokens,
                          kind=ButtonKind.outline, icon=ft.Icons.EVENT_BUSY, key="cancel"),
        ], wrap=True, spacing=tokens.space(2), run_spacing=tokens.space(2))
