"""An area of the one-stop home: how its entry looks. Which areas exist, and in which order,
is the route registry's business (app/routes.py)."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft


@dataclass(frozen=True)
class Area:
    key: str
    label: str  # msgid
    summary: str  # msgid: what the area is for, shown on its screen
    icon: ft.IconData
    in_simplified: bool  # shown on the simplified home
