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
    def from_plain(
        cls, data: tuple, *, stops: int | None = None, trips: int | None = None
    ) -> Timetable:
        """The timetable `to_plain` gave; ValueError if `data` is not a consistent one (a
        planner indexing into a wrong one would fail on every query of that day)."""
        if not isinstance(data, (tuple, list)) or len(data) != 8:
            raise ValueError("not a timetable")
        tt = cls(*data)
        tt.check(stops=stops, trips=trips)
        return tt

    def check(self, *, stops: int | None = None, trips: int | None = None) -> None:
        """ValueError unless every index the planner follows stays in range: pattern columns
        and rows agree in length, stop_routes points at the pattern positions of its stop, and
        (when given) there is one stop_routes entry per network stop and trips exist."""
        day = self.day
        if not (isinstance(day, str) and len(day) == 8 and day.isdigit()):
            raise ValueError("bad day")
        n = len(self.stops)
        columns = (self.board, self.alight, self.dep_cols, self.arr_rows, self.trip_refs)
        if any(not isinstance(c, list) or len(c) != n for c in columns):
            raise ValueError("pattern columns disagree")
        n_stops = len(self.stop_routes)
        if stops is not None and n_stops != stops:
            raise ValueError("stop count differs from the network")
        for p in range(n):
            pstops, refs = self.stops[p], self.trip_refs[p]
            length, runs = len(pstops), len(refs)
            if length < 2 or runs < 1:
                raise ValueError("empty pattern")
            if len(self.board[p]) != length or len(self.alight[p]) != length:
                raise ValueError("boarding rules disagree")
            if any(not isinstance(s, int) or not 0 <= s < n_stops for s in pstops):
                raise ValueError("stop index out of range")
            cols, rows = self.dep_cols[p], self.arr_rows[p]
            if len(cols) != length or any(len(col) != runs for col in cols):
                raise ValueError("departure columns disagree")
            if len(rows) != runs or any(len(row) != length for row in rows):
                raise ValueError("arrival rows disagree")
            for ref in refs:
                if len(ref) != 2 or not 0 <= ref[0] < (trips if trips is not None else 1 << 62):
                    raise ValueError("trip reference out of range")
        for s, routes in enumerate(self.stop_routes):
            if len(routes) % 2:
                raise ValueError("stop routes are not pairs")
            for i in range(0, len(routes), 2):
                p, pos = routes[i], routes[i + 1]
                if not (0 <= p < n and 0 <= pos < len(self.stops[p])
                        and self.stops[p][pos] == s):
                    raise ValueError("stop routes point elsewhere")

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

