"""One control per kind of form field, from its definition (forms/definition.py).

Each field is labelled with its translated label (its accessible name), says when it is
required, shows its help under it and, once the resident has left it, the problem with its
value in words that say how to fix it. Text fields are made when the form is built and are
never given a value afterwards: what a person types stays theirs.

They carry no `key`: when the form's items are redrawn (a child added), Flet reconciles new
controls that share an old one's key as "frozen" copies, and a frozen field can no longer
be given its error text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import flet as ft

from app.state import AppState
from forms.definition import DateBound, FieldType, FormField
from views.widgets.fields import text_field

Path = tuple[str | int, ...]

KEYBOARDS = {
    FieldType.phone: ft.KeyboardType.PHONE,
    FieldType.number: ft.KeyboardType.NUMBER,
    FieldType.email: ft.KeyboardType.EMAIL,
    FieldType.date: ft.KeyboardType.DATETIME,
    FieldType.postal_code: ft.KeyboardType.NUMBER,
    FieldType.digits: ft.KeyboardType.NUMBER,
}
HINTS = {  # an example in the format the check accepts (help from the definition comes first)
    FieldType.date: "2026-04-01",
    FieldType.postal_code: "930-0094",
    FieldType.phone: "076-444-3300",
    FieldType.kana: "トヤマ ハナコ",
    FieldType.email: "name@example.jp",
}


WRAPPING = (FieldType.text, FieldType.kana, FieldType.email)
# Up to this many options every one is shown (radio buttons: nothing hidden in a menu, easy
# to read aloud); longer lists (Tokyo's 23 wards) are a dropdown.
RADIO_LIMIT = 10


def _example(field: FormField) -> str:
    if field.type is FieldType.date and field.bound is DateBound.past:
        return "1980-04-01"  # a birth date, not a day to come
    return HINTS[field.type]


@dataclass
class FieldView:
    path: Path
    control: ft.Control
    show_error: Callable[[str | None], list[ft.Control]]  # -> the controls to send


def required(text: str, state: AppState) -> str:
    """'Name (required)' / '氏名（必須）': the marker's place and spacing are the language's."""
    return state.t("{label} (required)", label=text)


def label_of(field: FormField, state: AppState) -> str:
    label = state.t(field.label)
    return required(label, state) if field.required else label


def field_view(field: FormField, path: Path, value: Any, state: AppState,
               on_value: Callable[[Path, Any], None],
               on_leave: Callable[[str], None]) -> FieldView:
    if field.type is FieldType.choice:
        return _choice(field, path, value, state, on_value)
    if field.type is FieldType.consent:
        return _consent(field, path, value, state, on_value)
    return _text(field, path, value, state, on_value, on_leave)


def _text(field: FormField, path: Path, value: Any, state: AppState,
          on_value: Callable[[Path, Any], None], on_leave: Callable[[str], None]) -> FieldView:
    t = state.t
    helper = " ".join(part for part in (
        t(field.help) if field.help else "",
        # The definition's help usually gives an example already; else one of the format.
        t("Example: {example}", example=_example(field))
        if field.type in HINTS and not field.help else "",
        t("{min} to {max}", min=field.min, max=field.max)
        if field.type is FieldType.number and field.min is not None and field.max is not None
        else "") if part)
    control = text_field(
        state, label=label_of(field, state), helper=helper,
        value="" if value is None else str(value),
        keyboard_type=KEYBOARDS.get(field.type, ft.KeyboardType.TEXT),
        # Names and addresses wrap instead of scrolling out of sight at 200 % text (a line
        # break typed into a one-line item is dropped by normalize()).
        multiline=field.type in WRAPPING, min_lines=3 if field.multiline else 1,
        on_change=lambda e: on_value(path, e.control.value or ""),
        on_blur=lambda _e: on_leave(str(path[0])))

    def show_error(message: str | None) -> list[ft.Control]:
        if control.error == message:
            return []
        control.error = message
        return [control]

    return FieldView(path, _row(control), show_error)


def error_line(state: AppState, path: Path) -> FieldView:
    """A line for a problem that belongs to no single input (a group, an attachment)."""
    error = _error_text(state)
    return FieldView(path, error, _with_error(error))


def _error_text(state: AppState) -> ft.Text:
    return ft.Text("", visible=False,
                   style=state.tokens.text_style("body", state.tokens.palette.error))


def _with_error(error: ft.Text) -> Callable[[str | None], list[ft.Control]]:
    def show_error(message: str | None) -> list[ft.Control]:
        if (error.value or None) == message:
            return []
        error.value, error.visible = message or "", bool(message)
        return [error]
    return show_error


def _choice(field: FormField, path: Path, value: Any, state: AppState,
            on_value: Callable[[Path, Any], None]) -> FieldView:
    t, tokens = state.t, state.tokens
    error = _error_text(state)
    label = ft.Text(label_of(field, state),
                    style=tokens.text_style("heading_4", tokens.palette.text))
    help_text = [ft.Text(t(field.help), style=tokens.text_style(
        "caption", tokens.palette.text_support))] if field.help else []
    chooser: ft.Control
    if len(field.options) <= RADIO_LIMIT:
        chooser = ft.RadioGroup(
            value=value if isinstance(value, str) else None,
            on_change=lambda e: on_value(path, e.control.value),
            content=ft.Column([ft.Radio(
                value=o.value, label=t(o.label),
                label_style=tokens.text_style("body", tokens.palette.text))
                for o in field.options], spacing=0, tight=True))
    else:
        chooser = ft.Dropdown(
            value=value if isinstance(value, str) else None,
            label=label_of(field, state), expand=True,
            text_style=tokens.text_style("body", tokens.palette.text_strong),
            options=[ft.DropdownOption(key=o.value, text=t(o.label)) for o in field.options],
            on_select=lambda e: on_value(path, e.control.value))
        label = ft.Text("", visible=False)  # the dropdown carries its label
    column = ft.Column([label, *help_text, chooser, error], spacing=tokens.space(1), tight=True)
    return FieldView(path, column, _with_error(error))


def _consent(field: FormField, path: Path, value: Any, state: AppState,
             on_value: Callable[[Path, Any], None]) -> FieldView:
    tokens = state.tokens
    error = _error_text(state)
    box = ft.Checkbox(
        label=label_of(field, state), value=value is True,
        label_style=tokens.text_style("body", tokens.palette.text),
        on_change=lambda e: on_value(path, bool(e.control.value)))
    help_text = [ft.Text(state.t(field.help), style=tokens.text_style(
        "caption", tokens.palette.text_support))] if field.help else []
    return FieldView(path, ft.Column([box, *help_text, error], spacing=tokens.space(1),
                                     tight=True), _with_error(error))


def _row(control: ft.Control) -> ft.Control:
    control.expand = True
    return ft.Row([control])
