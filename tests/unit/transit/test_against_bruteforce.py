"""The planner against an independent brute-force search (bruteforce.py) on random queries
(seeded), on every shared feed: same best arrival for every ride limit k = 0..4, so the same
earliest arrival, fewest transfers and Pareto set; each journey is checked leg by leg."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from bruteforce import BruteForce
from conftest import shared_network
from journey_check import check_journey

from services.transit import Planner, PlanOptions
from services.transit.planner import pareto_points
from services.transit.raptor import INF

FEEDS = {  # feed: number of random queries (fewer on the two big feeds to keep the suite fast)
    "google_sample": 300,
    "toyama_maidohaya_2019": 300,
    "toyama_feeder_2019": 300,
    "uozu_shimin_2019": 300,
    "toyama_city_2019": 300,
    "takaoka_komichi_2016": 300,
    "toyohashi_tram_2018": 300,
    "okayama_unobus_2019": 300,
    "wakayama_bus_2019": 300,
}


@pytest.mark.parametrize("feed_name", sorted(FEEDS))
def test_planner_matches_bruteforce(feed_name):
    net = shared_network(feed_name)
    feed = next(iter(net.feeds.values()))
    brute, planner = BruteForce(feed), Planner(net, memory_dates=8)
    rng = random.Random(f"transit-{feed_name}")
    served = sorted({c.stop_id for calls in feed.stop_times.values() for c in calls})
    stations = sorted(s for s, stop in feed.stops.items() if stop.location_type == 1)
    span = min(14, (feed.valid_to - feed.valid_from).days)
    days = [feed.valid_from + timedelta(days=rng.randrange(span)) for _ in range(4)]
    reachable = 0
    for _ in range(FEEDS[feed_name]):
        day = rng.choice(days)
        origin = rng.choice(stations if stations and rng.random() < 0.2 else served)
        dest = rng.choice(stations if stations and rng.random() < 0.2 else served)
        if rng.random() < 0.15:
            depart = rng.randrange(0, 2 * 3600)  # after midnight: yesterday's late runs
        else:
            depart = rng.randrange(5 * 3600, 22 * 3600)
        change = rng.choice((0, 0, 60, 180, 300))
        expected = brute.arrivals(day, origin, dest, depart, change)
        _, res = planner.search(origin, dest, day, depart, PlanOptions(min_change_s=change))
        got = [a if a < INF else float("inf") for a in res.target_arrival]
        got += [got[-1]] * (len(expected) - len(got))  # search stops early when nothing moves
        where = f"{feed_name} {day} {origin}->{dest} at {depart}s change {change}"
        assert got == expected, where
        result = planner.plan(origin, dest, day, depart, PlanOptions(min_change_s=change))
        assert result.reachable == (expected[-1] < float("inf")), where
        if result.reachable:
            reachable += 1
            assert [(p.transfers, p.arrival) for p in result.pareto] == [
                (p.transfers, p.arrival) for p in pareto_points(list(expected))
            ], where
            for journey, point in zip(result.options, result.pareto, strict=True):
                assert journey.arrival == point.arrival, where
                assert journey.transfers <= point.transfers, where
                check_journey(feed, journey, set(brute.expand(origin)), set(brute.expand(dest)),
                              depart, change, brute.walks)
    assert reachable >= 5, f"too few reachable queries on {feed_name} to mean anything"


def test_after_midnight_queries_match_bruteforce():
    """Targeted: origins served by runs after 24:00 (okayama), departing just after midnight."""
    net = shared_network("okayama_unobus_2019")
    feed = next(iter(net.feeds.values()))
    brute, planner = BruteForce(feed), Planner(net)
    late_trips = [calls for calls in feed.stop_times.values() if calls[-1].arrival >= 86400]
    rng = random.Random("after-midnight")
    late_answers = 0
    for _ in range(60):
        day = feed.valid_from + timedelta(days=rng.randrange(1, 30))
        calls = rng.choice(late_trips)
        after = [i for i, c in enumerate(calls[:-1]) if c.departure >= 86400]
        i = rng.choice(after)
        origin, dest = calls[i].stop_id, calls[rng.randrange(i + 1, len(calls))].stop_id
        depart = rng.randrange(0, calls[i].departure - 86400 + 1)
        expected = brute.arrivals(day, origin, dest, depart)
        _, res = planner.search(origin, dest, day, depart)
        got = [a if a < INF else float("inf") for a in res.target_arrival]
        got += [got[-1]] * (len(expected) - len(got))
        assert got == expected, f"{day} {origin}->{dest} at {depart}"
        late_answers += expected[-1] < 5 * 3600
    assert late_answers >= 3  # some answers really use yesterday's runs
