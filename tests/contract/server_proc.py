"""The real backend under uvicorn for the fault harness, one life per forked process
(tests/contract/forkserver.py), serving a listening socket the launcher holds:

    run({"fd": N, "data_dir": D, "database_url": U,
         "kill_at": K | None, "kill_point": "statement:S" | "before_commit" | "after_commit"})

With kill_at, the process SIGKILLs itself inside its K-th mutation transaction (the one that
starts by writing the client's bookkeeping row, server/api/mutations.py): after the S-th SQL
statement of it (some of the change written, nothing committed), just before its COMMIT, or
just after it (committed, the answer never sent). A statement number the transaction does not
reach dies before its COMMIT (or, for a duplicate answered again, before its ROLLBACK). No
shutdown handler runs: what survives is the database's doing. Every life counts each change it
applies (tests/contract/audit.py).
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import threading
from typing import Any

import uvicorn
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from server.core.config import ServerSettings
from server.core.migrate import migrate
from server.main import create_app
from tests.contract import audit

MUTATION_START = "INSERT INTO mutation_client"


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def install_kill(engine: Engine, kill_at: int, point: str) -> None:
    numbers = itertools.count(1)
    lock = threading.Lock()
    local = threading.local()
    statement = int(point.split(":")[1]) if point.startswith("statement:") else 0

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Connection, _cursor: Any, sql: str, *_args: Any) -> None:
        if sql.lstrip().startswith(MUTATION_START):
            with lock:
                conn.info["mutation"] = next(numbers)
            conn.info["statements"] = 0

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Connection, *_args: Any) -> None:
        if conn.info.get("mutation") == kill_at:
            conn.info["statements"] += 1
            if conn.info["statements"] == statement:
                die()

    @event.listens_for(engine, "commit")
    def _commit(conn: Connection) -> None:
        if conn.info.pop("mutation", None) == kill_at:
            if point == "after_commit":
                local.die_after_commit = True
            else:
                die()

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Connection) -> None:
        if conn.info.pop("mutation", None) == kill_at:  # a duplicate's: it ends here
            die()

    @event.listens_for(Session, "after_commit")
    def _after_commit(_session: Session) -> None:
        if getattr(local, "die_after_commit", False):
            die()


def run(args: dict[str, Any]) -> None:
    settings = ServerSettings(
        data_dir=args["data_dir"], database_url=args["database_url"], seed_on_start=False,
        # Many seeds add drafts to few residents: the per-resident cap is not what is tested.
        max_drafts_per_user=10**9)
    app = create_app(settings)
    migrate(app.state.engine, app.state.sealer)  # before the audit's table (an empty database
    audit.install(app.state.engine)              # with any table is not "empty" to migrate)
    if args.get("kill_at") is not None:
        install_kill(app.state.engine, args["kill_at"], args["kill_point"])
    sock = socket.socket(fileno=args["fd"])
    config = uvicorn.Config(app, log_level="warning", proxy_headers=False, lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])
