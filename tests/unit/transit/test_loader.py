"""Loader robustness on small hand-made feeds."""

from __future__ import annotations

import zipfile

import pytest
from feedkit import CALENDAR, MINI, write_feed

from services.transit import load_feed, load_network
from services.transit.source import FeedNotFound

BOM = "\ufeff"


def messy_feed() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(MINI)
    files["stops.txt"] = BOM + MINI["stops.txt"].replace(
        "stop_id,stop_name,", "stop_id, stop_name, "
    ).replace("Stop B,", '"Stop B, north side",')
    files["stop_times.txt"] = BOM + (
        "trip_id, arrival_time, departure_time, stop_id, stop_sequence\n"
        '"T1","8:00:00","8:00:00","A","1"\n'
        "T1,,,B,2\n"
        "T1,,,C,3\n"
        "T1,08:30:00,08:30:00,D,4\n"
        "T2,8:15:00,8:15:00,C,1\n"
        "T2,8:30:00,8:30:00,E,2\n"
        "T3,9:00:00,9:00:00,NOPE,1\n"  # line 8: unknown stop
        "T3,9:7:00,9:07:00,M,2\n"  # line 9: bad time
        "T9,9:00:00,9:00:00,A,1\n"  # line 10: unknown trip
        "T4,10:00:00,10:00:00,P,1\n"
        "T4,10:05:00,10:05:00,Q,2\n"
    )
    files["calendar.txt"] = CALENDAR + "BAD,1,1,1,1,1,0,0,2024xx01,20241231\n"
    return files


def test_bom_quotes_spaces_and_interpolation(tmp_path):
    feed = load_feed(write_feed(tmp_path / "messy", messy_feed()))
    assert feed.stops["B"].name == "Stop B, north side"
    times = [(c.stop_id, c.arrival, c.departure) for c in feed.stop_times["T1"]]
    # 8:00 .. 8:30 over three hops: B at 8:10, C at 8:20
    assert times == [("A", 28800, 28800), ("B", 29400, 29400), ("C", 30000, 30000),
                     ("D", 30600, 30600)]


def test_bad_rows_reported_with_file_and_line(tmp_path):
    feed = load_feed(write_feed(tmp_path / "messy", messy_feed()))
    found = {(i.file, i.line) for i in feed.issues}
    assert ("stop_times.txt", 8) in found
    assert ("stop_times.txt", 9) in found
    assert ("stop_times.txt", 10) in found
    assert ("calendar.txt", 3) in found
    messages = " ".join(str(i) for i in feed.issues)
    assert "NOPE" in messages and "T9" in messages and "stop_times.txt:9:" in messages
    assert "T4" in feed.stop_times  # the rest still loads


def test_unsorted_stop_times_and_zip_with_folder(tmp_path):
    files = dict(MINI)
    lines = MINI["stop_times.txt"].splitlines()
    files["stop_times.txt"] = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    zpath = tmp_path / "feed.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for name, text in files.items():
            zf.writestr(f"gtfs/{name}", text)
    feed = load_feed(zpath)
    assert [c.stop_id for c in feed.stop_times["T1"]] == ["A", "B", "C", "D"]
    assert feed.issues == []


def test_times_going_backwards_drop_the_trip(tmp_path):
    files = dict(MINI)
    files["stop_times.txt"] = MINI["stop_times.txt"].replace(
        "T2,8:30:00,8:30:00,E,2", "T2,8:10:00,8:10:00,E,2")
    feed = load_feed(write_feed(tmp_path / "back", files))
    assert "T2" not in feed.stop_times
    assert any("backwards" in i.message for i in feed.issues)


def test_shift_jis_file(tmp_path):
    files: dict[str, str | bytes] = dict(MINI)
    files["stops.txt"] = MINI["stops.txt"].replace("Stop A", "富山駅前").encode("cp932")
    feed = load_feed(write_feed(tmp_path / "sjis", files))
    assert feed.stops["A"].name == "富山駅前"


def test_missing_feed_is_a_clear_error(tmp_path):
    with pytest.raises(FeedNotFound):
        load_network([tmp_path / "nothing.zip"])
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(FeedNotFound):
        load_feed(tmp_path / "junk.zip")
