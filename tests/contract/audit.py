"""How many times the server really applied each mutation, seen from inside its transaction.

A draft saved twice looks like a draft saved once, so the drafts alone cannot show a mutation
applied twice. `install` wraps the server's mutation handling (server/api/mutations.py) so
that each change a handler makes also writes one row, (resident, client, seq), to a table of
the harness's own, in the same transaction as the change: a change committed twice leaves two
rows, a change rolled back leaves none, whatever the server's own bookkeeping says.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.engine import Engine

import server.api.mutations as mutations

METADATA = MetaData()
APPLIED = Table(
    "harness_applied", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(64), nullable=False),
    Column("client_id", String(32), nullable=False),
    Column("seq", BigInteger, nullable=False),
)

_current = threading.local()  # the mutation _apply_once is handling, in this thread


def install(engine: Engine, setattr_: Callable[[Any, str, Any], None] = setattr) -> None:
    """Create the table and wrap the handling (setattr_: pytest's monkeypatch.setattr to undo
    it after an in-process test; plain setattr in a server process of its own)."""
    METADATA.create_all(engine)
    apply_once, apply = mutations._apply_once, mutations.apply

    def audited_apply_once(ctx, client_id, mutation):
        _current.mutation = (client_id, mutation.seq)
        try:
            return apply_once(ctx, client_id, mutation)
        finally:
            _current.mutation = None

    def audited_apply(ctx, kind, payload):
        rejection = apply(ctx, kind, payload)
        if rejection is None:
            client_id, seq = _current.mutation
            ctx.session.execute(insert(APPLIED).values(
                user_id=ctx.user_id, client_id=client_id, seq=seq))
        return rejection

    setattr_(mutations, "_apply_once", audited_apply_once)
    setattr_(mutations, "apply", audited_apply)


def applied_counts(engine: Engine, client_id: str) -> Counter[int]:
    """seq -> how many times its change was committed."""
    with engine.connect() as conn:
        rows = conn.execute(select(APPLIED.c.seq, func.count()).where(
            APPLIED.c.client_id == client_id).group_by(APPLIED.c.seq)).all()
    return Counter({int(seq): int(n) for seq, n in rows})
