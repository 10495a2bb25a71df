"""Journeys the resident saved to have at hand offline (a bus home with no signal).

Saved journeys live in the device's key/value storage (services.preferences.KeyValueStore):
on a phone or desktop build that is the app's own storage; in web mode it is the browser's
localStorage (Flet's SharedPreferences). So saved journeys stay on the one device or browser
where they were saved and are never sent to, or shared through, the server: two residents
using the same web server never see each other's list. They are public timetable facts plus a
label the resident typed, kept under one key as a JSON list, newest first, at most
MAX_SAVED entries; saving the same journey again (same trips, day and times) moves it to the
top instead of adding a copy.

Reading is forgiving: damaged JSON yields an empty list, a damaged entry is skipped; nothing
here raises because of what is in storage.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from services.preferences import KeyValueStore
from services.transit.journey import Journey, Leg, RideLeg, StopCall, StopInfo, WalkLeg

_List = list  # the class below has a method named list; annotations there mean the builtin

STORAGE_KEY = "kitokito.saved_journeys.v1"
MAX_SAVED = 30
MAX_LABEL = 80

log = logging.getLogger(__name__)


class _Bad(ValueError):
    pass


# --- journeys <-> plain JSON ---------------------------------------------------------------
def _stop_to_dict(stop: StopInfo) -> dict[str, Any]:
    return {"id": stop.id, "name": stop.name, "platform_code": stop.platform_code,
            "name_en": stop.name_en, "name_kana": stop.name_kana, "lat": stop.lat,
            "lon": stop.lon}


def _leg_to_dict(leg: Leg) -> dict[str, Any]:
    if isinstance(leg, WalkLeg):
        return {"kind": "walk", "from_stop": _stop_to_dict(leg.from_stop),
                "to_stop": _stop_to_dict(leg.to_stop), "departure": leg.departure,
                "arrival": leg.arrival}
    return {
        "kind": "ride", "trip_id": leg.trip_id, "route_id": leg.route_id,
        "route_name": leg.route_name, "headsign": leg.headsign, "agency": leg.agency,
        "from_stop": _stop_to_dict(leg.from_stop), "to_stop": _stop_to_dict(leg.to_stop),
        "departure": leg.departure, "arrival": leg.arrival,
        "intermediate": [{"stop": _stop_to_dict(c.stop), "arrival": c.arrival,
                          "departure": c.departure} for c in leg.intermediate],
        "from_sequence": leg.from_sequence, "to_sequence": leg.to_sequence, "feed": leg.feed,
        "previous_service_day": leg.previous_service_day, "delay_s": leg.delay_s,
    }


def journey_to_dict(journey: Journey) -> dict[str, Any]:
    """Every field of the journey, its legs, stops and intermediate calls, as JSON types."""
    return {"departure": journey.departure, "arrival": journey.arrival,
            "legs": [_leg_to_dict(leg) for leg in journey.legs]}


def _get(d: Any, key: str, kind: type | tuple[type, ...], optional: bool = False) -> Any:
    if not isinstance(d, dict):
        raise _Bad("not an object")
    value = d.get(key)
    if value is None and optional:
        return None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int in Python; never accept one for the other.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise _Bad(f"{key}: expected {kinds}, got {type(value).__name__}")
    return value


def _number(d: Any, key: str) -> float | None:
    value = _get(d, key, (int, float), optional=True)
    return None if value is None else float(value)


def _stop_from_dict(d: Any) -> StopInfo:
    return StopInfo(id=_get(d, "id", str), name=_get(d, "name", str),
                    platform_code=_get(d, "platform_code", str),
                    name_en=_get(d, "name_en", str, True),
                    name_kana=_get(d, "name_kana", str, True),
                    lat=_number(d, "lat"), lon=_number(d, "lon"))


def _leg_from_dict(d: Any) -> Leg:
    kind = _get(d, "kind", str)
    common = {"from_stop": _stop_from_dict(_get(d, "from_stop", dict)),
              "to_stop": _stop_from_dict(_get(d, "to_stop", dict)),
              "departure": _get(d, "departure", int), "arrival": _get(d, "arrival", int)}
    if kind == "walk":
        return WalkLeg(**common)
    if kind != "ride":
        raise _Bad(f"unknown leg kind {kind!r}")
    calls = tuple(
        StopCall(_stop_from_dict(_get(c, "stop", dict)), _get(c, "arrival", int),
                 _get(c, "departure", int))
        for c in _get(d, "intermediate", list)
    )
    return RideLeg(
        trip_id=_get(d, "trip_id", str), route_id=_get(d, "route_id", str),
        route_name=_get(d, "route_name", str), headsign=_get(d, "headsign", str),
        agency=_get(d, "agency", str), intermediate=calls,
        from_sequence=_get(d, "from_sequence", int), to_sequence=_get(d, "to_sequence", int),
        feed=_get(d, "feed", str),
        previous_service_day=_get(d, "previous_service_day", bool),
        delay_s=_get(d, "delay_s", int, True), **common,
    )


def journey_from_dict(d: dict[str, Any]) -> Journey:
    """Inverse of journey_to_dict. ValueError if `d` is not such a dict."""
    legs = tuple(_leg_from_dict(leg) for leg in _get(d, "legs", list))
    return Journey(legs=legs, departure=_get(d, "departure", int),
                   arrival=_get(d, "arrival", int))


# --- the saved list ------------------------------------------------------------------------
@dataclass(frozen=True)
class SavedJourney:
    id: str
    saved_at: datetime  # UTC
    day: date  # the service day the journey was planned for
    journey: Journey
    label: str

    @property
    def key(self) -> tuple:
        """Two saves of the same trips on the same day at the same times are one journey."""
        return (self.day, tuple(r.trip_id for r in self.journey.rides),
                self.journey.leaves_at, self.journey.arrival)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "saved_at": self.saved_at.isoformat(),
                "day": self.day.isoformat(), "label": self.label,
                "journey": journey_to_dict(self.journey)}

    @classmethod
    def from_dict(cls, d: Any) -> SavedJourney:
        saved_at = datetime.fromisoformat(_get(d, "saved_at", str))
        if saved_at.tzinfo is None:
            saved_at = saved_at.replace(tzinfo=UTC)
        return cls(id=_get(d, "id", str), saved_at=saved_at,
                   day=date.fromisoformat(_get(d, "day", str)),
                   journey=journey_from_dict(_get(d, "journey", dict)),
                   label=_get(d, "label", str))


class SavedJourneys:
    """The device's saved journeys. One instance per session (its storage is the session's)."""

    def __init__(self, storage: KeyValueStore, *, now=lambda: datetime.now(UTC)) -> None:
        self._storage = storage
        self._now = now
        self._lock = asyncio.Lock()  # save/remove read, change and write the one key

    async def list(self) -> _List[SavedJourney]:
        """Newest first. Damaged storage reads as an empty list, never an exception."""
        try:
            return await self._read()
        except Exception:
            log.warning("saved journeys could not be read", exc_info=True)
            return []

    async def _read(self) -> _List[SavedJourney]:
        # Writers use this strict read: a failed read must fail the save, not let it write an
        # empty list over every saved journey.
        return _decode(await self._storage.get(STORAGE_KEY))

    async def save(self, day: date, journey: Journey, label: str = "") -> SavedJourney:
        label = " ".join(label.split())[:MAX_LABEL]
        async with self._lock:
            items = await self._read()
            entry = SavedJourney(uuid.uuid4().hex, self._now(), day, journey, label)
            same = next((item for item in items if item.key == entry.key), None)
            if same is not None:
                items.remove(same)
                entry = replace(entry, id=same.id, label=label or same.label)
            items = [entry, *items][:MAX_SAVED]
            await self._write(items)
            return entry

    async def remove(self, journey_id: str) -> bool:
        """True if it was there."""
        async with self._lock:
            items = await self._read()
            kept = [item for item in items if item.id != journey_id]
            if len(kept) == len(items):
                return False
            await self._write(kept)
            return True

    async def _write(self, items: _List[SavedJourney]) -> None:
        await self._storage.set(
            STORAGE_KEY,
            json.dumps([item.to_dict() for item in items], ensure_ascii=False,
                       separators=(",", ":")))


def _decode(raw: Any) -> list[SavedJourney]:
    if not isinstance(raw, str) or not raw:
        return []
    try:
        data = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    items: list[SavedJourney] = []
    seen: set[str] = set()
    for entry in data:
        try:
            item = SavedJourney.from_dict(entry)
        except (ValueError, TypeError, KeyError):
            continue  # one damaged entry must not hide the others
        if item.id not in seen:
            seen.add(item.id)
            items.append(item)
    return items[:MAX_SAVED]  # stored newest first
