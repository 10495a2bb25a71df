"""What a view builder returns: a title for the app bar and the body controls."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft


@dataclass
class Screen:
    title: str
    controls: list[ft.Control]
