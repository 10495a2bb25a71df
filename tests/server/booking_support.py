"""Helpers of the booking tests (the app with the bundled services is the `booking_app`
fixture, tests/server/conftest.py): the clock's Thursday, many residents logged in at once,
and outbox mutations."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.core.security import CardBinding, SessionPolicy, start_session

# Thursday 2026-12-03, 09:00 in Toyama.
NOW = datetime(2026, 12, 3, 0, 0, tzinfo=UTC)
# こころの相談: weekdays 09:00-16:00, 30-minute slots of 2 places; bookable from 1 hour
# before, 14 days ahead; cancellable until 1 hour before.
MENTAL = "mental_health_phone"
NAIKA = "telemed_naika"  # one place a slot; needs the questionnaire
QUESTIONNAIRE = {"symptoms": "熱が38度", "medication": "なし", "allergies": "そば",
                 "insurance_card": "12345678"}


def hex_id() -> str:
    return uuid.uuid4().hex


def residents(app: FastAPI, count: int, now: datetime) -> list[dict[str, str]]:
    """Bearer headers of `count` residents, their sessions opened straight in the database
    (a card login each would take minutes; the login itself is tested elsewhere). The same
    count gives the same residents again: new logins after the clock moved on."""
    policy = SessionPolicy(access_ttl_s=900, refresh_ttl_s=3600, max_lifetime_s=3600,
                           idle_timeout_s=3600, recheck_s=3600,
                           check_certificate=lambda serial, at: None)
    card = CardBinding(serial="1F", not_after=now + timedelta(days=365))
    headers = []
    with Session(app.state.engine) as session:
        for n in range(count):
            tokens = start_session(session, user_id=f"{n + 1:064x}", card=card, now=now,
                                   policy=policy)
            headers.append({"Authorization": f"Bearer {tokens.access_token}"})
    return headers


def mutation(kind: str, payload: dict, seq: int = 1) -> dict:
    return {"id": hex_id(), "seq": seq, "kind": kind, "payload": payload}


def send(client: TestClient, headers: dict, *mutations: dict,
         client_id: str | None = None) -> list[tuple[str, str | None, str | None]]:
    response = client.post("/v1/mutations", headers=headers, json={
        "client_id": client_id or hex_id(), "mutations": list(mutations)})
    assert response.status_code == 200, response.text
    return [(r["outcome"], r["code"], r["reason"]) for r in response.json()["results"]]


def create(service_id: str, start: str, booking_id: str | None = None, **extra) -> dict:
    payload = {"booking_id": booking_id or hex_id(), "service_id": service_id, "start": start,
               **extra}
    if service_id.startswith("telemed") and "questionnaire" not in extra:
        payload["questionnaire"] = QUESTIONNAIRE
    return payload


def slots(client: TestClient, service_id: str, **params) -> dict[str, int]:
    response = client.get(f"/v1/consultations/services/{service_id}/slots", params=params)
    assert response.status_code == 200, response.text
    return {s["start"]: s["free"] for s in response.json()["slots"]}
