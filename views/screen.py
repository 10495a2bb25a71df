"""What every screen is: built once when its view opens, then redrawn part by part.

A screen's body is made of plain controls that never change, controls it keeps (text fields:
what a person types must never be overwritten by a redraw) and regions. A region is a column
whose children are rebuilt from the state when one of its topics changes; the shell then
updates that column alone. So typing a letter redraws the suggestions under the field, not the
screen, and the field keeps its text, caret and focus.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import flet as ft

from app.state import AppState, Topic


class Region:
    def __init__(self, topics: Iterable[Topic], build: Callable[[], list[ft.Control]],
                 spacing: float) -> None:
        self.topics = frozenset(topics)
        self._build = build
        self.control = ft.Column(spacing=spacing, tight=True)
        self.rebuild()

    def rebuild(self) -> ft.Control:
        children = self._build()
        self.control.controls = children
        # An empty region takes no room (a zero-height child would still get the spacing).
        self.control.visible = bool(children)
        return self.control


class Screen:
    """Subclasses set `title` and build their body in `build()`, using `region()` for every
    part that follows the state, and react to other topics in `on_change()`. A title that
    follows the state (a record's name, read after the screen opened) names its topics in
    `title_topics`: the shell redraws the app bar's title when they change."""

    title_topics: frozenset[Topic] = frozenset()

    def __init__(self, state: AppState) -> None:
        self.state = state
        self._regions: list[Region] = []
        self._body: list[ft.Control] | None = None

    @property
    def title(self) -> str:
        raise NotImplementedError

    def build(self) -> list[ft.Control]:
        raise NotImplementedError

    @property
    def controls(self) -> list[ft.Control]:
        """The body, built on first use and kept: the shell shows these same objects."""
        if self._body is None:
            self._body = self.build()
        return self._body

    def region(self, topics: Iterable[Topic], build: Callable[[], list[ft.Control]]) -> ft.Control:
        found = Region(topics, build, self.state.tokens.space(5))
        self._regions.append(found)
        return found.control

    def on_change(self, topics: frozenset[Topic]) -> list[ft.Control]:
        """Redraw what these topics touch; answers the controls the shell must update."""
        return [region.rebuild() for region in self._regions if region.topics & topics]
