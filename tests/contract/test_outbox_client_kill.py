"""Figure 15, the client's part (issue 9): the app, a real process (client_proc.py), SIGKILLed
at random moments and from hooks inside a local write while it makes changes (each a local row
and its outbox item in one LocalStore.write() transaction) and drains them to the real server;
started again on the same store file each time. After every kill each local change has exactly
its outbox item (none half-written) and the seqs have no gap; once the last life has drained,
the server agrees with the store.

Each seed starts the client 5-7 times, so `make test` runs 2 seeds; `make soak` runs
KITOKITO_SOAK_SEEDS // 50.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.core.db import make_engine
from services.auth_api import AuthApi, Me, Tokens
from services.login import AuthSession
from services.outbox import Outbox, OutboxState
from services.store import OutboxClientRow
from tests.cardworld import PINS, World, card_world
from tests.contract.client_proc import local_changes, open_store
from tests.contract.forkserver import ForkServer, tail
from tests.contract.harness import (
    WORKLOADS,
    ServerProcess,
    Workload,
    check_converged,
    first_line,
    report,
    seeds,
    server_process,
    until_gone,
)

SEEDS = seeds(2, soak_share=50)
TOTAL = 40  # changes per seed
WORKLOAD = "drafts"  # tests.contract.harness.WORKLOADS
POINTS = ("after_local", "before_commit", "after_commit")


@pytest.fixture
async def backend(tmp_path: Path, server_launcher: ForkServer
                  ) -> AsyncIterator[tuple[ServerProcess, World]]:
    world = card_world(tmp_path / "server")
    with server_process(server_launcher, tmp_path / "server",
                        f"sqlite:///{tmp_path / 'server' / 'server.db'}") as server:
        server.start()
        assert await server.ready(), server.tail()
        yield server, world


class Login:
    """The resident's tokens, handed to each client life; refreshed here, never there, so no
    two processes rotate one refresh token."""

    def __init__(self, api: AuthApi, tokens: Tokens, me: Me) -> None:
        self.api, self.tokens, self.me = api, tokens, me

    @classmethod
    async def of(cls, url: str, world: World, demo_id: str) -> Login:
        api = AuthApi(url)
        card = world.card(demo_id)
        challenge = await api.challenge()
        tokens = await api.verify(challenge=challenge,
                                  signature=card.sign_challenge(PINS[demo_id], challenge.nonce),
                                  certificate=card.auth_certificate_der())
        return cls(api, tokens, await api.me(tokens.access))

    async def wire(self) -> dict:
        if self.tokens.access_expires_at - datetime.now(UTC) < timedelta(minutes=5):
            self.tokens = await self.api.refresh(self.tokens.refresh)
        t = self.tokens
        return {"tokens": {"access": t.access.reveal(), "refresh": t.refresh.reveal(),
                           "access_expires_at": t.access_expires_at.isoformat(),
                           "refresh_expires_at": t.refresh_expires_at.isoformat(),
                           "user_id": t.user_id},
                "me": self.me.model_dump(mode="json")}

    def session(self) -> AuthSession:
        return AuthSession(self.api, self.tokens, self.me, None)


async def test_each_local_change_keeps_its_outbox_item_across_client_kills(
    backend: tuple[ServerProcess, World], client_launcher: ForkServer, tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    server, world = backend
    login = await Login.of(server.url, world, "toyama-hanako")
    engine = make_engine(server.database_url)
    kills: Counter[str] = Counter()
    failed: list[tuple[int, str]] = []
    try:
        for seed in SEEDS:
            try:
                await _one_run(server, client_launcher, login, engine, kills,
                               tmp_path / f"seed-{seed}", seed, tmp_path / "client.log")
            except AssertionError as exc:
                failed.append((seed, first_line(exc)))
    finally:
        engine.dispose()
    line = report(request.node, SEEDS, kills)
    assert not failed, f"failed seeds {failed}; {line}"
    assert sum(n for k, n in kills.items() if k.startswith("client_killed")) >= 3 * len(SEEDS), \
        line  # the test cannot pass without kills


async def _one_run(server: ServerProcess, launcher: ForkServer, login: Login, engine: Engine,
                   kills: Counter[str], folder: Path, seed: int, log: Path) -> None:
    rng = random.Random(seed)
    store_path, done = folder / "store.db", folder / "done"
    workload = WORKLOADS[WORKLOAD](f"client-kill-{seed}")

    async def life(name: str, plan: list | None, kill_after: float | None) -> str:
        kills["client_starts"] += 1
        pid = launcher.spawn({
            "mode": "outbox", "store": str(store_path), "done": str(done), "url": server.url,
            "workload": WORKLOAD, "seed": f"client-kill-{seed}", "life_seed": f"{seed}-{name}",
            "total": TOTAL, "kill": plan,
            **await login.wire()}, log)
        return await until_gone(launcher, pid, kill_after, log)

    made = 0
    for n in range(rng.randint(4, 6)):
        plan = None
        if made < TOTAL and rng.random() < 0.5:
            plan = [rng.randint(made + 1, min(TOTAL, made + 6)), rng.choice(POINTS)]
        ended = await life(str(n), plan, None if plan else rng.uniform(0.01, 0.3))
        if ended == "killed":
            kills["client_killed:external"] += 1
        elif not done.exists():
            assert plan is not None, f"the client died on its own: {tail(log)}"
            kills[f"client_killed:{plan[1]}"] += 1
        made, sending = _check_store(store_path, login.me.user_id, workload)
        if sending and not done.exists():
            kills["kill_left_items_sending"] += 1  # it died between a send and its answer
        if done.exists():
            break
    if not done.exists():  # the kills are over: a life that runs to the end
        await life("end", None, None)
        _check_store(store_path, login.me.user_id, workload)
    assert done.exists(), f"the last life did not finish: {tail(log)}"
    store = open_store(store_path)
    try:
        outbox = Outbox(store, login.me.user_id)
        changes = [workload.change(n) for n in range(1, TOTAL + 1)]
        await check_converged(outbox, login.session(), workload, changes, engine)
    finally:
        store.close()


def _check_store(path: Path, user_id: str, workload: Workload) -> tuple[int, int]:
    """After a kill: local changes 1..n, each with exactly its outbox item (same id, seq n,
    the change's own mutation), and the next seq n + 1. Returns n and how many items were
    left "sending"."""
    store = open_store(path)
    try:
        changes = local_changes(store, user_id)
        items = Outbox(store, user_id).items()
        with Session(store.engine) as db:
            client = db.get(OutboxClientRow, user_id)
    finally:
        store.close()
    made = len(changes)
    assert [c.n for c in changes] == list(range(1, made + 1)), "local changes without a gap"
    assert [(i.seq, i.id) for i in items] == [(c.n, c.outbox_id) for c in changes], \
        "each local change has exactly its outbox item"
    assert all((i.kind, i.payload) == (c.kind, json.loads(c.payload_json))
               == (workload.change(c.n).kind, workload.change(c.n).payload)
               for i, c in zip(items, changes, strict=True)), "items carry their change"
    assert (client.last_seq if client else 0) == made, "the next seq follows the last item"
    return made, sum(i.state == OutboxState.sending for i in items)
