"""Trips (交通): from / to by stop name in any language, date and time, options, journeys."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol

import flet as ft

from app import routes
from app.state import AppState, StopField, journey_key
from services.transit import Journey, RideLeg, StopMatch, WalkLeg
from services.trips import TripMode, TripProblem, stop_label
from views.areas import N_
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
)

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


RESULTS_KEY = "trip-results"
FORM_TOP_KEY = "trip-form"


class TripActions(Protocol):
    async def search(self, which: str, query: str) -> None: ...

    async def use_location(self, which: str) -> None: ...

    def choose(self, which: str, match: StopMatch) -> None: ...

    def swap(self) -> None: ...

    def edit(self, **changes: object) -> None: ...

    def set_option(self, **changes: object) -> None: ...

    async def plan(self) -> None: ...

    async def use_date(self, day) -> None: ...

    def fare_yen(self, journey: Journey) -> int | None: ...

    def journey(self, source: str, index: int) -> tuple[date, Journey] | None: ...

    async def save(self, index: int, label: str) -> None: ...

    async def remove_saved(self, index: int) -> None: ...

    async def share(self, text: str, subject: str) -> None: ...

    async def issue_ticket(self, source: str, index: int) -> None: ...


class Navigator(Protocol):
    def go(self, route: str) -> None: ...


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


def stop_name(stop, state: AppState) -> str:
    """A leg's stop in the resident's language; the Japanese sign name follows for visitors."""
    if state.t.code.startswith("ja") or not stop.name_en:
        return stop.name
    return f"{stop.name_en} ({stop.name})"


def delay_text(journey: Journey, state: AppState) -> str | None:
    """Live information for the journey's first ride: "on time", "delayed 3 min", or None."""
    for ride in journey.rides:
        if ride.delay_minutes is not None:
            if ride.delay_minutes <= 0:
                return state.t("on time")
            return state.t("delayed {n} min", n=ride.delay_minutes)
    return None


def journey_summary(journey: Journey, fare: int | None, state: AppState) -> str:
    t = state.t
    parts = [minutes(journey.travel_time, state)]
    live = delay_text(journey, state)
    if live:
        parts.insert(0, live)
    parts.append(t("direct") if journey.transfers == 0 else t.ngettext(
        "{n} transfer", "{n} transfers", journey.transfers).format(n=journey.transfers))
    if journey.walking_seconds:
        parts.append(t("walk {time}", time=minutes(journey.walking_seconds, state)))
    parts.append(t.yen(fare) if fare is not None else t("fare unknown"))
    return " ・ ".join(parts)


# --- the form -------------------------------------------------------------------------------
def _text_field(state: AppState, key: str, revision: int, value: str, label: str, helper: str,
                error: str | None, on_change, **extra) -> ft.TextField:
    """A DADS text input: label, support text, field, error text; sized by the tokens."""
    tokens = state.tokens
    p = tokens.palette
    return state.fields.text_field(
        key, revision=revision, value=value, label=label, helper=helper, error=error,
        on_change=on_change,
        text_style=tokens.text_style("body", p.text_strong),
        label_style=tokens.text_style("heading_4", p.text),
        helper_style=tokens.text_style("caption", p.text_support),
        error_style=tokens.text_style("body", p.error),
        helper_max_lines=6, error_max_lines=6,
        border_color=p.border, focused_border_color=p.focus_outline, border_radius=8,
        **extra,
    )


def _stop_picker(which: str, label: str, stop: StopField, problem: TripProblem | None,
                 state: AppState, trips: TripActions) -> list[ft.Control]:
    t, tokens = state.t, state.tokens
    p = tokens.palette

    async def typed(e: ft.Event) -> None:
        await trips.search(which, e.control.value or "")

    field = _text_field(
        state, f"trip-{which}", stop.revision, stop.query, label,
        t("Stop name in Japanese, kana or romaji, e.g. 岩瀬浜, いわせはま, Iwasehama"),
        t(PROBLEM_TEXT[problem]) if problem else None, typed,
    )
    controls: list[ft.Control] = [full_width(field)]
    if which == "origin":

        async def here(_e: ft.Event) -> None:
            await trips.use_location(which)

        controls.append(action_button(t("Use my current location"), here, tokens,
                                      kind=ButtonKind.outline, icon=ft.Icons.MY_LOCATION))
    if stop.problem:
        controls.append(ft.Text(t(stop.problem), style=tokens.text_style("body", p.error)))
    if stop.choice is not None:
        chosen = stop_label(stop.choice, t.code)
        controls.append(body_text(t("Chosen: {stop}", stop=chosen), tokens))
        if stop.near is not None and stop.near_m is not None:
            controls.append(body_text(
                t("The stop nearest to {place}, about {metres} m away",
                  place=t(stop.near), metres=t.number(stop.near_m)), tokens, support=True))
    elif stop.matches:
        for match in stop.matches:
            controls.append(full_width(action_button(
                _match_label(match, state),
                lambda _e, m=match: trips.choose(which, m),
                tokens,
                kind=ButtonKind.outline,
                icon=ft.Icons.PLACE_OUTLINED,
                key=f"match-{which}-{match.stop_id}",
            )))
    elif stop.searched:
        controls.append(body_text(t("No stop found. Try another spelling or a nearby stop."),
                                  tokens))
    return controls


def _match_label(match: StopMatch, state: AppState) -> str:
    main = stop_label(match, state.t.code)
    extra = match.name_kana if state.t.code.startswith("ja") else match.name
    return f"{main} ({extra})" if extra and extra != main else main


def _switch(label: str, value: bool, on_change, state: AppState, key: str) -> ft.Control:
    tokens = state.tokens
    return ft.Switch(
        label=label, value=value, on_change=lambda e: on_change(bool(e.control.value)),
        label_text_style=tokens.text_style("body", tokens.palette.text_strong),
        active_color=tokens.palette.primary, track_outline_color=tokens.palette.border,
        scale=max(1.0, tokens.scale * 0.9), key=key,
    )


def _form(state: AppState, trips: TripActions) -> list[ft.Control]:
    t, tokens, form = state.t, state.tokens, state.trips
    problems = set(form.problems)

    def problem(*candidates: TripProblem) -> TripProblem | None:
        return next((c for c in candidates if c in problems), None)

    async def mode_chosen(value: str) -> None:
        trips.set_option(mode=TripMode(value))

    async def search(_e: ft.Event) -> None:
        await trips.plan()

    def when_field(key: str, value: str, label: str, helper: str, problem: TripProblem,
                   name: str) -> ft.TextField:
        return _text_field(
            state, key, form.when_revision, value, label, helper,
            t(PROBLEM_TEXT[problem]) if problem in problems else None,
            lambda e: trips.edit(**{name: e.control.value or ""}),
            keyboard_type=ft.KeyboardType.DATETIME,
        )

    date_field = when_field("trip-date", form.day_text, t("Date"),
                            t("Year-month-day, e.g. 2026-12-01"), TripProblem.bad_date,
                            "day_text")
    time_field = when_field("trip-time", form.time_text, t("Time"),
                            t("Hours:minutes, e.g. 08:30"), TripProblem.bad_time, "time_text")
    controls: list[ft.Control] = [ft.Container(key=ft.ScrollKey(FORM_TOP_KEY), height=0)]
    if problems:
        controls.append(banner(
            t("Please check the highlighted items"),
            "\n".join(t(PROBLEM_TEXT[p]) for p in form.problems), tokens, BannerKind.error,
            announce=True))
    controls += _stop_picker("origin", t("From"), form.origin,
                             problem(TripProblem.no_origin), state, trips)
    controls.append(action_button(t("Swap from and to"), lambda _e: trips.swap(), tokens,
                                  kind=ButtonKind.outline, icon=ft.Icons.SWAP_VERT))
    controls += _stop_picker("destination", t("To"), form.destination,
                             problem(TripProblem.no_destination, TripProblem.same_stop),
                             state, trips)
    controls += [
        full_width(date_field),
        full_width(time_field),
        choice_list([(TripMode.depart.value, t("Leave at")),
                     (TripMode.arrive.value, t("Arrive by"))],
                    form.mode.value, mode_chosen, tokens),
        _switch(t("Fewer transfers"), form.fewer_transfers,
                lambda on: trips.set_option(fewer_transfers=on), state, "trip-fewer"),
        _switch(t("Less walking"), form.less_walking,
                lambda on: trips.set_option(less_walking=on), state, "trip-less-walk"),
        _switch(t("I walk slowly"), form.slow_walking,
                lambda on: trips.set_option(slow_walking=on), state, "trip-slow"),
        action_button(t("Searching…") if form.planning else t("Search"),
                      None if form.planning else search, tokens, icon=ft.Icons.SEARCH),
    ]
    return controls


# --- results --------------------------------------------------------------------------------
def _results(state: AppState, trips: TripActions, nav: Navigator) -> list[ft.Control]:
    t, tokens, plan = state.t, state.tokens, state.trips.plan
    if plan is None:
        return []
    controls: list[ft.Control] = [ft.Semantics(
        content=heading(t("Results"), tokens, 2), live_region=True,
        key=ft.ScrollKey(RESULTS_KEY))]
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
    if journeys and not state.trips.realtime_checked:
        controls.append(body_text(t("Live delay information is not available: times are as "
                                    "timetabled."), tokens, support=True))
    if not journeys:
        controls.append(banner(
            t("No journey found"),
            t("No bus or tram connects these stops at that time. Try an earlier time, "
              "another day, or a stop nearby."), tokens, BannerKind.info))
        return controls
    for index, journey in enumerate(journeys):
        times = f"{clock(journey.leaves_at, state)} → {clock(journey.arrival, state)}"
        summary = journey_summary(journey, trips.fare_yen(journey), state)
        controls.append(full_width(ft.Button(
            content=ft.Column([
                ft.Text(times, style=tokens.text_style("heading_3", tokens.palette.primary)),
                ft.Text(summary, style=tokens.text_style("body", tokens.palette.text)),
            ], spacing=tokens.space(1), tight=True),
            on_click=lambda _e, i=index: nav.go(routes.build(routes.TRIP_JOURNEY, index=i)),
            style=tokens.tile_button_style(),
            key=f"journey-{index}",
        )))
    return controls


def _saved(state: AppState, nav: Navigator) -> list[ft.Control]:
    t, tokens, saved = state.t, state.tokens, state.trips.saved
    if not saved:
        return []
    controls: list[ft.Control] = [heading(t("Saved journeys"), tokens, 2)]
    for index, item in enumerate(saved):
        journey = item.journey
        text = (f"{t.date(item.day, 'medium')} {clock(journey.leaves_at, state)} → "
                f"{clock(journey.arrival, state)}  {item.label}")
        controls.append(full_width(action_button(
            text, lambda _e, i=index: nav.go(routes.build(routes.TRIP_SAVED, index=i)), tokens,
            kind=ButtonKind.outline, icon=ft.Icons.BOOKMARK_OUTLINE, key=f"saved-{item.id}")))
    return controls


def build_trips(state: AppState, trips: TripActions, nav: Navigator) -> Screen:
    t, tokens, form = state.t, state.tokens, state.trips
    controls: list[ft.Control] = [
        body_text(t("Buses and trams in Toyama City and Uozu, from the 2019 open-data "
                    "timetables. Planned on this device: it works offline."), tokens,
                  support=True),
    ]
    controls += _saved(state, nav)
    if form.timetables_error:
        controls.append(banner(t("Timetables could not be loaded"), t(form.timetables_error),
                               tokens, BannerKind.error))
    elif not form.timetables_ready:
        controls.append(banner(t("Loading timetables…"), None, tokens, BannerKind.info))
    controls += _form(state, trips)
    controls += _results(state, trips, nav)
    return Screen(title=t("Trips"), controls=controls)


# --- one journey ----------------------------------------------------------------------------
def _leg(leg, state: AppState) -> ft.Control:
    t, tokens = state.t, state.tokens
    p = tokens.palette
    if isinstance(leg, WalkLeg):
        lines = [
            ft.Text(t("Walk {time}", time=minutes(leg.seconds, state)),
                    style=tokens.text_style("heading_4", p.text_strong)),
            ft.Text(f"{stop_name(leg.from_stop, state)} → {stop_name(leg.to_stop, state)}",
                    style=tokens.text_style("body", p.text)),
        ]
        icon = ft.Icons.DIRECTIONS_WALK
    else:
        assert isinstance(leg, RideLeg)
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
                t("on time") if leg.delay_minutes == 0 else
                t("delayed {n} min", n=leg.delay_minutes),
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


def _ticket(source: str, index: int, day: date, journey: Journey, state: AppState,
            trips: TripActions, nav: Navigator) -> list[ft.Control]:
    t, tokens, form = state.t, state.tokens, state.trips
    if not journey.rides:
        return []
    if not state.auth.logged_in:
        return [action_button(t("Log in to get a digital ticket"), lambda _e: nav.go(
            routes.LOGIN), tokens, kind=ButtonKind.outline, icon=ft.Icons.LOGIN)]
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
        await trips.issue_ticket(source, index)

    controls: list[ft.Control] = [action_button(t("Get a digital ticket"), issue, tokens,
                                                kind=ButtonKind.outline,
                                                icon=ft.Icons.QR_CODE_2)]
    if form.ticket_problem:
        controls.append(banner(t(form.ticket_problem), None, tokens, BannerKind.error,
                               announce=True))
    return controls


def build_journey(index: int, state: AppState, trips: TripActions, nav: Navigator,
                  source: str = "result") -> Screen:
    t, tokens, form = state.t, state.tokens, state.trips
    found = trips.journey(source, index)
    if found is None:
        return Screen(title=t("Trips"), controls=[
            banner(t("This journey is no longer available"),
                   t("Search again to see journeys."), tokens, BannerKind.info),
            action_button(t("Back to trip search"), lambda _e: nav.go(routes.TRIPS), tokens),
        ])
    day, journey = found
    times = f"{clock(journey.leaves_at, state)} → {clock(journey.arrival, state)}"
    label = (f"{stop_name(journey.legs[0].from_stop, state)} → "
             f"{stop_name(journey.legs[-1].to_stop, state)}") if journey.legs else ""

    async def save(_e: ft.Event) -> None:
        await trips.save(index, label)

    async def remove(_e: ft.Event) -> None:
        await trips.remove_saved(index)
        nav.go(routes.TRIPS)

    async def share(_e: ft.Event) -> None:
        await trips.share(share_text(day, journey, state), label)

    controls: list[ft.Control] = [heading(times, tokens)]
    if form.notice:
        controls.append(banner(t(form.notice), None, tokens, BannerKind.success, announce=True))
    controls += [
        body_text(journey_summary(journey, trips.fare_yen(journey), state), tokens),
        body_text(t.date(day, "full"), tokens, support=True),
        *[_leg(leg, state) for leg in journey.legs],
        ft.Row([
            action_button(t("Save"), save, tokens, kind=ButtonKind.outline,
                          icon=ft.Icons.BOOKMARK_ADD_OUTLINED) if source == "result"
            else action_button(t("Remove from saved"), remove, tokens,
                               kind=ButtonKind.outline, icon=ft.Icons.BOOKMARK_REMOVE_OUTLINED),
            action_button(t("Share"), share, tokens, kind=ButtonKind.outline,
                          icon=ft.Icons.SHARE),
        ], wrap=True, spacing=tokens.space(2), run_spacing=tokens.space(2)),
        *_ticket(source, index, day, journey, state, trips, nav),
    ]
    return Screen(title=t("Journey"), controls=controls)
