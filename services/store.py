"""The device's local store: SQLite (WAL) through SQLModel, in the data dir.

Holds cached public data (notices) and sync cursors. Its tables live in their own metadata so
they never mix with the server's, even when both are imported in one test process.
Writes of a synced page and its cursor happen in ONE transaction: a crash leaves either both or
neither, so the next pull resumes with no gap.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import registry
from sqlmodel import Field, Session, SQLModel, col, create_engine, select

from services.models import NoticeCategory, NoticeWire

NOTICES_CURSOR = "notices"


class StoreModel(SQLModel, registry=registry()):
    """Base of the client's own tables."""


class CachedNotice(StoreModel, table=True):
    __tablename__ = "cached_notice"

    id: int = Field(primary_key=True)
    category: str
    published_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    revision: int
    municipality: str | None = None
    texts_json: str


class SyncCursor(StoreModel, table=True):
    __tablename__ = "sync_cursor"

    name: str = Field(primary_key=True)
    cursor: int = 0
    etag: str | None = None
    last_success_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


@dataclass(frozen=True)
class CursorState:
    cursor: int
    etag: str | None
    last_success_at: datetime | None


@dataclass(frozen=True)
class StoredNotice:
    id: int
    category: NoticeCategory
    published_at: datetime
    texts: dict[str, dict[str, str]]
    municipality: str | None = None


def _utc(value: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes; everything we write is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class LocalStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(
            f"sqlite:///{self.path}", connect_args={"check_same_thread": False}
        )
        event.listen(self.engine, "connect", _sqlite_pragmas)
        StoreModel.metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- sync cursors -------------------------------------------------------------------
    def cursor(self, name: str) -> CursorState:
        with Session(self.engine) as session:
            row = session.get(SyncCursor, name)
            if row is None:
                return CursorState(0, None, None)
            return CursorState(row.cursor, row.etag, _utc(row.last_success_at))

    def mark_checked(self, name: str, *, etag: str | None, at: datetime) -> None:
        """Record a successful sync that brought nothing new."""
        with Session(self.engine) as session:
            row = session.get(SyncCursor, name) or SyncCursor(name=name)
            row.etag = etag
            row.last_success_at = at
            session.add(row)
            session.commit()

    # --- notices ------------------------------------------------------------------------
    def apply_notices(
        self,
        items: Iterable[NoticeWire],
        *,
        cursor_name: str,
        next_cursor: int,
        etag: str | None,
        at: datetime,
    ) -> int:
        """Upsert a page of notices (deleting withdrawn ones) and advance the cursor, atomically."""
        changed = 0
        with Session(self.engine) as session:
            for item in items:
                existing = session.get(CachedNotice, item.id)
                if item.withdrawn:
                    if existing is not None:
                        session.delete(existing)
                        changed += 1
                    continue
                if existing is not None and existing.revision >= item.revision:
                    continue
                row = existing or CachedNotice(id=item.id)
                row.category = item.category.value
                row.published_at = item.published_at.astimezone(UTC)
                row.revision = item.revision
                row.municipality = item.municipality
                row.texts_json = json.dumps(
                    {lang: t.model_dump() for lang, t in item.texts.items()}, ensure_ascii=False
                )
                session.add(row)
                changed += 1
            state = session.get(SyncCursor, cursor_name) or SyncCursor(name=cursor_name)
            state.cursor = max(state.cursor, next_cursor)
            state.etag = etag
            state.last_success_at = at
            session.add(state)
            session.commit()
        return changed

    def notices(self) -> list[StoredNotice]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(CachedNotice).order_by(
                    col(CachedNotice.published_at).desc(), col(CachedNotice.id).desc()
                )
            ).all()
            return [_stored(row) for row in rows]

    def notice(self, notice_id: int) -> StoredNotice | None:
        with Session(self.engine) as session:
            row = session.get(CachedNotice, notice_id)
            return _stored(row) if row else None


def _stored(row: CachedNotice) -> StoredNotice:
    return StoredNotice(
        id=row.id,
        category=NoticeCategory(row.category),
        published_at=_utc(row.published_at),
        texts=json.loads(row.texts_json),
        municipality=row.municipality,
    )


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
