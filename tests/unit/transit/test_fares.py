"""Fares from fare_attributes / fare_rules; None where a feed has no fare data."""

from __future__ import annotations

from datetime import date

from conftest import shared_network
from feedkit import MINI, write_feed

from services.transit import FareCalculator, Planner, load_network, parse_time

WED = date(2024, 6, 12)


def test_flat_fare_per_route_feeder():
    # fare_attributes: 均一運賃_00 = 200 JPY; fare_rules: every route -> 均一運賃_00
    net = shared_network("toyama_feeder_2019")
    result = Planner(net).plan("17_1", "12_1", date(2019, 7, 16), parse_time("06:00:00"))
    assert FareCalculator(net).journey_yen(result.journey) == 200


def test_origin_destination_fare_wakayama():
    # trip 13_11196_20190401 is route 5000_571_1; fare_rules has
    # "5000_571_1_210","5000_571_1","1_1","3_1" and that fare_id costs 210 JPY
    net = shared_network("wakayama_bus_2019")
    result = Planner(net).plan("1_1", "3_1", date(2019, 4, 10), parse_time("08:00:00"))
    assert result.journey.rides[0].route_id == "5000_571_1"
    assert FareCalculator(net).journey_yen(result.journey) == 210


def test_no_fare_data_is_unknown():
    net = shared_network("toyama_city_2019")  # the merged feed ships no fare files
    result = Planner(net).plan("feeder:1_1", "mizuhashi:17_1", date(2019, 6, 12), 6 * 3600)
    assert FareCalculator(net).journey_fare(result.journey) is None


def test_zone_and_contains_rules(tmp_path):
    files = dict(MINI)
    files["fare_attributes.txt"] = (
        "fare_id,price,currency_type,payment_method,transfers\n"
        "short,150,JPY,0,0\nlong,300,JPY,0,0\ncity,120,JPY,0,0\n"
    )
    files["fare_rules.txt"] = (
        "fare_id,route_id,origin_id,destination_id,contains_id\n"
        "short,R1,ZA,ZB,\n"
        "long,R1,ZA,,\n"
        "city,R2,,,ZC\ncity,R2,,,ZE\n"
    )
    net = load_network([write_feed(tmp_path / "fares", files)])
    planner, fares = Planner(net), FareCalculator(net)
    a_b = planner.plan("A", "B", WED, parse_time("07:00:00")).journey
    a_d = planner.plan("A", "D", WED, parse_time("07:00:00")).journey
    a_e = planner.plan("A", "E", WED, parse_time("07:00:00")).journey
    assert fares.journey_yen(a_b) == 150  # exact origin+destination beats "from ZA anywhere"
    assert fares.journey_yen(a_d) == 300
    assert fares.journey_yen(a_e) == 300 + 120  # T1 then T2 (zones C, E all contained)
    x = planner.plan("A", "X", WED, parse_time("07:00:00")).journey
    assert fares.journey_fare(x) is None  # R5 has no rule: fare unknown


def test_google_sample_is_not_yen():
    net = shared_network("google_sample")
    result = Planner(net).plan("STAGECOACH", "BEATTY_AIRPORT", date(2007, 6, 5), 6 * 3600)
    fare = FareCalculator(net).journey_fare(result.journey)
    assert fare is not None and fare.currency == "USD" and fare.amount == 1.25
    assert fare.yen is None
