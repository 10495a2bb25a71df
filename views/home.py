"""Home: the one-stop dashboard with an entry for every area, and the login entry."""

from __future__ import annotations

import flet as ft

from app.state import AppState
from views.actions import Actions
from views.areas import AREAS, LOGIN_AREA, Area
from views.screen import Screen
from views.widgets.controls import heading, tile


def _entry(area: Area, state: AppState, actions: Actions) -> ft.Control:
    return tile(
        state.t(area.label),
        area.icon,
        lambda _e, route=area.route: actions.go(route),
        state.tokens,
        key=f"area-{area.key}",
    )


def visible_areas(state: AppState) -> list[Area]:
    areas = [*AREAS, LOGIN_AREA]
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
        controls=[heading(t("What would you like to do?"), tokens), grid],
    )
