"""services.tourism.guides: guides read forgivingly from cached records (a nameless stop dropped,
a guide without stops skipped), texts along the fallback chain, and the walking/riding totals."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from services.models import InfoDataset
from services.store import StoredInfo
from services.tourism.guides import (
    MODE_LABELS,
    THEME_LABELS,
    GuideTheme,
    LegMode,
    parse_guide,
    parse_guides,
    pick_text,
    totals,
)


def leg(mode: str, minutes: Any, **note: str) -> dict[str, Any]:
    return {"mode": mode, "minutes": minutes, "note": note}


def stop(name: Any, next: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"spot_id": None, "name": name, "name_en": None, "lat": 36.7, "lon": 137.2,
            "stay_min": 30, "note": {}, "transit_stop": None, "next": next, **extra}


def body(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "tram-day", "title": {"ja": "路面電車の一日", "en": "A tram day"},
        "summary": {"ja": "富山駅から", "en": "From Toyama Station"}, "theme": "city",
        "municipality": "162019", "duration_min": 240, "sample": True,
        "stops": [
            stop("富山駅", leg("walk", 15, ja="北口から", en="North exit"),
                 name_en="Toyama Station", stay_min=10, transit_stop="富山駅前（中央ルート）"),
            stop("環水公園", leg("tram", 25), spot_id="162019-2", stay_min=40),
            stop("岩瀬", leg("walk", 5), stay_min=60),
            stop("富山城", leg("bus", 12), spot_id="162019-1", stay_min=45),
            stop("ガラス美術館", stay_min=50, note={"ja": "必見", "en": "A must"}),
        ],
    }
    return {**base, **changes}


def record(b: dict[str, Any], *, lat: float | None = 36.70, lon: float | None = 137.21,
           record_id: str = "tram-day") -> StoredInfo:
    return StoredInfo(InfoDataset.guides, record_id, 3, "162019", lat, lon, b)


def test_a_full_body_reads_as_the_contract_says() -> None:
    guide = parse_guide(record(body()))
    assert guide is not None
    assert (guide.id, guide.municipality, guide.theme, guide.duration_min, guide.sample) == (
        "tram-day", "162019", GuideTheme.city, 240, True)
    assert [s.name for s in guide.stops] == ["富山駅", "環水公園", "岩瀬", "富山城", "ガラス美術館"]
    first = guide.stops[0]
    assert (first.transit_stop, first.name_en, first.stay_min) == (
        "富山駅前（中央ルート）", "Toyama Station", 10)
    assert first.next is not None and first.next.mode is LegMode.walk
    assert first.next.note_in("en") == "North exit"
    assert guide.stops[-1].next is None
    assert guide.spot_ids == ("162019-2", "162019-1")


def test_totals_split_walking_riding_and_staying() -> None:
    guide = parse_guide(record(body()))
    assert guide is not None
    found = totals(guide)
    assert (found.walk_min, found.ride_min) == (15 + 5, 25 + 12)
    assert found.stay_min == 10 + 40 + 60 + 45 + 50
    assert found.moving_min == 57 and found.total_min == 57 + 205
    assert guide.totals == found
    assert guide.minutes == 240  # as published
    untimed = parse_guide(record(body(duration_min=None)))
    assert untimed is not None and untimed.minutes == found.total_min


def test_a_stop_without_a_name_is_dropped_and_a_guide_without_stops_skipped(
        caplog: pytest.LogCaptureFixture) -> None:
    stops = [stop("富山駅", leg("walk", 15)), stop(""), stop(None), "not a stop",
             stop("   "), stop("富山城", leg("walk", 10))]  # the last leg leads nowhere now
    guide = parse_guide(record(body(stops=stops)))
    assert guide is not None
    assert [s.name for s in guide.stops] == ["富山駅", "富山城"]
    assert guide.stops[-1].next is None
    with caplog.at_level(logging.WARNING):
        assert parse_guide(record(body(stops=[stop(""), stop(None)]), record_id="empty")) is None
        assert parse_guide(record(body(stops=[]), record_id="none")) is None
        assert parse_guide(record(body(stops="富山駅"), record_id="text")) is None
        assert parse_guide(record(body(title={}), record_id="untitled")) is None
        assert parse_guide(record({}, record_id="withdrawn")) is None
    skipped = [r.getMessage() for r in caplog.records]
    assert len(skipped) == 5 and all("skipped" in m for m in skipped)
    assert parse_guides([record(body()), record({}, record_id="x")])[0].id == "tram-day"


def test_odd_values_are_read_forgivingly() -> None:
    stops = [
        stop("A", leg("ferry", 20)),  # a mode this version does not know: still a ride
        stop("B", leg("walk", -5), stay_min="long"),  # a leg that cannot be read: left out
        stop("C", leg("walk", 7.0), lat="north", stay_min=True),
        stop("D", {"mode": "walk"}),
        stop("E", None, note={"ja": "  ", "en": "ok", 3: "x"}),
    ]
    guide = parse_guide(record(body(stops=stops, theme="beach", duration_min=-1),
                               lat=None, lon=None))
    assert guide is not None
    a, b, c, d, e = guide.stops
    assert a.next is not None and (a.next.mode, a.next.minutes) == (None, 20)
    assert (b.next, b.stay_min) == (None, 0)
    assert c.next is not None and c.next.minutes == 7
    assert (c.lat, c.lon, c.stay_min) == (None, None, 0)
    assert d.next is None
    assert e.note == {"en": "ok"}
    assert (guide.theme, guide.theme_label, guide.duration_min) == (None, None, None)
    assert (guide.lat, guide.lon) == (36.7, 137.2)  # where the first stop is
    assert (totals(guide).walk_min, totals(guide).ride_min) == (7, 20)


def test_sample_unless_said_otherwise() -> None:
    real = parse_guide(record(body(sample=False)))
    unsaid = parse_guide(record({k: v for k, v in body().items() if k != "sample"}))
    assert real is not None and unsaid is not None
    assert (real.sample, unsaid.sample) == (False, True)


def test_texts_follow_the_fallback_chain() -> None:
    title = {"ja": "路面電車の一日", "en": "A tram day", "zh-Hans": "有轨电车一日游"}
    guide = parse_guide(record(body(title=title)))
    assert guide is not None
    assert guide.title_in("zh-Hans") == "有轨电车一日游"
    assert guide.title_in("zh-Hant") == "有轨电车一日游"  # traditional falls back to simplified
    assert guide.title_in("ja-easy") == "路面電車の一日"  # easy Japanese falls back to Japanese
    assert guide.title_in("ko") == "A tram day"
    assert guide.summary_in("ne") == "From Toyama Station"
    assert pick_text({"ko": "하루"}, "vi") == "하루"  # whatever there is, rather than nothing
    assert pick_text({}, "en") == ""
    station, park = guide.stops[0], guide.stops[1]
    assert (station.name_in("ja"), station.name_in("ja-easy")) == ("富山駅", "富山駅")
    assert (station.name_in("en"), station.name_in("vi")) == ("Toyama Station", "Toyama Station")
    assert park.name_in("en") == "環水公園"  # no English name: the Japanese one
    assert guide.stops[-1].note_in("ko") == "A must"


def test_every_theme_and_mode_has_an_english_label() -> None:
    assert set(THEME_LABELS) == set(GuideTheme)
    assert set(MODE_LABELS) == set(LegMode)
    labels = [*THEME_LABELS.values(), *MODE_LABELS.values()]
    assert all(label.isascii() and label[0].isupper() for label in labels)
    assert len(set(THEME_LABELS.values())) == len(GuideTheme)
