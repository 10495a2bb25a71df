"""Crowd levels of a tourist spot by hour, and quieter places and hours (the server's
GET /v1/tourism/crowds/{spot}, docs/tourism-crowds.md), kept on the device to show offline.

Answers are read forgivingly: a basis or an hour's source this app does not know reads as
`other` (the server may add ways of estimating), an hour or an alternative with an unknown level
is left out. An answer without its spot, date or hours (or a quieter answer without its level)
is not an answer (ValueError; the API client says BadResponse).

The last answer per (spot, date) — and per (spot, date, hour) for quieter places — is kept in
the local store (public data: the `cached_answer` table) with when it was fetched. Read back it
is marked `offline`, and its `now` is taken again from the hours at the current hour (the
server's `now` was for the moment it answered). Answers fetched more than KEEP_DAYS ago go when
a new one is kept.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from services.i18n import JAPAN_TZ, N_
from services.store import LocalStore

log = logging.getLogger(__name__)
KEEP_DAYS = 30
SPOT_ID = re.compile(r"[0-9A-Za-z_-]{1,80}")  # as the server's route accepts it


class CrowdLevel(StrEnum):
    quiet = "quiet"  # 空いています
    moderate = "moderate"  # やや混雑
    busy = "busy"  # 混雑


LEVEL_LABELS: dict[CrowdLevel, str] = {
    CrowdLevel.quiet: N_("Quiet"),
    CrowdLevel.moderate: N_("Somewhat crowded"),
    CrowdLevel.busy: N_("Crowded"),
}
_ORDER = tuple(CrowdLevel)


class CrowdBasis(StrEnum):
    """What a day's levels (or one hour's) rest on."""

    survey_estimate = "survey-estimate"  # the real tourism survey, with a typical day's profile
    sensor = "sensor"  # occupancy measured that day
    sensor_history = "sensor-history"  # past sensor readings of the spot
    other = "other"  # a basis this app does not know yet: still an estimate


BASIS_LABELS: dict[CrowdBasis, str] = {
    CrowdBasis.survey_estimate: N_("Estimated from a visitor survey"),
    CrowdBasis.sensor: N_("Measured by sensors"),
    CrowdBasis.sensor_history: N_("Estimated from past sensor readings"),
    CrowdBasis.other: N_("Estimated"),
}


class CacheKind(StrEnum):
    """The store's `cached_answer` kinds kept here."""

    crowds = "tourism.crowds"
    quieter = "tourism.quieter"


def quieter_than(level: CrowdLevel, other: CrowdLevel) -> bool:
    return _ORDER.index(level) < _ORDER.index(other)


@dataclass(frozen=True)
class HourCrowd:
    hour: int  # 0..23, Japan time
    level: CrowdLevel
    index: float  # 0..1, relative to the spot's busiest (or the measured occupancy)
    measured: bool  # a sensor reading of that hour, not an estimate
    source: CrowdBasis | None = None  # when the server says, per hour


@dataclass(frozen=True)
class DayCrowds:
    spot_id: str
    date: date
    basis: CrowdBasis
    hours: tuple[HourCrowd, ...]  # by hour; hours nobody is expected are left out
    now: HourCrowd | None  # only when `date` is today (Japan time)
    fetched_at: datetime  # aware
    offline: bool = False  # the copy kept on the device: the server could not be asked

    def at(self, hour: int) -> HourCrowd:
        """The level at `hour`; an hour outside the list is quiet (nobody expected)."""
        return next((h for h in self.hours if h.hour == hour),
                    HourCrowd(hour, CrowdLevel.quiet, 0.0, False))

    @property
    def measured(self) -> bool:
        return any(h.measured for h in self.hours)


@dataclass(frozen=True)
class Alternative:
    spot_id: str
    name: str  # as published (Japanese): the spots dataset has the other names
    distance_km: float
    level: CrowdLevel


@dataclass(frozen=True)
class Quieter:
    spot_id: str
    date: date
    hour: int  # the hour compared (the one asked; else now when today; else the usual peak)
    level: CrowdLevel  # this spot's level then
    alternatives: tuple[Alternative, ...]  # quieter spots nearby, nearest first
    quieter_hours: tuple[int, ...]  # this spot's hours with a lower level
    fetched_at: datetime
    offline: bool = False
    radius_km: float | None = None  # how far "nearby" reaches, when the server says


# --- reading answers forgivingly ------------------------------------------------------------
def _required(body: Mapping[str, Any], key: str) -> Any:
    if key not in body or body[key] is None:
        raise ValueError(f"{key} missing")
    return body[key]


def _number(value: object, default: float = 0.0) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default


def _hour(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 23:
        return value
    return None


def _level(value: object) -> CrowdLevel | None:
    if isinstance(value, str) and value in CrowdLevel._value2member_map_:
        return CrowdLevel(value)
    return None


def _basis(value: object) -> CrowdBasis:
    if isinstance(value, str) and value in CrowdBasis._value2member_map_:
        return CrowdBasis(value)
    return CrowdBasis.other


def _spot_id(body: Mapping[str, Any]) -> str:
    value = _required(body, "spot_id")
    if not isinstance(value, str) or not SPOT_ID.fullmatch(value):
        raise ValueError("spot_id is not a spot id")
    return value


def _date(body: Mapping[str, Any]) -> date:
    return date.fromisoformat(str(_required(body, "date")))


def _hour_crowd(raw: object) -> HourCrowd | None:
    if not isinstance(raw, dict):
        return None
    hour, level = _hour(raw.get("hour")), _level(raw.get("level"))
    if hour is None or level is None:
        return None
    source = raw.get("source")
    return HourCrowd(hour, level, _number(raw.get("index")), raw.get("measured") is True,
                     _basis(source) if source is not None else None)


def parse_day(body: Mapping[str, Any], *, fetched_at: datetime,
              offline: bool = False) -> DayCrowds:
    """A crowds answer as the server sends it (or as kept by `day_body`)."""
    raw_hours = _required(body, "hours")
    if not isinstance(raw_hours, list):
        raise ValueError("hours is not a list")
    by_hour = {h.hour: h for h in map(_hour_crowd, raw_hours) if h is not None}
    hours = tuple(by_hour[h] for h in sorted(by_hour))
    day = DayCrowds(_spot_id(body), _date(body), _basis(body.get("basis")), hours, None,
                    fetched_at, offline)
    raw_now = body.get("now")
    level = _level(raw_now.get("level")) if isinstance(raw_now, dict) else None
    if isinstance(raw_now, dict) and level is not None:
        hour = _hour(raw_now.get("hour"))
        if hour is None:  # the server's `now` is the hour it answered in, Japan time
            hour = fetched_at.astimezone(JAPAN_TZ).hour
        listed = day.at(hour)
        now = HourCrowd(hour, level, _number(raw_now.get("index"), listed.index),
                        listed.measured, listed.source)
        day = replace(day, now=now)
    return day


def day_body(day: DayCrowds) -> dict[str, Any]:
    """The answer in the server's shape (what `parse_day` reads), to keep it."""
    def hour(h: HourCrowd) -> dict[str, Any]:
        out: dict[str, Any] = {"hour": h.hour, "level": h.level.value, "index": h.index,
                               "measured": h.measured}
        if h.source is not None:
            out["source"] = h.source.value
        return out

    return {"spot_id": day.spot_id, "date": day.date.isoformat(), "basis": day.basis.value,
            "hours": [hour(h) for h in day.hours],
            "now": None if day.now is None else hour(day.now)}


def _alternative(raw: object) -> Alternative | None:
    if not isinstance(raw, dict):
        return None
    spot_id, level = raw.get("spot_id"), _level(raw.get("level"))
    if not isinstance(spot_id, str) or not spot_id or level is None:
        return None
    name = raw.get("name")
    return Alternative(spot_id, name if isinstance(name, str) else "",
                       _number(raw.get("distance_km")), level)


def parse_quieter(body: Mapping[str, Any], *, fetched_at: datetime,
                  offline: bool = False) -> Quieter:
    """A quieter-places answer as the server sends it (or as kept by `quieter_body`)."""
    hour, level = _hour(_required(body, "hour")), _level(_required(body, "level"))
    if hour is None or level is None:
        raise ValueError("hour or level is not one this app knows")
    raw_alternatives = body.get("alternatives")
    raw_hours = body.get("quieter_hours")
    alternatives = tuple(a for a in map(_alternative, raw_alternatives
                                        if isinstance(raw_alternatives, list) else [])
                         if a is not None)
    hours = sorted({h for h in map(_hour, raw_hours if isinstance(raw_hours, list) else [])
                    if h is not None})
    radius = body.get("radius_km")
    return Quieter(_spot_id(body), _date(body), hour, level, alternatives, tuple(hours),
                   fetched_at, offline, _number(radius) if radius is not None else None)


def quieter_body(quieter: Quieter) -> dict[str, Any]:
    return {"spot_id": quieter.spot_id, "date": quieter.date.isoformat(),
            "hour": quieter.hour, "level": quieter.level.value,
            "radius_km": quieter.radius_km,
            "alternatives": [{"spot_id": a.spot_id, "name": a.name,
                              "distance_km": a.distance_km, "level": a.level.value}
                             for a in quieter.alternatives],
            "quieter_hours": list(quieter.quieter_hours)}


# --- kept on the device ---------------------------------------------------------------------
_DEFAULT_HOUR = "default"  # a quieter answer asked without an hour


def _day_key(spot_id: str, day: date) -> str:
    return f"{spot_id}|{day.isoformat()}"


def _quieter_key(spot_id: str, day: date, hour: int | None) -> str:
    return f"{spot_id}|{day.isoformat()}|{_DEFAULT_HOUR if hour is None else hour}"


class CrowdCache:
    """The last crowds and quieter answers per spot and date in the local store (blocking:
    call from a worker thread)."""

    def __init__(self, store: LocalStore, *, keep_days: int = KEEP_DAYS) -> None:
        self._store = store
        self._keep = timedelta(days=keep_days)

    def put_day(self, day: DayCrowds) -> None:
        self._store.put_answer(CacheKind.crowds, _day_key(day.spot_id, day.date),
                               day_body(day), at=day.fetched_at,
                               drop_before=day.fetched_at - self._keep)

    def day(self, spot_id: str, day: date, moment: datetime) -> DayCrowds | None:
        """The kept answer, marked offline, with `now` at `moment`'s hour when `day` is
        today at `moment` (Japan time)."""
        kept = self._store.answer(CacheKind.crowds, _day_key(spot_id, day))
        if kept is None:
            return None
        try:
            found = parse_day(kept.body, fetched_at=kept.fetched_at, offline=True)
        except (ValueError, TypeError) as exc:
            log.warning("kept crowds of %s on %s unreadable: %s", spot_id, day, exc)
            return None
        local = moment.astimezone(JAPAN_TZ)
        return replace(found, now=found.at(local.hour) if local.date() == day else None)

    def put_quieter(self, quieter: Quieter, asked_hour: int | None) -> None:
        """Kept under the hour it compared, and under "asked without an hour" when it was."""
        body = quieter_body(quieter)
        keys = {_quieter_key(quieter.spot_id, quieter.date, quieter.hour)}
        if asked_hour is None:
            keys.add(_quieter_key(quieter.spot_id, quieter.date, None))
        for key in sorted(keys):
            self._store.put_answer(CacheKind.quieter, key, body, at=quieter.fetched_at,
                                   drop_before=quieter.fetched_at - self._keep)

    def quieter(self, spot_id: str, day: date, hour: int | None,
                moment: datetime) -> Quieter | None:
        """The kept answer for that hour, marked offline. Without an hour: the one for the
        current hour when `day` is today, else the last one asked without an hour."""
        keys = []
        local = moment.astimezone(JAPAN_TZ)
        if hour is None and local.date() == day:
            keys.append(_quieter_key(spot_id, day, local.hour))
        keys.append(_quieter_key(spot_id, day, hour))
        for key in keys:
            kept = self._store.answer(CacheKind.quieter, key)
            if kept is None:
                continue
            try:
                return parse_quieter(kept.body, fetched_at=kept.fetched_at, offline=True)
            except (ValueError, TypeError) as exc:
                log.warning("kept quieter places %s unreadable: %s", key, exc)
        return None
