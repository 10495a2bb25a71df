"""The places of a slot, counted in the database so that no slot is ever overbooked.

One row per (service, start) that has been booked at least once: `booked` of `capacity`.
Taking a place is ONE statement, an upsert whose update carries the condition:

    INSERT INTO consultation_slot (service_id, start, capacity, booked) VALUES (:s, :t, :c, 1)
    ON CONFLICT (service_id, start) DO UPDATE SET booked = booked + 1, capacity = :c
        WHERE consultation_slot.booked < :c
    RETURNING booked

It returns a row only if it took a place. On PostgreSQL two such statements on one slot
queue on the row lock, and the second re-reads the row the first committed before it checks
`booked < :c` (READ COMMITTED re-evaluates an UPDATE's condition on the newest version); two
first inserts racing end the same way (the loser of the insert takes the conflict path). On
SQLite a write statement holds the database's single write lock. So N concurrent attempts on
the last place: one row returned, N - 1 none, on both. The CHECK constraint (booked between 0
and capacity) is the backstop if any other statement ever tried. Freeing is the conditional
decrement. Everything runs in the caller's transaction: a reschedule takes the new place and
frees the old one, or neither.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from server.consultations.models import SlotCount


def take(session: Session, service_id: str, start: str, capacity: int) -> bool:
    """Take one place of the slot if one is free (not committed: the caller commits)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(SlotCount).values(service_id=service_id, start=start,
                                         capacity=capacity, booked=1)
    statement = statement.on_conflict_do_update(
        index_elements=["service_id", "start"],
        set_={"booked": SlotCount.__table__.c.booked + 1,  # type: ignore[attr-defined]
              "capacity": capacity},
        where=SlotCount.__table__.c.booked < capacity)  # type: ignore[attr-defined]
    result = session.execute(statement.returning(SlotCount.__table__.c.booked))  # type: ignore[attr-defined]
    return result.first() is not None


def free(session: Session, service_id: str, start: str) -> None:
    session.execute(update(SlotCount)
                    .where(col(SlotCount.service_id) == service_id,
                           col(SlotCount.start) == start, col(SlotCount.booked) > 0)
                    .values(booked=col(SlotCount.booked) - 1))


def taken(session: Session, service_id: str, starts: Collection[str]) -> dict[str, int]:
    """Places taken per start (starts never booked are missing)."""
    if not starts:
        return {}
    rows = session.exec(select(SlotCount.start, SlotCount.booked)
                        .where(col(SlotCount.service_id) == service_id,
                               col(SlotCount.start).in_(list(starts)))).all()
    return dict(rows)
