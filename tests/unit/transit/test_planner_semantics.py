"""Planner semantics on the hand-made MINI feed (answers checked by reading feedkit.MINI)."""

from __future__ import annotations

from datetime import date

import pytest
from feedkit import MINI, write_feed

from services.transit import Planner, PlanOptions, UnknownStop, load_network, parse_time

WED = date(2024, 6, 12)


@pytest.fixture
def planner(tmp_path):
    return Planner(load_network([write_feed(tmp_path / "mini", MINI)]))


def arrival(planner, a, b, depart, **opts):
    result = planner.plan(a, b, WED, parse_time(depart), PlanOptions(**opts))
    return result.journey.arrival if result.reachable else None


def test_zero_minute_hop_and_change(planner):
    result = planner.plan("A", "E", WED, parse_time("07:00:00"))
    assert result.journey.arrival == parse_time("08:30:00")
    assert [leg.trip_id for leg in result.journey.rides] == ["T1", "T2"]
    assert result.journey.transfers == 1
    assert [c.stop.id for c in result.journey.rides[0].intermediate] == ["B"]


def test_min_change_time_is_respected(planner):
    assert arrival(planner, "A", "E", "07:00:00", min_change_s=300) == parse_time("08:30:00")
    assert arrival(planner, "A", "E", "07:00:00", min_change_s=301) is None


def test_circular_trip_boardable_at_first_visit(planner):
    assert arrival(planner, "L", "N", "08:50:00") == parse_time("09:10:00")
    assert arrival(planner, "M", "N", "09:00:00") == parse_time("09:10:00")
    # the second visit of L is a plain stop too: from N, ride on to L and M again
    assert arrival(planner, "N", "M", "09:06:00") == parse_time("09:20:00")


def test_pickup_and_drop_off_types(planner):
    assert arrival(planner, "P", "Q", "09:00:00") is None  # no alighting at Q
    assert arrival(planner, "Q", "R", "09:00:00") is None  # no boarding at Q
    assert arrival(planner, "P", "R", "09:00:00") == parse_time("10:10:00")


def test_transfers_walk_and_walking_speed(planner):
    result = planner.plan("A", "X", WED, parse_time("07:00:00"))
    kinds = [leg.kind for leg in result.journey.legs]
    assert kinds == ["ride", "walk", "ride"]
    assert result.journey.legs[1].seconds == 120
    assert result.journey.arrival == parse_time("08:40:00")
    # half the reference speed: 240 s walk, 08:24 <= 08:25 still makes it
    assert arrival(planner, "A", "X", "07:00:00", walk_speed_m_s=0.6) == parse_time("08:40:00")
    # a third of it: 360 s, misses the 08:25 departure
    assert arrival(planner, "A", "X", "07:00:00", walk_speed_m_s=0.4) is None


def test_station_id_stands_for_children(planner):
    assert arrival(planner, "S", "A", "10:50:00") == parse_time("11:10:00")
    assert arrival(planner, "S2", "A", "10:50:00") == parse_time("11:10:00")
    assert arrival(planner, "S1", "A", "10:50:00") is None


def test_forbidden_change_type_3(tmp_path):
    files = dict(MINI)
    files["transfers.txt"] = MINI["transfers.txt"] + "C,C,3,\n"
    planner = Planner(load_network([write_feed(tmp_path / "mini3", files)]))
    assert planner.plan("A", "E", WED, parse_time("07:00:00")).reachable is False
    assert arrival(planner, "C", "E", "08:00:00") == parse_time("08:30:00")  # boarding is fine


def test_no_service_on_weekend_and_unknown_stop(planner):
    assert planner.plan("A", "D", date(2024, 6, 15), parse_time("07:00:00")).reachable is False
    with pytest.raises(UnknownStop):
        planner.plan("A", "nowhere", WED, 0)


def test_origin_equals_destination_is_walk_only(planner):
    result = planner.plan("A", "A", WED, parse_time("07:00:00"))
    assert result.journey.arrival == parse_time("07:00:00")
    assert result.journey.legs == ()
    assert result.to_json_dict()["transfers"] == 0


def test_arrive_by_picks_latest_departure(planner):
    result = planner.plan_arrive_by("A", "E", WED, parse_time("08:35:00"))
    assert result.journey.arrival == parse_time("08:30:00")
    assert result.journey.departure == parse_time("08:00:00")
    assert planner.plan_arrive_by("A", "E", WED, parse_time("08:29:00")).reachable is False


def test_fewer_transfers_and_less_walking_options(planner):
    fewer = planner.plan(
        "A", "X", WED, parse_time("07:00:00"), PlanOptions(prefer="fewer_transfers"))
    assert fewer.journey.arrival == parse_time("08:40:00")  # the only way, walk included
    less = planner.plan(
        "A", "X", WED, parse_time("07:00:00"),
        PlanOptions(prefer="less_walking", less_walking_max_walk_s=60),
    )
    assert less.reachable  # falls back to walking when nothing else works


def test_arrive_by_a_walk_alone_leaves_its_walking_time_before_the_deadline(planner):
    """No vehicle links D and W, a 120 s walk does: the latest departure is 08:58."""
    result = planner.plan_arrive_by("D", "W", WED, parse_time("09:00:00"))
    assert result.reachable
    assert (result.journey.departure, result.journey.arrival) == (
        parse_time("08:58:00"), parse_time("09:00:00"))
