"""THE capacity test (docs/booking.md): 50 residents at once through POST /v1/mutations on
the last place of a slot get exactly one booking; the other 49 are `slot_full` with the next
free slots. Two residents rescheduling into one last place at once: one moves, one is
refused and keeps the old place. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.server.booking_support import (
    MENTAL,
    create,
    hex_id,
    mutation,
    residents,
    send,
    slots,
)

ATTEMPTS = 50
LAST = "2026-12-07T15:00:00+09:00"
NEXT = ("2026-12-07T15:30:00+09:00; 2026-12-08T09:00:00+09:00; "
        "2026-12-08T09:30:00+09:00")


async def _at_once(app: FastAPI, requests: list[tuple[dict, dict]]) -> list[dict]:
    """Every request at the same moment, each from its own connection."""
    clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") for _ in requests]
    try:
        answers = await asyncio.gather(*(
            client.post("/v1/mutations", headers=headers, json={
                "client_id": hex_id(), "mutations": [body]})
            for client, (headers, body) in zip(clients, requests, strict=True)))
    finally:
        for client in clients:
            await client.aclose()
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers][:3]
    return [a.json()["results"][0] for a in answers]


def _live(client: TestClient, start: str) -> int:
    with client.app.state.engine.connect() as conn:  # type: ignore[attr-defined]
        return conn.execute(text(
            "SELECT count(*) FROM consultation_booking WHERE start = :s AND "
            "status = 'confirmed'"), {"s": start}).scalar_one()


def test_fifty_residents_on_the_last_place_make_one_booking(booking_app: TestClient) -> None:
    client = booking_app
    app = client.app
    people = residents(app, ATTEMPTS + 1, app.state.clock.now())  # type: ignore[attr-defined]
    # One of the two places is taken: one left.
    assert send(client, people[0], mutation("booking.create", create(MENTAL, LAST))) == [
        ("applied", None, None)]
    results = asyncio.run(_at_once(app, [  # type: ignore[arg-type]
        (headers, mutation("booking.create", create(MENTAL, LAST))) for headers in people[1:]]))
    outcomes = [(r["outcome"], r["code"]) for r in results]
    assert outcomes.count(("applied", None)) == 1, outcomes
    assert outcomes.count(("rejected", "slot_full")) == ATTEMPTS - 1, outcomes
    assert {r["reason"] for r in results if r["code"] == "slot_full"} == {NEXT}
    assert _live(client, LAST) == 2
    assert slots(client, MENTAL)[LAST] == 0


def test_two_reschedules_into_one_last_place(booking_app: TestClient) -> None:
    client = booking_app
    app = client.app
    a, b, c = residents(app, 3, app.state.clock.now())  # type: ignore[attr-defined]
    olds = ["2026-12-08T10:00:00+09:00", "2026-12-08T11:00:00+09:00"]
    mine = [create(MENTAL, olds[0]), create(MENTAL, olds[1])]
    send(client, a, mutation("booking.create", mine[0]))
    send(client, b, mutation("booking.create", mine[1]))
    send(client, c, mutation("booking.create", create(MENTAL, LAST)))  # one place left
    results = asyncio.run(_at_once(app, [  # type: ignore[arg-type]
        (a, mutation("booking.reschedule", {"booking_id": mine[0]["booking_id"],
                                            "start": LAST})),
        (b, mutation("booking.reschedule", {"booking_id": mine[1]["booking_id"],
                                            "start": LAST}))]))
    outcomes = sorted((r["outcome"], r["code"]) for r in results)
    assert outcomes == [("applied", None), ("rejected", "slot_full")], results
    moved = 0 if results[0]["outcome"] == "applied" else 1
    free = slots(client, MENTAL)
    assert free[LAST] == 0
    assert free[olds[moved]] == 2 and free[olds[1 - moved]] == 1  # the loser keeps its place
    assert _live(client, LAST) == 2
