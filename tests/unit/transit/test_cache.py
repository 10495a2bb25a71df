"""Disk cache of built timetables: a hit on the second start, a miss when the feed changes."""

from __future__ import annotations

import shutil
from datetime import date

from feedkit import MINI, write_feed

from services.transit import Planner, load_network, parse_time
from services.transit.cache import TimetableCache

WED = date(2024, 6, 12)


def test_cache_hit_and_same_answers(tmp_path, tmp_cache):
    feed_dir = write_feed(tmp_path / "mini", MINI)
    first = Planner(load_network([feed_dir]), cache_dir=tmp_cache)
    a = first.plan("A", "E", WED, parse_time("07:00:00"))
    assert first.last_build_source == "built"
    assert len(list(tmp_cache.glob("tt-*.marshal"))) == 1
    second = Planner(load_network([feed_dir]), cache_dir=tmp_cache)  # "app restart"
    b = second.plan("A", "E", WED, parse_time("07:00:00"))
    assert second.last_build_source == "disk"
    assert a == b


def test_changed_feed_invalidates(tmp_path, tmp_cache):
    feed_dir = write_feed(tmp_path / "mini", MINI)
    Planner(load_network([feed_dir]), cache_dir=tmp_cache).timetable(WED)
    changed = dict(MINI)
    changed["stop_times.txt"] = MINI["stop_times.txt"].replace(
        "T2,8:30:00,8:30:00,E", "T2,8:45:00,8:45:00,E")
    write_feed(feed_dir, changed)
    planner = Planner(load_network([feed_dir]), cache_dir=tmp_cache)
    result = planner.plan("A", "E", WED, parse_time("07:00:00"))
    assert planner.last_build_source == "built"
    assert result.journey.arrival == parse_time("08:45:00")


def test_corrupt_or_foreign_cache_file_is_ignored(tmp_path, tmp_cache):
    feed_dir = write_feed(tmp_path / "mini", MINI)
    net = load_network([feed_dir])
    Planner(net, cache_dir=tmp_cache).timetable(WED)
    path = next(tmp_cache.glob("tt-*.marshal"))
    path.write_bytes(b"garbage")
    assert TimetableCache(tmp_cache).load(net.content_hash, "20240612") is None
    # a valid file of another feed copied under this feed's name is rejected by its header
    other_dir = write_feed(tmp_path / "other", {**MINI, "calendar.txt": MINI["calendar.txt"]
                                                 .replace("20241231", "20241230")})
    other = load_network([other_dir])
    other_cache = tmp_path / "other_cache"
    Planner(other, cache_dir=other_cache).timetable(WED)
    shutil.copy(next(other_cache.glob("tt-*.marshal")), path)
    assert TimetableCache(tmp_cache).load(net.content_hash, "20240612") is None
    planner = Planner(net, cache_dir=tmp_cache)
    assert planner.plan("A", "E", WED, parse_time("07:00:00")).reachable
