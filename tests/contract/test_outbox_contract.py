"""The real outbox and sender against the real server app, through a faulty network (issue 9,
figure 15): requests dropped, answers lost, 503s, late duplicate copies, delays, requests held
back and overtaken, answers held, and the client killed mid-send, over many seeds. Every
mutation is applied exactly once and in order, the queue drains, rejections are kept with their
reason, and the server's drafts are what the resident meant. On SQLite and PostgreSQL.

`make soak` runs many more seeds (KITOKITO_SOAK_SEEDS).
"""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, col, select

from server.auth_models import Draft
from server.mutation_models import ClientMutation
from services.auth_api import AuthApi
from services.errors import Offline, ServerError
from services.login import AuthSession, LoginFlow
from services.outbox import Outbox, OutboxState
from services.outbox_sender import RetryPolicy, drain
from services.store import LocalStore
from tests.cardworld import PINS, World
from tests.contract import audit
from tests.contract.faults import FAULTS, FaultTransport
from tests.contract.harness import report, seeds

SEEDS = seeds(50)
MUTATIONS = 10
FAST = RetryPolicy(attempts=3, wait_initial_s=0, wait_max_s=0, wait_jitter_s=0)


async def test_the_outbox_converges_through_a_faulty_network(
    roomy_server: FastAPI, world: World, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    transport = FaultTransport(httpx.ASGITransport(app=roomy_server), random.Random(0))
    flow = LoginFlow(AuthApi("http://backend", transport=transport))
    session = await flow.login(world.card("toyama-hanako"), PINS["toyama-hanako"])
    failed: list[tuple[int, str]] = []
    for seed in SEEDS:
        transport.rng = random.Random(seed)
        try:
            await _one_run(roomy_server, session, transport, tmp_path / f"seed-{seed}", seed)
        except AssertionError as exc:
            failed.append((seed, str(exc).splitlines()[0]))
    line = report(request.node, SEEDS, transport.seen)
    assert not failed, f"failed seeds {failed}; {line}"
    assert all(transport.seen[f] for f in FAULTS), line


async def _one_run(app: FastAPI, session: AuthSession, transport: FaultTransport,
                   folder: Path, seed: int) -> None:
    rng = random.Random(seed)
    store = LocalStore(folder / "store.db")
    outbox = Outbox(store, session.user_id)
    intended: dict[str, dict] = {}
    draft_ids = [uuid.uuid4().hex for _ in range(4)]
    invalid: set[str] = set()
    for n in range(MUTATIONS):
        draft_id = rng.choice(draft_ids)
        roll = rng.random()
        if roll < 0.2:
            outbox.add("draft.delete", {"draft_id": draft_id})
            intended.pop(draft_id, None)
        elif roll < 0.27:  # the server will refuse this one: kept, with its reason
            invalid.add(outbox.add("draft.save", {"draft_id": draft_id, "kind": "Not A Kind",
                                                  "body": {}}).id)
        else:
            body = {"n": n, "seed": seed, "text": "下書き" * rng.randint(0, 3)}
            outbox.add("draft.save", {"draft_id": draft_id, "kind": "note", "body": body})
            intended[draft_id] = body
        if rng.random() < 0.25:  # the app is killed while it sends
            store, outbox = await _killed_mid_send(store, outbox, session, rng, folder)
    await _drain_until_empty(outbox, session)
    await transport.settle()

    items = outbox.items()
    assert [i.seq for i in items] == list(range(1, MUTATIONS + 1)), "seqs"
    assert outbox.pending(MUTATIONS) == [], "queue drained"
    rejected = outbox.items(OutboxState.rejected)
    assert {i.id for i in rejected} == invalid, "exactly the invalid ones rejected"
    assert all(i.code == "invalid_payload" and i.reason for i in rejected), "reasons kept"
    with Session(app.state.engine) as db:
        books = db.exec(select(ClientMutation).where(
            col(ClientMutation.client_id) == outbox.client_id())
            .order_by(col(ClientMutation.seq))).all()
        drafts = db.exec(select(Draft).where(col(Draft.id).in_(draft_ids))).all()
    # Each mutation applied once, in order: one record per seq, for the same mutation.
    assert [(b.seq, b.mutation_id) for b in books] == [(i.seq, i.id) for i in items], "books"
    assert {b.mutation_id for b in books if b.outcome == "rejected"} == invalid
    assert audit.applied_counts(app.state.engine, outbox.client_id()) == Counter(
        i.seq for i in items if i.id not in invalid), "each change applied once"
    assert {d.id: json.loads(d.body_json) for d in drafts} == intended, "drafts"
    store.close()


async def _killed_mid_send(store: LocalStore, outbox: Outbox, session: AuthSession,
                           rng: random.Random, folder: Path) -> tuple[LocalStore, Outbox]:
    task = asyncio.create_task(drain(outbox, session, policy=FAST, batch_size=3))
    await asyncio.sleep(rng.uniform(0, 0.01))
    task.cancel()
    try:
        await task
    except (asyncio.CancelledError, Offline, ServerError):
        pass
    store.close()
    reopened = LocalStore(folder / "store.db")  # the app starts again
    return reopened, Outbox(reopened, session.user_id)


async def _drain_until_empty(outbox: Outbox, session: AuthSession) -> None:
    for _attempt in range(100):  # each drain gives up after FAST.attempts failures in a row
        try:
            await drain(outbox, session, policy=FAST, batch_size=3)
            return
        except (Offline, ServerError):
            continue
    raise AssertionError("the outbox did not drain in 100 drains")
