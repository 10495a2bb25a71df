"""Pieces shared by the medical, childcare and disaster screens: where "nearest" is measured
from, how fresh the data is, a place's row in a list, its opening hours, and its actions
(call, route there). Texts the resident may want to copy (addresses, hours) are selectable."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

import flet as ft

from app.commands import Command
from app.paths import trip_to
from app.state import AppState
from services.info.hours import CLOSED, closes_at, next_opening, open_at, weekly_table
from services.info.levels import alert_level, intensity
from services.info.models import Alert, AlertType, DutyDay, Slot
from services.info.towns import TOWNS, town
from views.actions import Navigator
from views.widgets.controls import (
    ButtonKind,
    action_button,
    body_text,
    choice_list,
    copyable_text,
    full_width,
    heading,
)


class WhereActions(Protocol):
    locate: Command[[]]
    choose_town: Command[[str | None]]


def picker(state: AppState, *, label: str, options: Sequence[tuple[str, str]], value: str,
           on_pick: Callable[[str], Awaitable[None]], key: str) -> ft.Control:
    """"Label: current choice", opening to the choices as large buttons. Compact, so a phone
    shows results without a long scroll, and accessible (Flet's dropdown has no accessible
    name in the web client; these are plain labelled buttons)."""
    tokens = state.tokens
    p = tokens.palette
    shown = dict(options).get(value) or state.t("Not chosen")
    return ft.ExpansionTile(
        title=ft.Text(f"{label}: {shown}", style=tokens.text_style("heading_4", p.text_strong)),
        controls=[choice_list(list(options), value, on_pick, tokens)],
        controls_padding=ft.Padding.only(bottom=tokens.space(3)),
        expanded_alignment=ft.Alignment.TOP_LEFT, tile_padding=ft.Padding.all(0),
        collapsed_icon_color=p.primary, icon_color=p.primary, key=key,
        shape=ft.RoundedRectangleBorder(radius=0),
        collapsed_shape=ft.RoundedRectangleBorder(radius=0))


def town_name(state: AppState, code: str | None) -> str | None:
    found = town(code)
    if found is None:
        return None
    return found.name if state.language.is_japanese else state.t(found.name_en)


def office_name(state: AppState, code: str) -> str:
    """The town's office as residents call it: 富山市役所, 上市町役場; "Toyama City office"."""
    found = town(code)
    if found is None:
        return ""
    if state.language.is_japanese:
        return found.name + ("役所" if found.name.endswith("市") else "役場")
    return state.t("{town} office", town=state.t(found.name_en))


def where_picker(state: AppState, actions: WhereActions) -> list[ft.Control]:
    """"Nearest to": the device's location or a town. Never a dead end: without a location
    the town list always works."""
    t, tokens, where = state.t, state.tokens, state.where
    p = tokens.palette

    async def locate(_e: ft.Event) -> None:
        await actions.locate()

    async def chosen(code: str) -> None:
        await actions.choose_town(code or None)

    if where.here is not None:
        status = t("Nearest to your current location first.")
    elif state.town:
        status = t("Nearest to {town} first.", town=town_name(state, state.town))
    else:
        status = t("Choose your town, or use your location, to see the nearest first.")
    towns = picker(state, label=t("Your town"), value=state.town or "",
                   options=[(item.code, town_name(state, item.code) or "") for item in TOWNS],
                   on_pick=chosen, key="town-picker")
    controls: list[ft.Control] = [
        ft.Semantics(content=body_text(status, tokens, support=True), live_region=True),
        towns,
        action_button(t("Finding your location…") if where.locating
                      else t("Use my current location"),
                      None if where.locating else locate, tokens, kind=ButtonKind.outline,
                      icon=ft.Icons.MY_LOCATION, key="use-location"),
    ]
    if where.problem:
        controls.append(ft.Semantics(
            content=ft.Text(t(where.problem), style=tokens.text_style("body", p.error)),
            live_region=True))
    return controls


def freshness(state: AppState) -> list[ft.Control]:
    """How fresh the public data on this device is; honest when there is none yet."""
    t, tokens, status = state.t, state.tokens, state.info_status
    if status.last_updated is None:
        text = (t("Not downloaded yet. Connect to the internet once to download it.")
                if status.synced else t("Downloading the latest information…"))
    else:
        when = t.datetime(status.last_updated, "medium")
        text = (t("Offline — last updated {when}", when=when) if status.offline
                else t("Last updated {when}", when=when))
    return [ft.Semantics(content=body_text(text, tokens, support=True), live_region=True)]


def distance_text(state: AppState, metres: float | None) -> str | None:
    """From the resident when the device gave a position, else from the town's office (so a
    "120 m" never pretends to be from where the resident stands)."""
    if metres is None:
        return None
    t = state.t
    distance = (t("{m} m", m=t.number(int(round(metres, -1)))) if metres < 1000
                else t("{km} km", km=t.number(round(metres / 1000, 1))))
    if state.where.here is not None or not state.town:
        return t("{distance} away", distance=distance)
    return t("{distance} from {office}", distance=distance, office=office_name(state, state.town))


def opening_text(state: AppState, slots: Sequence[Slot], duty: Sequence[DutyDay],
                 moment: datetime, *, asked: bool = False) -> str:
    """"Open now, until 18:00" / "Closed now, opens Mon 09:00" (or at the time asked for)."""
    t = state.t
    if open_at(slots, duty, moment):
        end = closes_at(slots, duty, moment)
        if end is not None and end - moment >= timedelta(days=1):
            return t("Open then, 24 hours") if asked else t("Open now, 24 hours")
        until = t.datetime(end, "short") if end and end.date() != moment.date() else (
            end.strftime("%H:%M") if end else "")
        if asked:
            return t("Open then, until {time}", time=until) if until else t("Open then")
        return t("Open now, until {time}", time=until) if until else t("Open now")
    opens = next_opening(slots, duty, moment)
    when = t.datetime(opens, "short") if opens else None
    if asked:
        return t("Closed then; opens {when}", when=when) if when else t("Closed then")
    return t("Closed now; opens {when}", when=when) if when else t("Closed now")


def hours_table(state: AppState, slots: Sequence[Slot]) -> ft.Control:
    """Mon..Sun and public holidays, one row each, readable aloud as "Monday: 09:00–12:30"."""
    t, tokens = state.t, state.tokens
    p = tokens.palette
    rows = []
    for row in weekly_table(slots):
        hours = " ・ ".join(row.ranges) if row.ranges else t(CLOSED)
        rows.append(ft.Row([
            ft.Container(ft.Text(t(row.label), style=tokens.text_style("body", p.text_strong)),
                         width=tokens.px(150)),
            copyable_text(hours, tokens.text_style("body", p.text), expand=True),
        ], spacing=tokens.space(2), vertical_alignment=ft.CrossAxisAlignment.START))
    return ft.Column(list[ft.Control](rows), spacing=tokens.space(1), tight=True)


def count_line(state: AppState, count: str, total: int, shown: int) -> ft.Control:
    """How many matched, read out as it changes; says when the list shows only the nearest."""
    if total > shown:
        count = state.t("{count}; the nearest {shown} are shown", count=count, shown=shown)
    return ft.Semantics(content=body_text(count, state.tokens, support=True), live_region=True)


def go_to(nav: Navigator, url: str) -> Callable[[Any], None]:
    """A click handler that opens `url` (one per row, built in a loop)."""
    return lambda _e: nav.go(url)


def place_row(state: AppState, *, key: str, title: str, lines: Sequence[str | None],
              on_click: Callable[[Any], Any]) -> ft.Control:
    """A place in a list: its name, then short facts (distance first), the whole a button."""
    tokens = state.tokens
    p = tokens.palette
    texts: list[ft.Control] = [ft.Text(title, style=tokens.text_style("heading_4", p.primary))]
    texts += [ft.Text(line, style=tokens.text_style("body", p.text)) for line in lines if line]
    return full_width(ft.Button(
        content=ft.Column(texts, spacing=tokens.space(1), tight=True),
        on_click=on_click, style=tokens.tile_button_style(start=True), key=key))


def fact(state: AppState, label: str, value: str | None, *,
         selectable: bool = False) -> list[ft.Control]:
    """A labelled fact on a details screen; nothing when there is no value."""
    if not value:
        return []
    tokens = state.tokens
    style = tokens.text_style("body", tokens.palette.text)
    return [heading(label, tokens, 3),
            copyable_text(value, style) if selectable else ft.Text(value, style=style)]


def place_actions(state: AppState, *, name: str, lat: float | None, lon: float | None,
                  phone: str, go: Callable[[str], None]) -> list[ft.Control]:
    """Call (a tel: link the phone dials) and route there (the trip planner, destination set)."""
    t, tokens = state.t, state.tokens
    buttons: list[ft.Control] = []
    if phone:
        digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
        buttons.append(action_button(t("Call {phone}", phone=phone), None, tokens,
                                     icon=ft.Icons.CALL, key="call", url=f"tel:{digits}"))
    if lat is not None and lon is not None:
        buttons.append(action_button(
            t("Route there"), lambda _e: go(trip_to(lat, lon, name)), tokens,
            kind=ButtonKind.outline, icon=ft.Icons.DIRECTIONS, key="route-there"))
    if not buttons:
        return []
    return [ft.Row(buttons, wrap=True, spacing=tokens.space(2), run_spacing=tokens.space(2))]


def alert_card(state: AppState, alert: Alert, *, on_shelters: Callable[[Any], Any] | None = None
               ) -> ft.Control:
    """One warning or order in force, in its level's colour (Cabinet Office guidance), saying
    what the level means and what to do now."""
    t, tokens = state.t, state.tokens
    level = alert_level(alert.level)
    shaking = intensity(alert.intensity) if alert.type == AlertType.earthquake else None
    background = level.background if level else tokens.palette.background
    colour = level.text if level else tokens.palette.text_strong
    border = level.border if level else tokens.palette.warning
    lines: list[ft.Control] = []
    if level:
        label = (t("Alert level {n}: {name}", n=level.level, name=level.name_ja)
                 if state.language.is_japanese else t(level.name))
        lines.append(ft.Text(label, style=tokens.text_style("heading_3", colour)))
    title = alert.name if not alert.area else f"{alert.name} ({alert.area})"
    if shaking:
        title = f"{t(shaking.name)} — {alert.area}" if alert.area else t(shaking.name)
    lines.append(ft.Text(title, style=tokens.text_style("heading_4", colour)))
    if alert.headline:
        lines.append(ft.Text(alert.headline, style=tokens.text_style("body", colour)))
    advice = t(level.action) if level else (t(shaking.action) if shaking else None)
    if advice:
        lines.append(ft.Text(advice, style=tokens.text_style("body", colour)))
    lines.append(ft.Text(t("Issued {when}", when=t.datetime(alert.issued_at, "short")),
                         style=tokens.text_style("caption", colour)))
    if on_shelters is not None:
        lines.append(action_button(t("Find a shelter"), on_shelters, tokens,
                                   icon=ft.Icons.HOLIDAY_VILLAGE_OUTLINED,
                                   key=f"alert-shelters-{alert.id}"))
    return ft.Semantics(container=True, live_region=True, content=ft.Container(
        ft.Column(lines, spacing=tokens.space(1), tight=True),
        bgcolor=background, border=ft.Border.all(3, border), border_radius=12,
        padding=ft.Padding.all(tokens.space(4)), key=f"alert-{alert.id}"))
