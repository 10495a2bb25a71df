"""Round-based earliest-arrival search (RAPTOR) over a `Timetable`.

Round k holds the best arrivals using exactly up to k vehicle trips, so the rounds give
the (arrival, transfers) Pareto set for free. Labels of each round are kept for rebuilding
the journeys. Inner loops use local names only: this is the hot path of every query.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from .timetable import Timetable

INF = 1 << 60

# ride label: (arrival, pattern, trip row, board position, alight position)
RideLabel = tuple[int, int, int, int, int]
# walk label: (arrival, from stop, seconds); from stop = -1 for a source
WalkLabel = tuple[int, int, int]


@dataclass
class SearchResult:
    sources: dict[int, int]
    targets: set[int]
    rides: list[dict[int, RideLabel]]  # rides[k][stop]; rides[0] is empty
    walks: list[dict[int, WalkLabel]]  # walks[k][stop]: walk after the k-th ride (or start)
    target_arrival: list[int]  # best arrival at a target with at most k rides (INF if none)
    min_change: int
    no_change_at: frozenset[int] | set[int]


def search(
    tt: Timetable,
    footpaths: list[list[tuple[int, int]]],
    sources: dict[int, int],
    targets: set[int],
    min_change: int = 0,
    max_rides: int = 4,
    no_change_at: set[int] | frozenset[int] = frozenset(),
    arrive_by: int = INF,
) -> SearchResult:
    """Earliest arrival from `sources` {stop: ready time} to any of `targets`.
    `arrive_by` prunes everything arriving later (used by arrive-by searches)."""
    n = len(tt.stop_routes)
    ready = [INF] * n  # earliest time one can board at a stop, over the rounds so far
    best_ride = [INF] * n
    bound = arrive_by + 1 if arrive_by < INF else INF  # best target arrival so far (exclusive)
    walks0: dict[int, WalkLabel] = {}
    for s, t in sources.items():
        if t < ready[s]:
            ready[s] = t
            if s in targets and t < bound:
                bound = t
            walks0[s] = (t, -1, 0)
    marked = set(walks0)
    for s in list(walks0):
        t = walks0[s][0]
        for q, d in footpaths[s]:
            w = t + d
            if w < ready[q] and w < bound:
                ready[q] = w
                walks0[q] = (w, s, d)
                marked.add(q)
                if q in targets:
                    bound = w
    rides: list[dict[int, RideLabel]] = [{}]
    walks: list[dict[int, WalkLabel]] = [walks0]
    target_arrival = [bound if bound <= arrive_by else INF]

    p_stops, p_board, p_alight = tt.stops, tt.board, tt.alight
    p_cols, p_rows, stop_routes = tt.dep_cols, tt.arr_rows, tt.stop_routes
    for _k in range(1, max_rides + 1):
        if not marked:
            break
        queue: dict[int, int] = {}
        for s in marked:
            sr = stop_routes[s]
            for j in range(0, len(sr), 2):
                pid, pos = sr[j], sr[j + 1]
                if queue.get(pid, INF) > pos:
                    queue[pid] = pos
        found: dict[int, RideLabel] = {}
        for pid, start in queue.items():
            stops, board, alight = p_stops[pid], p_board[pid], p_alight[pid]
            cols, rows = p_cols[pid], p_rows[pid]
            trip = -1
            row: list[int] | None = None
            boarded_at = 0
            for i in range(start, len(stops)):
                s = stops[i]
                if row is not None:
                    a = row[i]
                    if a >= bound:
                        row = None  # this run only gets later from here on
                    elif a < best_ride[s] and alight[i]:
                        best_ride[s] = a
                        found[s] = (a, pid, trip, boarded_at, i)
                r = ready[s]
                if r < bound and board[i]:
                    col = cols[i]
                    if row is None:
                        t = bisect_left(col, r)
                        if t < len(col) and col[t] < bound:
                            trip, row, boarded_at = t, rows[t], i
                    elif trip > 0 and col[trip - 1] >= r:
                        trip = bisect_left(col, r, 0, trip)
                        row, boarded_at = rows[trip], i
        marked = set()
        for s, label in found.items():
            a = label[0]
            if a >= bound:
                continue
            if s in targets:
                bound = a
        new_walks: dict[int, WalkLabel] = {}
        for s, label in found.items():
            a = label[0]
            if a >= bound:
                continue
            if s not in no_change_at and a + min_change < ready[s]:
                ready[s] = a + min_change
                marked.add(s)
            for q, d in footpaths[s]:
                w = a + d
                if w < ready[q] and w < bound:
                    ready[q] = w
                    new_walks[q] = (w, s, d)
                    marked.add(q)
                    if q in targets:
                        bound = w
        rides.append(found)
        walks.append(new_walks)
        target_arrival.append(bound if bound <= arrive_by else INF)
    return SearchResult(sources, targets, rides, walks, target_arrival, min_change, no_change_at)
