"""Home: the one-stop dashboard with an entry for every area, and the login entry."""

from __future__ import annotations

import flet as ft

from app import routes
from app.state import AppState
from views.actions import Actions
from views.areas import AREAS, LOGIN_AREA, Area
from views.screen import Screen
from views.widgets.controls import (
    BannerKind,
    ButtonKind,
    action_button,
    banner,
    body_text,
    full_width,
    heading,
    tile,
)


def _entry(area: Area, state: AppState, actions: Actions) -> ft.Control:
    return tile(
        state.t(area.label),
        area.icon,
        lambda _e, route=area.route: actions.go(route),
        state.tokens,
        key=f"area-{area.key}",
    )


def visible_areas(state: AppState) -> list[Area]:
    areas = list(AREAS) if state.auth.logged_in else [*AREAS, LOGIN_AREA]
    if state.tokens.simplified:
        areas = [area for area in areas if area.in_simplified]
    return areas


def build_home(state: AppState, actions: Actions) -> Screen:
    t, tokens = state.t, state.tokens
    entries = [_entry(area, state, actions) for area in visible_areas(state)]
    if tokens.simplified:
        grid: ft.Control = ft.Column(entries, spacing=tokens.space(3))
    else:
        # Two tiles a row on phones (one with large text), up to four on wide screens.
        columns = {"xs": 6, "md": 4, "lg": 3} if tokens.scale < 1.5 else {"xs": 12, "sm": 6,
                                                                          "lg": 4}
        grid = ft.ResponsiveRow(
            [ft.Container(entry, col=columns) for entry in entries],
            spacing=tokens.space(3),
            run_spacing=tokens.space(3),
        )
    return Screen(
        title=t("Kitokito"),
        controls=[*_greeting(state, actions), heading(t("What would you like to do?"), tokens),
                  grid],
    )


def _greeting(state: AppState, actions: Actions) -> list[ft.Control]:
    """After login: who is logged in, their town first, and a way out."""
    t, tokens, auth = state.t, state.tokens, state.auth
    if auth.farewell:
        return [banner(t(auth.farewell), None, tokens, BannerKind.success)]
    if not auth.logged_in:
        return []
    town = auth.municipality
    controls: list[ft.Control] = [
        heading(t("Hello, {name}", name=auth.display_name), tokens),
    ]
    if town:
        town_notices = [n for n in state.notices.items if n.municipality == town]
        controls.append(body_text(t("Information for residents of {town}", town=town), tokens,
                                  support=True))
        for notice in town_notices[:3]:
            controls.append(full_width(action_button(
                notice.title, lambda _e, n=notice: actions.go(
                    routes.build(routes.NOTICE, id=n.id)), tokens, kind=ButtonKind.outline,
                icon=ft.Icons.CAMPAIGN_OUTLINED)))

    async def logout(_e: ft.Event) -> None:
        await actions.auth.logout()

    controls.append(action_button(t("Log out"), logout, tokens, kind=ButtonKind.outline,
                                  icon=ft.Icons.LOGOUT))
    return controls
