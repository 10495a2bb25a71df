"""Figure 15, the server's part (issue 9): the backend, a real uvicorn process, is SIGKILLed
while mutations are in flight (from a hook inside a mutation's transaction, or from outside at
a random moment) and started again on the same database, file SQLite or PostgreSQL, while
three clients (two residents, one of them on two devices) sync through a faulty network and
carry on. Afterwards every mutation is stored exactly once, in order, the bookkeeping agrees
with each client, and the server holds what each resident meant.

Each seed kills and restarts the server 3-4 times, so `make test` runs one seed per database;
`make soak` runs KITOKITO_SOAK_SEEDS // 50 of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from server.core.config import ServerSettings
from server.core.db import make_engine
from services.auth_api import AuthApi
from services.login import AuthSession, LoginFlow
from services.outbox import Outbox
from services.store import LocalStore
from tests.cardworld import PINS, World
from tests.contract.faults import FaultTransport
from tests.contract.forkserver import ForkServer
from tests.contract.harness import (
    WORKLOADS,
    Change,
    ServerProcess,
    check_converged,
    drain_until_empty,
    first_line,
    report,
    seeds,
    server_process,
)

SEEDS = seeds(1, soak_share=50)
WORKLOAD = "drafts"  # tests.contract.harness.WORKLOADS
MIN_CHANGES = 20  # per client; more while the server's lives last
CLIENTS = (("toyama-hanako", "phone"), ("toyama-hanako", "tablet"), ("takaoka-kenta", "phone"))
# Where a life kills itself in its mutation transaction (server_proc.py): after its n-th SQL
# statement (a save's are: the client row, its seq, the draft, the draft written, the audit row,
# the outcome, the client row again), just before COMMIT, or just after it.
POINTS = (*(f"statement:{n}" for n in range(1, 8)), "before_commit", "after_commit")


async def test_mutations_land_once_and_in_order_across_server_kills(
    server_settings: ServerSettings, world: World, server_launcher: ForkServer, tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    url = server_settings.resolved_database_url()
    transport = FaultTransport(httpx.AsyncHTTPTransport(), random.Random(0), rate=0.2)
    kills: Counter[str] = Counter()
    failed: list[tuple[int, str]] = []
    with server_process(server_launcher, server_settings.data_dir, url) as server:
        server.start()
        assert await server.ready(), server.tail()
        sessions = {}
        for demo_id in dict.fromkeys(who for who, _ in CLIENTS):
            flow = LoginFlow(AuthApi(server.url, transport=transport))
            sessions[demo_id] = await flow.login(world.card(demo_id), PINS[demo_id])
        engine = make_engine(url)
        try:
            for seed in SEEDS:
                transport.rng = random.Random(seed)
                try:
                    await _one_run(server, sessions, transport, engine, kills,
                                   tmp_path / f"seed-{seed}", seed)
                except AssertionError as exc:
                    failed.append((seed, first_line(exc)))
                    if not server.alive():
                        server.start()
                        await server.ready()
        finally:
            await transport.settle()
            engine.dispose()
    line = report(request.node, SEEDS, transport.seen + kills, server_starts=server.starts)
    assert not failed, f"failed seeds {failed}; {line}"
    assert not kills["server_crashed"], server.tail()
    assert sum(kills.values()) >= len(SEEDS) * 3, line  # the test cannot pass without kills


async def _one_run(server: ServerProcess, sessions: dict[str, AuthSession],
                   transport: FaultTransport, engine: Engine, kills: Counter[str], folder: Path,
                   seed: int) -> None:
    rng = random.Random(seed)
    supervisor = asyncio.create_task(_kill_and_restart(server, rng, kills))
    clients = [_Client(folder, n, demo_id, device, sessions[demo_id], seed)
               for n, (demo_id, device) in enumerate(CLIENTS)]
    try:
        await asyncio.gather(*(client.run(random.Random(f"{seed}-{client.n}"), supervisor)
                               for client in clients))
    finally:
        supervisor.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await supervisor  # its failure, if it failed
    if not server.alive():
        server.start()
        await server.ready()
    await transport.settle()
    for client in clients:
        await check_converged(client.outbox, client.session, client.workload, client.changes,
                              engine)
        client.store.close()


class _Client:
    """One device: changes in small bursts, each in its own local transaction, a sync after
    each burst, until the server's lives are over and at least MIN_CHANGES were made."""

    def __init__(self, folder: Path, n: int, demo_id: str, device: str, session: AuthSession,
                 seed: int) -> None:
        self.n = n
        self.session = session
        self.store = LocalStore(folder / f"{demo_id}-{device}.db")
        self.outbox = Outbox(self.store, session.user_id)
        self.workload = WORKLOADS[WORKLOAD](f"{seed}-{n}")
        self.changes: list[Change] = []

    async def run(self, rng: random.Random, supervisor: asyncio.Task[None]) -> None:
        while not (supervisor.done() and len(self.changes) >= MIN_CHANGES):
            for _ in range(rng.randint(1, 4)):
                change = self.workload.change(len(self.changes) + 1)
                self.outbox.add(change.kind, change.payload)
                self.changes.append(change)
            await drain_until_empty(self.outbox, self.session, batch_size=3, pause_s=0.05)
            await asyncio.sleep(rng.uniform(0, 0.03))


async def _kill_and_restart(server: ServerProcess, rng: random.Random,
                            kills: Counter[str]) -> None:
    """3-4 server lives that end in a SIGKILL (from a hook inside a mutation's transaction, or
    from outside at a random moment), each started again on the same database; then one that
    lives to the end."""
    for _life in range(rng.randint(3, 4)):
        if not server.alive():
            if rng.random() < 0.6:
                server.start(kill_at=rng.randint(1, 12), kill_point=rng.choice(POINTS))
            else:
                server.start()
            await server.ready()
        if server.plan is None:
            await asyncio.sleep(rng.uniform(0.05, 0.5))
            if server.kill():
                kills["server_killed:external"] += 1
            else:  # dead with no plan to die: a crash (asserted on)
                kills["server_crashed"] += 1
            continue
        await server.until_dead()
        kills[f"server_killed:{server.plan}"] += 1
    if not server.alive():
        server.start()
        await server.ready()
