"""What views may ask the app to do. Implemented by the controllers in app/controllers/."""

from __future__ import annotations

from typing import Protocol

from app.commands import Command
from services.preferences import TextSize


class Navigator(Protocol):
    def go(self, route: str) -> None: ...

    def log_in_and_return(self, route: str) -> None: ...


class SettingsActions(Protocol):
    set_language: Command[[str]]
    set_text_size: Command[[TextSize]]
    set_simplified: Command[[bool]]
    set_high_contrast: Command[[bool]]


class NoticeActions(Protocol):
    refresh: Command[[]]


class LogoutAction(Protocol):
    logout: Command[[]]
    extend: Command[[]]
