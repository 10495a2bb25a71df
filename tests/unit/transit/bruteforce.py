"""An independent, deliberately simple reference planner for the tests and the bench.

It works from the loaded `Feed` only (not the planner's network/timetable/patterns): its own
service-day rule, its own frequency expansion, and a plain scan of every vehicle run in each
round (no patterns, no binary search, no pruning). Round k = best arrival with <= k rides.
"""

from __future__ import annotations

from datetime import date, timedelta

from services.transit.model import Feed

INF = float("inf")
Call = tuple[str, int, int, bool, bool]  # stop, arrival, departure, can board, can alight

class BruteForce:
    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.children: dict[str, list[str]] = {}
        for s in feed.stops.values():
            if s.parent_station:
                self.children.setdefault(s.parent_station, []).append(s.stop_id)
        self.walks: dict[str, dict[str, int]] = {}
        self.no_change: set[str] = set()
        for t in feed.transfers:
            froms, tos = self.expand(t.from_stop), self.expand(t.to_stop)
            if t.transfer_type == 3 and t.from_stop == t.to_stop:
                self.no_change.update(froms)
            elif t.transfer_type == 2 and t.from_stop != t.to_stop and t.min_time is not None:
                for a in froms:
                    for b in tos:
                        if a != b:
                            old = self.walks.setdefault(a, {}).get(b, INF)
                            self.walks[a][b] = min(old, t.min_time)
        for t in feed.transfers:
            if t.transfer_type == 3 and t.from_stop != t.to_stop:
                for a in self.expand(t.from_stop):
                    for b in self.expand(t.to_stop):
                        self.walks.get(a, {}).pop(b, None)
        self._runs: dict[date, list[list[Call]]] = {}

    def expand(self, stop_id: str) -> list[str]:
        return self.children.get(stop_id) or [stop_id]

    def runs_today(self, day: date) -> set[str]:
        weekday = day.weekday()
        on = set()
        for sid, cal in self.feed.calendar.items():
            if cal.start <= day <= cal.end and cal.weekdays[weekday]:
                on.add(sid)
        for sid, exceptions in self.feed.calendar_dates.items():
            if exceptions.get(day) == 1:
                on.add(sid)
            if exceptions.get(day) == 2:
                on.discard(sid)
        return on

    def runs(self, day: date) -> list[list[Call]]:
        if day not in self._runs:
            result = []
            for offset, services in ((0, self.runs_today(day)),
                                     (-86400, self.runs_today(day - timedelta(days=1)))):
                for tid, calls in self.feed.stop_times.items():
                    if self.feed.trips[tid].service_id not in services:
                        continue
                    freqs = self.feed.frequencies.get(tid)
                    starts = [0]
                    if freqs:
                        starts = []
                        for f in freqs:
                            t = f.start
                            while t < f.end:
                                starts.append(t - calls[0].departure)
                                t += f.headway
                    for shift in starts:
                        result.append([
                            (c.stop_id, c.arrival + shift + offset, c.departure + shift + offset,
                             c.pickup != 1, c.drop_off != 1)
                            for c in calls
                        ])
            self._runs[day] = result
        return self._runs[day]

    def arrivals(
        self, day: date, origin: str, dest: str, depart: int, min_change: int = 0,
        max_rides: int = 4,
    ) -> list[float]:
        """Best arrival at `dest` using at most k rides, for k = 0..max_rides."""
        targets = set(self.expand(dest))
        ready: dict[str, float] = {}
        for s in self.expand(origin):
            ready[s] = depart
        for s in self.expand(origin):
            for q, d in self.walks.get(s, {}).items():
                ready[q] = min(ready.get(q, INF), depart + d)
        best = min((ready.get(t, INF) for t in targets), default=INF)
        out = [best]
        runs = [r for r in self.runs(day) if r[-1][1] >= depart]
        for _ in range(max_rides):
            rode: dict[str, float] = {}
            for calls in runs:
                boarded = False
                for stop, arr, dep, can_board, can_alight in calls:
                    if boarded and can_alight and arr < rode.get(stop, INF):
                        rode[stop] = arr
                    if not boarded and can_board and ready.get(stop, INF) <= dep:
                        boarded = True
            new_ready = dict(ready)
            for s, a in rode.items():
                if s in targets:
                    best = min(best, a)
                if s not in self.no_change:
                    new_ready[s] = min(new_ready.get(s, INF), a + min_change)
                for q, d in self.walks.get(s, {}).items():
                    new_ready[q] = min(new_ready.get(q, INF), a + d)
                    if q in targets:
                        best = min(best, a + d)
            ready = new_ready
            out.append(best)
        return out
