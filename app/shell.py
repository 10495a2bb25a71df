"""The frame around every screen: app bar, navigation (bar on phones, rail on wide screens),
the idle warning, and the back stack from the route.

Views are kept: a screen is built once when its route opens and stays (with its text fields)
while it is in the back stack. A change of state redraws only the parts that show it:
- a feature topic: the regions of the open screens that follow it (views/screen.py);
- who is logged in: the app bars (the logout button);
- a crossing of the phone/wide breakpoint: each view's frame, around the same bodies;
- the look (language, text size, contrast): everything, since every label and size changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app import routes
from app.paths import Match, RoutePath, build, match
from app.routes import Controllers, Guard
from app.state import AppState, Topic
from app.theme import FONT_FAMILY, FONT_FILE
from views.screen import Region, Screen
from views.widgets.controls import BannerKind, action_button, banner, icon_button, page_body


@dataclass
class ShownView:
    """One view of the back stack: Flet's View, its screen, and the frame's parts."""

    match: Match
    view: ft.View
    screen: Screen
    centred: ft.Control  # the screen's body, centred: made once, framed anew on a resize
    column: ft.Column  # the scrolling column inside it (for reveal)
    warning: Region  # the idle warning above the screen's body


class Shell:
    def __init__(self, page: ft.Page, state: AppState, controllers: Controllers) -> None:
        self.page = page
        self.state = state
        self.controllers = controllers
        self._shown: dict[str, ShownView] = {}

    # --- events -------------------------------------------------------------------------
    def show_route(self) -> None:
        """Show the views of the current route: the ones already shown are kept as they are."""
        page = self.page
        found = match(page.route)
        guard = routes.route_for(found).guard
        if guard == Guard.login and not self.state.auth.logged_in:
            self.state.auth.return_to = page.route
            page.navigate(RoutePath.login.value)
            return
        shown: dict[str, ShownView] = {}
        for step in routes.stack(page.route):
            shown[step.url] = self._shown.get(step.url) or self._make(step)
        self._shown = shown
        page.views.clear()
        page.views.extend(item.view for item in shown.values())
        page.update()

    async def on_view_pop(self, _e: ft.ViewPopEvent) -> None:
        views = list(self._shown.values())
        if len(views) > 1:
            await self.page.push_route(views[-2].match.url)

    def on_change(self, topics: frozenset[Topic]) -> None:
        if not self._shown:
            return  # nothing drawn yet: the first show_route draws the current state
        if Topic.look in topics:
            self.redraw_all()
            return
        shown = list(self._shown.values())
        changed: list[ft.Control] = []
        for item in shown:
            if Topic.layout in topics:
                self._frame(item)
                changed.append(item.view)
            elif Topic.auth in topics:  # the logout button comes or goes: the app bar only
                item.view.appbar = self._appbar(item)
                changed.append(item.view)
            changed += item.screen.on_change(topics)
            if topics & item.screen.title_topics:
                changed += self._retitle(item)
            if Topic.session_warning in topics:
                changed.append(item.warning.rebuild())
        if changed:
            self.page.update(*changed)

    def redraw_all(self) -> None:
        """A new look: theme, titles and every screen anew (nothing is being typed then)."""
        self.apply_theme()
        self._shown = {}
        self.show_route()

    def reveal(self, key: str) -> None:
        """Scroll the visible screen to the control with this scroll key (e.g. new results),
        so what a button produced is in view, not below the fold."""
        if self._shown:
            column = list(self._shown.values())[-1].column
            self.page.run_task(column.scroll_to, scroll_key=key, duration=300)

    # --- drawing ------------------------------------------------------------------------
    def apply_theme(self) -> None:
        page, state = self.page, self.state
        page.fonts = {FONT_FAMILY: FONT_FILE}
        page.theme = state.tokens.theme
        page.theme_mode = ft.ThemeMode.LIGHT
        page.title = state.t("Kitokito")
        language = state.t.locale
        page.locale_configuration = ft.LocaleConfiguration(
            supported_locales=[ft.Locale("ja", "JP"), ft.Locale("en", "US")],
            current_locale=ft.Locale(language.language, language.territory or ""),
        )

    def _make(self, step: Match) -> ShownView:
        screen = routes.route_for(step).screen(self.state, self.controllers, step)
        warning = Region([Topic.session_warning], self._session_warning,
                         self.state.tokens.space(5))
        body = page_body([warning.control, *screen.controls], self.state.tokens)
        column = body.content
        assert isinstance(column, ft.Column)  # page_body's scrolling column
        centred = ft.Container(body, expand=True, alignment=ft.Alignment.TOP_CENTER)
        item = ShownView(step, ft.View(route=step.url, padding=0), screen, centred, column,
                         warning)
        self._frame(item)
        return item

    def _appbar(self, item: ShownView) -> ft.AppBar:
        tokens = self.state.tokens
        return ft.AppBar(
            title=ft.Text(item.screen.title, style=tokens.text_style("heading_3")),
            actions=[
                *([self._language_button()] if item.match.path != RoutePath.settings else []),
                *([self._logout_button()] if self.state.auth.logged_in else []),
            ],
            bgcolor=tokens.palette.background,
        )

    def _retitle(self, item: ShownView) -> list[ft.Control]:
        """The app bar's title anew, when the screen's title follows the state."""
        bar = item.view.appbar
        if isinstance(bar, ft.AppBar) and isinstance(bar.title, ft.Text) and (
                bar.title.value != item.screen.title):
            bar.title.value = item.screen.title
            return [bar.title]
        return []

    def _frame(self, item: ShownView) -> None:
        """App bar and navigation around the screen's body (the body itself is kept)."""
        state, view, centred = self.state, item.view, item.centred
        selected = routes.selected_nav(item.match)
        view.appbar = self._appbar(item)
        if state.wide:
            view.controls = [ft.Row(
                [self._rail(selected), ft.VerticalDivider(width=1), centred],
                expand=True, vertical_alignment=ft.CrossAxisAlignment.START,
            )]
            view.navigation_bar = None
        else:
            view.controls = [centred]
            view.navigation_bar = None if state.compact_chrome else self._bar(selected)

    def _go_to(self, index: int) -> None:
        self.controllers.nav.go(build(routes.nav_routes()[index].path))

    def _destinations(self, kind: type) -> list:
        """The sections of the registry that have a nav entry, as bar or rail items."""
        t, tokens = self.state.t, self.state.tokens
        return [
            kind(icon=ft.Icon(r.nav.icon, size=tokens.icon),
                 selected_icon=ft.Icon(r.nav.selected_icon, size=tokens.icon), label=t(r.nav.label))
            for r in routes.nav_routes() if r.nav is not None
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
        t, tokens, minutes = self.state.t, self.state.tokens, self.state.auth.expiry_warning_min
        if minutes is None:
            return []

        async def extend(_e: ft.Event) -> None:
            await self.controllers.auth.extend()

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
            await self.controllers.auth.logout()

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

        def open_settings(_e: ft.Event) -> None:
            self.controllers.nav.go(RoutePath.settings)

        if self._icon_only_actions():
            # No room for the words next to the title: an icon button named by them.
            return icon_button(ft.Icons.TRANSLATE, label, open_settings, tokens)
        return ft.TextButton(
            content=ft.Text(label, style=tokens.text_style("label", tokens.palette.primary)),
            icon=ft.Icon(ft.Icons.TRANSLATE, size=tokens.icon, color=tokens.palette.primary),
            on_click=open_settings,
            height=max(44, tokens.min_target),
        )
