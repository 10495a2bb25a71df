"""GET /v1/transit/trip-updates: the bundled bus-location stub, ETag revalidation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from google.transit import gtfs_realtime_pb2

from server.api.transit import SEED_TRIP_UPDATES
from server.core.config import ServerSettings
from server.main import create_app

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "transit" / "sample_trip_updates.pb"
URL = "/v1/transit/trip-updates"


@pytest.fixture
def client(server_settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings)) as client:
        yield client


def test_the_seed_is_the_sample_feed_byte_for_byte() -> None:
    # Regenerate with tests/data/transit/make_sample_trip_updates.py, then copy it over.
    assert SEED_TRIP_UPDATES.read_bytes() == SAMPLE.read_bytes()


def test_serves_a_gtfs_realtime_feed_with_an_etag(client: TestClient) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-protobuf"
    assert response.headers["cache-control"] == "no-cache"
    etag = response.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    feed = gtfs_realtime_pb2.FeedMessage()
    feed.ParseFromString(response.content)
    assert feed.header.gtfs_realtime_version == "2.0"
    trips = {e.trip_update.trip.trip_id: e.trip_update.trip.start_date for e in feed.entity}
    assert trips == {"2_1+平日+1": "20190612", "2_1+平日+2": "20190612",
                     "2_1+平日+3": "20190612"}
    assert client.get(URL).headers["etag"] == etag  # stable while the feed is


@pytest.mark.parametrize("header", ["{etag}", "W/{etag}", '"other", {etag}', "*"])
def test_if_none_match_gives_a_bodyless_304(client: TestClient, header: str) -> None:
    etag = client.get(URL).headers["etag"]
    response = client.get(URL, headers={"If-None-Match": header.format(etag=etag)})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag


def test_a_stale_etag_gets_the_feed(client: TestClient) -> None:
    response = client.get(URL, headers={"If-None-Match": '"tu-stale"'})
    assert response.status_code == 200 and response.content == SAMPLE.read_bytes()


def test_a_new_feed_gets_a_new_etag_and_a_missing_one_is_503(
    client: TestClient, tmp_path: Path
) -> None:
    old = client.get(URL).headers["etag"]
    feed = gtfs_realtime_pb2.FeedMessage()
    feed.ParseFromString(SAMPLE.read_bytes())
    feed.header.timestamp += 30
    path = tmp_path / "live.pb"
    path.write_bytes(feed.SerializeToString())
    client.app.state.trip_updates_path = path
    response = client.get(URL, headers={"If-None-Match": old})
    assert response.status_code == 200 and response.headers["etag"] != old
    assert response.content == path.read_bytes()
    path.unlink()
    gone = client.get(URL)
    assert (gone.status_code, gone.json()["detail"]) == (503, "trip_updates_unavailable")


def test_the_route_is_in_the_openapi_document(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"][URL]["get"]
    assert "application/x-protobuf" in operation["responses"]["200"]["content"]
    assert "304" in operation["responses"]
