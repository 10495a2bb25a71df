"""An area that is not built yet says so plainly: nothing pretends to work."""

from __future__ import annotations

import flet as ft

from app.paths import RoutePath
from app.state import AppState
from views.actions import Navigator
from views.areas import Area
from views.screen import Screen
from views.widgets.controls import BannerKind, ButtonKind, action_button, banner, body_text


class ComingSoonScreen(Screen):
    def __init__(self, state: AppState, nav: Navigator, area: Area) -> None:
        super().__init__(state)
        self.nav, self.area = nav, area

    @property
    def title(self) -> str:
        return self.state.t(self.area.label)

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            body_text(t(self.area.summary), tokens),
            banner(
                t("Coming soon"),
                t("This service is not available in the app yet. We will let you know in "
                  "Notices when it starts."),
                tokens,
                BannerKind.info,
            ),
            action_button(t("See notices"), lambda _e: self.nav.go(RoutePath.notices), tokens,
                          kind=ButtonKind.outline),
            action_button(t("Back to home"), lambda _e: self.nav.go(RoutePath.home), tokens),
        ]


class NotFoundScreen(Screen):
    def __init__(self, state: AppState, nav: Navigator) -> None:
        super().__init__(state)
        self.nav = nav

    @property
    def title(self) -> str:
        return self.state.t("Page not found")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            banner(
                t("Page not found"),
                t("This address does not exist in the app. Check the address, or go back "
                  "to the home screen."),
                tokens,
                BannerKind.warning,
            ),
            action_button(t("Back to home"), lambda _e: self.nav.go(RoutePath.home), tokens),
        ]
