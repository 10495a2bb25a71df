"""Property tests (hypothesis) on a real feed: monotone arrival, Pareto shape, arrive-by.

Health checks stay on. Each property is about journeys, so examples where the planner finds
none are discarded (`assume`), not counted as passes: a planner that answered "unreachable"
to everything would fail the filter health check instead of passing.
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import SHARED_GTFS, shared_network
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from services.transit import Planner, PlanOptions

FEED, DAY = "toyama_city_2019", date(2019, 6, 12)
pytestmark = pytest.mark.skipif(not (SHARED_GTFS / f"{FEED}.zip").is_file(),
                                reason=f"needs the shared feed {FEED} (../shared/data/gtfs)")
SETTINGS = settings(max_examples=60, deadline=None)
_planner: Planner | None = None


def planner() -> Planner:
    global _planner
    if _planner is None:
        _planner = Planner(shared_network(FEED))
    return _planner


def _boardings() -> list[tuple[int, int]]:
    """(pattern, position) where a bus that runs on DAY can be boarded, with a stop after."""
    tt = planner().timetable(DAY)
    return [(p, i) for p, stops in enumerate(tt.stops) for i in range(len(stops) - 1)
            if tt.board[p][i] and tt.dep_cols[p][i]]


@st.composite
def rides(draw: st.DrawFn) -> tuple[str, str, int, int]:
    """A real ride on DAY: from, to, its departure and its arrival. Every query built from
    one has an answer, so no property can hold by answering "unreachable"."""
    tt, net = planner().timetable(DAY), planner().network
    p, i = draw(st.sampled_from(_boardings()))
    j = draw(st.integers(i + 1, len(tt.stops[p]) - 1))
    t = draw(st.integers(0, len(tt.dep_cols[p][i]) - 1))
    origin, destination = net.stops[tt.stops[p][i]].id, net.stops[tt.stops[p][j]].id
    assume(tt.alight[p][j] and origin != destination)
    return origin, destination, tt.dep_cols[p][i][t], tt.arr_rows[p][t][j]


# Deferred: the feed is read when the first example is drawn, not when this module is
# collected (a checkout without ../shared skips instead of failing at collection).
some_ride = st.deferred(rides)


@SETTINGS
@given(ride=some_ride, slack=st.integers(0, 1800), later=st.integers(1, 1800),
       change=st.sampled_from([0, 120]))
def test_arrival_never_improves_when_leaving_later(ride, slack, later, change):
    origin, destination, departure, _ = ride
    opts = PlanOptions(min_change_s=change)
    early = planner().plan(origin, destination, DAY, departure - slack, opts)
    assert early.reachable  # that very bus at least
    late = planner().plan(origin, destination, DAY, departure - slack + later, opts)
    if late.reachable:
        assert early.arrival <= late.arrival


@SETTINGS
@given(ride=some_ride, slack=st.integers(0, 1800))
def test_pareto_set_is_non_dominated_and_strictly_improving(ride, slack):
    origin, destination, departure, arrival = ride
    depart = departure - slack
    result = planner().plan(origin, destination, DAY, depart)
    assert result.reachable and result.journey.arrival <= arrival
    points = result.pareto
    for a, b in zip(points, points[1:], strict=False):
        assert a.transfers < b.transfers and a.arrival > b.arrival
    assert result.journey.arrival == points[-1].arrival  # earliest arrival is the last point
    assert result.journey.transfers == points[-1].transfers  # fewest transfers at it
    assert all(p.transfers <= 3 for p in points)  # up to 4 rides
    for journey, point in zip(result.options, points, strict=True):
        assert journey.arrival == point.arrival and journey.departure >= depart


@SETTINGS
@given(ride=some_ride, slack=st.integers(0, 1800))
def test_arrive_by_arrives_by_the_deadline(ride, slack):
    origin, destination, departure, arrival = ride
    deadline = arrival + slack
    result = planner().plan_arrive_by(origin, destination, DAY, deadline)
    assert result.reachable and result.journey.arrival <= deadline
    assert result.journey.departure >= departure  # at least as late as that bus leaves
    if result.journey.rides:
        # Nothing leaving later still makes it: one second later arrives too late. (A walk
        # alone can start any second; that case is only held to the deadline above.)
        later = planner().plan(origin, destination, DAY, result.journey.departure + 1)
        assert not later.reachable or later.arrival > deadline
