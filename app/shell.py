"""The frame around every screen: app bar, navigation (bar on phones, rail on wide screens),
back stack from the route, and the theme from the session's tokens."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app import routes
from app.state import AppState
from app.theme import FONT_FAMILY, FONT_FILE
from views.actions import Actions
from views.areas import BY_ROUTE, N_
from views.coming_soon import build_coming_soon, build_not_found
from views.home import build_home
from views.login import build_login
from views.notices import build_notice, build_notices
from views.screen import Screen
from views.settings import build_settings
from views.trips import build_journey, build_trips
from views.widgets.controls import BannerKind, action_button, banner, icon_button, page_body


@dataclass(frozen=True)
class Destination:
    route: str
    label: str  # msgid
    icon: ft.IconData
    selected_icon: ft.IconData


DESTINATIONS = (
    Destination(routes.HOME, N_("Home"), ft.Icons.HOME_OUTLINED, ft.Icons.HOME),
    Destination(routes.NOTICES, N_("Notices"), ft.Icons.CAMPAIGN_OUTLINED, ft.Icons.CAMPAIGN),
    Destination(routes.TRIPS, N_("Trips"), ft.Icons.DIRECTIONS_BUS_OUTLINED,
                ft.Icons.DIRECTIONS_BUS),
    Destination(routes.SETTINGS, N_("Settings"), ft.Icons.SETTINGS_OUTLINED, ft.Icons.SETTINGS),
)


def build_screen(match: routes.Match, state: AppState, actions: Actions) -> Screen:
    """The route table: which builder draws which path."""
    template = match.template
    if template == routes.HOME:
        return build_home(state, actions)
    if template == routes.SETTINGS:
        return build_settings(state, actions)
    if template == routes.NOTICES:
        return build_notices(state, actions)
    if template == routes.NOTICE:
        return build_notice(int(match.params["id"]), state, actions)
    if template == routes.LOGIN:
        return build_login(state, actions.auth)
    if template == routes.TRIPS:
        return build_trips(state, actions.trips, actions)
    if template == routes.TRIP_JOURNEY:
        return build_journey(int(match.params["index"]), state, actions.trips, actions)
    if template == routes.TRIP_SAVED:
        return build_journey(int(match.params["index"]), state, actions.trips, actions,
                             source="saved")
    area = BY_ROUTE.get(template)
    if area is not None:
        return build_coming_soon(area, state, actions)
    return build_not_found(state, actions)


def selected_destination(match: routes.Match) -> int | None:
    chain = routes.stack(match.path)
    top = chain[1] if len(chain) > 1 else chain[0]  # the section a deep route belongs to
    for index, destination in enumerate(DESTINATIONS):
        if destination.route == top.template:
            return index
    return None


class Shell:
    def __init__(self, page: ft.Page, state: AppState, actions: Actions) -> None:
        self.page = page
        self.state = state
        self.actions = actions
        self._top_body: ft.Column | None = None

    def reveal(self, key: str) -> None:
        """Scroll the visible screen to the control with this scroll key (e.g. new results),
        so what a button produced is in view, not below the fold."""
        body = self._top_body
        if body is not None:
            self.page.run_task(body.scroll_to, scroll_key=key, duration=300)

    # --- events -------------------------------------------------------------------------
    def on_route_change(self, _e: ft.RouteChangeEvent | None = None) -> None:
        self.render()

    async def on_view_pop(self, e: ft.ViewPopEvent) -> None:
        if len(self.page.views) > 1:
            self.page.views.pop()
            await self.page.push_route(self.page.views[-1].route)

    # --- drawing ------------------------------------------------------------------------
    def render(self) -> None:
        page, state = self.page, self.state
        page.fonts = {FONT_FAMILY: FONT_FILE}
        page.theme = state.tokens.theme
        page.theme_mode = ft.ThemeMode.LIGHT
        page.title = state.t("Kitokito")
        language = state.t.locale
        page.locale_configuration = ft.LocaleConfiguration(
            supported_locales=[ft.Locale("ja", "JP"), ft.Locale("en", "US")],
            current_locale=ft.Locale(language.language, language.territory),
        )
        page.views.clear()
        page.views.extend(self.view(match) for match in routes.stack(page.route))
        page.update()

    def _body(self, screen: Screen) -> ft.Control:
        body = page_body([*self._session_warning(), *screen.controls], self.state.tokens)
        self._top_body = body.content  # the last view built is the one on top
        return body

    def view(self, match: routes.Match) -> ft.View:
        state, tokens = self.state, self.state.tokens
        screen = build_screen(match, state, self.actions)
        body = self._body(screen)
        selected = selected_destination(match)
        appbar = ft.AppBar(
            title=ft.Text(screen.title, style=tokens.text_style("heading_3")),
            actions=[
                *([self._language_button()] if match.template != routes.SETTINGS else []),
                *([self._logout_button()] if state.auth.logged_in else []),
            ],
            bgcolor=tokens.palette.background,
        )
        if state.wide:
            content: ft.Control = ft.Row(
                [self._rail(selected), ft.VerticalDivider(width=1), ft.Container(
                    body, expand=True, alignment=ft.Alignment.TOP_CENTER)],
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            )
            return ft.View(route=match.path, appbar=appbar, controls=[content], padding=0)
        return ft.View(
            route=match.path,
            appbar=appbar,
            controls=[ft.Container(body, expand=True, alignment=ft.Alignment.TOP_CENTER)],
            navigation_bar=None if state.compact_chrome else self._bar(selected),
            padding=0,
        )

    def _go_to(self, index: int) -> None:
        self.actions.go(DESTINATIONS[index].route)

    def _destinations(self, kind: type) -> list:
        """The same four sections, as bar or rail items."""
        t, tokens = self.state.t, self.state.tokens
        return [
            kind(icon=ft.Icon(d.icon, size=tokens.icon),
                 selected_icon=ft.Icon(d.selected_icon, size=tokens.icon), label=t(d.label))
            for d in DESTINATIONS
        ]

    def _bar(self, selected: int | None) -> ft.NavigationBar:
        tokens = self.state.tokens
        return ft.NavigationBar(
            destinations=self._destinations(ft.NavigationBarDestination),
            selected_index=selected if selected is not None else 0,
            indicator_color=(
                tokens.palette.surface_selected if selected is not None
                else ft.Colors.TRANSPARENT
            ),
            on_change=lambda e: self._go_to(int(e.control.selected_index)),
        )

    def _rail(self, selected: int | None) -> ft.NavigationRail:
        tokens = self.state.tokens
        return ft.NavigationRail(
            destinations=self._destinations(ft.NavigationRailDestination),
            selected_index=selected,
            label_type=ft.NavigationRailLabelType.ALL,
            min_width=max(80, tokens.px(80)),
            on_change=lambda e: self._go_to(int(e.control.selected_index)),
        )

    def _icon_only_actions(self) -> bool:
        """Two worded buttons beside the title do not fit a phone: show icons named by them."""
        state = self.state
        return state.compact_chrome or (not state.wide and state.auth.logged_in)

    def _session_warning(self) -> list[ft.Control]:
        """The idle time-out, announced ahead with a way to stay logged in (WCAG 2.2.1)."""
        t, tokens, seconds = self.state.t, self.state.tokens, self.state.auth.expiry_warning_s
        if seconds is None:
            return []

        async def extend(_e: ft.Event) -> None:
            await self.actions.auth.extend()

        minutes = max(1, round(seconds / 60))
        return [
            ft.Semantics(content=banner(
                t.ngettext("You will be logged out in {n} minute",
                           "You will be logged out in {n} minutes", minutes).format(n=minutes),
                t("Nothing has happened for a while. Stay logged in to keep working."),
                tokens, BannerKind.warning), live_region=True),
            action_button(t("Stay logged in"), extend, tokens, icon=ft.Icons.TIMER),
        ]

    def _logout_button(self) -> ft.Control:
        t, tokens = self.state.t, self.state.tokens

        async def logout(_e: ft.Event) -> None:
            await self.actions.auth.logout()

        if self._icon_only_actions():
            return icon_button(ft.Icons.LOGOUT, t("Log out"), logout, tokens)
        return ft.TextButton(
            content=ft.Text(t("Log out"), style=tokens.text_style("label", tokens.palette.primary)),
            icon=ft.Icon(ft.Icons.LOGOUT, size=tokens.icon, color=tokens.palette.primary),
            on_click=logout, height=max(44, tokens.min_target),
        )

    def _language_button(self) -> ft.Control:
        """Always reachable, and always labelled in English too, so a visitor finds it."""
        t, tokens = self.state.t, self.state.tokens
        label = t("Language")
        if t.code != "en":
            label = f"{label} / Language"
        if self._icon_only_actions():
            # No room for the words next to the title: an icon button named by them.
            return icon_button(ft.Icons.TRANSLATE, label,
                               lambda _e: self.actions.go(routes.SETTINGS), tokens)
        return ft.TextButton(
            content=ft.Text(label, style=tokens.text_style("label", tokens.palette.primary)),
            icon=ft.Icon(ft.Icons.TRANSLATE, size=tokens.icon, color=tokens.palette.primary),
            on_click=lambda _e: self.actions.go(routes.SETTINGS),
            height=max(44, tokens.min_target),
        )

