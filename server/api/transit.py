"""Live bus positions as GTFS-Realtime TripUpdates, for the trip planner's "delayed N min".

GET /v1/transit/trip-updates answers the raw FeedMessage (application/x-protobuf) with a strong
ETag over its bytes, so a client polling every half minute gets a bodyless 304 while nothing
changed (If-None-Match, `*` and weak tags included).

This is a stub of Toyama's bus location system (バスロケーションシステム): it serves the file
server/seed/trip_updates.pb, a snapshot of the 富山港線フィーダーバス feed (toyama_feeder_2019)
for Wednesday 2019-06-12 at 06:16 JST. That file is a byte copy of
tests/data/transit/sample_trip_updates.pb, made by tests/data/transit/make_sample_trip_updates.py
(regenerate it there, then `cp` it here; tests/server/test_transit_realtime_api.py keeps the two
equal). Ids are the operator's own (trip "2_1+平日+1", stop "15_1"); the client maps them onto
its bundled network (services/realtime.py).

A real deployment would proxy the operator's feed instead: fetch it on a short timer with its
own ETag / If-Modified-Since, keep the last good copy, and serve that here unchanged, so that
residents' phones never hit the operator directly and an operator outage shows as a stale
timestamp, not an error. The path can be overridden per app through
`app.state.trip_updates_path` (tests use it to change the feed under a running server).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Request, Response

router = APIRouter(prefix="/v1/transit", tags=["transit"])
SEED_TRIP_UPDATES = Path(__file__).resolve().parents[1] / "seed" / "trip_updates.pb"
MEDIA_TYPE = "application/x-protobuf"


def _source(request: Request) -> Path:
    return Path(getattr(request.app.state, "trip_updates_path", SEED_TRIP_UPDATES))


def etag_of(data: bytes) -> str:
    return f'"tu-{hashlib.sha256(data).hexdigest()[:32]}"'


def etag_matches(header: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison, a list of tags, or `*`."""
    if not header:
        return False
    bare = etag.removeprefix("W/")
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == bare:
            return True
    return False


@router.get(
    "/trip-updates",
    response_class=Response,
    responses={
        200: {"content": {MEDIA_TYPE: {}},
              "description": "GTFS-Realtime FeedMessage with TripUpdates (operator's ids)"},
        304: {"description": "Unchanged since the ETag the client sent"},
        503: {"description": "No realtime feed available right now"},
    },
)
def trip_updates(
    request: Request, if_none_match: Annotated[str | None, Header()] = None
) -> Response:
    try:
        data = _source(request).read_bytes()
    except OSError:
        raise HTTPException(status_code=503, detail="trip_updates_unavailable") from None
    etag = etag_of(data)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(content=data, media_type=MEDIA_TYPE, headers=headers)
