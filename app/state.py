"""Observable state of ONE session (one browser tab or one device). Never module-global.

Views read it; the controller changes it through the methods here, which notify subscribers
(the shell re-renders). Testable without any UI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from app.theme import Tokens
from services.i18n import Translator
from services.models import Notice
from services.preferences import Preferences


@dataclass
class NoticesState:
    items: list[Notice] = field(default_factory=list)
    last_updated: datetime | None = None
    offline: bool = False
    refreshing: bool = False
    loaded: bool = False


class AppState:
    def __init__(self, preferences: Preferences | None = None) -> None:
        self._preferences = preferences or Preferences()
        self._translator = Translator(self._preferences.language)
        self._tokens = Tokens.from_preferences(self._preferences)
        self.wide = False
        self.notices = NoticesState()
        self._listeners: list[Callable[[], None]] = []

    # --- observation --------------------------------------------------------------------
    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    # --- derived ------------------------------------------------------------------------
    @property
    def preferences(self) -> Preferences:
        return self._preferences

    @property
    def t(self) -> Translator:
        return self._translator

    @property
    def tokens(self) -> Tokens:
        return self._tokens

    # --- mutations ----------------------------------------------------------------------
    def set_preferences(self, preferences: Preferences) -> None:
        if preferences == self._preferences:
            return
        if preferences.language != self._preferences.language:
            self._translator = Translator(preferences.language)
        self._preferences = preferences
        self._tokens = Tokens.from_preferences(preferences)
        self.notify()

    def set_wide(self, wide: bool) -> None:
        if wide != self.wide:
            self.wide = wide
            self.notify()

    def set_notices(
        self, items: list[Notice], *, last_updated: datetime | None, offline: bool
    ) -> None:
        self.notices = NoticesState(
            items=items, last_updated=last_updated, offline=offline, loaded=True
        )
        self.notify()

    def set_refreshing(self, refreshing: bool) -> None:
        self.notices.refreshing = refreshing
        self.notify()
