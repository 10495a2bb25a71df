"""POST /v1/mutations (issue 9, figures 15-16): applied in order, exactly once per (client,
seq); problems with one mutation are its rejection, never a 5xx or a stuck queue; only the
resident's own drafts are touched. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from server.auth_models import Draft
from server.mutation_models import ClientMutation
from tests.cardworld import PINS, World
from tests.server.conftest import bearer, login

CLIENT = "c" * 32


def hex_id() -> str:
    return uuid.uuid4().hex


def save(seq: int, draft_id: str, body: dict, kind: str = "note") -> dict:
    return {"id": hex_id(), "seq": seq, "kind": "draft.save",
            "payload": {"draft_id": draft_id, "kind": kind, "body": body}}


def post(client: TestClient, headers: dict, *mutations: dict, client_id: str = CLIENT):
    return client.post("/v1/mutations", headers=headers,
                       json={"client_id": client_id, "mutations": list(mutations)})


def drafts(client: TestClient, headers: dict) -> dict[str, dict]:
    data = client.get("/v1/drafts", headers=headers).json()["data"]
    return {d["id"]: d["body"] for d in data}


def outcomes(response) -> list[tuple[str, str | None]]:
    assert response.status_code == 200, response.text
    return [(r["outcome"], r["code"]) for r in response.json()["results"]]


def test_applied_in_order_and_a_retry_changes_nothing(client: TestClient, alice: dict) -> None:
    draft = hex_id()
    batch = [save(1, draft, {"v": 1}), save(2, draft, {"v": 2}),
             {"id": hex_id(), "seq": 3, "kind": "draft.delete", "payload": {"draft_id": draft}},
             save(4, draft, {"v": 4})]
    assert outcomes(post(client, alice, *batch)) == [("applied", None)] * 4
    assert drafts(client, alice) == {draft: {"v": 4}}
    # The acknowledgement was lost: the whole batch comes again.
    assert outcomes(post(client, alice, *batch)) == [("duplicate", None)] * 4
    assert drafts(client, alice) == {draft: {"v": 4}}
    # A retry starting in the middle, carrying the next one.
    assert outcomes(post(client, alice, batch[3], save(5, draft, {"v": 5}))) == [
        ("duplicate", None), ("applied", None)]
    assert drafts(client, alice) == {draft: {"v": 5}}
    with Session(client.app.state.engine) as db:
        assert db.exec(select(func.count()).select_from(ClientMutation)).one()[0] == 5


def test_a_gap_is_refused_with_the_seq_expected(client: TestClient, alice: dict) -> None:
    draft = hex_id()
    assert outcomes(post(client, alice, save(1, draft, {"v": 1}))) == [("applied", None)]
    response = post(client, alice, save(3, draft, {"v": 3}))
    assert response.status_code == 409
    assert response.json() == {"detail": "seq_gap", "expected_seq": 2}
    # Earlier ones in the same batch stay applied; the one after the gap does not.
    response = post(client, alice, save(2, draft, {"v": 2}), save(4, draft, {"v": 4}))
    assert response.status_code == 409 and response.json()["expected_seq"] == 3
    assert drafts(client, alice) == {draft: {"v": 2}}


def test_a_reused_seq_with_another_change_is_refused(client: TestClient, alice: dict) -> None:
    draft = hex_id()
    first = save(1, draft, {"v": 1})
    assert outcomes(post(client, alice, first)) == [("applied", None)]
    other_body = {**first, "payload": {**first["payload"], "body": {"v": "other"}}}
    other_id = {**first, "id": hex_id()}
    for reused in (other_body, other_id):
        response = post(client, alice, reused)
        assert response.status_code == 409
        assert response.json() == {"detail": "seq_reused", "expected_seq": 2}
    assert drafts(client, alice) == {draft: {"v": 1}}


def test_bad_mutations_are_rejected_one_by_one_and_the_queue_moves_on(
    client: TestClient, alice: dict
) -> None:
    draft = hex_id()
    batch = [
        {"id": hex_id(), "seq": 1, "kind": "ticket.buy", "payload": {}},
        {"id": hex_id(), "seq": 2, "kind": "draft.save", "payload": {"draft_id": "nope"}},
        save(3, draft, {"text": "x" * 20_000}),
        save(4, draft, {"v": 1}, kind="Not A Kind"),
        save(5, draft, {"v": 5}),
    ]
    response = post(client, alice, *batch)
    assert outcomes(response) == [
        ("rejected", "unknown_kind"), ("rejected", "invalid_payload"),
        ("rejected", "draft_too_large"), ("rejected", "invalid_payload"), ("applied", None)]
    reasons = [r["reason"] for r in response.json()["results"][:4]]
    assert all(reasons) and "nope" not in reasons[1]  # what and where, not the value
    # A retry answers the same rejections again.
    assert outcomes(post(client, alice, *batch)) == [
        ("duplicate", "unknown_kind"), ("duplicate", "invalid_payload"),
        ("duplicate", "draft_too_large"), ("duplicate", "invalid_payload"),
        ("duplicate", None)]
    assert drafts(client, alice) == {draft: {"v": 5}}


def test_the_draft_cap_is_a_rejection(client: TestClient, alice: dict) -> None:
    batch = [save(n, hex_id(), {"n": n}) for n in range(1, 51)]
    assert outcomes(post(client, alice, *batch)) == [("applied", None)] * 50
    first_id = batch[0]["payload"]["draft_id"]
    response = post(client, alice, save(51, hex_id(), {"n": 51}), save(52, first_id, {"n": 0}))
    # A new draft is refused; replacing an existing one is not a new one.
    assert outcomes(response) == [("rejected", "draft_limit_reached"), ("applied", None)]
    assert len(drafts(client, alice)) == 50 and drafts(client, alice)[first_id] == {"n": 0}


def test_only_the_residents_own_drafts(client: TestClient, alice: dict, world: World) -> None:
    bob = bearer(login(client, world.card("takaoka-kenta"), PINS["takaoka-kenta"]))
    draft = hex_id()
    assert outcomes(post(client, alice, save(1, draft, {"owner": "alice"}))) == [
        ("applied", None)]
    # Bob's client (even with the same client id) has its own sequence and cannot touch it.
    response = post(client, bob, save(1, draft, {"owner": "bob"}),
                    {"id": hex_id(), "seq": 2, "kind": "draft.delete",
                     "payload": {"draft_id": draft}})
    assert outcomes(response) == [("rejected", "draft_id_taken"), ("applied", None)]
    assert drafts(client, alice) == {draft: {"owner": "alice"}}
    assert drafts(client, bob) == {}


def test_no_token_no_mutations(client: TestClient) -> None:
    response = post(client, {}, save(1, hex_id(), {}))
    assert response.status_code == 401


async def _twice_at_once(app, headers: dict, body: dict) -> list[httpx.Response]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as http:
        return await asyncio.gather(*(http.post("/v1/mutations", headers=headers, json=body)
                                      for _ in range(8)))


def test_copies_of_one_request_at_once_apply_it_once(client: TestClient, alice: dict) -> None:
    draft = hex_id()
    body = {"client_id": CLIENT, "mutations": [save(n, hex_id(), {"n": n}) for n in (1, 2)]
            + [save(3, draft, {"v": 3})]}
    responses = asyncio.run(_twice_at_once(client.app, alice, body))
    assert [r.status_code for r in responses] == [200] * 8
    firsts = [[r["outcome"] for r in resp.json()["results"]] for resp in responses]
    for seq in range(3):  # each seq applied by exactly one copy
        assert sorted(f[seq] for f in firsts) == ["applied"] + ["duplicate"] * 7
    with Session(client.app.state.engine) as db:
        assert db.exec(select(func.count()).select_from(Draft)).one()[0] == 3
