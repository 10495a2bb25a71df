"""A damaged or wrong timetable cache file is moved aside and the day rebuilt (issue 8, item 12).

Today's failure: a well-formed file with the right header but a wrong shape made every plan of
that day raise IndexError; a flipped byte was planned on silently.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

import pytest
from feedkit import MINI, write_feed

from services.transit import Planner, load_network, parse_time
from services.transit.cache import TimetableCache
from services.transit.timetable import Timetable, build_timetable

WED = date(2024, 6, 12)


def cache_files(directory):
    return sorted(p for p in directory.iterdir() if ".corrupt-" not in p.name
                  and not p.name.endswith(".tmp"))


def corrupt_files(directory):
    return sorted(p for p in directory.iterdir() if ".corrupt-" in p.name)


def test_a_well_formed_but_wrong_cache_file_is_rebuilt_not_an_index_error(
    tmp_path, tmp_cache, caplog: pytest.LogCaptureFixture
) -> None:
    net = load_network([write_feed(tmp_path / "mini", MINI)])
    good = build_timetable(net, WED)
    expected = Planner(net).plan("A", "E", WED, parse_time("07:00:00"))
    # the right header, plain lists as always, but stop_routes cut short
    wrong = replace(good, stop_routes=good.stop_routes[:1])
    TimetableCache(tmp_cache).store(net.content_hash, wrong)
    planner = Planner(net, cache_dir=tmp_cache)
    with caplog.at_level(logging.WARNING):
        result = planner.plan("A", "E", WED, parse_time("07:00:00"))
    assert result == expected
    assert planner.last_build_source == "built"
    assert len(corrupt_files(tmp_cache)) == 1
    [line] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "moved aside" in line
    # the rebuilt file is good: the next start reads it from disk
    again = Planner(net, cache_dir=tmp_cache)
    assert again.plan("A", "E", WED, parse_time("07:00:00")) == expected
    assert again.last_build_source == "disk"


def test_a_flipped_byte_fails_the_checksum_and_the_day_is_rebuilt(tmp_path, tmp_cache) -> None:
    net = load_network([write_feed(tmp_path / "mini", MINI)])
    first = Planner(net, cache_dir=tmp_cache)
    expected = first.plan("A", "E", WED, parse_time("07:00:00"))
    [path] = cache_files(tmp_cache)
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 0x40  # inside the payload: the last stop_routes entry
    path.write_bytes(bytes(blob))
    planner = Planner(net, cache_dir=tmp_cache)
    assert planner.plan("A", "E", WED, parse_time("07:00:00")) == expected
    assert planner.last_build_source == "built"
    assert [p.read_bytes() for p in corrupt_files(tmp_cache)] == [bytes(blob)]


def test_the_shape_check_accepts_built_timetables_and_refuses_wrong_ones(tmp_path) -> None:
    net = load_network([write_feed(tmp_path / "mini", MINI)])
    good = build_timetable(net, WED)
    plain = good.to_plain()
    assert Timetable.from_plain(plain, stops=len(net.stops), trips=len(net.trips)) == good
    wrong = [
        replace(good, day="2024-6-12"),
        replace(good, board=good.board[:-1]),
        replace(good, dep_cols=[cols[:-1] for cols in good.dep_cols]),
        replace(good, arr_rows=[[row[:-1] for row in rows] for rows in good.arr_rows]),
        replace(good, stop_routes=[[*r, 0] if r else r for r in good.stop_routes]),
        replace(good, stop_routes=[list(reversed(r)) for r in good.stop_routes]),
        replace(good, stops=[[*s[:-1], len(good.stop_routes)] for s in good.stops]),
    ]
    for tt in wrong:
        with pytest.raises(ValueError):
            Timetable.from_plain(tt.to_plain())
    with pytest.raises(ValueError):
        Timetable.from_plain(plain, stops=len(net.stops) + 1)
    with pytest.raises(ValueError):
        Timetable.from_plain(plain, trips=0)
    with pytest.raises(ValueError):
        Timetable.from_plain(plain[:-1])


def test_an_unwritable_cache_dir_only_makes_planning_slower(tmp_path) -> None:
    net = load_network([write_feed(tmp_path / "mini", MINI)])
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    planner = Planner(net, cache_dir=blocker / "cache")
    assert planner.plan("A", "E", WED, parse_time("07:00:00")).reachable
    assert planner.last_build_source == "built"
