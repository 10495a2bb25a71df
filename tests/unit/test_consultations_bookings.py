"""One resident's bookings (services/consultations/bookings.py) with a real personal cache,
store and sealed outbox; the backend is a small fake answering POST /v1/mutations and
GET /v1/bookings as docs/booking.md says (the real one is the server engineer's)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.consultations.bookings import BookingService, BookingState, Change
from services.consultations.models import Questionnaire, Service
from services.consultations.problems import BookingProblemCode, problem_message
from services.consultations.refusals import RefusalCode
from services.crypto import FileKeyStore
from services.errors import Offline
from services.i18n import Translator
from services.outbox import Outbox
from services.outbox_sender import RetryPolicy
from services.personal_cache import PersonalCache
from services.store import LocalStore
from tests.unit.consultation_fakes import SERVICES, jst

TODAY = date(2026, 12, 1)
RESIDENT = "b" * 64
NO_WAIT = RetryPolicy(attempts=2, wait_initial_s=0, wait_max_s=0, wait_jitter_s=0)
CATALOGUE = {s["id"]: Service.model_validate(s) for s in SERVICES}
PEDIATRIC, KOSODATE = CATALOGUE["pediatric_night"], CATALOGUE["kosodate"]
DAY2 = TODAY + timedelta(days=2)
SYMPTOMS = Questionnaire(symptoms="三十九度の熱と咳が夜から続く-秘密", medication="なし",
                         allergies="卵", insurance_card="12345678")


class Catalogue:
    def get(self, service_id: str) -> Service | None:
        return CATALOGUE.get(service_id)


class Clock:
    def __init__(self) -> None:
        self.now = jst(TODAY, 9)

    def __call__(self) -> datetime:
        return self.now


class ResidentBackend:
    """Slots of capacity 1 at 10:00 and 14:00 on the next days; bookings per resident."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.offline = False
        self.taken: dict[tuple[str, datetime], int] = {}
        self.bookings: dict[str, dict[str, Any]] = {}
        self.seen: dict[str, dict[str, Any]] = {}  # mutation id -> result (duplicates)
        self.bodies: list[dict[str, Any]] = []

    def starts(self, service_id: str) -> list[datetime]:
        return [jst(TODAY + timedelta(days=d), h) for d in range(1, 8) for h in (10, 14)]

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if self.offline:
            raise Offline("ConnectError")
        if path == "/v1/mutations":
            body = kwargs["json"]
            self.bodies.append(body)
            results = []
            for m in body["mutations"]:
                if m["id"] not in self.seen:
                    code, reason = self.apply(m["kind"], m["payload"])
                    self.seen[m["id"]] = ({"id": m["id"], "seq": m["seq"], "outcome": "applied"}
                                          if code is None else
                                          {"id": m["id"], "seq": m["seq"], "outcome": "rejected",
                                           "code": code, "reason": reason})
                results.append(self.seen[m["id"]])
            return httpx.Response(200, json={"results": results})
        if path == "/v1/bookings":
            return httpx.Response(200, json={"data": list(self.bookings.values())})
        return httpx.Response(404, json={"detail": "not_found"})

    def apply(self, kind: str, p: dict[str, Any]) -> tuple[str | None, str]:
        if kind == "booking.create":
            return self.place(p["booking_id"], p["service_id"], datetime.fromisoformat(p["start"]))
        booking = self.bookings.get(p["booking_id"])
        if booking is None:
            return "not_found", ""
        if booking["status"] != "confirmed":
            return "not_active", ""
        service = CATALOGUE[booking["service_id"]]
        start = datetime.fromisoformat(booking["start"])
        if self.clock() > start - timedelta(hours=service.cancel_until_hours):
            return "too_late", ""
        if kind == "booking.cancel":
            booking["status"] = "cancelled"
            self.taken[(booking["service_id"], start)] -= 1
            return None, ""
        code, reason = self.place(None, booking["service_id"], datetime.fromisoformat(p["start"]))
        if code is None:
            self.taken[(booking["service_id"], start)] -= 1
            booking["start"] = p["start"]
            booking["end"] = (datetime.fromisoformat(p["start"])
                              + timedelta(minutes=30)).isoformat()
        return code, reason

    def place(self, booking_id: str | None, service_id: str,
              start: datetime) -> tuple[str | None, str]:
        if start not in self.starts(service_id):
            return "no_such_slot", ""
        if self.taken.get((service_id, start), 0) >= 1:
            free = [s for s in self.starts(service_id)
                    if s > start and self.taken.get((service_id, s), 0) < 1][:3]
            return "slot_full", "; ".join(s.isoformat() for s in free) or "none"
        self.taken[(service_id, start)] = self.taken.get((service_id, start), 0) + 1
        if booking_id is not None:
            now = self.clock().isoformat()
            self.bookings[booking_id] = {
                "id": booking_id, "service_id": service_id, "start": start.isoformat(),
                "end": (start + timedelta(minutes=30)).isoformat(), "status": "confirmed",
                "channel": CATALOGUE[service_id].channel.value,
                "join_url": "https://meet.example.jp/abc" if service_id == "pediatric_night"
                else None, "visit_code": None, "prescription": None,
                "created_at": now, "updated_at": now}
        return None, ""


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def backend(clock: Clock) -> ResidentBackend:
    return ResidentBackend(clock)


def make(tmp_path: Path, backend: ResidentBackend, clock: Clock) -> BookingService:
    cache = PersonalCache(tmp_path / "client", RESIDENT, FileKeyStore(tmp_path / "keys"))
    store = LocalStore(tmp_path / "client" / "store.db")
    outbox = Outbox(store, RESIDENT, sealer=cache.sealer)
    return BookingService(backend, cache, outbox, Catalogue(), now=clock, retry=NO_WAIT)


@pytest.fixture
def service(tmp_path: Path, backend: ResidentBackend, clock: Clock) -> BookingService:
    return make(tmp_path, backend, clock)


async def test_a_booking_made_offline_is_pending_then_confirmed(
        tmp_path: Path, service: BookingService, backend: ResidentBackend,
        clock: Clock) -> None:
    backend.offline = True
    made = service.book(KOSODATE, jst(DAY2, 10), "ja", note="二歳の子の夜泣き")
    assert made.ok and made.booking is not None
    pending = made.booking
    assert pending.state is BookingState.pending and pending.waiting is Change.create
    assert pending.end == jst(DAY2, 10, 30) and pending.live
    with pytest.raises(Offline):
        await service.send()
    again = make(tmp_path, backend, clock)  # a restart, still offline: still shown
    assert [(b.id, b.state) for b in again.bookings()] == [(pending.id, BookingState.pending)]
    backend.offline = False
    await again.send()
    (confirmed,) = again.bookings()
    assert confirmed.id == pending.id and confirmed.state is BookingState.confirmed
    assert confirmed.waiting is None and confirmed.record is not None
    payload = backend.bodies[-1]["mutations"][0]
    assert payload["kind"] == "booking.create" and payload["payload"] == {
        "booking_id": pending.id, "service_id": "kosodate",
        "start": "2026-12-03T10:00:00+09:00", "language": "ja", "questionnaire": None,
        "note": "二歳の子の夜泣き"}


async def test_accepted_but_not_yet_listed_shows_confirmed(
        service: BookingService, backend: ResidentBackend) -> None:
    made = service.book(KOSODATE, jst(DAY2, 14))
    assert made.booking is not None
    backend.offline = False
    await service.send()
    backend.bookings.clear()  # the next read fails to list it (say, a stale replica)...
    assert service.booking(made.booking.id).state is BookingState.confirmed  # type: ignore[union-attr]


async def test_a_full_slot_is_refused_with_the_next_free_times(
        service: BookingService, backend: ResidentBackend) -> None:
    backend.place(None, "kosodate", jst(DAY2, 10))  # someone else took the last place
    made = service.book(KOSODATE, jst(DAY2, 10))
    assert made.booking is not None
    await service.send()
    (refused,) = service.bookings()
    assert refused.state is BookingState.rejected and not refused.live
    assert refused.refusal is not None
    assert refused.refusal.code is RefusalCode.slot_full
    assert refused.refusal.wanted == jst(DAY2, 10)
    assert refused.refusal.alternatives == (
        jst(DAY2, 14), jst(DAY2 + timedelta(days=1), 10), jst(DAY2 + timedelta(days=1), 14))
    # The resident takes the first one offered, then lets the refusal go.
    assert service.book(KOSODATE, refused.refusal.alternatives[0]).ok
    service.dismiss(refused)
    await service.send()
    assert [(b.start, b.state) for b in service.bookings()] == [
        (jst(DAY2, 14), BookingState.confirmed)]


async def test_checks_before_queueing(service: BookingService, clock: Clock) -> None:
    def codes(result: Any) -> list[BookingProblemCode]:
        return [p.code for p in result.problems]

    assert codes(service.book(KOSODATE, jst(TODAY, 10))) == [BookingProblemCode.window_closed]
    assert codes(service.book(KOSODATE, jst(TODAY + timedelta(days=30), 10))) == [
        BookingProblemCode.too_far_ahead]
    assert codes(service.book(PEDIATRIC, jst(DAY2, 10))) == [
        BookingProblemCode.questionnaire_missing]
    assert codes(service.book(KOSODATE, jst(DAY2, 10), questionnaire=SYMPTOMS)) == [
        BookingProblemCode.questionnaire_not_asked]
    long = service.book(PEDIATRIC, jst(DAY2, 10), note="x" * 401,
                        questionnaire=SYMPTOMS.model_copy(update={"allergies": "y" * 1001}))
    assert [(p.code, p.field, dict(p.params)) for p in long.problems] == [
        (BookingProblemCode.too_long, "note", {"max": 400}),
        (BookingProblemCode.too_long, "allergies", {"max": 1000})]
    assert service.outbox.items() == []  # nothing was queued
    assert service.book(KOSODATE, jst(DAY2, 10)).ok
    assert codes(service.book(KOSODATE, jst(DAY2, 10))) == [BookingProblemCode.already_booked]
    t = Translator("en")
    assert problem_message(long.problems[0], t) == (
        "Please shorten this to 400 characters or fewer.")


async def test_cancel_past_the_deadline_is_refused_before_queueing(
        service: BookingService, clock: Clock) -> None:
    made = service.book(KOSODATE, jst(TODAY + timedelta(days=1), 14))
    assert made.booking is not None
    await service.send()
    queued = len(service.outbox.items())
    clock.now = jst(TODAY, 15)  # 23 hours before: the deadline (24 h) has passed
    result = service.cancel(made.booking.id)
    assert [p.code for p in result.problems] == [BookingProblemCode.cancel_deadline_passed]
    assert dict(result.problems[0].params) == {"hours": 24}
    assert len(service.outbox.items()) == queued
    assert [p.code for p in service.cancel("0" * 32).problems] == [BookingProblemCode.not_found]


async def test_cancel_shows_at_once_and_frees_the_place(
        service: BookingService, backend: ResidentBackend) -> None:
    made = service.book(KOSODATE, jst(DAY2, 10))
    assert made.booking is not None
    await service.send()
    backend.offline = True
    cancelled = service.cancel(made.booking.id)
    assert cancelled.ok and cancelled.booking is not None
    assert cancelled.booking.state is BookingState.cancelled
    assert cancelled.booking.waiting is Change.cancel
    assert [p.code for p in service.cancel(made.booking.id).problems] == [
        BookingProblemCode.not_active]
    backend.offline = False
    await service.send()
    assert service.booking(made.booking.id).state is BookingState.cancelled  # type: ignore[union-attr]
    assert backend.taken[("kosodate", jst(DAY2, 10))] == 0


async def test_reschedule(service: BookingService, backend: ResidentBackend) -> None:
    made = service.book(KOSODATE, jst(DAY2, 10))
    assert made.booking is not None
    booking_id = made.booking.id
    await service.send()
    assert [p.code for p in service.reschedule(booking_id, jst(DAY2, 10)).problems] == [
        BookingProblemCode.same_time]
    backend.offline = True
    moved = service.reschedule(booking_id, jst(DAY2, 14))
    assert moved.ok and moved.booking is not None
    assert (moved.booking.start, moved.booking.end) == (jst(DAY2, 14), jst(DAY2, 14, 30))
    assert moved.booking.waiting is Change.reschedule
    assert moved.booking.state is BookingState.confirmed
    backend.offline = False
    await service.send()
    (now,) = service.bookings()
    assert (now.start, now.waiting, now.record.start) == (  # type: ignore[union-attr]
        jst(DAY2, 14), None, jst(DAY2, 14))
    # Refused: the booking stays where it is, with the reason.
    backend.place(None, "kosodate", jst(DAY2 + timedelta(days=1), 10))
    assert service.reschedule(booking_id, jst(DAY2 + timedelta(days=1), 10)).ok
    await service.send()
    (kept,) = service.bookings()
    assert kept.start == jst(DAY2, 14) and kept.state is BookingState.confirmed
    assert kept.refusal is not None and kept.refusal.change is Change.reschedule
    assert kept.refusal.code is RefusalCode.slot_full
    service.dismiss(kept)
    assert service.booking(booking_id).refusal is None  # type: ignore[union-attr]


def plaintext_on_disk(root: Path, secrets: list[str]) -> list[tuple[str, str]]:
    """(file, text) for each text found in clear in a file under `root`."""
    return [(path.name, secret) for path in root.rglob("*") if path.is_file()
            for secret in secrets if secret.encode("utf-8") in path.read_bytes()]


async def test_the_questionnaire_is_sealed_on_the_device(
        tmp_path: Path, service: BookingService, backend: ResidentBackend,
        clock: Clock) -> None:
    service.save_questionnaire("pediatric_night", SYMPTOMS)
    assert make(tmp_path, backend, clock).questionnaire("pediatric_night") == SYMPTOMS
    backend.offline = True
    made = service.book(PEDIATRIC, jst(DAY2, 10), "ja", SYMPTOMS)
    assert made.ok
    assert plaintext_on_disk(tmp_path, [SYMPTOMS.symptoms, "pediatric_night"]) == []
    backend.offline = False
    await service.send()
    assert backend.bodies[-1]["mutations"][0]["payload"]["questionnaire"] == SYMPTOMS.model_dump()
    assert service.questionnaire("pediatric_night") is None  # sent and accepted: forgotten
    (confirmed,) = service.bookings()
    assert confirmed.join_url == "https://meet.example.jp/abc"


async def test_two_residents_on_one_device_do_not_see_each_other(
        tmp_path: Path, service: BookingService, backend: ResidentBackend,
        clock: Clock) -> None:
    assert service.book(KOSODATE, jst(DAY2, 10)).ok
    keys = FileKeyStore(tmp_path / "keys")
    other_cache = PersonalCache(tmp_path / "client", "c" * 64, keys)
    other = BookingService(backend, other_cache,
                           Outbox(LocalStore(tmp_path / "client" / "store.db"), "c" * 64,
                                  sealer=other_cache.sealer), Catalogue(), now=clock)
    assert other.bookings() == []
