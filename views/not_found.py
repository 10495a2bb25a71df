"""A path the app does not have says so plainly."""

from __future__ import annotations

import flet as ft

from app.paths import RoutePath
from app.state import AppState
from views.actions import Navigator
from views.screen import Screen
from views.widgets.controls import BannerKind, action_button, banner


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
