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
from views.widgets.controls import choice_list
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
        # Flet's Dropdown has no accessible name in the web client: a screen reader user
        # could not pick. A labelled expansion of large buttons instead, redrawn in place.
        chooser = _long_choice(field, path, value, state, on_value)
        label = ft.Text("", visible=False)  # the expansion's title carries the label
    column = ft.Column([label, *help_text, chooser, error], spacing=tokens.space(1), tight=True)
    return FieldView(path, column, _with_error(error))


def _long_choice(field: FormField, path: Path, value: Any, state: AppState,
                 on_value: Callable[[Path, Any], None]) -> ft.ExpansionTile:
    """Many choices: "Label: choice" that opens to every choice as a large button."""
    t, tokens = state.t, state.tokens
    options = [(o.value, t(o.label)) for o in field.options]
    title = ft.Text("", style=tokens.text_style("heading_4", tokens.palette.text_strong))
    tile = ft.ExpansionTile(title=title, controls=[], tile_padding=ft.Padding.all(0),
                            expanded_alignment=ft.Alignment.TOP_LEFT,
                            icon_color=tokens.palette.primary,
                            collapsed_icon_color=tokens.palette.primary)

    async def pick(chosen: str) -> None:
        on_value(path, chosen)
        show(chosen)
        tile.update()

    def show(chosen: str | None) -> None:
        shown = dict(options).get(chosen or "") or t("Not chosen")
        title.value = f"{label_of(field, state)}: {shown}"
        tile.controls = [choice_list(options, chosen or "", pick, tokens)]

    show(value if isinstance(value, str) else None)
    return tile


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
