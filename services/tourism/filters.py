"""Which spots a visitor wants: a query, a language, barrier-free access, free entry, open at a
moment, a municipality, a category; nearest first or by name.

Decisions (the screens explain them in these words):
- Query: the medical search's (services/info/search.py) over name, published reading, English
  name, address and category: kana, romaji, English names and one typo work (「とやまじょう」,
  "toyamajo", "Toyama Castle", "toyamjo" all find 富山城).
- Language: a spot matches when it lists the tag, or the language the tag belongs to ("zh"
  serves zh-Hans and zh-Hant readers, "pt" serves pt-BR), or a script or region of the asked
  language (asking "zh" finds spots listing zh-Hant). Japanese ("ja") is every spot's language:
  the published 対応言語 lists the support for visitors, and an empty list does not mean no
  Japanese. Easy Japanese ("ja-easy") is a support of its own: only spots that list it.
- Barrier-free: the published 車椅子対応 is `yes` or `partial` (some areas or routes: the spot
  says which in its barrier-free text). Spots that do not publish it are not kept.
- Free entry: the basic fee is 0 yen (a fee that is not one plain amount is not free).
- Open at: the hours cover the moment (services/info/hours.open_at: public holidays use the
  `hol` slots only; slots past midnight cover the next morning). A spot without hours whose
  note says it can be visited freely or at any time (「見学自由」「入園自由」「24時間」「終日」)
  counts as open; one without hours and without such a note is not kept (unknown).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, NamedTuple, TypeVar

from services.info import hours
from services.info.search import SearchIndex, SearchText
from services.tourism.models import Spot, Wheelchair
from services.transit.geo import distance_m
from services.transit.kana import canonical_japanese

T = TypeVar("T")
DEFAULT_LIMIT = 50
_ALWAYS_OPEN = re.compile(r"自由|24時間|終日|常時")
ACCESSIBLE = frozenset({Wheelchair.yes, Wheelchair.partial})


class Found(NamedTuple, Generic[T]):
    """A spot and its distance from where the visitor is (None without one), like
    services.info.service.Found (whose type variable covers the info datasets only)."""

    item: T
    distance_m: float | None


@dataclass(frozen=True)
class SpotFilter:
    query: str = ""
    language: str | None = None  # a language tag ("en", "zh-Hant"); None: any
    barrier_free: bool = False
    free_entry: bool = False
    open_at: datetime | None = None
    municipality: str | None = None  # 6-digit code
    category: str | None = None  # as published (「公園」)

    def keeps(self, spot: Spot) -> bool:
        """Everything but the query (the index answers that)."""
        return ((self.language is None or supports(spot, self.language))
                and (not self.barrier_free or spot.wheelchair in ACCESSIBLE)
                and (not self.free_entry or spot.free_entry)
                and (self.open_at is None or is_open(spot, self.open_at))
                and (self.municipality is None or spot.municipality == self.municipality)
                and (self.category is None or spot.category == self.category))


def _language_of(tag: str) -> str:
    return tag.split("-", 1)[0]


def supports(spot: Spot, tag: str) -> bool:
    """Does the spot support language `tag`? (The rules are in the module's docstring.)"""
    if tag == "ja":
        return True
    if tag == "ja-easy":
        return "ja-easy" in spot.support_languages
    return any(listed == tag or listed == _language_of(tag) or _language_of(listed) == tag
               for listed in spot.support_languages if listed != "ja-easy")


def always_open(spot: Spot) -> bool:
    """No hours published and a note saying it can be visited freely or at any time."""
    return not spot.hours and bool(_ALWAYS_OPEN.search(spot.hours_note))


def is_open(spot: Spot, moment: datetime) -> bool:
    return always_open(spot) or hours.open_at(spot.hours, (), moment)


def search_text(spot: Spot) -> SearchText:
    return SearchText(spot.name, spot.name_kana, spot.name_en,
                      f"{spot.address} {spot.category}".strip())


class SpotIndex:
    """The spots of one snapshot of the dataset: by id, and searchable (the search index is
    built on first use: pykakasi readings cost a little)."""

    def __init__(self, spots: Sequence[Spot]) -> None:
        self.spots = list(spots)
        self.by_id = {spot.id: spot for spot in self.spots}
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()

    def search_index(self) -> SearchIndex:
        with self._lock:
            if self._index is None:
                self._index = SearchIndex([search_text(s) for s in self.spots])
            return self._index

    def categories(self) -> list[str]:
        """The published categories, the most common first (then by name)."""
        counts: dict[str, int] = {}
        for spot in self.spots:
            if spot.category:
                counts[spot.category] = counts.get(spot.category, 0) + 1
        return sorted(counts, key=lambda c: (-counts[c], c))

    def find(self, spot_filter: SpotFilter, near: tuple[float, float] | None = None,
             limit: int = DEFAULT_LIMIT) -> list[Found[Spot]]:
        """Spots the filter keeps: those matching the query as typed before those that needed
        a typo forgiven; then nearest first from `near`, else by name reading."""
        index: SearchIndex | None = None
        ranked: Sequence[tuple[int, bool]] | None = None
        if spot_filter.query.strip():
            index = self.search_index()
            ranked = index.ranked(spot_filter.query)
        if ranked is None:
            ranked = [(i, False) for i in range(len(self.spots))]
        rows: list[tuple[tuple[bool, float, str, str], Found[Spot]]] = []
        for position, typo in ranked:
            spot = self.spots[position]
            if not spot_filter.keeps(spot):
                continue
            metres = None
            if near is not None and spot.lat is not None and spot.lon is not None:
                metres = distance_m(near[0], near[1], spot.lat, spot.lon)
            reading = (index.reading(position) if index is not None
                       else canonical_japanese(spot.name_kana or spot.name))
            order = (typo, metres if metres is not None else float("inf"), reading, spot.id)
            rows.append((order, Found(spot, metres)))
        rows.sort(key=lambda row: row[0])
        return [found for _order, found in rows[:limit]]
