"""A scripted backend speaking the info contract (docs/info-data.md) over httpx.MockTransport,
and record bodies for the tests of services/info."""

from __future__ import annotations

import re
from typing import Any

import httpx

from services.api import ApiClient

PATH = re.compile(r"^/v1/info/([a-z]+)$")
DATASETS = ("medical", "childcare", "shelters", "aeds", "alerts")


class InfoServer:
    """Serves records per dataset by revision like the real backend; records every request."""

    def __init__(self, records: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.records: dict[str, list[dict[str, Any]]] = {d: [] for d in DATASETS}
        self.records.update(records or {})
        self.requests: list[httpx.Request] = []
        self.down = False

    def etag(self, dataset: str, since: int, limit: int) -> str:
        latest = max((r["revision"] for r in self.records[dataset]), default=0)
        return f'W/"info-{dataset}-{latest}-{since}-{limit}"'

    def requests_for(self, dataset: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == f"/v1/info/{dataset}"]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        found = PATH.match(request.url.path)
        if not found or found.group(1) not in self.records:
            return httpx.Response(404, json={"detail": "unknown dataset"})
        dataset = found.group(1)
        since = int(request.url.params["since"])
        limit = int(request.url.params["limit"])
        etag = self.etag(dataset, since, limit)
        if request.headers.get("If-None-Match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        newer = sorted((r for r in self.records[dataset] if r["revision"] > since),
                       key=lambda r: r["revision"])
        page = newer[:limit]
        return httpx.Response(200, headers={"ETag": etag}, json={
            "data": page, "next_cursor": page[-1]["revision"] if page else since,
            "has_more": len(newer) > limit})


def client_for(server: InfoServer) -> ApiClient:
    return ApiClient("http://backend.test", transport=httpx.MockTransport(server),
                     retry_delay_s=0)


def record(record_id: str, revision: int, body: dict[str, Any], *, lat: float | None = None,
           lon: float | None = None, municipality: str | None = "162019",
           withdrawn: bool = False) -> dict[str, Any]:
    return {"id": record_id, "revision": revision, "withdrawn": withdrawn,
            "municipality": municipality, "lat": lat, "lon": lon,
            "body": {} if withdrawn else body}


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def clinic(name: str, kana: str, *, address: str = "富山県富山市新桜町7-38",
           departments: list[str] | None = None, hours: list[dict[str, Any]] | None = None,
           duty: list[dict[str, Any]] | None = None, kind: str = "clinic") -> dict[str, Any]:
    return {
        "name": name, "name_kana": kana, "name_en": None, "type": kind, "address": address,
        "address_detail": "", "phone": "076-444-0000", "url": "",
        "departments": departments if departments is not None else ["内科"],
        "hours": hours if hours is not None else [
            {"days": WEEKDAYS + ["sat"], "open": "09:00", "close": "12:30"},
            {"days": ["mon", "tue", "wed", "fri"], "open": "14:30", "close": "18:00"}],
        "hours_note": "", "after_hours": "", "beds": None, "duty": duty or [],
    }


def shelter(name: str, *, kana: str = "", address: str = "富山県富山市新桜町7-38",
            hazards: list[str] | None = None) -> dict[str, Any]:
    return {"name": name, "name_kana": kana, "address": address, "emergency_site": True,
            "evacuation_shelter": True, "hazards": hazards or ["earthquake", "flood"],
            "capacity": None, "accepts": "", "notes": "", "source": "gsi"}
