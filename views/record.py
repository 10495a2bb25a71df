"""The shape every public record's details screen shares: the record is read from the device's
store after the screen opens (app/controllers/info.py `open`), so the screen draws "loading",
then the record, or says plainly that it is gone."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar, cast

import flet as ft

from app.state import AppState, Topic
from views.actions import Navigator
from views.screen import Screen
from views.widgets.controls import BannerKind, banner, body_text

R = TypeVar("R")


class RecordScreen(Screen, Generic[R]):
    """Subclasses set `record_type` and `fallback_title` (a msgid) and draw `details`."""

    record_type: ClassVar[type]  # R itself, for the check at run time
    fallback_title: ClassVar[str]
    topics: ClassVar[tuple[Topic, ...]] = (Topic.place,)
    title_topics = frozenset({Topic.place})

    def __init__(self, state: AppState, nav: Navigator) -> None:
        super().__init__(state)
        self.nav = nav

    @property
    def record(self) -> R | None:
        """The record on show, when it is of this screen's kind."""
        found = self.state.place.record
        return cast(R, found) if isinstance(found, self.record_type) else None

    @property
    def title(self) -> str:
        found = self.state.place.record
        if found is not None and isinstance(found, self.record_type):
            return found.name
        return self.state.t(self.fallback_title)

    def build(self) -> list[ft.Control]:
        return [self.region(self.topics, self._draw)]

    def _draw(self) -> list[ft.Control]:
        t, tokens, place = self.state.t, self.state.tokens, self.state.place
        record = self.record
        if record is not None:
            return self.details(record)
        if not place.loaded:
            return [body_text(t("Loading…"), tokens, support=True)]
        return [banner(t("This place is not in the list any more"),
                       t("Please go back and search again."), tokens, BannerKind.warning)]

    def details(self, record: R) -> list[ft.Control]:
        raise NotImplementedError
