"""Notices (お知らせ): the list, with how fresh it is, and one notice in full."""

from __future__ import annotations

import flet as ft

from app.paths import RoutePath, build
from app.state import AppState, Topic
from services.i18n import N_
from services.models import Notice, NoticeCategory
from views.actions import Navigator, NoticeActions
from views.screen import Screen
from views.widgets.controls import (
    BannerKind,
    ButtonKind,
    action_button,
    banner,
    body_text,
    full_width,
    heading,
)

CATEGORY_LABELS = {
    NoticeCategory.disaster: N_("Disaster prevention"),
    NoticeCategory.health: N_("Health"),
    NoticeCategory.childcare: N_("Childcare"),
    NoticeCategory.transport: N_("Transport"),
    NoticeCategory.procedures: N_("Procedures"),
    NoticeCategory.events: N_("Events"),
    NoticeCategory.general: N_("General"),
}


def freshness_text(state: AppState) -> str:
    t, notices = state.t, state.notices
    if notices.last_updated is None:
        return t("Not updated yet")
    when = t.datetime(notices.last_updated, "medium")
    if notices.offline:
        return t("Offline — last updated {when}", when=when)
    return t("Last updated {when}", when=when)


def ordered_for(state: AppState) -> list[Notice]:
    """A logged-in resident sees their own town's notices first, then the prefecture's."""
    town = state.auth.municipality
    items = state.notices.items
    if not town:
        return items
    return sorted(items, key=lambda n: (n.municipality != town, n.municipality is not None))


def _notice_row(notice: Notice, state: AppState, nav: Navigator) -> ft.Control:
    t, tokens = state.t, state.tokens
    p = tokens.palette
    meta = f"{t.date(notice.published_at)} ・ {t(CATEGORY_LABELS[notice.category])}"
    if notice.municipality:
        meta += f" ・ {notice.municipality}"
    return full_width(ft.Button(
        content=ft.Column(
            [
                ft.Text(meta, style=tokens.text_style("body", p.text_support)),
                ft.Text(notice.title, style=tokens.text_style("heading_4", p.primary)),
            ],
            spacing=tokens.space(1),
            tight=True,
        ),
        on_click=lambda _e: nav.go(build(RoutePath.notice, id=notice.id)),
        style=tokens.tile_button_style(start=True),
        key=f"notice-{notice.id}",
    ))


class NoticesScreen(Screen):
    def __init__(self, state: AppState, nav: Navigator, actions: NoticeActions) -> None:
        super().__init__(state)
        self.nav, self.actions = nav, actions

    @property
    def title(self) -> str:
        return self.state.t("Notices")

    def build(self) -> list[ft.Control]:
        return [self.region([Topic.notices, Topic.auth], self._list)]

    def _list(self) -> list[ft.Control]:
        state = self.state
        t, tokens, notices = state.t, state.tokens, state.notices
        controls: list[ft.Control] = []
        if notices.offline:
            controls.append(banner(
                freshness_text(state),
                t("You are offline. These are the notices saved on this device."),
                tokens, BannerKind.warning))
        else:
            controls.append(ft.Semantics(
                content=body_text(freshness_text(state), tokens, support=True),
                live_region=True))

        async def refresh(_e: ft.Event) -> None:
            await self.actions.refresh()

        refreshing = self.actions.refresh.running
        controls.append(action_button(
            t("Updating…") if refreshing else t("Refresh"), None if refreshing else refresh,
            tokens, kind=ButtonKind.outline, icon=ft.Icons.REFRESH))
        if notices.items:
            controls.extend(_notice_row(n, state, self.nav) for n in ordered_for(state))
        elif notices.loaded:
            controls.append(body_text(
                t("No notices saved yet. Connect to the internet and choose Refresh."), tokens))
        return controls


class NoticeScreen(Screen):
    def __init__(self, state: AppState, nav: Navigator, notice_id: int) -> None:
        super().__init__(state)
        self.nav, self.notice_id = nav, notice_id

    @property
    def title(self) -> str:
        return self.state.t("Notices")

    def build(self) -> list[ft.Control]:
        return [self.region([Topic.notices], self._notice)]

    def _notice(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        notice = next((n for n in self.state.notices.items if n.id == self.notice_id), None)
        if notice is None:
            if not self.state.notices.loaded:
                return []  # not read from the device yet: a moment, not "withdrawn"
            return [
                banner(t("This notice is not available"),
                       t("It may have been withdrawn. Go back to the list of notices."),
                       tokens, BannerKind.warning),
                action_button(t("All notices"), lambda _e: self.nav.go(RoutePath.notices),
                              tokens),
            ]
        meta = f"{t.date(notice.published_at)} ・ {t(CATEGORY_LABELS[notice.category])}"
        controls: list[ft.Control] = [
            heading(notice.title, tokens),
            body_text(meta, tokens, support=True),
            # Not selectable: Flutter web exposes selectable text to screen readers as an
            # empty text field, so the body would be silent.
            body_text(notice.body, tokens),
        ]
        if notice.lang != t.code and not (t.code == "ja-easy" and notice.lang == "ja"):
            controls.insert(1, body_text(t("This notice is not available in your language "
                                           "yet."), tokens, support=True))
        return controls
