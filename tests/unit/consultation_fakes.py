"""Consultation services as the server would publish them (docs/booking.md), and a backend
speaking the contract's public routes over httpx.MockTransport."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from services.i18n import JAPAN_TZ


def service(id: str, kind: str, name_ja: str, name_en: str, needs_ja: list[str],
            needs_en: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "id": id, "kind": kind, "name": {"ja": name_ja, "en": name_en},
        "description": {"ja": f"{name_ja}を受け付けます。", "en": f"{name_en}."},
        "needs": {"ja": needs_ja, "en": needs_en},
        "provider": extra.pop("provider", "富山県"), "department": None, "doctor": None,
        "languages": extra.pop("languages", ["ja"]),
        "channel": extra.pop("channel", "phone"), "duration_min": 30, "capacity": 2,
        "book_from_days": 14, "book_until_hours": 2, "cancel_until_hours": 24,
        "login_required": True, "anonymous_allowed": False, "phone": "076-444-3300",
        "address": None, "lat": None, "lon": None, "municipality": None, **extra}


SERVICES = [
    service("pediatric_night", "telemedicine", "こどもの夜間オンライン診療",
            "Online night clinic for children",
            ["こども", "子ども", "子供", "熱", "発熱", "夜", "夜間", "せき", "小児"],
            ["child", "children", "kid", "fever", "night", "cough"],
            provider="富山こども医療センター", department="小児科", doctor="立山 一郎",
            channel="video", languages=["ja", "en"]),
    service("internal_online", "telemedicine", "内科オンライン診療", "Online internal medicine",
            ["熱", "かぜ", "風邪", "咳", "頭痛"], ["fever", "cold", "cough", "headache", "adult"],
            provider="高岡内科クリニック", department="内科", channel="video"),
    service("kosodate", "childcare", "子育て相談", "Parenting consultation",
            ["子育て", "育児", "こども", "子ども", "離乳食", "夜泣き"],
            ["parenting", "child", "baby", "childcare"],
            channel="in_person", address="富山県富山市新総曲輪1-7",
            provider="富山市こども家庭支援センター"),
    service("iju", "relocation", "移住相談（富山くらし）", "Moving to Toyama: relocation advice",
            ["移住", "引っ越し", "引越し", "転入", "住まい", "仕事"],
            ["moving", "move", "relocation", "relocate", "housing", "job"],
            channel="video", languages=["ja", "en"]),
    service("kokoro", "mental_health", "こころの相談", "Mental health consultation",
            ["気分", "落ち込む", "眠れない", "不安", "ストレス", "つらい"],
            ["depressed", "depression", "anxiety", "stress", "sleep", "lonely"],
            login_required=False, anonymous_allowed=True),
    service("shohi", "consumer", "消費生活相談", "Consumer affairs consultation",
            ["契約", "詐欺", "解約", "訪問販売"], ["contract", "scam", "fraud", "refund"]),
    service("gaikokujin", "foreign_residents", "外国人相談窓口",
            "Consultation for foreign residents", ["外国人", "ビザ", "在留", "通訳"],
            ["visa", "foreign", "interpreter", "language"],
            languages=["ja", "en", "vi", "pt-BR", "zh-Hans", "tl", "ne", "id", "ko"]),
    service("kaigo", "care", "介護相談", "Elderly care consultation",
            ["介護", "高齢", "認知症"], ["care", "elderly", "dementia", "nursing"]),
]


def jst(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAPAN_TZ)


class PublicBackend:
    """GET services and slots with weak ETags and 304s; anonymous bookings."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.services = list(SERVICES)
        self.version = 1
        self.offline = False
        self.requests: list[httpx.Request] = []
        # service id -> {start: (capacity, free)}
        self.slots: dict[str, dict[datetime, list[int]]] = {}
        for s in SERVICES:
            table: dict[datetime, list[int]] = {}
            for offset in range(1, 8):
                day = today + timedelta(days=offset)
                for hour in (10, 14):
                    table[jst(day, hour)] = [2, 2]
            self.slots[s["id"]] = table
        self.slot_version = 1
        self.anonymous: dict[str, dict[str, Any]] = {}  # by Idempotency-Key
        self.cancelled: set[str] = set()

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.offline:
            raise httpx.ConnectError("offline", request=request)
        path = request.url.path
        if path == "/v1/consultations/services":
            etag = f'W/"services-{self.version}"'
            if request.headers.get("If-None-Match") == etag:
                return httpx.Response(304, headers={"ETag": etag})
            return httpx.Response(200, headers={"ETag": etag}, json={
                "version": str(self.version), "services": self.services})
        if path.startswith("/v1/consultations/services/") and path.endswith("/slots"):
            service_id = path.split("/")[4]
            if service_id not in self.slots:
                return httpx.Response(404, json={"detail": "unknown_service"})
            etag = f'W/"slots-{service_id}-{self.slot_version}"'
            if request.headers.get("If-None-Match") == etag:
                return httpx.Response(304, headers={"ETag": etag})
            slots = [{"start": start.isoformat(), "end": (start + timedelta(minutes=30))
                      .isoformat(), "capacity": cap, "free": free}
                     for start, (cap, free) in sorted(self.slots[service_id].items())]
            return httpx.Response(200, headers={"ETag": etag}, json={
                "service_id": service_id,
                "generated_at": datetime(2026, 12, 1, tzinfo=UTC).isoformat(),
                "slots": slots})
        if path == "/v1/anonymous-bookings" and request.method == "POST":
            key = request.headers["Idempotency-Key"]
            if key in self.anonymous:  # the same key again: the same booking, 200
                return httpx.Response(200, json=self.anonymous[key])
            body = json.loads(request.content)
            start = datetime.fromisoformat(body["start"])
            table = self.slots.get(body["service_id"], {})
            if start not in table:
                return httpx.Response(409, json={"code": "no_such_slot", "reason": ""})
            if table[start][1] <= 0:
                return httpx.Response(409, json={"code": "slot_full", "reason": "none"})
            table[start][1] -= 1
            self.anonymous[key] = {"booking_id": f"{len(self.anonymous) + 1:032x}",
                                   "code": "7K3M9QXR2A", "start": start.isoformat(),
                                   "end": (start + timedelta(minutes=30)).isoformat()}
            return httpx.Response(201, json=self.anonymous[key])
        if path.startswith("/v1/anonymous-bookings/"):
            booking_id = path.rsplit("/", 1)[1]
            found = next((b for b in self.anonymous.values() if b["booking_id"] == booking_id
                          and request.headers.get("X-Booking-Code") == b["code"]), None)
            if found is None:
                return httpx.Response(404, json={"detail": "not_found"})
            if request.method == "DELETE" and booking_id in self.cancelled:
                return httpx.Response(409, json={"code": "not_active", "reason": ""})
            if request.method == "DELETE":
                self.cancelled.add(booking_id)
            status = "cancelled" if booking_id in self.cancelled else "confirmed"
            return httpx.Response(200, json={  # Booking
                "id": booking_id, "service_id": "kokoro", "start": found["start"],
                "end": found["end"], "status": status, "channel": "phone",
                "created_at": "2026-12-01T09:00:00+09:00",
                "updated_at": "2026-12-01T09:00:00+09:00"})
        return httpx.Response(404, json={"detail": "not_found"})
