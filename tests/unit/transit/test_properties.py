"""Property tests (hypothesis) on real feeds: monotone arrival, Pareto shape, arrive-by."""

from __future__ import annotations

from datetime import date

from conftest import shared_network
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.transit import Planner, PlanOptions

FEED, DAY = "toyama_city_2019", date(2019, 6, 12)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _planner_and_stops():
    net = shared_network(FEED)
    served = sorted({net.stops[s].id for p in net.patterns for s in p.stops})
    return Planner(net), served


def stop_pairs():
    _, served = _planner_and_stops()
    return st.tuples(st.sampled_from(served), st.sampled_from(served))


@SETTINGS
@given(pair=stop_pairs(), depart=st.integers(5 * 3600, 21 * 3600), later=st.integers(1, 7200),
       change=st.sampled_from([0, 120]))
def test_arrival_never_improves_when_leaving_later(pair, depart, later, change):
    planner, _ = _planner_and_stops()
    opts = PlanOptions(min_change_s=change)
    early = planner.plan(pair[0], pair[1], DAY, depart, opts)
    late = planner.plan(pair[0], pair[1], DAY, depart + later, opts)
    if late.reachable:
        assert early.reachable and early.arrival <= late.arrival


@SETTINGS
@given(pair=stop_pairs(), depart=st.integers(5 * 3600, 21 * 3600))
def test_pareto_set_is_non_dominated_and_strictly_improving(pair, depart):
    planner, _ = _planner_and_stops()
    result = planner.plan(pair[0], pair[1], DAY, depart)
    if not result.reachable:
        return
    points = result.pareto
    for a, b in zip(points, points[1:], strict=False):
        assert a.transfers < b.transfers and a.arrival > b.arrival
    assert result.journey.arrival == points[-1].arrival  # earliest arrival is the last point
    assert result.journey.transfers == points[-1].transfers  # fewest transfers at it
    assert all(p.transfers <= 3 for p in points)  # up to 4 rides
    for journey, point in zip(result.options, points, strict=True):
        assert journey.arrival == point.arrival and journey.departure >= depart


@SETTINGS
@given(pair=stop_pairs(), deadline=st.integers(7 * 3600, 22 * 3600))
def test_arrive_by_arrives_by_the_deadline(pair, deadline):
    planner, _ = _planner_and_stops()
    result = planner.plan_arrive_by(pair[0], pair[1], DAY, deadline)
    if result.reachable:
        assert result.journey.arrival <= deadline
        # nothing leaving later still makes it: one second later arrives too late
        later = planner.plan(pair[0], pair[1], DAY, result.journey.departure + 1)
        assert not later.reachable or later.arrival > deadline
