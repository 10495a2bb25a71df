"""GTFS-Realtime TripUpdates from tests/data/transit/sample_trip_updates.pb (see its script)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import TEST_DATA, shared_network

from services.transit import (
    Planner,
    RealtimeError,
    TransitService,
    apply_delays,
    parse_time,
    parse_trip_updates,
)

WED = date(2019, 6, 12)
SAMPLE = TEST_DATA / "sample_trip_updates.pb"


@pytest.fixture(scope="module")
def delays():
    return parse_trip_updates(SAMPLE.read_bytes())


def test_parse_sample(delays):
    assert set(delays.trips) == {"2_1+平日+1", "2_1+平日+2", "2_1+平日+3"}
    first = delays.trips["2_1+平日+1"]
    assert [u.stop_sequence for u in first.updates] == [4, 7]
    assert first.updates[0].departure_delay == 120


def _ride(net, origin, dest, depart):
    return Planner(net).plan(origin, dest, WED, parse_time(depart)).journey


def test_delay_propagates_until_next_update(delays):
    net = shared_network("toyama_feeder_2019")
    # boarding 2_1+平日+1 at 荒屋 15_1 (seq 4): the update there says +120 s
    j = apply_delays(net, _ride(net, "15_1", "12_1", "06:10:00"), delays, WED)
    assert j.rides[0].trip_id == "2_1+平日+1"
    assert j.rides[0].delay_minutes == 2 and j.rides[0].delay_text == "+2 min"
    # boarding at 荒屋南部 14_1 (seq 5): no update there, seq 4's +2 min still holds
    j = apply_delays(net, _ride(net, "14_1", "12_1", "06:10:00"), delays, WED)
    assert j.rides[0].delay_minutes == 2
    # boarding at 21_1 (seq 8): seq 7's +3 min holds
    j = apply_delays(net, _ride(net, "21_1", "12_1", "06:10:00"), delays, WED)
    assert j.rides[0].delay_minutes == 3
    # boarding before the first update (四方神明町, seq 1): nothing known
    j = apply_delays(net, _ride(net, "17_1", "12_1", "06:00:00"), delays, WED)
    assert j.rides[0].delay_s is None and j.rides[0].delay_text == ""


def test_on_time_and_absolute_time(delays):
    net = shared_network("toyama_feeder_2019")
    j = apply_delays(net, _ride(net, "17_1", "12_1", "06:40:00"), delays, WED)
    assert j.rides[0].trip_id == "2_1+平日+2" and j.rides[0].delay_text == "on time"
    # 2_1+平日+3 at 四方町 16_1 (seq 2) scheduled 7:18, expected 07:19 JST -> +1 min
    j = apply_delays(net, _ride(net, "16_1", "12_1", "07:10:00"), delays, WED)
    assert j.rides[0].trip_id == "2_1+平日+3" and j.rides[0].delay_minutes == 1


def test_service_facade_and_namespacing():
    net = shared_network("toyama_feeder_2019")
    service = TransitService(net)
    journey = service.plan("15_1", "12_1", WED, "06:10:00").journey
    live = service.with_realtime(journey, SAMPLE.read_bytes(), WED)
    assert live.rides[0].delay_minutes == 2
    prefixed = parse_trip_updates(SAMPLE.read_bytes(), feed_prefix="feeder")
    assert "feeder:2_1+平日+1" in prefixed.trips


def test_garbage_bytes_raise_clear_error():
    with pytest.raises(RealtimeError):
        parse_trip_updates(b"\xff\xff\xff not protobuf")
