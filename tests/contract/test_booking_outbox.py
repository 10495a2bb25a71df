"""The fault harness with bookings (issue 11): residents book, cancel and reschedule among
the few places of three slots through the real outbox and sender, through a network that
faults 30% of the mutation requests (tests/contract/faults.py), over many seeds, on SQLite
and PostgreSQL. Each seed gets a service of its own. Checks (booking_workload.py): every
change stored once and in order, applied at most once (the audit), ending accepted or
rejected with a reason; the server holds what the accepted changes make; no slot over its
capacity, its counter equal to its live bookings.

Server kills are covered by the kind-independent harness tests (test_outbox_server_kill.py
kills inside the mutation transaction whatever its kind); see docs/booking.md.
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from server.core.config import ServerSettings
from services.auth_api import AuthApi
from services.login import AuthSession, LoginFlow
from services.outbox import Outbox
from services.store import LocalStore
from tests.cardworld import PINS, World
from tests.contract.booking_workload import (
    BookingWorkload,
    add_harness_service,
    check_capacity,
    check_rejections,
    on_server,
)
from tests.contract.faults import FAULTS, FaultTransport
from tests.contract.harness import check_books, drain_until_empty, first_line, report, seeds

# 50 seeds on SQLite in `make test`; PostgreSQL (slower per round trip) takes 10 there, and
# KITOKITO_SOAK_SEEDS under `make soak` like the other network-fault test.
SEEDS = seeds(50)
POSTGRES_SEEDS = seeds(10)
CHANGES = 6  # per resident
RESIDENTS = ("toyama-hanako", "takaoka-kenta")


async def test_bookings_converge_under_faults_without_overbooking(
    roomy_server: FastAPI, server_settings: ServerSettings, world: World, tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    tried = POSTGRES_SEEDS if server_settings.database_url else SEEDS
    transport = FaultTransport(httpx.ASGITransport(app=roomy_server), random.Random(0))
    sessions = [await LoginFlow(AuthApi("http://backend", transport=transport)).login(
        world.card(who), PINS[who]) for who in RESIDENTS]
    failed: list[tuple[int, str]] = []
    for seed in tried:
        transport.rng = random.Random(seed)
        try:
            await _one_run(roomy_server, sessions, transport, tmp_path / f"seed-{seed}", seed)
        except AssertionError as exc:
            failed.append((seed, first_line(exc)))
    line = report(request.node, tried, transport.seen, residents=len(RESIDENTS),
                  changes_per_resident=CHANGES)
    assert not failed, f"failed seeds {failed}; {line}"
    assert all(transport.seen[f] for f in FAULTS) if len(tried) >= 50 else \
        sum(transport.seen[f] for f in FAULTS) > 0, line


async def _one_run(app: FastAPI, sessions: list[AuthSession], transport: FaultTransport,
                   folder: Path, seed: int) -> None:
    engine = app.state.engine
    service_id = f"harness_{seed}"
    starts = add_harness_service(engine, service_id, datetime.now(UTC))
    clients = []
    store = LocalStore(folder / "device.db")  # one store, each resident's queue of its own
    for n, session in enumerate(sessions):
        workload = BookingWorkload(f"{seed}-{n}", service_id, starts)
        outbox = Outbox(store, session.user_id)
        changes = [workload.change(k) for k in range(1, CHANGES + 1)]
        for change in changes:
            outbox.add(change.kind, change.payload)  # type: ignore[arg-type]
        clients.append((outbox, session, workload, changes))
    await asyncio.gather(*(drain_until_empty(outbox, session, batch_size=2)
                           for outbox, session, _, _ in clients))
    await transport.settle()
    for outbox, session, workload, changes in clients:
        items = outbox.items()
        check_rejections(items, changes)
        check_books(engine, outbox)
        listed = (await session.request("GET", "/v1/bookings")).json()["data"]
        assert on_server(listed, workload.booking_ids) == workload.expected(items), \
            "the server holds what the accepted changes make"
    store.close()
    check_capacity(engine, service_id)
