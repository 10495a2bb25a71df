"""Themed walking routes as the app shows them (docs/tourism-relocation.md, "guides").

Each stop may name its spot (a `spots` record id) and the stop of the bundled transit feeds that
serves it, so a screen can open the spot and plan a trip there. Bodies are read forgivingly: a stop
without a name is dropped, a leg that cannot be read is left out, an unknown theme or mode is kept
as None; a guide with no title or no stop left is skipped with one log line. Texts are picked
along services.i18n.fallback_chain."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from services.i18n import N_, fallback_chain, language
from services.store import StoredInfo

log = logging.getLogger(__name__)


class GuideTheme(StrEnum):
    city = "city"
    history = "history"
    nature = "nature"
    food = "food"
    crafts = "crafts"
    onsen = "onsen"


class LegMode(StrEnum):
    walk = "walk"
    tram = "tram"
    bus = "bus"
    train = "train"


THEME_LABELS: Mapping[GuideTheme, str] = {
    GuideTheme.city: N_("City walk"),
    GuideTheme.history: N_("History and heritage"),
    GuideTheme.nature: N_("Nature"),
    GuideTheme.food: N_("Food"),
    GuideTheme.crafts: N_("Crafts"),
    GuideTheme.onsen: N_("Hot springs"),
}
MODE_LABELS: Mapping[LegMode, str] = {
    LegMode.walk: N_("Walk"),
    LegMode.tram: N_("Tram"),
    LegMode.bus: N_("Bus"),
    LegMode.train: N_("Train"),
}


def pick_text(texts: Mapping[str, str], code: str) -> str:
    """The text in `code`, else along the fallback chain, else any text there is ("")."""
    for tag in fallback_chain(code):
        if texts.get(tag):
            return texts[tag]
    return next(iter(texts.values()), "")


@dataclass(frozen=True)
class Leg:
    """How to go on to the next stop. `mode` None: a mode this app version does not know (it
    is still a ride, not a walk)."""

    mode: LegMode | None
    minutes: int
    note: Mapping[str, str]

    def note_in(self, code: str) -> str:
        return pick_text(self.note, code)


@dataclass(frozen=True)
class GuideStop:
    name: str  # Japanese, as the place calls itself
    name_en: str | None
    spot_id: str | None  # a spots record: open its details
    lat: float | None
    lon: float | None
    stay_min: int
    note: Mapping[str, str]
    transit_stop: str | None  # a stop name of the bundled feeds: plan a trip there
    next: Leg | None

    def name_in(self, code: str) -> str:
        """Place names in kanji for Japanese readers, else the English name when there is one."""
        if language(code).is_japanese or not self.name_en:
            return self.name
        return self.name_en

    def note_in(self, code: str) -> str:
        return pick_text(self.note, code)


@dataclass(frozen=True)
class Totals:
    walk_min: int
    ride_min: int  # trams, buses, trains (and modes this version does not know)
    stay_min: int

    @property
    def moving_min(self) -> int:
        return self.walk_min + self.ride_min

    @property
    def total_min(self) -> int:
        return self.walk_min + self.ride_min + self.stay_min


@dataclass(frozen=True)
class Guide:
    id: str
    municipality: str | None
    lat: float | None  # where it starts
    lon: float | None
    title: Mapping[str, str]
    summary: Mapping[str, str]
    theme: GuideTheme | None
    duration_min: int | None  # as published (stays, legs and some slack)
    stops: tuple[GuideStop, ...]
    sample: bool

    def title_in(self, code: str) -> str:
        return pick_text(self.title, code)

    def summary_in(self, code: str) -> str:
        return pick_text(self.summary, code)

    @property
    def theme_label(self) -> str | None:
        """The theme's msgid (translate where shown)."""
        return THEME_LABELS[self.theme] if self.theme is not None else None

    @property
    def spot_ids(self) -> tuple[str, ...]:
        return tuple(s.spot_id for s in self.stops if s.spot_id)

    @property
    def totals(self) -> Totals:
        return totals(self)

    @property
    def minutes(self) -> int:
        """The published duration, else what the stops and legs add up to."""
        return self.duration_min if self.duration_min is not None else self.totals.total_min


def totals(guide: Guide) -> Totals:
    """Minutes walking, riding and staying along the guide (legs and stays as published)."""
    walk = ride = stay = 0
    for stop in guide.stops:
        stay += stop.stay_min
        if stop.next is not None:
            if stop.next.mode is LegMode.walk:
                walk += stop.next.minutes
            else:
                ride += stop.next.minutes
    return Totals(walk, ride, stay)


# --- reading bodies forgivingly -----------------------------------------------------------
class _Bad(ValueError):
    pass


E = TypeVar("E", bound=StrEnum)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _texts(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {tag: text.strip() for tag, text in value.items()
            if isinstance(tag, str) and isinstance(text, str) and text.strip()}


def _minutes(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if value >= 0 else None


def _coordinate(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _enum(kind: type[E], value: object) -> E | None:
    return kind(value) if isinstance(value, str) and value in kind._value2member_map_ else None


def _leg(raw: object) -> Leg | None:
    if not isinstance(raw, dict):
        return None
    minutes = _minutes(raw.get("minutes"))
    if minutes is None:
        return None
    return Leg(_enum(LegMode, raw.get("mode")), minutes, _texts(raw.get("note")))


def _stop(raw: object) -> GuideStop | None:
    if not isinstance(raw, dict) or not _text(raw.get("name")):
        return None
    lat, lon = _coordinate(raw.get("lat")), _coordinate(raw.get("lon"))
    if lat is None or lon is None:
        lat = lon = None
    return GuideStop(
        name=_text(raw.get("name")), name_en=_text(raw.get("name_en")) or None,
        spot_id=_text(raw.get("spot_id")) or None, lat=lat, lon=lon,
        stay_min=_minutes(raw.get("stay_min")) or 0, note=_texts(raw.get("note")),
        transit_stop=_text(raw.get("transit_stop")) or None, next=_leg(raw.get("next")))


def _guide(record: StoredInfo, body: dict[str, Any]) -> Guide:
    title = _texts(body.get("title"))
    if not title:
        raise _Bad("no title")
    raw_stops = body.get("stops")
    stops = [s for s in map(_stop, raw_stops if isinstance(raw_stops, list) else ())
             if s is not None]
    if not stops:
        raise _Bad("no stop with a name")
    if stops[-1].next is not None:  # nothing to go on to (a stop after it was dropped)
        last = stops[-1]
        stops[-1] = GuideStop(last.name, last.name_en, last.spot_id, last.lat, last.lon,
                              last.stay_min, last.note, last.transit_stop, None)
    duration = _minutes(body.get("duration_min"))
    lat, lon = record.lat, record.lon
    if lat is None or lon is None:
        lat, lon = stops[0].lat, stops[0].lon
    return Guide(
        id=record.id, municipality=record.municipality, lat=lat, lon=lon,
        title=title, summary=_texts(body.get("summary")),
        theme=_enum(GuideTheme, body.get("theme")), duration_min=duration or None,
        stops=tuple(stops), sample=body.get("sample") is not False)


def parse_guide(record: StoredInfo) -> Guide | None:
    """The record's body as a Guide; None (and one log line) when it has no title or no
    stop that can be shown."""
    try:
        return _guide(record, record.body)
    except (_Bad, TypeError, ValueError, AttributeError) as exc:
        log.warning("guide %s skipped: %s", record.id, exc)
        return None


def parse_guides(records: Iterable[StoredInfo]) -> list[Guide]:
    return [g for g in map(parse_guide, records) if g is not None]
