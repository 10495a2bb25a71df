"""What the one search finds: a kind, the id its screen opens with, and what the hit list shows.

A `Document` is what a source hands the index (the texts to search, in every language the data
has); a `Hit` is what the search answers (the title and subtitle in the resident's language).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable


class HitKind(StrEnum):
    """In this order among hits of equal score (the order of the home's areas)."""

    procedure = "procedure"
    clinic = "clinic"
    childcare = "childcare"
    shelter = "shelter"
    aed = "aed"
    consultation = "consultation"
    spot = "spot"
    guide = "guide"
    town = "town"
    programme = "programme"
    stop = "stop"
    notice = "notice"


KIND_ORDER: dict[HitKind, int] = {kind: i for i, kind in enumerate(HitKind)}
# Added to a hit's score by kind: a one-stop search answers with the place, town, procedure
# or service first, before the hundreds of facilities (shelters, AEDs, clinics) that merely
# carry the same word in their names — 「富山」 is the city before 富山高校 the shelter.
KIND_BOOST: dict[HitKind, float] = {
    HitKind.town: 8.0, HitKind.procedure: 6.0, HitKind.spot: 6.0, HitKind.guide: 5.0,
    HitKind.consultation: 5.0, HitKind.programme: 4.0, HitKind.stop: 4.0, HitKind.notice: 3.0,
    HitKind.clinic: 0.0, HitKind.childcare: 0.0, HitKind.shelter: 0.0,
    HitKind.aed: 0.0,
}


@dataclass(frozen=True)
class Document:
    """One thing to find. `id` is what its screen opens with (record id, procedure id, stop
    name...); `title` and `subtitle` are shown as they are (the resident's language); `title`
    and `texts` are searched (names, readings, translations, descriptions: any language)."""

    kind: HitKind
    id: str
    title: str
    subtitle: str
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    kind: HitKind
    id: str
    title: str
    subtitle: str
    score: float  # higher is better; only the order means something


@runtime_checkable
class Source(Protocol):
    """The documents of one kind (services/search/sources.py has one per kind)."""

    kind: HitKind

    async def version(self) -> Hashable:
        """Cheap (asked before every search); moves whenever `documents` would answer
        differently."""
        ...

    async def documents(self, language: str) -> list[Document]:
        """Every document of the kind, titles in `language`, texts in every language."""
        ...
