"""Per-resident caps (drafts, tickets) that hold under concurrent requests.

Counting and then inserting in two statements lets N requests that arrive together all see the
same count and all insert. Here the insert carries its own condition, in one statement:

    INSERT INTO t (...) SELECT :v... WHERE (SELECT count(*) FROM t WHERE <scope>) < :cap

On SQLite that is enough: a write statement takes the database's single write lock before it
reads, so the count it sees includes every committed insert and no other insert can run
between its count and its insert (busy_timeout makes the others wait). On PostgreSQL, under
READ COMMITTED, two such statements can still both count 49, because neither sees the other's
uncommitted row; so the transaction first takes an advisory lock on (cap, resident), which
serialises inserts for that one resident only, until commit or rollback.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, insert, literal, select, text
from sqlmodel import Session, SQLModel


def lock_scope(session: Session, scope: str) -> None:
    """Serialise writers of `scope` until this transaction ends (PostgreSQL; no-op on SQLite,
    where writers are serialised anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:scope, 7210002))"),
                        {"scope": scope})


def insert_capped(
    session: Session, model: type[SQLModel], values: dict[str, Any], *,
    scope: ColumnElement[bool], cap: int, lock_key: str, also: ColumnElement[bool] | None = None,
) -> bool:
    """Insert one row of `model` unless `cap` rows matching `scope` already exist (or `also`,
    a further condition checked in the same statement, is false).

    True if inserted (not yet committed). The caller commits or rolls back.
    """
    lock_scope(session, lock_key)
    table = model.__table__  # type: ignore[attr-defined]
    columns = list(values)
    row = select(*[literal(values[name], type_=table.c[name].type).label(name)
                   for name in columns])
    count = select(func.count()).select_from(table).where(scope).scalar_subquery()
    allowed = count < cap if also is None else (count < cap) & also
    key = list(table.primary_key.columns)[0]
    # RETURNING, not rowcount: psycopg reports -1 for INSERT ... SELECT.
    result = session.execute(
        insert(table).from_select(columns, row.where(allowed)).returning(key))
    return result.first() is not None
