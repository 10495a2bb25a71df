"""Transit planner benchmark: query time (median / p90) per shared feed, timetable build time
per date, and on wakayama_bus_2019 a comparison with a plain Connection Scan baseline (and
pyraptor when it is installed). Not part of the test suite.

    .venv/bin/python bench/transit.py [--queries 500] [--feeds a,b]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from bisect import bisect_left
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from services.transit import Planner, load_network  # noqa: E402
from services.transit.network import Network  # noqa: E402
from services.transit.raptor import INF  # noqa: E402
from services.transit.timetable import build_timetable  # noqa: E402

SHARED = REPO.parent / "shared" / "data" / "gtfs"
FEEDS = [
    "google_sample", "toyama_maidohaya_2019", "toyama_feeder_2019", "uozu_shimin_2019",
    "toyama_city_2019", "takaoka_komichi_2016", "toyohashi_tram_2018", "okayama_unobus_2019",
    "wakayama_bus_2019",
]


class ConnectionScan:
    """Baseline: textbook earliest-arrival CSA over the same day's runs (no Pareto set)."""

    def __init__(self, net: Network, day: date) -> None:
        tt = build_timetable(net, day)
        conns = []
        trip_no = 0
        for pid, stops in enumerate(tt.stops):
            board, alight = tt.board[pid], tt.alight[pid]
            for t, row in enumerate(tt.arr_rows[pid]):
                for i in range(len(stops) - 1):
                    conns.append((tt.dep_cols[pid][i][t], row[i + 1], stops[i], stops[i + 1],
                                  trip_no, board[i], alight[i + 1]))
                trip_no += 1
        conns.sort()
        self.conns = conns
        self.deps = [c[0] for c in conns]
        self.trips = trip_no
        self.footpaths = net.footpaths
        self.n = len(net.stops)

    def earliest_arrival(self, sources: list[int], targets: set[int], depart: int,
                         min_change: int = 0) -> int:
        ready = [INF] * self.n
        reached = [False] * self.trips
        best = INF
        for s in sources:
            ready[s] = depart
            if s in targets:
                best = depart
            for q, d in self.footpaths[s]:
                ready[q] = min(ready[q], depart + d)
                if q in targets:
                    best = min(best, depart + d)
        footpaths = self.footpaths
        for dep, arr, a, b, trip, can_board, can_alight in self.conns[
                bisect_left(self.deps, depart):]:
            if dep >= best:
                break
            if reached[trip] or (can_board and ready[a] <= dep):
                reached[trip] = True
                if can_alight and arr < best:
                    if b in targets:
                        best = arr
                    if arr + min_change < ready[b]:
                        ready[b] = arr + min_change
                    for q, d in footpaths[b]:
                        if arr + d < ready[q]:
                            ready[q] = arr + d
                            if q in targets:
                                best = min(best, arr + d)
        return best


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def make_queries(net: Network, day_list: list[date], count: int, seed: str):
    rng = random.Random(seed)
    served = sorted({net.stops[s].id for p in net.patterns for s in p.stops})
    return [
        (rng.choice(day_list), rng.choice(served), rng.choice(served),
         rng.randrange(6 * 3600, 20 * 3600))
        for _ in range(count)
    ]


def bench_feed(name: str, count: int) -> dict:
    t0 = time.perf_counter()
    net = load_network([SHARED / f"{name}.zip"])
    load_s = time.perf_counter() - t0
    feed = next(iter(net.feeds.values()))
    days = [feed.valid_from + timedelta(days=7 + i) for i in range(3)]
    builds = []
    for day in days:
        t = time.perf_counter()
        build_timetable(net, day)
        builds.append(time.perf_counter() - t)
    planner = Planner(net)
    for day in days:
        planner.timetable(day)  # build excluded from query times
    queries = make_queries(net, days, count, name)
    full, core, reachable = [], [], 0
    for day, a, b, dep in queries:
        t = time.perf_counter()
        result = planner.plan(a, b, day, dep)
        full.append(time.perf_counter() - t)
        t = time.perf_counter()
        planner.search(a, b, day, dep)
        core.append(time.perf_counter() - t)
        reachable += result.reachable
    return {
        "net": net, "planner": planner, "queries": queries, "days": days, "load_s": load_s,
        "build_ms": statistics.median(builds) * 1000, "full": full, "core": core,
        "reachable": reachable,
    }


def compare_wakayama(run: dict) -> None:
    net, planner, queries = run["net"], run["planner"], run["queries"]
    scanners = {day: ConnectionScan(net, day) for day in run["days"]}
    csa_times, later, earlier = [], 0, 0
    for day, a, b, dep in queries:
        sources, targets = net.resolve(a), set(net.resolve(b))
        t = time.perf_counter()
        ea = scanners[day].earliest_arrival(sources, targets, dep)
        csa_times.append(time.perf_counter() - t)
        mine = planner.plan(a, b, day, dep)
        # CSA is unbounded in rides: it may beat a 4-ride limit, never lose to it
        mine_arrival = mine.arrival if mine.reachable else INF
        later += ea > mine_arrival
        earlier += ea < mine_arrival
    ours_med, ours_p90 = statistics.median(run["full"]), percentile(run["full"], 0.9)
    csa_med, csa_p90 = statistics.median(csa_times), percentile(csa_times, 0.9)
    print("\nwakayama_bus_2019: planner (full Pareto result + journeys) vs baselines")
    print(f"  kitokito RAPTOR : median {ours_med * 1000:7.3f} ms   p90 {ours_p90 * 1000:7.3f} ms")
    print(f"  plain CSA (EA)  : median {csa_med * 1000:7.3f} ms   p90 {csa_p90 * 1000:7.3f} ms")
    print(f"  ratio ours/CSA  : median {ours_med / csa_med:5.2f}x   p90 {ours_p90 / csa_p90:5.2f}x"
          f"   (answers: CSA later {later} = bugs, CSA earlier via >4 rides {earlier})")
    try:
        import pyraptor  # noqa: F401
    except ImportError:
        print("  pyraptor        : not installed (pip install pyraptor into .venv to compare)")
        return
    print("  pyraptor        : installed, but its GTFS loader targets the Dutch NS feed; "
          "no adapter yet")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--feeds", default=",".join(FEEDS))
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent")
        return 0
    print(f"{'feed':24s} {'load s':>7s} {'build ms':>9s} {'median ms':>10s} {'p90 ms':>8s}"
          f" {'core med':>9s} {'core p90':>9s} {'reach':>6s}")
    runs = {}
    for name in args.feeds.split(","):
        run = bench_feed(name, args.queries)
        runs[name] = run
        print(f"{name:24s} {run['load_s']:7.2f} {run['build_ms']:9.1f}"
              f" {statistics.median(run['full']) * 1000:10.3f}"
              f" {percentile(run['full'], 0.9) * 1000:8.3f}"
              f" {statistics.median(run['core']) * 1000:9.3f}"
              f" {percentile(run['core'], 0.9) * 1000:9.3f}"
              f" {run['reachable']:6d}")
    if "wakayama_bus_2019" in runs:
        compare_wakayama(runs["wakayama_bus_2019"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
