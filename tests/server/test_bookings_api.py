"""Consultation booking through the real app (docs/booking.md), on SQLite and PostgreSQL:
services and slots with their ETags, the outbox kinds and their rejections, deadlines on the
clock, reading back, another resident's booking, anonymous bookings with a code, and hostile
input (always a 4xx with a problem body)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import text

from server.consultations.models import Booking
from tests.server.booking_support import (
    MENTAL,
    NAIKA,
    QUESTIONNAIRE,
    create,
    hex_id,
    mutation,
    residents,
    send,
    slots,
)
from tests.server.conftest import FakeClock

MON_10 = "2026-12-07T10:00:00+09:00"
MON_1030 = "2026-12-07T10:30:00+09:00"
APPLIED = [("applied", None, None)]


def _two(client: TestClient) -> tuple[dict, dict]:
    a, b = residents(client.app, 2, client.app.state.clock.now())  # type: ignore[attr-defined]
    return a, b


def codes(results: list[tuple[str, str | None, str | None]]) -> list[str | None]:
    return [code for _, code, _ in results]


def test_services_and_slots_answer_with_etags(booking_app: TestClient) -> None:
    client = booking_app
    response = client.get("/v1/consultations/services")
    assert response.status_code == 200
    catalogue = response.json()
    assert len(catalogue["services"]) == 12 and catalogue["version"]
    mental = next(s for s in catalogue["services"] if s["id"] == MENTAL)
    assert mental["anonymous_allowed"] and not mental["login_required"]
    assert {"ja", "en"} <= set(mental["name"]) and mental["needs"]["ja"]
    etag = response.headers["ETag"]
    assert etag.startswith('W/"')
    assert client.get("/v1/consultations/services",
                      headers={"If-None-Match": etag}).status_code == 304
    first = client.get(f"/v1/consultations/services/{MENTAL}/slots")
    page = first.json()
    assert page["service_id"] == MENTAL and page["generated_at"].endswith("+09:00")
    assert page["slots"][0] == {"start": "2026-12-03T10:00:00+09:00",  # 09:30 is < 1 h away
                                "end": "2026-12-03T10:30:00+09:00", "capacity": 2, "free": 2}
    assert not any(s["start"].startswith("2026-12-05") for s in page["slots"])  # Saturday
    assert page["slots"][-1]["start"] == "2026-12-17T15:30:00+09:00"  # 14 days ahead
    slot_etag = first.headers["ETag"]
    again = client.get(f"/v1/consultations/services/{MENTAL}/slots",
                       headers={"If-None-Match": slot_etag})
    assert again.status_code == 304
    a, _ = _two(client)
    assert send(client, a, mutation("booking.create", create(MENTAL, MON_10))) == APPLIED
    changed = client.get(f"/v1/consultations/services/{MENTAL}/slots",
                         headers={"If-None-Match": slot_etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != slot_etag
    assert slots(client, MENTAL)[MON_10] == 1
    assert client.get("/v1/consultations/services/nope/slots").status_code == 404
    day = slots(client, MENTAL, **{"from": "2026-12-07", "days": 1})
    assert len(day) == 14 and all(s.startswith("2026-12-07") for s in day)
    assert slots(client, MENTAL, **{"from": "2027-12-07", "days": 3}) == {}


def test_a_booking_is_made_once_read_back_and_sealed(booking_app: TestClient) -> None:
    client = booking_app
    a, _ = _two(client)
    booking_id = hex_id()
    start = "2026-12-07T13:00:00+09:00"
    batch = mutation("booking.create", create(NAIKA, start, booking_id, note="背中も痛い",
                                              language="ja"))
    client_id = hex_id()
    assert send(client, a, batch, client_id=client_id) == APPLIED
    # The acknowledgement was lost: the same mutation again books nothing more.
    assert send(client, a, batch, client_id=client_id) == [("duplicate", None, None)]
    assert slots(client, NAIKA)[start] == 0
    listed = client.get("/v1/bookings", headers=a).json()["data"]
    assert [b["id"] for b in listed] == [booking_id]
    one = client.get(f"/v1/bookings/{booking_id}", headers=a).json()
    assert one["status"] == "confirmed" and one["channel"] == "video"
    assert one["start"] == start and one["end"] == "2026-12-07T13:15:00+09:00"
    assert one["join_url"] is None and one["prescription"] is None
    assert one["created_at"].endswith("+09:00")
    # The same booking id in a later mutation (a restored queue): nothing new either.
    assert send(client, a, batch | {"id": hex_id(), "seq": 2},
                client_id=client_id) == APPLIED
    assert slots(client, NAIKA)[start] == 0
    with client.app.state.engine.connect() as conn:  # type: ignore[attr-defined]
        sealed = conn.execute(text("SELECT sealed FROM consultation_booking")).scalar_one()
    for value in ("背中", "そば", "38度", "12345678"):
        assert value not in sealed
    opened = json.loads(client.app.state.sealer.open(  # type: ignore[attr-defined]
        sealed, context=f"consultation_booking:{booking_id}"))
    assert opened == {"questionnaire": QUESTIONNAIRE, "note": "背中も痛い"}


def test_rejections_name_what_is_wrong(booking_app: TestClient) -> None:
    client = booking_app
    a, b = _two(client)
    cases = [
        (create("no_such_service", MON_10), "unknown_service"),
        (create(MENTAL, "2026-12-07T10:10:00+09:00"), "no_such_slot"),
        (create(MENTAL, "2026-12-05T10:00:00+09:00"), "no_such_slot"),  # Saturday
        (create(MENTAL, "2026-12-03T09:30:00+09:00"), "outside_window"),  # 30 minutes ahead
        (create(MENTAL, "2026-12-18T10:00:00+09:00"), "outside_window"),  # 15 days ahead
        (create(MENTAL, "2026-11-30T10:00:00+09:00"), "outside_window"),  # past
        (create(NAIKA, MON_10.replace("10:00", "13:00"), questionnaire=None), "invalid_payload"),
        (create(MENTAL, MON_10, questionnaire=QUESTIONNAIRE), "invalid_payload"),
        (create(MENTAL, MON_10, note="x" * 401), "invalid_payload"),
        (create(MENTAL, "2026-12-07T10:00:00"), "invalid_payload"),  # no offset
        (create(MENTAL, "2026-13-45T10:00:00+09:00"), "invalid_payload"),
        (create(MENTAL, "yesterday"), "invalid_payload"),
        (create(NAIKA, MON_10.replace("10:00", "13:00"),
                questionnaire=QUESTIONNAIRE | {"symptoms": "熱" * 1001}), "invalid_payload"),
        ({"booking_id": "nothex", "service_id": MENTAL, "start": MON_10}, "invalid_payload"),
    ]
    results = send(client, a, *(mutation("booking.create", p, n + 1)
                                for n, (p, _) in enumerate(cases)))
    assert codes(results) == [code for _, code in cases]
    assert all(reason for _, _, reason in results)
    # The same start as one already held: already_booked; the same in another service: fine.
    held = create(MENTAL, MON_10)
    assert send(client, a, mutation("booking.create", held)) == APPLIED
    assert codes(send(client, a, mutation("booking.create", create(MENTAL, MON_10)))) == [
        "already_booked"]
    # Another resident cannot reuse the id.
    assert codes(send(client, b, mutation("booking.create", create(
        MENTAL, MON_1030, held["booking_id"])))) == ["booking_id_taken"]
    assert slots(client, MENTAL)[MON_10] == 1


def test_a_full_slot_names_the_next_free_ones(booking_app: TestClient) -> None:
    client = booking_app
    a, b, c = residents(client.app, 3, client.app.state.clock.now())  # type: ignore[attr-defined]
    start = "2026-12-07T15:00:00+09:00"
    send(client, a, mutation("booking.create", create(MENTAL, start)))
    send(client, b, mutation("booking.create", create(MENTAL, start)))
    [(outcome, code, reason)] = send(client, c, mutation("booking.create", create(MENTAL, start)))
    assert (outcome, code) == ("rejected", "slot_full")
    # 15:30 is the day's last; Tuesday goes on at 09:00.
    assert reason == ("2026-12-07T15:30:00+09:00; 2026-12-08T09:00:00+09:00; "
                      "2026-12-08T09:30:00+09:00")


def test_cancel_and_reschedule_keep_their_deadlines(
    booking_app: TestClient, clock: FakeClock
) -> None:
    client = booking_app
    a, _ = _two(client)
    first, second = create(MENTAL, MON_10), create(MENTAL, MON_1030)
    assert send(client, a, mutation("booking.create", first),
                mutation("booking.create", second, 2), client_id="a" * 32) == APPLIED * 2
    # Reschedule frees the old place and takes the new one, visible in the slots.
    new = "2026-12-08T11:00:00+09:00"
    assert send(client, a, mutation("booking.reschedule",
                                    {"booking_id": first["booking_id"], "start": new}, 3),
                client_id="a" * 32) == APPLIED
    free = slots(client, MENTAL)
    assert (free[MON_10], free[new]) == (2, 1)
    booked = client.get(f"/v1/bookings/{first['booking_id']}", headers=a).json()
    assert (booked["start"], booked["status"]) == (new, "confirmed")
    # Onto the start of its own other booking: already_booked.
    assert codes(send(client, a, mutation("booking.reschedule", {
        "booking_id": first["booking_id"], "start": MON_1030}, 4),
        client_id="a" * 32)) == ["already_booked"]
    assert codes(send(client, a, mutation("booking.reschedule", {
        "booking_id": first["booking_id"], "start": "2026-12-08T11:05:00+09:00"}, 5),
        client_id="a" * 32)) == ["no_such_slot"]
    # 50 minutes before Monday 10:30: past the 1-hour deadline.
    clock.current = clock.current.replace(day=7, hour=0, minute=40)
    a, _ = _two(client)  # logged in again, days later
    assert codes(send(client, a, mutation("booking.cancel",
                                          {"booking_id": second["booking_id"]}, 6),
                      client_id="a" * 32)) == ["too_late"]
    assert codes(send(client, a, mutation("booking.reschedule", {
        "booking_id": second["booking_id"], "start": new}, 7),
        client_id="a" * 32)) == ["too_late"]
    # The moved one (Tuesday 11:00) can still be cancelled, once.
    assert send(client, a, mutation("booking.cancel", {"booking_id": first["booking_id"]}, 8),
                client_id="a" * 32) == APPLIED
    assert codes(send(client, a, mutation("booking.cancel",
                                          {"booking_id": first["booking_id"]}, 9),
                      client_id="a" * 32)) == ["not_active"]
    assert codes(send(client, a, mutation("booking.reschedule", {
        "booking_id": first["booking_id"], "start": "2026-12-08T12:00:00+09:00"}, 10),
        client_id="a" * 32)) == ["not_active"]
    assert slots(client, MENTAL)[new] == 2
    statuses = {b["id"]: b["status"] for b in
                client.get("/v1/bookings", headers=a).json()["data"]}
    assert statuses == {first["booking_id"]: "cancelled", second["booking_id"]: "confirmed"}


def test_another_residents_booking_is_not_found(booking_app: TestClient) -> None:
    client = booking_app
    a, b = _two(client)
    mine = create(MENTAL, MON_10)
    send(client, a, mutation("booking.create", mine))
    assert client.get(f"/v1/bookings/{mine['booking_id']}", headers=b).status_code == 404
    assert client.get(f"/v1/bookings/{hex_id()}", headers=a).status_code == 404
    assert client.get("/v1/bookings", headers=b).json() == {"data": []}
    assert codes(send(client, b, mutation("booking.cancel",
                                          {"booking_id": mine["booking_id"]}))) == ["not_found"]
    assert codes(send(client, b, mutation("booking.reschedule", {
        "booking_id": mine["booking_id"], "start": MON_1030}))) == ["not_found"]
    assert client.get(f"/v1/bookings/{mine['booking_id']}",
                      headers=a).json()["status"] == "confirmed"
    assert client.get("/v1/bookings").status_code == 401


def test_anonymous_booking_with_its_code(booking_app: TestClient) -> None:
    client = booking_app
    key = {"Idempotency-Key": "anon-key-" + hex_id()}
    body = {"service_id": MENTAL, "start": MON_10}
    made = client.post("/v1/anonymous-bookings", json=body, headers=key)
    assert made.status_code == 201, made.text
    answer = made.json()
    code, booking_id = answer["code"], answer["booking_id"]
    assert len(code) == 10 and set(code) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert answer["start"] == MON_10 and answer["end"] == "2026-12-07T10:30:00+09:00"
    # The same key and body: the same booking, the same code; no second place taken.
    again = client.post("/v1/anonymous-bookings", json=body, headers=key)
    assert (again.status_code, again.json()) == (200, answer)
    assert slots(client, MENTAL)[MON_10] == 1
    reused = client.post("/v1/anonymous-bookings", json=body | {"start": MON_1030}, headers=key)
    assert (reused.status_code, reused.json()["detail"]) == (422, "idempotency_key_reused")
    path = f"/v1/anonymous-bookings/{booking_id}"
    read = client.get(path, headers={"X-Booking-Code": code.lower()})
    assert read.status_code == 200 and read.json()["status"] == "confirmed"
    wrong = "0" * 10 if code != "0" * 10 else "1" * 10
    for headers in ({"X-Booking-Code": wrong}, {"X-Booking-Code": code[:9]}):
        assert client.get(path, headers=headers).status_code == 404
        assert client.delete(path, headers=headers).status_code == 404
    assert client.get(f"/v1/anonymous-bookings/{hex_id()}",
                      headers={"X-Booking-Code": code}).status_code == 404
    # Not through the resident's routes either, nor the resident's through these.
    with client.app.state.engine.connect() as conn:  # type: ignore[attr-defined]
        stored = conn.execute(text("SELECT code_mac, key_mac FROM consultation_booking")).one()
    assert code not in stored.code_mac and key["Idempotency-Key"] not in stored.key_mac
    client.app.state.clock.advance(seconds=61)  # type: ignore[attr-defined] # the rate limit
    cancelled = client.delete(path, headers={"X-Booking-Code": code})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert slots(client, MENTAL)[MON_10] == 2
    twice = client.delete(path, headers={"X-Booking-Code": code})
    assert (twice.status_code, twice.json()["code"]) == (409, "not_active")
    login_only = client.post("/v1/anonymous-bookings", json={"service_id": NAIKA,
                             "start": "2026-12-07T13:00:00+09:00"},
                             headers={"Idempotency-Key": "k" * 16})
    assert (login_only.status_code, login_only.json()["code"]) == (409, "login_only")
    late = client.post("/v1/anonymous-bookings", json=body | {
        "start": "2026-12-03T09:30:00+09:00"}, headers={"Idempotency-Key": "l" * 16})
    assert (late.status_code, late.json()["code"]) == (409, "outside_window")


def test_anonymous_routes_are_limited_per_address(booking_app: TestClient) -> None:
    client = booking_app
    path = f"/v1/anonymous-bookings/{hex_id()}"
    statuses = [client.get(path, headers={"X-Booking-Code": f"{n:010d}"}).status_code
                for n in range(12)]
    assert statuses == [404] * 10 + [429] * 2
    limited = client.post("/v1/anonymous-bookings", json={"service_id": MENTAL,
                          "start": MON_10}, headers={"Idempotency-Key": "m" * 16})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    other = TestClient(client.app, client=("192.0.2.77", 5000))
    assert other.get(path, headers={"X-Booking-Code": "0" * 10}).status_code == 404
    client.app.state.clock.advance(seconds=61)  # type: ignore[attr-defined]
    assert client.get(path, headers={"X-Booking-Code": "0" * 10}).status_code == 404


def test_hostile_input_is_a_4xx_with_a_problem_body(booking_app: TestClient) -> None:
    client = booking_app
    a, _ = _two(client)
    surrogate = ('{"client_id": "' + "b" * 32 + '", "mutations": [{"id": "' + "c" * 32
                 + '", "seq": 1, "kind": "booking.create", "payload": {"booking_id": "'
                 + "d" * 32 + '", "service_id": "' + MENTAL + '", "start": "' + MON_10
                 + '", "note": "\\ud800"}}]}')
    response = client.post("/v1/mutations", content=surrogate,
                           headers={**a, "Content-Type": "application/json"})
    assert response.status_code == 422 and response.json()["detail"]
    anon = [
        {"service_id": MENTAL, "start": "not a date"},
        {"service_id": MENTAL, "start": "2026-12-07T10:00:00"},
        {"service_id": "x" * 41, "start": MON_10},
        {"service_id": MENTAL, "start": MON_10, "note": "extra"},
        {"service_id": MENTAL, "start": "9999-12-31T23:59:59+09:00"},
        {"service_id": MENTAL, "start": "0001-01-01T00:00:00+09:00"},
        {"service_id": MENTAL, "start": "2099-12-31T10:00:00+09:00"},
        {"service_id": MENTAL, "start": "2026-12-07T01:00:00Z"},  # 10:00 in Japan: a slot
    ]
    statuses = []
    for n, body in enumerate(anon):
        other = TestClient(client.app, client=(f"192.0.2.{n + 1}", 5000))
        answer = other.post("/v1/anonymous-bookings", json=body,
                            headers={"Idempotency-Key": f"hostile-{n:08d}"})
        statuses.append(answer.status_code)
        assert answer.json(), body
    assert statuses == [422, 422, 422, 422, 422, 422, 409, 201]
    huge = client.post("/v1/mutations", headers=a, json={"client_id": "e" * 32, "mutations": [
        mutation("booking.create", create(MENTAL, MON_10, note="長" * 40_000))]})
    assert huge.status_code == 413
    assert client.get("/v1/consultations/services/x/slots",
                      params={"from": "2026-02-30"}).status_code == 422
    assert client.get(f"/v1/consultations/services/{MENTAL}/slots",
                      params={"days": 32}).status_code == 422
    assert client.get(f"/v1/consultations/services/{MENTAL}/slots",
                      params={"from": "9999-12-31", "days": 31}).status_code == 200
    assert client.get("/v1/bookings/" + "g" * 32, headers=a).status_code == 422
    results = send(client, a, *(mutation("booking.create", create(MENTAL, start), n + 1)
                                for n, start in enumerate(["0001-01-01T00:00:00+09:00",
                                                           "9999-12-31T23:59:59-12:00"])))
    assert codes(results) == ["invalid_payload"] * 2
    with client.app.state.engine.connect() as conn:  # type: ignore[attr-defined]
        assert conn.execute(text(f"SELECT count(*) FROM {Booking.__tablename__}")
                            ).scalar_one() == 1  # the one given in UTC


def test_a_logged_out_residents_token_reads_and_books_nothing(booking_app: TestClient) -> None:
    client = booking_app
    a, _ = _two(client)
    mine = create(MENTAL, MON_10)
    send(client, a, mutation("booking.create", mine))
    assert client.post("/v1/auth/logout", headers=a).status_code == 204
    assert client.get("/v1/bookings", headers=a).status_code == 401
    assert client.get(f"/v1/bookings/{mine['booking_id']}", headers=a).status_code == 401
    again = client.post("/v1/mutations", headers=a, json={
        "client_id": hex_id(), "mutations": [mutation("booking.create", create(MENTAL, MON_1030))]})
    assert again.status_code == 401
