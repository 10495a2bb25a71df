"""The planning entry point: depart-at / arrive-by queries over a `Network`."""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from .cache import TimetableCache
from .journey import Journey, ParetoPoint, PlanResult
from .journey_builder import rebuild
from .network import REFERENCE_WALK_SPEED, Network
from .raptor import INF, SearchResult, search
from .timetable import Timetable, build_timetable

MAX_RIDES = 4


class Prefer(StrEnum):
    """Which of the Pareto-optimal journeys comes first."""

    fastest = "fastest"
    fewer_transfers = "fewer_transfers"
    less_walking = "less_walking"


class UnknownStop(ValueError):
    """A stop id that is not in the network."""


@dataclass(frozen=True)
class PlanOptions:
    min_change_s: int = 0  # seconds needed to change vehicles at the same stop
    max_rides: int = MAX_RIDES
    walk_speed_m_s: float = REFERENCE_WALK_SPEED  # e.g. 0.8 for elderly users: walks take longer
    prefer: Prefer = Prefer.fastest
    fewer_transfers_slack_s: int = 1800  # accept this much later arrival for fewer transfers
    less_walking_max_walk_s: int = 180  # walks longer than this are avoided when possible


DEFAULT_OPTIONS = PlanOptions()


class Planner:
    def __init__(
        self, network: Network, cache_dir: str | Path | None = None, memory_dates: int = 4
    ) -> None:
        self.network = network
        self.cache = TimetableCache(cache_dir) if cache_dir else None
        self._timetables: OrderedDict[str, Timetable] = OrderedDict()
        self._memory_dates = memory_dates
        self._footpaths: dict[tuple[float, int | None], list[list[tuple[int, int]]]] = {}
        self.last_build_source = ""  # "memory" | "disk" | "built": for tests and the bench

    # ---- timetables ---------------------------------------------------------------------
    def timetable(self, day: date) -> Timetable:
        key = day.strftime("%Y%m%d")
        tt = self._timetables.get(key)
        if tt is not None:
            self._timetables.move_to_end(key)
            self.last_build_source = "memory"
            return tt
        net = self.network
        tt = self.cache.load(net.content_hash, key, stops=len(net.stops),
                             trips=len(net.trips)) if self.cache else None
        self.last_build_source = "disk"
        if tt is None:
            tt = build_timetable(self.network, day)
            self.last_build_source = "built"
            if self.cache:
                self.cache.store(self.network.content_hash, tt)
        self._timetables[key] = tt
        while len(self._timetables) > self._memory_dates:
            self._timetables.popitem(last=False)
        return tt

    def footpaths(self, speed: float, max_walk_s: int | None = None) -> list[list[tuple[int, int]]]:
        """Walk times at the user's speed (stored times are at the reference speed)."""
        key = (speed, max_walk_s)
        paths = self._footpaths.get(key)
        if paths is None:
            factor = REFERENCE_WALK_SPEED / speed
            paths = [
                [
                    (b, math.ceil(s * factor)) for b, s in row
                    if max_walk_s is None or s * factor <= max_walk_s
                ]
                for row in self.network.footpaths
            ]
            self._footpaths[key] = paths
        return paths

    # ---- queries ------------------------------------------------------------------------
    def _stops(self, stop_id: str) -> list[int]:
        found = self.network.resolve(stop_id)
        if not found:
            raise UnknownStop(f"unknown stop id {stop_id!r}")
        return found

    def search(
        self, origin: str, destination: str, day: date, depart: int,
        options: PlanOptions = DEFAULT_OPTIONS, arrive_by: int = INF,
        max_walk_s: int | None = None,
    ) -> tuple[Timetable, SearchResult]:
        """Raw RAPTOR result (for the bench and the CLI's fast path)."""
        sources = dict.fromkeys(self._stops(origin), depart)
        targets = set(self._stops(destination))
        tt = self.timetable(day)
        res = search(
            tt, self.footpaths(options.walk_speed_m_s, max_walk_s), sources, targets,
            options.min_change_s, options.max_rides, self.network.no_change_at, arrive_by,
        )
        return tt, res

    def plan(
        self, origin: str, destination: str, day: date, depart: int,
        options: PlanOptions = DEFAULT_OPTIONS,
    ) -> PlanResult:
        """Depart at `depart` (seconds of `day`'s service day) from stop/station `origin`."""
        less_walking = options.prefer == Prefer.less_walking
        max_walk = options.less_walking_max_walk_s if less_walking else None
        tt, res = self.search(origin, destination, day, depart, options, max_walk_s=max_walk)
        if max_walk is not None and res.target_arrival[-1] >= INF:
            tt, res = self.search(origin, destination, day, depart, options)  # walking it is
        return self._result(tt, res, day, options)

    def plan_arrive_by(
        self, origin: str, destination: str, day: date, deadline: int,
        options: PlanOptions = DEFAULT_OPTIONS,
    ) -> PlanResult:
        """Latest departure that still arrives by `deadline`. Earliest arrival never improves
        when leaving later, so a binary search over candidate departure times is exact."""
        sources = self._stops(origin)
        tt = self.timetable(day)
        paths = self.footpaths(options.walk_speed_m_s)
        candidates = {deadline}
        # The latest departure either boards some vehicle (below) or is a walk all the way,
        # leaving exactly its walking time before the deadline.
        targets = set(self._stops(destination))
        candidates.update(deadline - d for s in sources for q, d in paths[s] if q in targets)
        starts = [(s, 0) for s in sources] + [(q, d) for s in sources for q, d in paths[s]]
        for stop, walk in starts:
            sr = tt.stop_routes[stop]
            for j in range(0, len(sr), 2):
                pid, pos = sr[j], sr[j + 1]
                for i in range(pos, len(tt.stops[pid])):
                    if tt.stops[pid][i] == stop and tt.board[pid][i]:
                        candidates.update(d - walk for d in tt.dep_cols[pid][i] if d <= deadline)
        times = sorted(t for t in candidates if t <= deadline)
        best: tuple[Timetable, SearchResult] | None = None
        lo, hi = 0, len(times) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            found = self.search(origin, destination, day, times[mid], options, arrive_by=deadline)
            if found[1].target_arrival[-1] <= deadline:
                best, lo = found, mid + 1
            else:
                hi = mid - 1
        if best is None:
            return PlanResult(False, warnings=self._warnings(day))
        return self._result(best[0], best[1], day, options)

    # ---- results ------------------------------------------------------------------------
    def _warnings(self, day: date) -> tuple[str, ...]:
        return tuple(
            f"{name or 'feed'}: {day.isoformat()} is outside the timetable's validity"
            for name in self.network.outside_validity(day)
        )

    def _result(
        self, tt: Timetable, res: SearchResult, day: date, options: PlanOptions
    ) -> PlanResult:
        pareto = pareto_points(res.target_arrival)
        if not pareto:
            return PlanResult(False, warnings=self._warnings(day))
        journeys = []
        for point in pareto:
            rides = point.transfers + 1 if point.transfers else _rides_for(res, point.arrival)
            journey = rebuild(self.network, tt, res, rides)
            if journey is not None:
                journeys.append(journey)
        chosen = _choose(journeys, options)
        return PlanResult(True, chosen, tuple(journeys), tuple(pareto), self._warnings(day))


def _rides_for(res: SearchResult, arrival: int) -> int:
    return min(k for k, a in enumerate(res.target_arrival) if a == arrival)


def pareto_points(target_arrival: list[int]) -> list[ParetoPoint]:
    """(transfers, arrival) strict improvements; rounds 0 (walk only) and 1 both count as
    0 transfers. Sorted by transfers ascending, so arrivals strictly decrease."""
    points: list[ParetoPoint] = []
    best = INF
    for k, arrival in enumerate(target_arrival):
        if arrival < best:
            transfers = max(0, k - 1)
            if points and points[-1].transfers == transfers:
                points.pop()
            points.append(ParetoPoint(transfers, arrival))
            best = arrival
    return points


def _choose(journeys: list[Journey], options: PlanOptions) -> Journey:
    fastest = journeys[-1]  # the last Pareto point arrives earliest
    if options.prefer == Prefer.fewer_transfers:
        limit = fastest.arrival + options.fewer_transfers_slack_s
        return next(j for j in journeys if j.arrival <= limit)
    return fastest
