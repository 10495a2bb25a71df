"""Settings: language, text size, simplified mode, high contrast. Applied at once and saved."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.paths import RoutePath
from app.state import AppState
from services.i18n import selectable_languages
from services.preferences import TextSize
from views.actions import Navigator, SettingsActions
from views.screen import Screen
from views.widgets.controls import ButtonKind, action_button, body_text, choice_list, heading


def _switch(label: str, help_text: str, value: bool,
            on_change: Callable[[bool], Awaitable[object]], state: AppState,
            key: str) -> ft.Control:
    tokens = state.tokens

    async def changed(e: ft.Event) -> None:
        await on_change(bool(e.control.value))

    return ft.Column(
        [
            ft.Switch(
                label=label,
                value=value,
                on_change=changed,
                label_text_style=tokens.text_style("heading_4", tokens.palette.text_strong),
                active_color=tokens.palette.primary,
                inactive_track_color=tokens.palette.background,
                track_outline_color=tokens.palette.border,
                scale=max(1.0, tokens.scale * 0.9),
                key=key,
            ),
            body_text(help_text, tokens, support=True),
        ],
        spacing=tokens.space(1),
    )


class SettingsScreen(Screen):
    """Every change here changes the look, which redraws every screen: no regions needed."""

    def __init__(self, state: AppState, actions: SettingsActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav

    @property
    def title(self) -> str:
        return self.state.t("Settings")

    def build(self) -> list[ft.Control]:
        state, actions = self.state, self.actions
        t, tokens, prefs = state.t, state.tokens, state.preferences
        sizes = [
            (TextSize.standard.value, t("Standard")),
            (TextSize.large.value, t("Large")),
            (TextSize.extra_large.value, t("Extra large")),
        ]

        async def choose_size(value: str) -> None:
            await actions.set_text_size(TextSize(value))

        async def choose_language(code: str) -> None:
            await actions.set_language(code)

        return [
            # Language names are always shown in their own language, so anyone finds theirs.
            heading(t("Language") + (" / Language" if t.code != "en" else ""), tokens, 2),
            choice_list(
                [(lang.code, lang.native_name) for lang in selectable_languages()],
                prefs.language, choose_language, tokens,
            ),
            heading(t("Text size"), tokens, 2),
            choice_list(sizes, prefs.text_size.value, choose_size, tokens),
            heading(t("Display"), tokens, 2),
            _switch(t("Simplified mode"),
                    t("Fewer items, very large text and stronger contrast."),
                    prefs.simplified, actions.set_simplified, state, "switch-simplified"),
            _switch(t("High contrast"), t("Black text and borders for the highest contrast."),
                    prefs.high_contrast, actions.set_high_contrast, state, "switch-contrast"),
            heading(t("About"), tokens, 2),
            action_button(t("About this app and its data"),
                          lambda _e: self.nav.go(RoutePath.about), tokens,
                          kind=ButtonKind.outline, icon=ft.Icons.INFO_OUTLINE, key="about"),
        ]
