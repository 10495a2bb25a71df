"""Going from screen to screen. Using the app counts as activity for the idle time-out."""

from __future__ import annotations

from collections.abc import Callable

from app.state import AppState


class NavigationController:
    def __init__(self, state: AppState, navigate: Callable[[str], None],
                 activity: Callable[[], None]) -> None:
        self.state = state
        self._navigate = navigate
        self._activity = activity

    def go(self, route: str) -> None:
        self._activity()
        self.state.trips.notice = None  # a confirmation belongs to the screen it was shown on
        self._navigate(route)
