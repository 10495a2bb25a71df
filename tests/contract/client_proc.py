"""The client side of the fault harness, one life per forked process (tests/contract/
forkserver.py), on a store file that outlives it. Two modes:

"outbox": the resident's changes 1..total (args["workload"], a name in
tests.contract.harness.WORKLOADS), each a local
row and its outbox item in ONE LocalStore.write() transaction, in bursts, while a drain sends
them (services/outbox_sender.py) to the real server. Resumes after the last change the store
holds. Writes args["done"] once every change is made and the queue is empty.

"pull": notice pulls (services/sync.py) with small pages, one after another, until killed.

With args["kill"] = [n, point] the process SIGKILLs itself: in "outbox" mode inside change n's
transaction ("after_local": the local row written, not its item; "before_commit": both written,
not committed) or just after its commit ("after_commit"); in "pull" mode just before or after
the n-th commit of the store ("before_commit", "after_commit"), a page and its cursor.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import registry
from sqlmodel import Field, Session, SQLModel, col, select

from services.api import ApiClient
from services.auth_api import AuthApi, Me, Secret, Tokens
from services.errors import Offline, ServerError
from services.login import AuthSession
from services.outbox import Outbox
from services.outbox_sender import RetryPolicy, drain
from services.store import LocalStore
from services.sync import NoticeSync
from tests.contract.harness import WORKLOADS

FAST = RetryPolicy(attempts=3, wait_initial_s=0, wait_max_s=0, wait_jitter_s=0)


class HarnessModel(SQLModel, registry=registry()):
    """A table of the harness's own in the client's store, apart from the app's."""


class LocalChange(HarnessModel, table=True):
    """The resident's change as the app keeps it locally (a stand-in for a local draft row),
    with the outbox item that tells the server."""

    __tablename__ = "harness_change"

    user_id: str = Field(primary_key=True)
    n: int = Field(primary_key=True)
    kind: str
    payload_json: str
    outbox_id: str


def open_store(path: Path) -> LocalStore:
    store = LocalStore(path)
    HarnessModel.metadata.create_all(store.engine)
    return store


def local_changes(store: LocalStore, user_id: str) -> list[LocalChange]:
    with Session(store.engine) as db:
        return list(db.exec(select(LocalChange).where(col(LocalChange.user_id) == user_id)
                            .order_by(col(LocalChange.n))).all())


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def session_from(args: dict[str, Any]) -> AuthSession:
    wire = args["tokens"]
    tokens = Tokens(access=Secret(wire["access"]), refresh=Secret(wire["refresh"]),
                    access_expires_at=datetime.fromisoformat(wire["access_expires_at"]),
                    refresh_expires_at=datetime.fromisoformat(wire["refresh_expires_at"]),
                    user_id=wire["user_id"])
    return AuthSession(AuthApi(args["url"]), tokens, Me.model_validate(args["me"]), None)


def run(args: dict[str, Any]) -> None:
    if args["mode"] == "outbox":
        asyncio.run(_outbox_life(args))
    else:
        asyncio.run(_pull_life(args))


async def _outbox_life(args: dict[str, Any]) -> None:
    session = session_from(args)
    store = open_store(Path(args["store"]))
    outbox = Outbox(store, session.user_id)
    workload = WORKLOADS[args["workload"]](args["seed"])
    rng = random.Random(args["life_seed"])
    kill = tuple(args["kill"]) if args.get("kill") else None
    made = len(local_changes(store, session.user_id))
    sender = asyncio.create_task(_keep_draining(outbox, session))
    while made < args["total"]:
        for _ in range(min(rng.randint(1, 4), args["total"] - made)):
            made += 1
            change = workload.change(made)
            with store.write() as tx:
                local = LocalChange(user_id=session.user_id, n=made, kind=change.kind,
                                    payload_json=json.dumps(change.payload), outbox_id="")
                tx.add(local)
                tx.flush()
                if kill == (made, "after_local"):
                    die()
                local.outbox_id = outbox.enqueue(tx, change.kind, change.payload).id
                tx.add(local)
                tx.flush()
                if kill == (made, "before_commit"):
                    die()
            if kill == (made, "after_commit"):
                die()
        await asyncio.sleep(rng.uniform(0, 0.01))
    sender.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sender
    while True:
        try:
            await drain(outbox, session, policy=FAST)
            break
        except (Offline, ServerError):
            await asyncio.sleep(0.05)
    _mark_done(Path(args["done"]))


def _mark_done(path: Path) -> None:
    path.write_text("done")


async def _keep_draining(outbox: Outbox, session: AuthSession) -> None:
    while True:
        try:
            await drain(outbox, session, policy=FAST, batch_size=3)
        except (Offline, ServerError):
            pass
        await asyncio.sleep(0.005)


async def _pull_life(args: dict[str, Any]) -> None:
    store = LocalStore(Path(args["store"]))
    kill = tuple(args["kill"]) if args.get("kill") else None
    commits = 0

    @event.listens_for(store.engine, "commit")
    def _commit(_conn: Any) -> None:
        nonlocal commits
        commits += 1
        if kill == (commits, "before_commit"):
            die()

    @event.listens_for(Session, "after_commit")
    def _after_commit(_session: Session) -> None:
        if kill == (commits, "after_commit"):
            die()

    api = ApiClient(args["url"], retry_delay_s=0)
    sync = NoticeSync(store, page_size=args["page_size"])
    while True:
        await sync.pull(api)
        await asyncio.sleep(0.005)
