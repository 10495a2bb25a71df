"""Trips (交通): from / to by stop name in any language, date and time, options, journeys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Protocol

import flet as ft

from app.commands import Command
from app.paths import RoutePath, build
from app.state import TRIP_END_TOPIC, AppState, StopField, Topic, TripField
from services.i18n import N_
from services.transit import Journey, RideLeg, StopInfo, StopMatch, WalkLeg
from services.trips import JourneySource, TripEnd, TripMode, TripProblem, journey_key, stop_label
from views.actions import Navigator
from views.screen import Screen
from views.widgets.controls import (
    BannerKind,
    ButtonKind,
    action_button,
    banner,
    body_text,
    choice_list,
    full_width,
    heading,
    scroll_key,
)
from views.widgets.fields import text_field

PROBLEM_TEXT = {
    TripProblem.no_origin: N_("Choose where you leave from: type a stop name and pick it from "
                              "the list."),
    TripProblem.no_destination: N_("Choose where you are going: type a stop name and pick it "
                                   "from the list."),
    TripProblem.same_stop: N_("The departure and the destination are the same stop. Choose "
                              "another destination."),
    TripProblem.bad_date: N_("Enter the date as year-month-day, for example 2026-12-01."),
    TripProblem.bad_time: N_("Enter the time as hours:minutes, for example 08:30."),
}
# Which field shows which problem under it.
FIELD_PROBLEMS = {
    TripEnd.origin: (TripProblem.no_origin,),
    TripEnd.destination: (TripProblem.no_destination, TripProblem.same_stop),
}

SOMETHING_WENT_WRONG = N_("Something went wrong. Please try again.")
RESULTS_KEY = "trip-results"
FORM_TOP_KEY = "trip-form"


class TripActions(Protocol):
    async def search(self, which: TripEnd, query: str) -> None: ...

    def choose(self, which: TripEnd, match: StopMatch) -> None: ...

    def swap(self) -> None: ...

    def set_day_text(self, text: str) -> None: ...

    def set_time_text(self, text: str) -> None: ...

    def set_mode(self, mode: TripMode) -> None: ...

    def set_fewer_transfers(self, on: bool) -> None: ...

    def set_less_walking(self, on: bool) -> None: ...

    def set_slow_walking(self, on: bool) -> None: ...

    def fare_yen(self, journey: Journey) -> int | None: ...

    def journey(self, source: JourneySource, index: int) -> tuple[date, Journey] | None: ...

    use_location: Command[[TripEnd]]
    plan: Command[[]]
    use_date: Command[[date]]
    save: Command[[int, str]]
    remove_saved: Command[[int]]
    share: Command[[str, str]]
    issue_ticket: Command[[JourneySource, int]]


# --- formatting -----------------------------------------------------------------------------
def clock(seconds: int, state: AppState) -> str:
    """Service-day seconds -> 'HH:MM', marking times after midnight as the next day."""
    day, rest = divmod(seconds, 86400)
    text = f"{rest // 3600:02d}:{rest // 60 % 60:02d}"
    if day > 0:
        return state.t("{time} (next day)", time=text)
    return text


def minutes(seconds: int, state: AppState) -> str:
    return state.t("{n} min", n=max(0, round(seconds / 60)))


def stop_name(stop: StopInfo, state: AppState) -> str:
    """A leg's stop in the resident's language; the Japanese sign name follows for visitors."""
    if state.language.is_japanese or not stop.name_en:
        return stop.name
    return f"{stop.name_en} ({stop.name})"


def delay_label(delay_minutes: int, state: AppState) -> str:
    """The one wording of a live delay, for a leg and for a journey's summary alike. An early
    bus is said to be early: a resident who trusts "on time" would miss it."""
    if delay_minutes > 0:
        return state.t("delayed {n} min", n=delay_minutes)
    if delay_minutes < 0:
        return state.t("{n} min early", n=-delay_minutes)
    return state.t("on time")


def first_delay(journey: Journey) -> int | None:
    """Live delay of the journey's first ride the feed speaks of (None: nothing known)."""
    return next((ride.delay_minutes for ride in journey.rides
                 if ride.delay_minutes is not None), None)


def journey_summary(journey: Journey, fare: int | None, state: AppState) -> str:
    t = state.t
    parts = [minutes(journey.travel_time, state)]
    delay = first_delay(journey)
    if delay is not None:
        parts.insert(0, delay_label(delay, state))
    parts.append(t("direct") if journey.transfers == 0 else t.ngettext(
        "{n} transfer", "{n} transfers", journey.transfers).format(n=journey.transfers))
    if journey.walking_seconds:
        parts.append(t("walk {time}", time=minutes(journey.walking_seconds, state)))
    parts.append(t.yen(fare) if fare is not None else t("fare unknown"))
    return " ・ ".join(parts)


def match_label(match: StopMatch, state: AppState) -> str:
    main = stop_label(match, state.language)
    extra = match.name_kana if state.language.is_japanese else match.name
    return f"{main} ({extra})" if extra and extra != main else main


def _switch(label: str, value: bool, on_change: Callable[[bool], None], state: AppState,
            key: str) -> ft.Control:
    tokens = state.tokens
    return ft.Switch(
        label=label, value=value, on_change=lambda e: on_change(bool(e.control.value)),
        label_text_style=tokens.text_style("body", tokens.palette.text_strong),
        active_color=tokens.palette.primary, track_outline_color=tokens.palette.border,
        scale=max(1.0, tokens.scale * 0.9), key=key,
    )


# --- the search screen ----------------------------------------------------------------------
class TripsScreen(Screen):
    """The form's four text fields are made once and kept; everything that follows the state
    is a region, so the matches under a stop field redraw while the resident types in it."""

    def __init__(self, state: AppState, trips: TripActions, nav: Navigator) -> None:
        super().__init__(state)
        self.trips, self.nav = trips, nav
        t, form = state.t, state.trips
        self.stop_fields = {
            TripEnd.origin: self._stop_field(TripEnd.origin, t("From")),
            TripEnd.destination: self._stop_field(TripEnd.destination, t("To")),
        }
        self.date_field = text_field(
            state, label=t("Date"), helper=t("Year-month-day, e.g. 2026-12-01"),
            value=form.day_text, keyboard_type=ft.KeyboardType.DATETIME, key="trip-date",
            on_change=lambda e: trips.set_day_text(e.control.value or ""))
        self.time_field = text_field(
            state, label=t("Time"), helper=t("Hours:minutes, e.g. 08:30"),
            value=form.time_text, keyboard_type=ft.KeyboardType.DATETIME, key="trip-time",
            on_change=lambda e: trips.set_time_text(e.control.value or ""))
        self._fields = {TripField.origin: self.stop_fields[TripEnd.origin],
                        TripField.destination: self.stop_fields[TripEnd.destination],
                        TripField.day: self.date_field, TripField.time: self.time_field}
        self._show_field_problems()

    def _stop_field(self, which: TripEnd, label: str) -> ft.TextField:
        async def typed(e: ft.Event) -> None:
            await self.trips.search(which, e.control.value or "")

        return text_field(
            self.state, label=label,
            helper=self.state.t("Stop name in Japanese, kana or romaji, e.g. 岩瀬浜, いわせはま, "
                                "Iwasehama"),
            value=self.state.trips.end(which).query, on_change=typed, key=f"trip-{which}")

    @property
    def title(self) -> str:
        return self.state.t("Trips")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens

        async def swap(_e: ft.Event) -> None:
            self.trips.swap()

        return [
            body_text(t("Buses and trams in Toyama City and Uozu, from the 2019 open-data "
                        "timetables. Planned on this device: it works offline."), tokens,
                      support=True),
            self.region([Topic.trip_saved], self._notice),
            self.region([Topic.trip_saved], self._saved),
            self.region([Topic.trip_form], self._status),
            ft.Container(key=scroll_key(FORM_TOP_KEY), height=0),
            self.region([Topic.trip_form], self._problems),
            *self._stop_picker(TripEnd.origin),
            action_button(t("Swap from and to"), swap, tokens, kind=ButtonKind.outline,
                          icon=ft.Icons.SWAP_VERT),
            *self._stop_picker(TripEnd.destination),
            full_width(self.date_field),
            full_width(self.time_field),
            self.region([Topic.trip_form], self._options),
            self.region([Topic.trip_results], self._results),
        ]

    def on_change(self, topics: frozenset[Topic]) -> list[ft.Control]:
        changed = super().on_change(topics)
        fields = list(self._fields.values())
        if Topic.trip_text in topics:
            # The app itself set these texts (a chosen stop, a swap, a suggested date); the
            # other fields may be under someone's fingers and are left alone.
            form = self.state.trips
            texts = {TripField.origin: form.origin.query, TripField.destination:
                     form.destination.query, TripField.day: form.day_text,
                     TripField.time: form.time_text}
            for name in form.replaced:
                field = self._fields[name]
                field.value = texts[name]
                changed.append(field)
        if Topic.trip_form in topics:
            self._show_field_problems()
            changed += [f for f in fields if f not in changed]
        return changed

    def _show_field_problems(self) -> None:
        t, problems = self.state.t, set(self.state.trips.problems)

        def text(*candidates: TripProblem) -> str | None:
            found = next((c for c in candidates if c in problems), None)
            return t(PROBLEM_TEXT[found]) if found else None

        for which, stop_field in self.stop_fields.items():
            stop_field.error = text(*FIELD_PROBLEMS[which])
        self.date_field.error = text(TripProblem.bad_date)
        self.time_field.error = text(TripProblem.bad_time)

    # --- parts ----------------------------------------------------------------------------
    def _notice(self) -> list[ft.Control]:
        """What the last action on a saved journey did ("Removed from saved journeys.")."""
        t, tokens, notice = self.state.t, self.state.tokens, self.state.trips.notice
        return [banner(t(notice), None, tokens, BannerKind.success, announce=True)] if notice \
            else []

    def _status(self) -> list[ft.Control]:
        t, tokens, form = self.state.t, self.state.tokens, self.state.trips
        if form.timetables_error:
            return [banner(t("Timetables could not be loaded"), t(form.timetables_error),
                           tokens, BannerKind.error)]
        if not form.timetables_ready:
            return [banner(t("Loading timetables…"), None, tokens, BannerKind.info)]
        return []

    def _problems(self) -> list[ft.Control]:
        t, tokens, form = self.state.t, self.state.tokens, self.state.trips
        if not form.problems:
            return []
        return [banner(t("Please check the highlighted items"),
                       "\n".join(t(PROBLEM_TEXT[p]) for p in form.problems), tokens,
                       BannerKind.error, announce=True)]

    def _stop_picker(self, which: TripEnd) -> list[ft.Control]:
        controls: list[ft.Control] = [full_width(self.stop_fields[which])]
        if which == TripEnd.origin:
            t, tokens = self.state.t, self.state.tokens

            async def here(_e: ft.Event) -> None:
                await self.trips.use_location(which)

            controls.append(action_button(t("Use my current location"), here, tokens,
                                          kind=ButtonKind.outline, icon=ft.Icons.MY_LOCATION))
        controls.append(self.region([TRIP_END_TOPIC[which]], lambda: self._stop_state(which)))
        return controls

    def _stop_state(self, which: TripEnd) -> list[ft.Control]:
        """Under a stop field: why no stop was found near, the choice, or the matches."""
        t, tokens = self.state.t, self.state.tokens
        stop: StopField = self.state.trips.end(which)
        controls: list[ft.Control] = []
        if which == TripEnd.origin and self.trips.use_location.failed and not stop.problem:
            controls.append(ft.Text(t(SOMETHING_WENT_WRONG),
                                    style=tokens.text_style("body", tokens.palette.error)))
        if stop.problem:
            controls.append(ft.Text(t(stop.problem),
                                    style=tokens.text_style("body", tokens.palette.error)))
        if stop.choice is not None:
            chosen = stop_label(stop.choice, self.state.language)
            controls.append(body_text(t("Chosen: {stop}", stop=chosen), tokens))
            if stop.near is not None and stop.near_m is not None:
                controls.append(body_text(
                    t("The stop nearest to {place}, about {metres} m away",
                      place=t(stop.near), metres=t.number(stop.near_m)), tokens, support=True))
        elif stop.matches:
            for match in stop.matches:
                controls.append(full_width(action_button(
                    match_label(match, self.state),
                    lambda _e, m=match: self.trips.choose(which, m),
                    tokens, kind=ButtonKind.outline, icon=ft.Icons.PLACE_OUTLINED,
                    key=f"match-{which}-{match.stop_id}",
                )))
        elif stop.searched:
            controls.append(body_text(t("No stop found. Try another spelling or a nearby stop."),
                                      tokens))
        return controls

    def _options(self) -> list[ft.Control]:
        t, tokens, form, trips = self.state.t, self.state.tokens, self.state.trips, self.trips

        async def mode_chosen(value: str) -> None:
            trips.set_mode(TripMode(value))

        async def search(_e: ft.Event) -> None:
            await trips.plan()

        planning = trips.plan.running
        return [
            choice_list([(TripMode.depart.value, t("Leave at")),
                         (TripMode.arrive.value, t("Arrive by"))],
                        form.mode.value, mode_chosen, tokens),
            _switch(t("Fewer transfers"), form.fewer_transfers, trips.set_fewer_transfers,
                    self.state, "trip-fewer"),
            _switch(t("Less walking"), form.less_walking, trips.set_less_walking, self.state,
                    "trip-less-walk"),
            _switch(t("I walk slowly"), form.slow_walking, trips.set_slow_walking, self.state,
                    "trip-slow"),
            action_button(t("Searching…") if planning else t("Search"),
                          None if planning else search, tokens, icon=ft.Icons.SEARCH),
        ]

    def _saved(self) -> list[ft.Control]:
        t, tokens, saved = self.state.t, self.state.tokens, self.state.trips.saved
        if not saved:
            return []
        controls: list[ft.Control] = [heading(t("Saved journeys"), tokens, 2)]
        for index, item in enumerate(saved):
            journey = item.journey
            text = (f"{t.date(item.day, 'medium')} {clock(journey.leaves_at, self.state)} → "
                    f"{clock(journey.arrival, self.state)}  {item.label}")
            controls.append(full_width(action_button(
                text, lambda _e, i=index: self.nav.go(build(RoutePath.trip_saved, index=i)),
                tokens, kind=ButtonKind.outline, icon=ft.Icons.BOOKMARK_OUTLINE,
                key=f"saved-{item.id}")))
        return controls

    def _results(self) -> list[ft.Control]:
        state, trips = self.state, self.trips
        t, tokens, plan = state.t, state.tokens, state.trips.plan
        if plan is None:
            if trips.plan.failed:
                return [banner(t(SOMETHING_WENT_WRONG), None, tokens, BannerKind.error,
                               announce=True)]
            return []
        controls: list[ft.Control] = [ft.Semantics(
            content=heading(t("Results"), tokens, 2), live_region=True,
            key=scroll_key(RESULTS_KEY))]
        if plan.validity is not None:
            v = plan.validity

            async def use_suggestion(_e: ft.Event) -> None:
                await trips.use_date(v.suggestion)

            controls.append(banner(
                t("This date is outside the timetables"),
                t("The timetables in the app run from {start} to {end}. Results for other dates "
                  "would be guesses, so none are shown.", start=t.date(v.valid_from),
                  end=t.date(v.valid_to)),
                tokens, BannerKind.warning))
            controls.append(action_button(
                t("Search the same weekday inside the timetables: {day}",
                  day=t.date(v.suggestion, "full")),
                use_suggestion, tokens, kind=ButtonKind.outline, icon=ft.Icons.EVENT))
            return controls
        journeys = plan.journeys
        if not journeys:
            controls.append(banner(
                t("No journey found"),
                t("No bus or tram connects these stops at that time. Try an earlier time, "
                  "another day, or a stop nearby."), tokens, BannerKind.info))
            return controls
        if not state.trips.realtime_checked:
            controls.append(body_text(t("Live delay information is not available: times are "
                                        "as timetabled."), tokens, support=True))
        for index, journey in enumerate(journeys):
            times = f"{clock(journey.leaves_at, state)} → {clock(journey.arrival, state)}"
            summary = journey_summary(journey, trips.fare_yen(journey), state)
            controls.append(full_width(ft.Button(
                content=ft.Column([
                    ft.Text(times, style=tokens.text_style("heading_3", tokens.palette.primary)),
                    ft.Text(summary, style=tokens.text_style("body", tokens.palette.text)),
                ], spacing=tokens.space(1), tight=True),
                on_click=lambda _e, i=index: self.nav.go(build(RoutePath.trip_journey, index=i)),
                style=tokens.tile_button_style(),
                key=f"journey-{index}",
            )))
        return controls


# --- one journey ----------------------------------------------------------------------------
def _leg(leg: WalkLeg | RideLeg, state: AppState) -> ft.Control:
    t, tokens = state.t, state.tokens
    p = tokens.palette
    lines: list[ft.Control]
    if isinstance(leg, WalkLeg):
        lines = [
            ft.Text(t("Walk {time}", time=minutes(leg.seconds, state)),
                    style=tokens.text_style("heading_4", p.text_strong)),
            ft.Text(f"{stop_name(leg.from_stop, state)} → {stop_name(leg.to_stop, state)}",
                    style=tokens.text_style("body", p.text)),
        ]
        icon = ft.Icons.DIRECTIONS_WALK
    else:
        route = leg.route_name + (f" ({leg.headsign})" if leg.headsign else "")
        stops = len(leg.intermediate) + 1
        lines = [
            ft.Text(route, style=tokens.text_style("heading_4", p.text_strong)),
            ft.Text(t("{time} depart {stop}", time=clock(leg.departure, state),
                      stop=stop_name(leg.from_stop, state))
                    + (t(" (platform {p})", p=leg.from_stop.platform_code)
                       if leg.from_stop.platform_code else ""),
                    style=tokens.text_style("body", p.text)),
            ft.Text(t.ngettext("{n} stop", "{n} stops", stops).format(n=stops),
                    style=tokens.text_style("body", p.text_support)),
            ft.Text(t("{time} arrive {stop}", time=clock(leg.arrival, state),
                      stop=stop_name(leg.to_stop, state)),
                    style=tokens.text_style("body", p.text)),
        ]
        if leg.delay_minutes is not None:
            lines.append(ft.Text(
                delay_label(leg.delay_minutes, state),
                style=tokens.text_style("body", p.warning if leg.delay_minutes else p.success)))
        icon = ft.Icons.DIRECTIONS_BUS
    return ft.Container(
        content=ft.Row([
            ft.Icon(icon, size=tokens.icon_large, color=p.primary),
            ft.Column(lines, spacing=tokens.space(1), expand=True, tight=True),
        ], vertical_alignment=ft.CrossAxisAlignment.START, spacing=tokens.space(3)),
        border=ft.Border(left=ft.BorderSide(4, p.primary)),
        padding=ft.Padding(left=tokens.space(3), top=tokens.space(1), right=0,
                           bottom=tokens.space(1)),
    )


def share_text(day: date, journey: Journey, state: AppState) -> str:
    t = state.t
    lines = [t.date(day, "full")]
    for leg in journey.legs:
        if isinstance(leg, WalkLeg):
            lines.append(t("Walk {time}", time=minutes(leg.seconds, state)) + ": "
                         + f"{stop_name(leg.from_stop, state)} → {stop_name(leg.to_stop, state)}")
        else:
            lines.append(f"{clock(leg.departure, state)} {stop_name(leg.from_stop, state)} → "
                         f"{clock(leg.arrival, state)} {stop_name(leg.to_stop, state)}"
                         f" ({leg.route_name})")
    return "\n".join(lines)


class JourneyScreen(Screen):
    """One journey, from the latest results or from the saved ones: its legs, save or remove,
    share, and a digital ticket after login."""

    def __init__(self, state: AppState, trips: TripActions, nav: Navigator,
                 source: JourneySource, index: int) -> None:
        super().__init__(state)
        self.trips, self.nav = trips, nav
        self.source, self.index = source, index

    @property
    def title(self) -> str:
        return self.state.t("Journey")

    def build(self) -> list[ft.Control]:
        topics = [Topic.trip_results, Topic.trip_saved, Topic.trip_journey, Topic.auth]
        return [self.region(topics, self._journey)]

    def _journey(self) -> list[ft.Control]:
        state, trips, nav = self.state, self.trips, self.nav
        t, tokens, form = state.t, state.tokens, state.trips
        found = trips.journey(self.source, self.index)
        if found is None:
            return [
                banner(t("This journey is no longer available"),
                       t("Search again to see journeys."), tokens, BannerKind.info),
                action_button(t("Back to trip search"), lambda _e: nav.go(RoutePath.trips),
                              tokens),
            ]
        day, journey = found
        times = f"{clock(journey.leaves_at, state)} → {clock(journey.arrival, state)}"
        label = (f"{stop_name(journey.legs[0].from_stop, state)} → "
                 f"{stop_name(journey.legs[-1].to_stop, state)}") if journey.legs else ""

        async def save(_e: ft.Event) -> None:
            await trips.save(self.index, label)

        async def remove(_e: ft.Event) -> None:
            nav.go(RoutePath.trips)  # first: the trips screen then says it was removed
            await trips.remove_saved(self.index)

        async def share(_e: ft.Event) -> None:
            await trips.share(share_text(day, journey, state), label)

        controls: list[ft.Control] = [heading(times, tokens)]
        if form.notice:
            controls.append(banner(t(form.notice), None, tokens, BannerKind.success,
                                   announce=True))
        elif trips.save.failed or trips.share.failed:
            controls.append(banner(t(SOMETHING_WENT_WRONG), None, tokens, BannerKind.error,
                                   announce=True))
        keep = (action_button(t("Save"), save, tokens, kind=ButtonKind.outline,
                              icon=ft.Icons.BOOKMARK_ADD_OUTLINED)
                if self.source == JourneySource.result else
                action_button(t("Remove from saved"), remove, tokens, kind=ButtonKind.outline,
                              icon=ft.Icons.BOOKMARK_REMOVE_OUTLINED))
        controls += [
            body_text(journey_summary(journey, trips.fare_yen(journey), state), tokens),
            body_text(t.date(day, "full"), tokens, support=True),
            *[_leg(leg, state) for leg in journey.legs],
            ft.Row([keep, action_button(t("Share"), share, tokens, kind=ButtonKind.outline,
                                        icon=ft.Icons.SHARE)],
                   wrap=True, spacing=tokens.space(2), run_spacing=tokens.space(2)),
            *self._ticket(day, journey),
        ]
        return controls

    def _ticket(self, day: date, journey: Journey) -> list[ft.Control]:
        state, trips = self.state, self.trips
        t, tokens, form = state.t, state.tokens, state.trips
        if not journey.rides:
            return []
        if not state.auth.logged_in:
            here = build(RoutePath.trip_saved if self.source == JourneySource.saved
                         else RoutePath.trip_journey, index=self.index)
            return [action_button(t("Log in to get a digital ticket"),
                                  lambda _e: self.nav.log_in_and_return(here), tokens,
                                  kind=ButtonKind.outline, icon=ft.Icons.LOGIN)]
        issued = form.ticket
        if issued is not None and issued.journey_key == journey_key(day, journey):
            valid = t.datetime(issued.ticket.valid_until, "short")
            now = datetime.now(UTC)
            return [
                heading(t("Digital ticket"), tokens, 2),
                ft.Image(src=issued.qr_png, width=tokens.px(240), height=tokens.px(240),
                         semantics_label=t("Ticket QR code for this journey")),
                body_text(t("Valid until {time}", time=valid) if issued.ticket.is_valid_at(now)
                          else t("Expired at {time}", time=valid), tokens),
                body_text(t("A trial ticket: bus operators do not accept it yet."), tokens,
                          support=True),
            ]

        async def issue(_e: ft.Event) -> None:
            await trips.issue_ticket(self.source, self.index)

        issuing = trips.issue_ticket.running
        controls: list[ft.Control] = [action_button(
            t("Issuing the ticket…") if issuing else t("Get a digital ticket"),
            None if issuing else issue, tokens, kind=ButtonKind.outline,
            icon=ft.Icons.QR_CODE_2)]
        problem = form.ticket_problem or (SOMETHING_WENT_WRONG if trips.issue_ticket.failed
                                          else None)
        if problem:
            controls.append(banner(t(problem), None, tokens, BannerKind.error, announce=True))
        return controls
