"""Home: the one-stop dashboard with an entry for every area, and the login entry."""

from __future__ import annotations

import flet as ft

from app.paths import RoutePath, build
from app.state import AppState, Topic
from views.actions import LogoutAction, Navigator
from views.areas import Area
from views.disaster import alerts_for_town
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


def visible_areas(state: AppState, areas: list[tuple[str, Area]],
                  login: Area) -> list[tuple[str, Area]]:
    """The tiles to show, each with the path it opens."""
    shown = list(areas) if state.auth.logged_in else [*areas, (RoutePath.login.value, login)]
    if state.tokens.simplified:
        shown = [(route, area) for route, area in shown if area.in_simplified]
    return shown


class HomeScreen(Screen):
    def __init__(self, state: AppState, nav: Navigator, auth: LogoutAction,
                 areas: list[tuple[str, Area]], login: Area) -> None:
        super().__init__(state)
        self.nav, self.auth = nav, auth
        self.areas, self.login = areas, login

    @property
    def title(self) -> str:
        return self.state.t("Kitokito")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            # Warnings in force for the resident's town come above everything else.
            self.region([Topic.alerts, Topic.where, Topic.auth], self._alerts),
            self.region([Topic.auth, Topic.notices], self._greeting),
            heading(t("What would you like to do?"), tokens),
            self.region([Topic.auth], self._grid),
        ]

    def _alerts(self) -> list[ft.Control]:
        if not self.state.disaster.alerts:
            return []  # nothing in force, or no town chosen: the home stays calm
        return alerts_for_town(self.state, self.nav)

    def _entry(self, route: str, area: Area) -> ft.Control:
        return tile(self.state.t(area.label), area.icon,
                    lambda _e: self.nav.go(route), self.state.tokens, key=f"area-{area.key}")

    def _grid(self) -> list[ft.Control]:
        tokens = self.state.tokens
        entries = [self._entry(route, area)
                   for route, area in visible_areas(self.state, self.areas, self.login)]
        if tokens.simplified:
            return [ft.Column(entries, spacing=tokens.space(3))]
        # Two tiles a row on phones (one with large text), up to four on wide screens.
        columns: dict[str | ft.ResponsiveRowBreakpoint, int | float] = (
            {"xs": 6, "md": 4, "lg": 3} if tokens.scale < 1.5 else {"xs": 12, "sm": 6, "lg": 4})
        return [ft.ResponsiveRow(
            [ft.Container(entry, col=columns) for entry in entries],
            spacing=tokens.space(3),
            run_spacing=tokens.space(3),
        )]

    def _greeting(self) -> list[ft.Control]:
        """After login: who is logged in, their town first, and a way out."""
        t, tokens, auth = self.state.t, self.state.tokens, self.state.auth
        if auth.farewell:
            return [banner(t(auth.farewell), None, tokens, BannerKind.success, announce=True)]
        if not auth.logged_in:
            return []
        town = auth.municipality
        controls: list[ft.Control] = [heading(t("Hello, {name}", name=auth.display_name), tokens)]
        if town:
            town_notices = [n for n in self.state.notices.items if n.municipality == town]
            controls.append(body_text(t("Information for residents of {town}", town=town),
                                      tokens, support=True))
            for notice in town_notices[:3]:
                controls.append(full_width(action_button(
                    notice.title, lambda _e, n=notice: self.nav.go(
                        build(RoutePath.notice, id=n.id)), tokens, kind=ButtonKind.outline,
                    icon=ft.Icons.CAMPAIGN_OUTLINED)))

        async def logout(_e: ft.Event) -> None:
            await self.auth.logout()

        controls.append(ft.Row([
            action_button(t("Logged-in devices"), lambda _e: self.nav.go(RoutePath.devices),
                          tokens, kind=ButtonKind.outline, icon=ft.Icons.DEVICES),
            action_button(t("Log out"), logout, tokens, kind=ButtonKind.outline,
                          icon=ft.Icons.LOGOUT),
        ], wrap=True, spacing=tokens.space(2), run_spacing=tokens.space(2)))
        return controls
