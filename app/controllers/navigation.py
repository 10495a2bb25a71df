"""Going from screen to screen. Using the app counts as activity for the idle time-out."""

from __future__ import annotations

from collections.abc import Callable

from app.paths import RoutePath
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
        self.state.auth.farewell = None  # said once, on the home it was shown on
        self._navigate(route)

    def log_in_and_return(self, route: str) -> None:
        """Login first, then back to `route` (the screen that needs a logged-in resident)."""
        self.state.auth.return_to = route
        self.go(RoutePath.login)
