"""The guides dataset (themed walking routes, docs/info-data.md "guides"): the bundled file loads
cleanly, links only to bundled spots and to stops of the bundled transit feeds; a bad route is
reported with its line, place and id while the rest loads; the real app serves the routes and the
client reads every stop of them."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.core.config import ServerSettings
from server.info import RecordInput
from server.ingest.__main__ import main as ingest_main
from server.ingest.bundle import BUNDLE, bundle_files
from server.ingest.files import parse
from server.ingest.problems import FileRefused
from server.main import create_app
from services.models import InfoDataset
from services.store import StoredInfo
from services.tourism.guides import parse_guide
from services.transit.bundled import ASSETS_DIR, DEFAULT_FEEDS, NAME_SOURCES
from tests.server.info_support import by_id, ingest

BUNDLED = BUNDLE / "guides" / "guides.json"
NEEDED = ("ja", "ja-easy", "en")


@pytest.fixture
def app_client(server_settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings)) as client:
        yield client


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    north = math.radians(b[0] - a[0])
    east = math.radians(b[1] - a[1]) * math.cos(math.radians(a[0]))
    return 6371 * math.hypot(north, east)


def bundled_guides() -> list[RecordInput]:
    [path] = [p for kind, p in bundle_files() if kind == "guides"]
    parsed = parse("guides", path)
    assert parsed.problems == []
    return list(parsed.batches[0].records)


def bundled_spots() -> dict[str, RecordInput]:
    return {r.record_id: r for kind, path in bundle_files() if kind == "spots"
            for batch in parse("spots", path).batches for r in batch.records}


def feed_stops() -> dict[str, list[tuple[float, float]]]:
    """Stop name -> positions of its poles, over the feeds the app ships."""
    paths = [ASSETS_DIR / f"{name}.zip" for name in (*DEFAULT_FEEDS, *NAME_SOURCES)]
    if not all(p.is_file() for p in paths):
        pytest.skip(f"the bundled GTFS feeds are not in {ASSETS_DIR}")
    found: dict[str, list[tuple[float, float]]] = {}
    for path in paths:
        with zipfile.ZipFile(path) as feed, feed.open("stops.txt") as raw:
            for row in csv.DictReader(io.TextIOWrapper(raw, "utf-8-sig")):
                found.setdefault(row["stop_name"], []).append(
                    (float(row["stop_lat"]), float(row["stop_lon"])))
    return found


def stops_of(records: list[RecordInput]) -> Iterator[tuple[str, dict[str, Any]]]:
    for record in records:
        for stop in record.body["stops"]:
            yield record.record_id, stop


def test_the_bundle_has_themed_routes_across_the_prefecture() -> None:
    guides = bundled_guides()
    assert len(guides) >= 6
    assert len({g.body["theme"] for g in guides}) >= 5
    assert len({g.municipality for g in guides}) >= 6
    assert all(g.body["sample"] is True for g in guides)
    assert "SAMPLE" in (BUNDLE / "guides" / "README.md").read_text(encoding="utf-8")
    for guide in guides:
        body = guide.body
        assert set(NEEDED) <= set(body["title"]) and set(NEEDED) <= set(body["summary"])
        assert len(body["stops"]) >= 3, guide.record_id
        stays = sum(s["stay_min"] for s in body["stops"])
        legs = sum(s["next"]["minutes"] for s in body["stops"] if s["next"])
        assert stays + legs <= body["duration_min"] <= (stays + legs) * 1.5, guide.record_id
        assert all(s["next"] is not None for s in body["stops"][:-1]), guide.record_id
        assert (guide.lat, guide.lon) == (body["stops"][0]["lat"], body["stops"][0]["lon"])
    for ident, stop in stops_of(guides):
        assert set(NEEDED) <= set(stop["note"]), (ident, stop["name"])
        if stop["next"]:
            assert set(NEEDED) <= set(stop["next"]["note"]), (ident, stop["name"])
            assert 0 < stop["next"]["minutes"] <= 120
        assert 36.2 < stop["lat"] < 37.0 and 136.7 < stop["lon"] < 137.8


def test_every_linked_spot_is_a_bundled_spot_nearby() -> None:
    spots = bundled_spots()
    linked = [(ident, stop) for ident, stop in stops_of(bundled_guides()) if stop["spot_id"]]
    assert len(linked) >= 25
    for ident, stop in linked:
        spot = spots.get(stop["spot_id"])
        assert spot is not None, (ident, stop["spot_id"])
        assert spot.lat is not None and spot.lon is not None
        # Spot positions are approximate (a few km at worst): far enough to catch a wrong link.
        assert km((stop["lat"], stop["lon"]), (spot.lat, spot.lon)) < 4, (ident, stop["name"])


def test_every_transit_stop_is_a_stop_of_the_bundled_feeds_close_by() -> None:
    poles = feed_stops()
    served = [(ident, stop) for ident, stop in stops_of(bundled_guides()) if stop["transit_stop"]]
    assert len(served) >= 6
    for ident, stop in served:
        assert stop["transit_stop"] in poles, (ident, stop["transit_stop"])
        nearest = min(km((stop["lat"], stop["lon"]), p) for p in poles[stop["transit_stop"]])
        assert nearest < 0.6, (ident, stop["name"], nearest)


GOOD: dict[str, Any] = {"id": "good-walk", "title": {"ja": "散歩", "en": "A walk"}, "summary": {},
        "theme": "city", "municipality": "162019", "duration_min": 60, "sample": True,
        "stops": [{"spot_id": "162019-1", "name": "富山城", "name_en": "Toyama Castle",
                   "lat": 36.693, "lon": 137.21, "stay_min": 30, "note": {"en": "Keep"},
                   "transit_stop": "城址公園前",
                   "next": {"mode": "walk", "minutes": 10, "note": {}}},
                  {"name": "ガラス美術館", "lat": 36.69, "lon": 137.216, "stay_min": 20}]}


def variant(ident: str, **changes: Any) -> dict[str, Any]:
    return {**GOOD, "id": ident, **changes}


def write(tmp_path: Path, guides: list[Any], name: str = "guides.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(guides, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_a_bad_route_is_reported_with_its_line_and_the_rest_loads(tmp_path: Path) -> None:
    nameless = {**GOOD["stops"][1], "name": ""}
    path = write(tmp_path, [
        GOOD,
        variant("no-name", stops=[GOOD["stops"][0] | {"next": None}, nameless]),
        variant("beach", theme="beach", municipality="131016"),
        {"title": {"ja": "IDなし"}},
        variant("good-walk"),  # the same id again
        variant("dangling", stops=[GOOD["stops"][0]]),  # a leg after the last stop
        variant("typo", stay_mins=3),
        variant("second"),
    ])
    parsed = parse("guides", path)
    [batch] = parsed.batches
    assert [r.record_id for r in batch.records] == ["good-walk", "second"]
    text = path.read_text(encoding="utf-8").splitlines()
    problems = {p.reason.split(":")[0]: p for p in parsed.problems}
    assert list(problems) == ["guides[1] (no-name)", "guides[2] (beach)", "guides[3]",
                              "guides[4] (good-walk)", "guides[5] (dangling)", "guides[6] (typo)"]
    for problem in parsed.problems:
        assert text[problem.line - 1].strip() == "{"  # the line the guide starts on
        assert text[problem.line]  # and its first key follows
    assert "stops.1.name" in problems["guides[1] (no-name)"].reason
    beach = problems["guides[2] (beach)"].reason
    assert "theme" in beach and "municipality" in beach  # every mistake of a guide, at once
    assert "repeats line" in problems["guides[4] (good-walk)"].reason
    assert "last stop" in problems["guides[5] (dangling)"].reason
    assert "stay_mins" in problems["guides[6] (typo)"].reason
    # A bad guide whose id reads keeps its earlier record; the repeated id is the good one's.
    assert batch.keep == frozenset({"no-name", "beach", "dangling", "typo"})
    body = batch.records[0].body
    assert body["stops"][1] == {"spot_id": None, "name": "ガラス美術館", "name_en": None,
                                "lat": 36.69, "lon": 137.216, "stay_min": 20, "note": {},
                                "transit_stop": None, "next": None}


@pytest.mark.parametrize(("content", "reason"), [
    ("{not json", "is not JSON"), ('{"guides": []}', "list"), (b"\xff\xfe\x00", "UTF-8")])
def test_a_file_that_is_not_a_list_of_guides_is_refused(
        tmp_path: Path, content: str | bytes, reason: str) -> None:
    path = tmp_path / "guides.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(FileRefused, match=reason):
        parse("guides", path)


def test_the_app_serves_the_bundled_guides_and_the_client_reads_every_stop(
        app_client: TestClient) -> None:
    assert ("guides", BUNDLED) in bundle_files()
    counts, problems = ingest(app_client, "guides", BUNDLED)
    assert (counts.added, problems) == (len(bundled_guides()), [])
    served = by_id(app_client, "guides")
    source = {g["id"]: g for g in json.loads(BUNDLED.read_text(encoding="utf-8"))}
    assert set(served) == set(source)
    for ident, record in served.items():
        assert record["body"] == source[ident]
        assert record["municipality"] == source[ident]["municipality"]
        guide = parse_guide(StoredInfo(InfoDataset.guides, ident, record["revision"],
                                       record["municipality"], record["lat"], record["lon"],
                                       record["body"]))
        assert guide is not None and guide.sample
        assert len(guide.stops) == len(source[ident]["stops"])
        assert guide.totals.total_min <= guide.minutes
        assert guide.title_in("ko") != guide.title_in("en")  # titles are translated
    again, _ = ingest(app_client, "guides", BUNDLED)
    assert (again.unchanged, again.added, again.changed) == (len(source), 0, 0)


def test_the_command_line_loads_guides_withdraws_the_left_out_and_keeps_the_broken(
        app_client: TestClient, server_settings: ServerSettings, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    first = write(tmp_path, [GOOD, variant("second"), variant("third")], "first.json")
    assert ingest_main(["guides", str(first)], server_settings) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{first}: added 3, changed 0, unchanged 0, withdrawn 0"]
    then = write(tmp_path, [GOOD, variant("third", theme="beach")], "then.json")
    assert ingest_main(["guides", str(then)], server_settings) == 0
    summary, problem = capsys.readouterr().out.splitlines()
    assert summary == f"{then}: added 0, changed 0, unchanged 1, withdrawn 1"
    assert problem.startswith(f"{then}:") and "guides[1] (third): theme" in problem
    served = by_id(app_client, "guides")
    assert served["second"]["withdrawn"] and served["second"]["body"] == {}
    assert not served["third"]["withdrawn"] and served["third"]["body"]["theme"] == "city"
