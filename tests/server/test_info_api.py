"""GET /v1/info/{dataset} (docs/info-data.md, "Wire") on SQLite and PostgreSQL: paging, the
ETag and 304, a change after the ETag, tombstones, refusals, and first-start seeding."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.core.config import ServerSettings
from server.ingest.bundle import BUNDLE, bundle_files, parse_once
from server.main import create_app
from tests.server.info_support import DATA, by_id, ingest, pull

EMERGENCY = BUNDLE / "shelters" / "emergency" / "163228.geojson"  # 34 sites of 上市町
MEDICAL = DATA / "medical_162019.csv"


@pytest.fixture
def app_client(server_settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings)) as client:
        yield client


def test_pages_follow_the_cursor_without_gaps_or_repeats(app_client: TestClient) -> None:
    ingest(app_client, "shelters", EMERGENCY)
    seen, cursor, pages = [], 0, 0
    while True:
        page = app_client.get("/v1/info/shelters", params={"since": cursor, "limit": 10}).json()
        pages += 1
        revisions = [r["revision"] for r in page["data"]]
        assert revisions == sorted(revisions) and all(r > cursor for r in revisions)
        seen += [r["id"] for r in page["data"]]
        cursor = page["next_cursor"]
        assert cursor == (revisions[-1] if revisions else cursor)
        assert page["has_more"] == (pages < 4)
        if not page["has_more"]:
            break
    assert pages == 4 and len(seen) == len(set(seen)) == 34
    empty = app_client.get("/v1/info/shelters", params={"since": cursor}).json()
    assert empty == {"data": [], "next_cursor": cursor, "has_more": False}
    # Other datasets have their own records.
    assert app_client.get("/v1/info/medical").json()["data"] == []


def test_unchanged_data_answers_304_to_the_etag(app_client: TestClient) -> None:
    ingest(app_client, "medical", MEDICAL)
    first = app_client.get("/v1/info/medical", params={"since": 0, "limit": 50})
    etag = first.headers["ETag"]
    latest = max(r["revision"] for r in first.json()["data"])
    assert etag == f'W/"info-medical-{latest}-0-50"'
    assert first.headers["Cache-Control"] == "no-cache"
    again = app_client.get("/v1/info/medical", params={"since": 0, "limit": 50},
                           headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", etag)
    # A change in another dataset leaves this one's ETag alone.
    ingest(app_client, "shelters", EMERGENCY)
    assert app_client.get("/v1/info/medical", params={"since": 0, "limit": 50},
                          headers={"If-None-Match": etag}).status_code == 304


def test_a_change_after_the_etag_comes_back_alone(
    app_client: TestClient, tmp_path: Path
) -> None:
    ingest(app_client, "medical", MEDICAL)
    _, cursor = pull(app_client, "medical")
    etag = app_client.get("/v1/info/medical", params={"since": cursor}).headers["ETag"]
    changed = tmp_path / "m.csv"
    changed.write_text(MEDICAL.read_text(encoding="utf-8").replace("第2土曜休診", "第4土曜休診"),
                       encoding="utf-8")
    ingest(app_client, "medical", changed)
    response = app_client.get("/v1/info/medical", params={"since": cursor},
                              headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert [(r["id"], r["body"]["hours_note"]) for r in response.json()["data"]] == [
        ("1610000001", "第4土曜休診")]


def test_a_withdrawn_record_is_a_tombstone(app_client: TestClient, tmp_path: Path) -> None:
    ingest(app_client, "medical", MEDICAL)
    _, cursor = pull(app_client, "medical")
    lines = MEDICAL.read_text(encoding="utf-8").splitlines()
    shorter = tmp_path / "m.csv"
    shorter.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    ingest(app_client, "medical", shorter)
    [tombstone] = app_client.get("/v1/info/medical", params={"since": cursor}).json()["data"]
    assert set(tombstone) == {"id", "revision", "withdrawn", "municipality", "lat", "lon", "body"}
    assert (tombstone["id"], tombstone["withdrawn"], tombstone["body"]) == (
        "1610000003", True, {})
    assert tombstone["revision"] > cursor


def test_an_unknown_dataset_is_404(app_client: TestClient) -> None:
    response = app_client.get("/v1/info/tourism")
    assert response.status_code == 404
    assert response.json() == {"detail": "Unknown dataset"}


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 201}, {"since": -1}, {"since": "abc"}, {"limit": "many"}],
)
def test_bad_paging_parameters_are_refused_with_422(app_client: TestClient, params) -> None:
    response = app_client.get("/v1/info/aeds", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


def _bundled_counts() -> Counter[str]:
    """What the bundle holds per dataset, read straight from its files."""
    counts: Counter[str] = Counter()
    for kind, path in bundle_files():
        for batch in parse_once(kind, path).batches:
            counts[batch.dataset.value] += len(batch.records)
    return counts


def test_the_first_start_seeds_the_bundle_once(server_settings: ServerSettings) -> None:
    settings = server_settings.model_copy(update={"seed_info": True})
    expected = _bundled_counts()
    assert expected["shelters"] == 1434 + 1010  # every GSI site and shelter of the 15 towns
    with TestClient(create_app(settings)) as first:
        seeded = {d: by_id(first, d)
                  for d in ("medical", "childcare", "shelters", "aeds", "spots")}
        cursors = {d: first.get(f"/v1/info/{d}").headers["ETag"] for d in seeded}
        assert by_id(first, "alerts") == {}  # alerts are replayed, never seeded
    assert {d: len(r) for d, r in seeded.items()} == {
        d: expected[d] for d in ("medical", "childcare", "shelters", "aeds", "spots")}
    assert not any(r["withdrawn"] for records in seeded.values() for r in records.values())
    with TestClient(create_app(settings)) as second:
        assert {d: second.get(f"/v1/info/{d}").headers["ETag"] for d in seeded} == cursors
