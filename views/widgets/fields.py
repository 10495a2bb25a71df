"""The DADS text input: label, support text, field, error text; sized by the tokens.

A screen makes each of its fields once and keeps it for its life (views/screen.py): Flet
copies what the resident types into that object, and the app sets `value` only when it means
to replace the text (a chosen stop, a suggested date, a cleared PIN).
"""

from __future__ import annotations

from typing import Any

import flet as ft

from app.state import AppState


def text_field(state: AppState, *, label: str, helper: str, value: str = "",
               large: bool = False, **extra: Any) -> ft.TextField:
    field = ft.TextField(value=value, label=label, helper=helper, helper_max_lines=6,
                         error_max_lines=6, border_radius=8, **extra)
    style_field(field, state, large=large)
    return field


def style_field(field: ft.TextField, state: AppState, *, large: bool = False) -> None:
    """(Re)apply the tokens' styles: the same field follows a change of text size."""
    tokens = state.tokens
    p = tokens.palette
    field.text_style = tokens.text_style("heading_3" if large else "body", p.text_strong)
    field.label_style = tokens.text_style("heading_4", p.text)
    field.helper_style = tokens.text_style("caption", p.text_support)
    field.error_style = tokens.text_style("body", p.error)
    field.border_color = p.border
    field.focused_border_color = p.focus_outline
