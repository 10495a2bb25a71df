"""The per-date timetable the planner scans: trips of the date (and the previous service
day's trips that run past midnight, shifted by -24 h) grouped into FIFO patterns, stored as
plain lists so they can be cached with marshal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .network import Network
from .service_days import active_services

DAY = 86_400


@dataclass
class Timetable:
    """Column layout for RAPTOR. Pattern p (a "route" in RAPTOR terms) has:
    stops[p][i], board[p][i], alight[p][i]; dep_cols[p][i][t] (sorted by t, trips never
    overtake within a pattern); arr_rows[p][t][i]; trip_refs[p][t] = (network trip, shift s).
    stop_routes[s] = flat [pattern, position, pattern, position, ...] serving stop s."""

    day: str  # YYYYMMDD
    stops: list[list[int]]
    board: list[list[bool]]
    alight: list[list[bool]]
    dep_cols: list[list[list[int]]]
    arr_rows: list[list[list[int]]]
    trip_refs: list[list[tuple[int, int]]]
    stop_routes: list[list[int]]

    def to_plain(self) -> tuple:
        return (self.day, self.stops, self.board, self.alight, self.dep_cols, self.arr_rows,
                self.trip_refs, self.stop_routes)

    @classmethod
    def from_plain(cls, data: tuple) -> Timetable:
        return cls(*data)

    @property
    def trip_count(self) -> int:
        return sum(len(refs) for refs in self.trip_refs)


def _running_trips(net: Network, day: date) -> list[tuple[int, int]]:
    """(trip index, time shift) of every vehicle run usable on `day`, frequencies expanded."""
    today = {f"{ns}\x00{s}" for ns, feed in net.feeds.items() for s in active_services(feed, day)}
    yesterday = {
        f"{ns}\x00{s}"
        for ns, feed in net.feeds.items() for s in active_services(feed, day - timedelta(days=1))
    }
    runs: list[tuple[int, int]] = []
    for ti, trip in enumerate(net.trips):
        on_today, on_yesterday = trip.service_key in today, trip.service_key in yesterday
        if not (on_today or on_yesterday):
            continue
        freqs = net.feeds[trip.feed].frequencies.get(trip.local_id)
        if freqs:
            first = trip.departures[0]
            shifts = [
                start - first for f in freqs for start in range(f.start, f.end, f.headway)
            ]
        else:
            shifts = [0]
        for shift in shifts:
            if on_today:
                runs.append((ti, shift))
            # a run of the previous service day matters only if it reaches past midnight
            if on_yesterday and trip.arrivals[-1] + shift >= DAY:
                runs.append((ti, shift - DAY))
    return runs


def build_timetable(net: Network, day: date) -> Timetable:
    by_pattern: dict[int, list[tuple[int, int, int]]] = {}
    for ti, shift in _running_trips(net, day):
        trip = net.trips[ti]
        by_pattern.setdefault(trip.pattern, []).append((trip.departures[0] + shift, ti, shift))
    tt = Timetable(day.strftime("%Y%m%d"), [], [], [], [], [], [], [[] for _ in net.stops])
    for pid in sorted(by_pattern):
        pattern = net.patterns[pid]
        runs = sorted(by_pattern[pid])
        for group in _split_fifo(net, runs):
            _add_group(tt, pattern.stops, pattern.can_board, pattern.can_alight, group)
    return tt


def _split_fifo(
    net: Network, runs: list[tuple[int, int, int]]
) -> list[list[tuple[list[int], list[int], int, int]]]:
    """Split runs into groups where no run overtakes another (binary search needs it)."""
    groups: list[list[tuple[list[int], list[int], int, int]]] = []
    for _, ti, shift in runs:
        trip = net.trips[ti]
        arr = [a + shift for a in trip.arrivals]
        dep = [d + shift for d in trip.departures]
        for group in groups:
            last_arr, last_dep = group[-1][0], group[-1][1]
            if all(a >= b for a, b in zip(arr, last_arr, strict=True)) and all(
                a >= b for a, b in zip(dep, last_dep, strict=True)
            ):
                group.append((arr, dep, ti, shift))
                break
        else:
            groups.append([(arr, dep, ti, shift)])
    return groups


def _add_group(
    tt: Timetable, stops: tuple[int, ...], board: tuple[bool, ...], alight: tuple[bool, ...],
    group: list[tuple[list[int], list[int], int, int]],
) -> None:
    pid = len(tt.stops)
    tt.stops.append(list(stops))
    tt.board.append(list(board))
    tt.alight.append(list(alight))
    tt.arr_rows.append([g[0] for g in group])
    tt.dep_cols.append([list(col) for col in zip(*(g[1] for g in group), strict=True)])
    tt.trip_refs.append([(g[2], g[3]) for g in group])
    seen: set[int] = set()
    for pos, s in enumerate(stops):
        # a loop visits a stop twice: scanning from the first visit also covers the second
        if (board[pos] or alight[pos]) and s not in seen:
            seen.add(s)
            tt.stop_routes[s] += (pid, pos)

