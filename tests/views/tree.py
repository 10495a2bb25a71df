"""Walking a Flet control tree without a page."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import flet as ft


def walk(control: object) -> Iterator[ft.BaseControl]:
    if isinstance(control, (list, tuple)):
        for item in control:
            yield from walk(item)
        return
    if not isinstance(control, ft.BaseControl):
        return
    yield control
    for f in dataclasses.fields(control):
        if f.name.startswith("_") or f.name in ("parent", "page"):
            continue
        value = getattr(control, f.name, None)
        if isinstance(value, (ft.BaseControl, list, tuple)):
            yield from walk(value)


def texts(control: object) -> list[str]:
    return [c.value for c in walk(control) if isinstance(c, ft.Text) and c.value]


def buttons(control: object) -> list[ft.Control]:
    return [c for c in walk(control) if isinstance(c, (ft.Button, ft.TextButton))]


def label_of(button: ft.Control) -> str:
    """The visible label (= accessible name) of a button: its texts, in order."""
    content = button.content
    if isinstance(content, str):
        return content
    return " ".join(texts(content))
