"""One planning network from one or more feeds: namespaced ids, stop indices, walks, patterns.

Everything here is independent of the travel date, so it is built once per app start.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .geo import distance_m, pairs_within
from .loader import load_feed
from .model import Feed, Route, Stop

REFERENCE_WALK_SPEED = 1.2  # m/s, the speed walk times in the network are stored at


@dataclass(frozen=True)
class NetStop:
    """A stop of the network. `id` is namespaced ("feed:stop_id") unless the network is one
    un-prefixed feed."""

    id: str
    feed: str
    local_id: str
    name: str
    lat: float | None
    lon: float | None
    is_station: bool
    parent: int  # index of the parent station, -1 if none
    platform_code: str
    zone_id: str


@dataclass(frozen=True)
class NetTrip:
    id: str
    feed: str
    local_id: str
    route_id: str  # the feed's own route_id
    service_key: str  # "feed\x00service_id"
    headsign: str
    pattern: int
    arrivals: tuple[int, ...]
    departures: tuple[int, ...]
    sequences: tuple[int, ...]


@dataclass(frozen=True)
class Pattern:
    """Trips that call at the same stops with the same boarding/alighting rules."""

    stops: tuple[int, ...]
    can_board: tuple[bool, ...]
    can_alight: tuple[bool, ...]


@dataclass
class WalkOptions:
    """How cross-feed walking links are made."""

    radius_m: float = 200.0
    min_walk_s: int = 60  # nobody changes vehicles in less, however close the poles


@dataclass
class Network:
    feeds: dict[str, Feed]  # by namespace prefix ("" for a single un-prefixed feed)
    stops: list[NetStop] = field(default_factory=list)
    stop_index: dict[str, int] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)
    trips: list[NetTrip] = field(default_factory=list)
    trip_index: dict[str, int] = field(default_factory=dict)
    patterns: list[Pattern] = field(default_factory=list)
    # footpaths[stop] = [(to_stop, seconds at REFERENCE_WALK_SPEED), ...]
    footpaths: list[list[tuple[int, int]]] = field(default_factory=list)
    no_change_at: set[int] = field(default_factory=set)  # transfers.txt type 3 from = to
    # text or "stops#id" -> {lang: text}; merged over feeds because GTFS-JP v2 keys by the
    # Japanese name, which lets a feed without translations borrow its neighbours'
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    content_hash: str = ""

    # ---- lookups used by the planner and the app -------------------------------------------
    def resolve(self, stop_id: str) -> list[int]:
        """Stop indices a user-facing id stands for: a station means all its child stops."""
        idx = self.stop_index.get(stop_id)
        if idx is None:
            return []
        kids = self.children.get(idx)
        return list(kids) if kids else [idx]

    def route_of(self, trip: NetTrip) -> Route:
        return self.feeds[trip.feed].routes[trip.route_id]

    def validity(self) -> dict[str, tuple[date | None, date | None]]:
        return {name: (f.valid_from, f.valid_to) for name, f in self.feeds.items()}

    def outside_validity(self, day: date) -> list[str]:
        """Feeds whose published validity does not cover `day` (the app must say so)."""
        return [
            name for name, f in self.feeds.items()
            if (f.valid_from and day < f.valid_from) or (f.valid_to and day > f.valid_to)
        ]

    def stop_translation(self, idx: int, lang: str) -> str | None:
        stop = self.stops[idx]
        by_id = self.translations.get(f"stops#{stop.id}", {})
        found = by_id.get(lang) or self.translations.get(stop.name, {}).get(lang)
        return found if found and found != "dummy" else None


def _prefix(ns: str, local: str) -> str:
    return f"{ns}:{local}" if ns else local


def build_network(feeds: dict[str, Feed], walks: WalkOptions | None = None) -> Network:
    """Merge feeds (keyed by namespace) into one network. Cross-feed walks only when
    there are several feeds: within a feed, only its own transfers.txt walks count."""
    net = Network(feeds=feeds)
    digest = hashlib.sha256()
    for ns in sorted(feeds):
        digest.update(f"{ns}={feeds[ns].content_hash};".encode())
    for ns, feed in feeds.items():
        _add_stops(net, ns, feed)
        for key, langs in feed.translations.items():
            if "#" in key:  # record-keyed rows: namespace the record id like the stop ids
                table, _, record = key.partition("#")
                key = f"{table}#{_prefix(ns, record)}"
            net.translations.setdefault(key, {}).update(langs)
    net.footpaths = [[] for _ in net.stops]
    pattern_ids: dict[Pattern, int] = {}
    for ns, feed in feeds.items():
        _add_trips(net, ns, feed, pattern_ids)
        _add_transfers(net, ns, feed)
    if len(feeds) > 1:
        walks = walks or WalkOptions()
        _add_cross_feed_walks(net, walks)
        digest.update(f"walk={walks.radius_m},{walks.min_walk_s}".encode())
    net.content_hash = digest.hexdigest()[:32]
    return net


def _add_stops(net: Network, ns: str, feed: Feed) -> None:
    first = len(net.stops)
    for stop in feed.stops.values():
        sid = _prefix(ns, stop.stop_id)
        net.stop_index[sid] = len(net.stops)
        net.stops.append(_net_stop(sid, ns, stop, -1))
    for i in range(first, len(net.stops)):
        s = net.stops[i]
        parent_local = feed.stops[s.local_id].parent_station
        parent = net.stop_index.get(_prefix(ns, parent_local), -1) if parent_local else -1
        if parent >= 0:
            net.stops[i] = _net_stop(s.id, ns, feed.stops[s.local_id], parent)
            net.children.setdefault(parent, []).append(i)


def _net_stop(sid: str, ns: str, stop: Stop, parent: int) -> NetStop:
    return NetStop(
        id=sid, feed=ns, local_id=stop.stop_id, name=stop.name, lat=stop.lat, lon=stop.lon,
        is_station=stop.location_type == 1, parent=parent,
        platform_code=stop.platform_code, zone_id=stop.zone_id,
    )


def _add_trips(net: Network, ns: str, feed: Feed, pattern_ids: dict[Pattern, int]) -> None:
    for tid, calls in feed.stop_times.items():
        if len(calls) < 2:
            continue
        trip = feed.trips[tid]
        pattern = Pattern(
            stops=tuple(net.stop_index[_prefix(ns, c.stop_id)] for c in calls),
            can_board=tuple(c.pickup != 1 for c in calls),
            can_alight=tuple(c.drop_off != 1 for c in calls),
        )
        pid = pattern_ids.setdefault(pattern, len(pattern_ids))
        if pid == len(net.patterns):
            net.patterns.append(pattern)
        full_id = _prefix(ns, tid)
        net.trip_index[full_id] = len(net.trips)
        net.trips.append(NetTrip(
            id=full_id, feed=ns, local_id=tid, route_id=trip.route_id,
            service_key=f"{ns}\x00{trip.service_id}", headsign=trip.headsign, pattern=pid,
            arrivals=tuple(c.arrival for c in calls),
            departures=tuple(c.departure for c in calls),
            sequences=tuple(c.sequence for c in calls),
        ))


def _stop_set(net: Network, ns: str, local: str) -> list[int]:
    return net.resolve(_prefix(ns, local))


def _add_transfers(net: Network, ns: str, feed: Feed) -> None:
    for tr in feed.transfers:
        froms, tos = _stop_set(net, ns, tr.from_stop), _stop_set(net, ns, tr.to_stop)
        if tr.transfer_type == 3 and tr.from_stop == tr.to_stop:
            net.no_change_at.update(froms)
        elif tr.transfer_type == 2 and tr.from_stop != tr.to_stop:
            for a in froms:
                for b in tos:
                    if a != b:
                        seconds = tr.min_time if tr.min_time is not None else _walk_seconds(
                            net, a, b, WalkOptions())
                        _set_walk(net, a, b, seconds)
        elif tr.transfer_type == 3:
            for a in froms:
                net.footpaths[a] = [(b, s) for b, s in net.footpaths[a] if b not in tos]


def _walk_seconds(net: Network, a: int, b: int, walks: WalkOptions) -> int:
    sa, sb = net.stops[a], net.stops[b]
    if sa.lat is None or sa.lon is None or sb.lat is None or sb.lon is None:
        return walks.min_walk_s
    metres = distance_m(sa.lat, sa.lon, sb.lat, sb.lon)
    return max(walks.min_walk_s, math.ceil(metres / REFERENCE_WALK_SPEED))


def _set_walk(net: Network, a: int, b: int, seconds: int) -> None:
    paths = net.footpaths[a]
    for i, (to, old) in enumerate(paths):
        if to == b:
            paths[i] = (b, min(old, seconds))
            return
    paths.append((b, seconds))


def _add_cross_feed_walks(net: Network, walks: WalkOptions) -> None:
    points = [
        (i, s.lat, s.lon) for i, s in enumerate(net.stops)
        if not s.is_station and s.lat is not None and s.lon is not None
    ]
    for a, b, metres in pairs_within(points, walks.radius_m):
        if net.stops[a].feed == net.stops[b].feed:
            continue
        seconds = max(walks.min_walk_s, math.ceil(metres / REFERENCE_WALK_SPEED))
        _set_walk(net, a, b, seconds)
        _set_walk(net, b, a, seconds)


def load_network(
    paths: dict[str, str | Path] | list[str | Path], walks: WalkOptions | None = None
) -> Network:
    """Load feeds and merge them. A list of one path gives an un-prefixed network (CLI);
    a dict gives namespaced ids ("name:stop_id")."""
    if isinstance(paths, list):
        if len(paths) == 1:
            return build_network({"": load_feed(paths[0])}, walks)
        named = {Path(p).stem: p for p in paths}
    else:
        named = paths
    return build_network({ns: load_feed(p, ns) for ns, p in named.items()}, walks)
