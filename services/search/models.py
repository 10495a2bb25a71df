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
