"""Text fields that keep their identity across redraws.

The shell redraws a screen from the session state whenever something changes (a search
result, a background refresh). Flet copies what the resident types into the field's Python
object; a brand-new field object in every redraw would carry an older value and overwrite what
is being typed. So each field is made once per session and reused: its labels, errors and
styles follow the state, but its text changes only when the app itself changes it (a chosen
stop, a suggested date, a cleared PIN), which the caller signals by a new `revision`.
"""

from __future__ import annotations

from typing import Any

import flet as ft


class FieldKeeper:
    """One per session (held by its AppState): the text fields of that session's screens."""

    def __init__(self) -> None:
        self._fields: dict[str, tuple[int, ft.TextField]] = {}

    def text_field(self, key: str, *, revision: int, value: str, **props: Any) -> ft.TextField:
        kept = self._fields.get(key)
        if kept is not None and kept[0] == revision:
            field = kept[1]
            for name, prop in props.items():
                setattr(field, name, prop)
            return field
        field = ft.TextField(key=key, value=value, **props)
        self._fields[key] = (revision, field)
        return field
