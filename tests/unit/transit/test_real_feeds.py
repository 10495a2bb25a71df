"""Hand-checked journeys on the shared real feeds. Each expectation was read off the feed's
own files (stop_times / calendar / frequencies / transfers); the comments say where."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import shared_network

from services.transit import Planner, PlanOptions, format_time, parse_time


def plan(feed: str, origin: str, dest: str, day: date, depart: str, **opts):
    planner = Planner(shared_network(feed))
    return planner.plan(origin, dest, day, parse_time(depart), PlanOptions(**opts))


def legs(result):
    return [
        (getattr(leg, "trip_id", "walk"), leg.from_stop.id, format_time(leg.departure),
         leg.to_stop.id, format_time(leg.arrival))
        for leg in result.journey.legs
    ]


def test_maidohaya_circular_trip_boarded_at_first_stop():
    # 1+毎日+1 starts at 29_1 9:00 (seq 1), ends at 29_1 9:40 (seq 32); 53_1 is seq 31, 9:39
    result = plan("toyama_maidohaya_2019", "29_1", "53_1", date(2019, 6, 12), "09:00:00")
    assert legs(result) == [("1+毎日+1", "29_1", "09:00:00", "53_1", "09:39:00")]
    assert len(result.journey.rides[0].intermediate) == 29


def test_maidohaya_station_id_as_origin():
    # station 29 (location_type 1) has the one child 29_1; 4_1 is seq 3 of 1+毎日+1 at 9:06
    result = plan("toyama_maidohaya_2019", "29", "4_1", date(2019, 6, 12), "09:00:00")
    assert legs(result) == [("1+毎日+1", "29_1", "09:00:00", "4_1", "09:06:00")]
    assert result.journey.rides[0].from_stop.name == "富山駅前（中央ルート）"


def test_feeder_calendar_dates_holiday_exception():
    # 2019-07-15 (海の日, a Monday): 平日 removed, 土休日 added in calendar_dates.txt.
    # From 17_1 the first 平日 run leaves 6:12 (12_1 at 6:24), the first 土休日 run 6:22 (6:34)
    weekday = plan("toyama_feeder_2019", "17_1", "12_1", date(2019, 7, 16), "06:00:00")
    holiday = plan("toyama_feeder_2019", "17_1", "12_1", date(2019, 7, 15), "06:00:00")
    assert legs(weekday) == [("2_1+平日+1", "17_1", "06:12:00", "12_1", "06:24:00")]
    assert legs(holiday) == [("2_1+土休日+1", "17_1", "06:22:00", "12_1", "06:34:00")]


def test_okayama_after_midnight_trip_of_previous_day():
    # 平日_23時30分_系統2081 calls at 352_04 24:00 and 1580_04 24:02. 2019-10-01 is a Tuesday
    # (平日), so on Wednesday 10-02 at 00:00 that run is catchable and shows as 00:02.
    result = plan("okayama_unobus_2019", "352_04", "1580_04", date(2019, 10, 2), "00:00:00")
    assert legs(result) == [("平日_23時30分_系統2081", "352_04", "00:00:00", "1580_04", "00:02:00")]
    assert result.journey.rides[0].previous_service_day
    # and on its own service day it is a 24:xx time
    same_day = plan("okayama_unobus_2019", "352_04", "1580_04", date(2019, 10, 1), "23:59:00")
    assert same_day.to_json_dict()["arrival"] == "24:02:00"


def test_toyama_city_transfers_txt_walk():
    # feeder:1_2+平日+1: feeder:1_1 6:45 -> feeder:27_1 6:56; transfers.txt
    # "feeder:27_1,mizuhashi:1_1,2,70"; mizuhashi:3_1+平日+1 leaves mizuhashi:1_1 7:08 and
    # reaches mizuhashi:17_1 at 7:15. Different feeds: the walk is the only link.
    result = plan("toyama_city_2019", "feeder:1_1", "mizuhashi:17_1", date(2019, 6, 12), "06:00:00")
    assert legs(result) == [
        ("feeder:1_2+平日+1", "feeder:1_1", "06:45:00", "feeder:27_1", "06:56:00"),
        ("walk", "feeder:27_1", "06:56:00", "mizuhashi:1_1", "06:57:10"),
        ("mizuhashi:3_1+平日+1", "mizuhashi:1_1", "07:08:00", "mizuhashi:17_1", "07:15:00"),
    ]
    assert result.journey.transfers == 1


def test_google_sample_frequencies_and_calendar_exception():
    # STBA runs every 1800 s from 6:00 (frequencies.txt): STAGECOACH -> BEATTY_AIRPORT 20 min
    result = plan("google_sample", "STAGECOACH", "BEATTY_AIRPORT", date(2007, 6, 5), "06:01:00")
    assert legs(result) == [("STBA", "STAGECOACH", "06:30:00", "BEATTY_AIRPORT", "06:50:00")]
    # CITY1 every 600 s from 8:00; STAGECOACH -> EMSI takes 26 min: the 8:10 run arrives 8:36
    result = plan("google_sample", "STAGECOACH", "EMSI", date(2007, 6, 5), "08:01:00")
    assert result.journey.arrival == parse_time("08:36:00")
    # calendar_dates.txt: FULLW removed on 2007-06-04 (a Monday, so WE does not run either)
    gone = plan("google_sample", "STAGECOACH", "EMSI", date(2007, 6, 4), "08:01:00")
    assert gone.reachable is False


def test_google_sample_change_time():
    # AB1: BEATTY_AIRPORT 8:00 -> BULLFROG 8:10; BFC1: BULLFROG 8:20 -> FUR_CREEK_RES 9:20
    ok = plan("google_sample", "BEATTY_AIRPORT", "FUR_CREEK_RES", date(2007, 6, 5), "07:00:00",
              min_change_s=600)
    assert legs(ok) == [
        ("AB1", "BEATTY_AIRPORT", "08:00:00", "BULLFROG", "08:10:00"),
        ("BFC1", "BULLFROG", "08:20:00", "FUR_CREEK_RES", "09:20:00"),
    ]
    too_slow = plan("google_sample", "BEATTY_AIRPORT", "FUR_CREEK_RES", date(2007, 6, 5),
                    "07:00:00", min_change_s=601)
    assert too_slow.reachable is False


def test_uozu_station_origin():
    # station 45 (魚津駅前) -> child 45_1; 1_1+毎日+1 leaves 45_1 8:50, 231_1 at 8:51
    result = plan("uozu_shimin_2019", "45", "231_1", date(2019, 6, 12), "08:45:00")
    assert legs(result) == [("1_1+毎日+1", "45_1", "08:50:00", "231_1", "08:51:00")]


def test_takaoka_header_with_spaces():
    # agency.txt header has ", agency_name"; KomichiOrange1 8:00 -> SuehiroCho3 8:01
    net = shared_network("takaoka_komichi_2016")
    assert next(iter(net.feeds.values())).agency_names  # parsed despite the spaces
    result = plan("takaoka_komichi_2016", "TakaokaEkiMaeOrange", "SuehiroCho3",
                  date(2016, 6, 1), "07:55:00")
    assert legs(result) == [("KomichiOrange1", "TakaokaEkiMaeOrange", "08:00:00",
                             "SuehiroCho3", "08:01:00")]


def test_toyohashi_tram_frequencies():
    # 平日_系統3 every 900 s from 5:52 (5:52, 6:07, ...), 1_01 -> 3_01 in 3 min;
    # 系統5 starts 6:09, 系統1 8:04: so from 6:00 the 6:07 run arrives 6:10
    result = plan("toyohashi_tram_2018", "1_01", "3_01", date(2018, 6, 13), "06:00:00")
    assert legs(result) == [("平日_系統3", "1_01", "06:07:00", "3_01", "06:10:00")]


def test_wakayama_platform_code_and_unsorted_stop_times():
    # stop_times.txt is not sorted (seq 28 listed before seq 27); stops carry platform_code
    net = shared_network("wakayama_bus_2019")
    assert net.stops[net.stop_index["174_2"]].platform_code == "2"
    feed = next(iter(net.feeds.values()))
    calls = feed.stop_times["13_10759_20190401"]
    assert [c.sequence for c in calls] == sorted(c.sequence for c in calls)
    assert calls[-1].stop_id == "1_0" and calls[-1].pickup == 1


@pytest.mark.parametrize("feed", ["toyama_maidohaya_2019", "uozu_shimin_2019", "wakayama_bus_2019"])
def test_real_feeds_load_without_issues(feed):
    net = shared_network(feed)
    assert next(iter(net.feeds.values())).issues == []
