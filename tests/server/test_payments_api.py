"""The stub payment provider (docs/e-applications.md): idempotent by key, at most one success
per application even under 100 concurrent requests, declined payments leave the application
payable, the card number never stored. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from server.payments import luhn_ok
from tests.cardworld import PINS, World
from tests.server.conftest import bearer, login
from tests.server.e_apps import BOB, DECLINED, NO_FUNDS, PAYS, hex_id, pay

CONCURRENT = 100


def _body(application_id: str, card: str = PAYS, amount: int = 600) -> dict:
    return {"application_id": application_id, "procedure_id": "juminhyo_copy",
            "amount_yen": amount, "card_number": card}


async def _at_once(app, headers: dict, bodies: list[tuple[str, dict]]) -> list[httpx.Response]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as http:
        return await asyncio.gather(*(
            http.post("/v1/payments", headers={**headers, "Idempotency-Key": key}, json=body)
            for key, body in bodies))


def test_a_payment_and_its_receipt(client: TestClient, alice: dict) -> None:
    application_id = hex_id()
    response = pay(client, alice, application_id)
    assert response.status_code == 201, response.text
    payment = response.json()
    assert {k: payment[k] for k in ("application_id", "procedure_id", "amount_yen", "status",
                                    "decline_code", "card_last4")} == {
        "application_id": application_id, "procedure_id": "juminhyo_copy", "amount_yen": 600,
        "status": "succeeded", "decline_code": None, "card_last4": "4242"}
    assert client.get(f"/v1/payments/{payment['id']}", headers=alice).json() == payment
    assert client.get(f"/v1/payments/{hex_id()}", headers=alice).status_code == 404


def test_what_is_refused(client: TestClient, alice: dict) -> None:
    def post(body: dict, key: str | None = "k" * 20):
        headers = {**alice, **({"Idempotency-Key": key} if key else {})}
        return client.post("/v1/payments", headers=headers, json=body)

    application_id = hex_id()
    assert not luhn_ok("4242424242424241") and luhn_ok(PAYS)
    luhn = post(_body(application_id, card="4242424242424241"))
    assert (luhn.status_code, luhn.json()["detail"]) == (422, "card_number_invalid")
    for key in (None, "short", "x" * 65, "bad key with spaces!"):
        assert post(_body(application_id), key=key).status_code == 422, key
    for change in ({"amount_yen": 0}, {"amount_yen": "600"}, {"card_number": "4242 4242"},
                   {"status": "succeeded"}, {"procedure_id": "Not-An-Id"}):
        assert post({**_body(application_id), **change}).status_code == 422, change
    unknown = post({**_body(application_id), "procedure_id": "no_such_procedure"})
    assert (unknown.status_code, unknown.json()["detail"]) == (422, "unknown_procedure")
    assert client.post("/v1/payments", json=_body(application_id),
                       headers={"Idempotency-Key": "k" * 20}).status_code == 401


def test_the_same_key_answers_the_same_payment(client: TestClient, alice: dict) -> None:
    application_id, key = hex_id(), hex_id()
    first = pay(client, alice, application_id, key=key)
    # The answer was lost: the app sends the same request again.
    again = pay(client, alice, application_id, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    other = pay(client, alice, application_id, key=key, amount=900)
    assert (other.status_code, other.json()["detail"]) == (422, "idempotency_key_reused")
    # The card number is part of the body too.
    card = pay(client, alice, application_id, key=key, card="5555555555554444")
    assert (card.status_code, card.json()["detail"]) == (422, "idempotency_key_reused")
    # Another key for an application already paid.
    twice = pay(client, alice, application_id)
    assert (twice.status_code, twice.json()["detail"]) == (409, "already_paid")


def test_a_double_tap_is_one_payment(client: TestClient, alice: dict) -> None:
    application_id, key = hex_id(), hex_id()
    responses = asyncio.run(_at_once(client.app, alice, [(key, _body(application_id))] * 8))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    with client.app.state.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM payment")).scalar_one() == 1


def test_one_success_per_application_under_concurrent_keys(
    client: TestClient, alice: dict
) -> None:
    application_id = hex_id()
    bodies = [(hex_id(), _body(application_id)) for _ in range(CONCURRENT)]
    responses = asyncio.run(_at_once(client.app, alice, bodies))
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 1, statuses
    assert set(statuses) == {201, 409}
    assert {r.json()["detail"] for r in responses if r.status_code == 409} == {"already_paid"}
    with client.app.state.engine.connect() as conn:
        assert conn.execute(text(
            "SELECT count(*) FROM payment WHERE status = 'succeeded'")).scalar_one() == 1


def test_a_declined_payment_leaves_the_application_payable(
    client: TestClient, alice: dict
) -> None:
    application_id = hex_id()
    declined = pay(client, alice, application_id, card=DECLINED)
    no_funds = pay(client, alice, application_id, card=NO_FUNDS)
    assert (declined.status_code, declined.json()["status"], declined.json()["decline_code"],
            declined.json()["card_last4"]) == (201, "declined", "card_declined", "0002")
    assert (no_funds.json()["status"], no_funds.json()["decline_code"]) == (
        "declined", "insufficient_funds")
    paid = pay(client, alice, application_id)
    assert (paid.status_code, paid.json()["status"]) == (201, "succeeded")
    assert pay(client, alice, application_id).status_code == 409


def test_the_card_number_is_never_stored(client: TestClient, alice: dict) -> None:
    for card in (PAYS, DECLINED):
        pay(client, alice, hex_id(), card=card)
    with client.app.state.engine.connect() as conn:
        dumped = repr(conn.execute(text("SELECT * FROM payment")).all())
    assert "4242" in dumped  # the last four digits are
    for card in (PAYS, DECLINED):
        assert card not in dumped and card[:12] not in dumped


def test_a_resident_sees_only_their_payments(
    client: TestClient, alice: dict, world: World
) -> None:
    bob = bearer(login(client, world.card(BOB), PINS[BOB]))
    payment = pay(client, alice, hex_id()).json()
    assert client.get(f"/v1/payments/{payment['id']}", headers=bob).status_code == 404
    assert client.get(f"/v1/payments/{payment['id']}", headers=alice).status_code == 200
    by_application = {"application_id": payment["application_id"]}
    assert client.get("/v1/payments", params=by_application, headers=bob).json() == {"data": []}
    assert client.get("/v1/payments", params=by_application,
                      headers=alice).json() == {"data": [payment]}


def test_payments_a_day_are_bounded(client: TestClient, alice: dict) -> None:
    limit = client.app.state.settings.max_payments_per_day
    for _ in range(limit):
        assert pay(client, alice, hex_id(), card=DECLINED).status_code == 201
    refused = pay(client, alice, hex_id())
    assert (refused.status_code, refused.json()["detail"]) == (409, "payment_limit_reached")


def test_the_database_itself_refuses_a_second_success(client: TestClient, alice: dict) -> None:
    """Not the route's reads: the unique constraint (what decides races)."""
    application_id = hex_id()
    pay(client, alice, application_id)
    with client.app.state.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM payment")).mappings().one()
        copy = {**row, "id": hex_id(), "idempotency_key": hex_id()}
        columns = ", ".join(copy)
        with pytest.raises(IntegrityError):
            conn.execute(text(f"INSERT INTO payment ({columns}) VALUES "
                              f"({', '.join(':' + c for c in copy)})"), copy)
        conn.rollback()
        declined = {**copy, "status": "declined", "paid_application_id": None}
        conn.execute(text(f"INSERT INTO payment ({columns}) VALUES "
                          f"({', '.join(':' + c for c in declined)})"), declined)
