"""The fault harness's shared parts (issue 9, figures 15-17): how many seeds, the summary line
each test leaves in the pytest output, the pluggable change workload, the convergence checks,
and the backend as a real process that can be SIGKILLed and started again on its database.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from server.mutation_models import ClientMutation, MutationClient
from services.errors import Offline, ServerError
from services.outbox import Outbox, OutboxState
from services.outbox_sender import Requester, RetryPolicy, drain
from tests.contract import audit
from tests.contract.forkserver import ForkServer, tail

# Read at import: the test session clears KITOKITO_* variables before the tests run.
SOAK_SEEDS = int(os.environ.get("KITOKITO_SOAK_SEEDS", "0"))
FAST = RetryPolicy(attempts=3, wait_initial_s=0, wait_max_s=0, wait_jitter_s=0)
ROOT = Path(__file__).resolve().parents[2]


def seeds(default: int, *, soak_share: int = 1) -> range:
    """`default` seeds in `make test`; under `make soak`, KITOKITO_SOAK_SEEDS // soak_share
    (slow process-killing tests take a share of the soak's seeds, never fewer than default)."""
    if SOAK_SEEDS:
        return range(max(default, SOAK_SEEDS // soak_share))
    return range(default)


# --- what each test reports -------------------------------------------------------------------
SUMMARY: list[str] = []


def report(node: pytest.Item, tried: Sequence[int], faults: Mapping[str, int],
           **extra: Any) -> str:
    """One line for the terminal summary (tests/contract/conftest.py) and the test's
    properties (junit XML): the seeds tried and the faults met, by kind, so a green run says
    what it went through; the tests put it in their failure messages too."""
    span = f"{tried[0]}..{tried[-1]}" if tried else "none"
    kinds = ", ".join(f"{k}={v}" for k, v in sorted(faults.items()) if k != "none") or "none"
    more = "".join(f"; {k}={v}" for k, v in extra.items())
    line = f"{node.name}: {len(tried)} seeds ({span}); faults: {kinds}{more}"
    SUMMARY.append(line)
    node.user_properties.append(("fault_harness", line))
    return line


# --- the changes a client makes ---------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One local change and its mutation; `rejected` is the code the server must answer."""

    kind: str
    payload: dict[str, Any]
    rejected: str | None = None


class Workload(Protocol):
    """What one client does and what the server must end up holding for it. Pluggable: the
    drafts here now; `application.submit` later, with the same three parts."""

    def change(self, n: int) -> Change:
        """The client's n-th change (1, 2, ...), the same every time it is asked for."""
        ...

    def expected(self, changes: Sequence[Change]) -> dict[str, Any]:
        """What the server should hold once `changes` have all landed."""
        ...

    async def on_server(self, session: Requester) -> dict[str, Any]:
        """What the server holds, read through its API as the resident."""
        ...


@dataclass
class DraftWorkload:
    """Saves, deletes and a few invalid saves (rejected, with a reason) over a handful of
    this client's own drafts; change n depends only on (seed, n), so a restarted process
    makes the same changes."""

    seed: str
    drafts: int = 4
    invalid_rate: float = 0.05
    draft_ids: list[str] = field(init=False)

    def __post_init__(self) -> None:
        rng = random.Random(f"ids-{self.seed}")
        self.draft_ids = [f"{rng.getrandbits(128):032x}" for _ in range(self.drafts)]

    def change(self, n: int) -> Change:
        rng = random.Random(f"{self.seed}-{n}")
        draft_id = rng.choice(self.draft_ids)
        roll = rng.random()
        if roll < 0.15:
            return Change("draft.delete", {"draft_id": draft_id})
        if roll < 0.15 + self.invalid_rate:
            return Change("draft.save", {"draft_id": draft_id, "kind": "Not A Kind", "body": {}},
                          rejected="invalid_payload")
        body = {"n": n, "seed": self.seed, "text": "下書き" * rng.randint(0, 3)}
        return Change("draft.save", {"draft_id": draft_id, "kind": "note", "body": body})

    def expected(self, changes: Sequence[Change]) -> dict[str, Any]:
        drafts: dict[str, Any] = {}
        for change in changes:
            if change.rejected:
                continue
            if change.kind == "draft.delete":
                drafts.pop(change.payload["draft_id"], None)
            else:
                drafts[change.payload["draft_id"]] = change.payload["body"]
        return drafts

    async def on_server(self, session: Requester) -> dict[str, Any]:
        response = await session.request("GET", "/v1/drafts")
        return {d["id"]: d["body"] for d in response.json()["data"] if d["id"] in self.draft_ids}


# The workloads a harness test can name (client processes get the name, not the object).
# `application.submit` joins here once its kinds land.
WORKLOADS: dict[str, Callable[[str], Workload]] = {"drafts": DraftWorkload}


# --- syncing and checking ---------------------------------------------------------------------
async def drain_until_empty(outbox: Outbox, session: Requester, *, batch_size: int = 10,
                            deadline_s: float = 120.0, pause_s: float = 0.0) -> int:
    """Drain again after each give-up (FAST gives up after 3 failures in a row), as the app
    does on its next connectivity change; returns how many drains gave up."""
    gave_up, end = 0, time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            await drain(outbox, session, policy=FAST, batch_size=batch_size)
            return gave_up
        except (Offline, ServerError):
            gave_up += 1
            await asyncio.sleep(pause_s)
    raise AssertionError(f"the outbox did not drain in {deadline_s:.0f} s ({gave_up} give-ups)")


def check_outbox(outbox: Outbox, changes: Sequence[Change]) -> None:
    """The client's side: every change queued once, in order, seqs 1..N, nothing pending,
    exactly the expected ones rejected (with a reason)."""
    items = outbox.items()
    assert [i.seq for i in items] == list(range(1, len(changes) + 1)), "seqs 1..N, no gap"
    assert [(i.kind, i.payload) for i in items] == [(c.kind, c.payload) for c in changes], \
        "one item per change, in order"
    assert not outbox.items(OutboxState.waiting, OutboxState.sending), "queue drained"
    rejected = {i.seq: i.code for i in items if i.state == OutboxState.rejected}
    assert rejected == {n: c.rejected for n, c in enumerate(changes, 1) if c.rejected}, \
        "exactly the invalid ones rejected"
    assert all(i.reason for i in items if i.state == OutboxState.rejected), "reasons kept"


def check_books(engine: Engine, outbox: Outbox) -> None:
    """The server's side: one record per seq, for the same mutation, in order, with the
    outcome the client recorded, the client's last seq at the end of them, and each applied
    change committed exactly once (tests/contract/audit.py)."""
    items = outbox.items()
    client_id = outbox.client_id()
    with Session(engine) as db:
        books = db.exec(select(ClientMutation).where(
            col(ClientMutation.client_id) == client_id)
            .order_by(col(ClientMutation.seq))).all()
        clients = db.exec(select(MutationClient).where(
            col(MutationClient.client_id) == client_id)).all()
    assert [(b.seq, b.mutation_id) for b in books] == [(i.seq, i.id) for i in items], \
        "each mutation stored once, in order"
    assert [(b.outcome, b.code) for b in books] == [
        ("rejected" if i.state == OutboxState.rejected else "applied", i.code) for i in items
    ], "outcomes as the client recorded them"
    assert [c.last_seq for c in clients] == [len(items)], "the client's last seq"
    assert audit.applied_counts(engine, client_id) == Counter(
        i.seq for i in items if i.state != OutboxState.rejected), "each change applied once"


async def check_converged(outbox: Outbox, session: Requester, workload: Workload,
                          changes: Sequence[Change], engine: Engine) -> None:
    check_outbox(outbox, changes)
    check_books(engine, outbox)
    assert await workload.on_server(session) == workload.expected(changes), \
        "the server holds what the resident meant"


def first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


# --- the backend as a process -----------------------------------------------------------------
def child_env() -> dict[str, str]:
    """The children's environment: no developer KITOKITO_* settings, the repository importable."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KITOKITO_") and k != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


class ServerProcess:
    """The backend (tests/contract/server_proc.py) in a process forked afresh for each life
    by `launcher`, on a listening socket the launcher holds: a restarted server answers on the
    same port, and connections made while it was down wait in the socket's backlog, as behind
    a load balancer."""

    def __init__(self, launcher: ForkServer, data_dir: Path, database_url: str) -> None:
        self.launcher = launcher
        self.data_dir = data_dir
        self.database_url = database_url
        self.fd, port = launcher.listen()
        self.url = f"http://127.0.0.1:{port}"
        self.log = data_dir / "server.log"
        self.pid: int | None = None
        self.starts = 0
        self.plan: str | None = None  # this life's kill point, if it is to kill itself

    def start(self, kill_at: int | None = None, kill_point: str = "") -> None:
        """Start a server life; with kill_at, it SIGKILLs itself in its kill_at-th mutation
        transaction, at kill_point (server_proc.py)."""
        assert not self.alive(), "still running"
        self.pid = self.launcher.spawn({
            "fd": self.fd, "data_dir": str(self.data_dir), "database_url": self.database_url,
            "kill_at": kill_at, "kill_point": kill_point}, self.log)
        self.plan = kill_point if kill_at is not None else None
        self.starts += 1

    async def ready(self, timeout_s: float = 60.0) -> bool:
        """True once it answers /health; False if it died first (a kill plan can fire on the
        requests that waited in the backlog)."""
        end = time.monotonic() + timeout_s
        async with httpx.AsyncClient(base_url=self.url, timeout=5) as client:
            while time.monotonic() < end:
                if not self.alive():
                    return False
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/health")).status_code == 200:
                        return True
                await asyncio.sleep(0.02)
        raise AssertionError(f"the server did not start in {timeout_s} s: {self.tail()}")

    def alive(self) -> bool:
        return self.pid is not None and self.launcher.alive(self.pid)

    async def until_dead(self, timeout_s: float = 60.0) -> None:
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            if not self.alive():
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"the server's kill plan ({self.plan}) did not fire in {timeout_s} s")

    def kill(self) -> bool:
        """SIGKILL: no shutdown, no rollback but the database's own. False if it was dead."""
        return self.pid is not None and self.launcher.kill(self.pid)

    def stop(self) -> None:
        if self.alive():
            assert self.pid is not None
            os.kill(self.pid, signal.SIGTERM)
            end = time.monotonic() + 10
            while self.alive() and time.monotonic() < end:
                time.sleep(0.01)
            self.kill()

    def close(self) -> None:
        self.stop()
        self.launcher.unlisten(self.fd)

    def tail(self) -> str:
        return tail(self.log)


async def until_gone(launcher: ForkServer, pid: int, kill_after: float | None, log: Path,
                     timeout_s: float = 60.0) -> str:
    """Wait for a child to end: "killed" if it still ran after kill_after seconds (it is
    SIGKILLed then), "ended" if it ended by itself first."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if not launcher.alive(pid):
            return "ended"
        if kill_after is not None and time.monotonic() - start >= kill_after:
            return "killed" if launcher.kill(pid) else "ended"
        await asyncio.sleep(0.005)
    launcher.kill(pid)
    raise AssertionError(f"the child did not end in {timeout_s} s: {tail(log)}")


@contextlib.contextmanager
def server_process(launcher: ForkServer, data_dir: Path,
                   database_url: str) -> Iterator[ServerProcess]:
    server = ServerProcess(launcher, data_dir, database_url)
    try:
        yield server
    finally:
        server.close()

