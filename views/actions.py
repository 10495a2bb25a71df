"""What views may ask the app to do. Implemented by the controllers in app/controllers/."""

from __future__ import annotations

from typing import Any, Protocol

from app.commands import Command
from forms.definition import Procedure
from forms.problems import Problem
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


class ApplicationActions(Protocol):
    """E-applications (app/controllers/applications.py)."""

    start: Command[[str]]
    check: Command[[]]
    sign: Command[[str]]
    pay: Command[[str]]
    submit: Command[[]]
    refresh: Command[[]]
    withdraw: Command[[str]]
    correct: Command[[]]
    discard: Command[[str]]
    dismiss: Command[[str]]
    receipt: Command[[str]]
    attach: Command[[str]]
    log_out_anyway: Command[[]]

    def detach(self, attachment_id: str) -> None: ...

    def procedure(self, procedure_id: str) -> Procedure | None: ...

    def search(self, query: str) -> None: ...

    def value(self, path: tuple[str | int, ...]) -> Any: ...

    def set_value(self, path: tuple[str | int, ...], value: Any) -> None: ...

    def leave_field(self, field_id: str) -> None: ...

    def add_item(self, group_id: str) -> None: ...

    def remove_item(self, group_id: str, index: int) -> None: ...

    def problems_of(self, path: tuple[str | int, ...]) -> list[Problem]: ...
