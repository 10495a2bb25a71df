"""Figure 15 at scale (issue 9): three clients (two residents, one of them on two devices) each
make 200 changes offline, then all sync at once through one network that faults 30% of the
mutation requests (dropped, answers lost, 503, late copies, delays, held back and overtaken,
answers out of order), each client with two drains running at once (the app may start one on
reconnecting while another is under way). Over many seeds: exactly 200 mutations stored per
client, none twice, in order, queues empty, and every client's view on the server is what the
resident meant. On the real server app (in process, for speed) on SQLite and PostgreSQL.

The changes come from WORKLOAD, a name in tests.contract.harness.WORKLOADS: drafts for now;
`application.submit` plugs in there.

A seed is 600 mutations (5-10 s on this machine), so `make test` runs one seed, on SQLite only,
and leaves the many, and PostgreSQL, to `make soak` (KITOKITO_SOAK_SEEDS // 40 seeds).
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from server.core.config import ServerSettings
from services.auth_api import AuthApi
from services.errors import Offline
from services.login import AuthSession, LoginFlow
from services.outbox import Outbox, OutboxState
from services.outbox_sender import drain
from services.store import LocalStore
from tests.cardworld import PINS, World
from tests.contract.faults import FAULTS, FaultTransport
from tests.contract.harness import (
    FAST,
    SOAK_SEEDS,
    WORKLOADS,
    check_converged,
    drain_until_empty,
    first_line,
    report,
    seeds,
)

SEEDS = seeds(1, soak_share=40)
CHANGES = 200
DRAINS_PER_CLIENT = 2
BATCH = 5  # more requests than the default 10 a batch: more faults met a seed
WORKLOAD = "drafts"  # tests.contract.harness.WORKLOADS


async def test_200_offline_changes_per_client_converge_under_30_percent_faults(
    server_settings: ServerSettings, roomy_server: FastAPI, world: World, tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    if server_settings.database_url and not SOAK_SEEDS:
        pytest.skip("on PostgreSQL under `make soak` only: keeps `make test` short")
    transport = FaultTransport(httpx.ASGITransport(app=roomy_server), random.Random(0), rate=0.3)
    devices = ["toyama-hanako", "toyama-hanako", "takaoka-kenta"]  # hanako on two devices
    sessions = [await LoginFlow(AuthApi("http://backend", transport=transport)).login(
        world.card(demo_id), PINS[demo_id]) for demo_id in devices]
    failed: list[tuple[int, str]] = []
    for seed in SEEDS:
        transport.rng = random.Random(seed)
        try:
            await _one_run(roomy_server, sessions, transport, tmp_path / f"seed-{seed}", seed)
        except AssertionError as exc:
            failed.append((seed, first_line(exc)))
    line = report(request.node, SEEDS, transport.seen,
                  clients=len(sessions), changes_per_client=CHANGES)
    assert not failed, f"failed seeds {failed}; {line}"
    # Faults were really injected. Every kind is required only over several seeds: with the
    # single seed of `make test`, timing decides whether a rare kind (`overtaken`) comes up at
    # all (one full run in five failed on that alone). The 50-seed test checks every kind.
    assert sum(transport.seen[f] for f in transport.faults) > 0, line
    if len(SEEDS) > 1:
        assert all(transport.seen[f] for f in transport.faults), line


async def _one_run(app: FastAPI, sessions: list[AuthSession], transport: FaultTransport,
                   folder: Path, seed: int) -> None:
    clients = []
    for n, session in enumerate(sessions):
        store = LocalStore(folder / f"client-{n}.db")
        workload = WORKLOADS[WORKLOAD](f"{seed}-{n}")
        clients.append((store, Outbox(store, session.user_id), session, workload))
    # Offline: no network at all (every request dropped) while the changes are made; the
    # app's attempts to sync in between fail and leave the items queued.
    transport.rate, transport.faults = 1.0, ("drop_request",)
    for k in range(1, CHANGES + 1):
        for store, outbox, session, workload in clients:
            change = workload.change(k)
            with store.write() as tx:
                outbox.enqueue(tx, change.kind, change.payload)
            if k % 50 == 0:
                with pytest.raises(Offline):
                    await drain(outbox, session, policy=FAST)
    for _, outbox, _, _ in clients:
        assert len(outbox.items(OutboxState.waiting, OutboxState.sending)) == CHANGES
    transport.rate, transport.faults = 0.3, FAULTS
    await asyncio.gather(*(drain_until_empty(outbox, session, batch_size=BATCH)
                           for _, outbox, session, _ in clients
                           for _ in range(DRAINS_PER_CLIENT)))
    await transport.settle()
    for store, outbox, session, workload in clients:
        changes = [workload.change(k) for k in range(1, CHANGES + 1)]
        await check_converged(outbox, session, workload, changes, app.state.engine)
        store.close()
