"""Revision numbers for everything clients sync (notices, info records): one change-log counter,
so a client's cursor never goes backwards, whichever entity changed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, text
from sqlmodel import Session, col

from server.models import ChangeLog

# Any constant: the advisory lock that serialises revision numbers on PostgreSQL.
REVISION_LOCK = 7_210_001


def _lock(session: Session) -> None:
    """On PostgreSQL, concurrent writers could commit ids out of order and a client's cursor
    could pass a not-yet-visible revision for good, so writers take a transaction lock first
    (held to commit; SQLite already has one writer at a time)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REVISION_LOCK})


def next_revision(*, session: Session, entity: str, entity_id: int) -> int:
    """One revision that commits in number order."""
    return next_revisions(session=session, entity=entity, entity_ids=[entity_id])[0]


def next_revisions(*, session: Session, entity: str, entity_ids: Sequence[int]) -> list[int]:
    """One revision per id, ascending in the order given, from a single multi-row insert (a
    bulk ingest allocates thousands in one transaction)."""
    if not entity_ids:
        return []
    _lock(session)
    rows = [{"entity": entity, "entity_id": entity_id} for entity_id in entity_ids]
    statement = insert(ChangeLog).returning(col(ChangeLog.id), sort_by_parameter_order=True)
    revisions = [r for r in session.scalars(statement, rows) if r is not None]
    # Ids of one insert ascend in parameter order.
    assert len(revisions) == len(rows) and revisions == sorted(revisions)
    return revisions
