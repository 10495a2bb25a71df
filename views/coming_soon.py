"""An area that is not built yet says so plainly: nothing pretends to work."""

from __future__ import annotations

from app import routes
from app.state import AppState
from views.actions import Actions
from views.areas import Area
from views.screen import Screen
from views.widgets.controls import BannerKind, ButtonKind, action_button, banner, body_text


def build_coming_soon(area: Area, state: AppState, actions: Actions) -> Screen:
    t, tokens = state.t, state.tokens
    return Screen(
        title=t(area.label),
        controls=[
            body_text(t(area.summary), tokens),
            banner(
                t("Coming soon"),
                t("This service is not available in the app yet. We will let you know in "
                  "Notices when it starts."),
                tokens,
                BannerKind.info,
            ),
            action_button(t("See notices"), lambda _e: actions.go(routes.NOTICES), tokens,
                          kind=ButtonKind.outline),
            action_button(t("Back to home"), lambda _e: actions.go(routes.HOME), tokens),
        ],
    )


def build_not_found(state: AppState, actions: Actions) -> Screen:
    t, tokens = state.t, state.tokens
    return Screen(
        title=t("Page not found"),
        controls=[
            banner(
                t("Page not found"),
                t("This address does not exist in the app. Check the address, or go back "
                  "to the home screen."),
                tokens,
                BannerKind.warning,
            ),
            action_button(t("Back to home"), lambda _e: actions.go(routes.HOME), tokens),
        ],
    )
