"""Home: the one-stop dashboard with an entry for every area, and the login entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import flet as ft

from app.paths import RoutePath, build
from app.state import AppState, Topic
from services.i18n import N_
from services.search.models import Hit, HitKind
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
from views.widgets.fields import text_field
from views.widgets.places import go_to, place_row

KIND_WORDS = {
    HitKind.procedure: N_("Procedure"), HitKind.clinic: N_("Medical care"),
    HitKind.childcare: N_("Childcare"), HitKind.shelter: N_("Shelter"), HitKind.aed: N_("AED"),
    HitKind.consultation: N_("Consultation"), HitKind.spot: N_("Place to visit"),
    HitKind.guide: N_("Walking route"), HitKind.town: N_("Town"),
    HitKind.programme: N_("Support for movers"), HitKind.stop: N_("Bus or tram stop"),
    HitKind.notice: N_("Notice"),
}


def visible_areas(state: AppState, areas: list[tuple[str, Area]],
                  login: Area) -> list[tuple[str, Area]]:
    """The tiles to show, each with the path it opens."""
    shown = list(areas) if state.auth.logged_in else [*areas, (RoutePath.login.value, login)]
    if state.tokens.simplified:
        shown = [(route, area) for route, area in shown if area.in_simplified]
    return shown


class SearchActions(Protocol):
    async def search(self, query: str) -> None: ...


class HomeScreen(Screen):
    def __init__(self, state: AppState, nav: Navigator, auth: LogoutAction,
                 areas: list[tuple[str, Area]], login: Area, search: SearchActions,
                 hit_url: Callable[[Hit], str]) -> None:
        super().__init__(state)
        self.nav, self.auth = nav, auth
        self.areas, self.login = areas, login
        self.hit_url = hit_url

        async def typed(e: ft.Event) -> None:
            await search.search(e.control.value or "")

        t = state.t
        self.search = text_field(
            state, label=t("Search everything"),
            helper=t("Procedures, clinics, shelters, places, stops… e.g. 住民票, pediatrics, "
                     "gokayama"),
            value=state.search.query, on_change=typed, key="home-search",
            prefix_icon=ft.Icons.SEARCH)

    @property
    def title(self) -> str:
        return self.state.t("Kitokito")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            # Warnings in force for the resident's town come above everything else.
            self.region([Topic.alerts, Topic.where, Topic.auth], self._alerts),
            self.region([Topic.auth, Topic.notices], self._greeting),
            full_width(self.search),
            self.region([Topic.search], self._hits),
            heading(t("What would you like to do?"), tokens),
            self.region([Topic.auth], self._grid),
        ]

    def _hits(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.search
        if not view.asked:
            return []
        if not view.hits:
            return [ft.Semantics(content=body_text(
                t("Nothing found for “{query}”. Try other words or fewer letters.",
                  query=view.asked), tokens), live_region=True)]
        count = t.ngettext("{n} result", "{n} results", len(view.hits)).format(
            n=len(view.hits))
        rows: list[ft.Control] = [ft.Semantics(content=body_text(count, tokens, support=True),
                                               live_region=True)]
        for hit in view.hits:
            rows.append(place_row(
                self.state, key=f"hit-{hit.kind.value}-{hit.id}", title=hit.title,
                lines=[t(KIND_WORDS[hit.kind]), hit.subtitle],
                on_click=go_to(self.nav, self.hit_url(hit))))
        return rows

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
