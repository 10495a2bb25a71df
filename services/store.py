"""The device's local store: SQLite (WAL) through SQLModel, in the data dir.

Holds cached public data (notices, the info datasets of docs/info-data.md, answers of public
queries kept to show offline) and sync cursors.
Its tables live in their own metadata so they never mix with the server's, even when both are
imported in one test process.
Writes of a synced page and its cursor happen in ONE transaction: a crash leaves either both or
neither, so the next pull resumes with no gap.

The file carries its layout version in `PRAGMA user_version` and is migrated one step at a
time on open (`MIGRATIONS`), each step in one transaction with its version bump. Tables in
`PUBLIC_TABLES` are caches of public data: when they are damaged or their layout is not the one
expected they are dropped and rebuilt by the next sync. Anything the resident made (drafts,
saved journeys, the outbox of things to send) must never be listed there; its migration steps
carry every row over. A file that is not a sound SQLite database, or that a newer app version
wrote, is moved aside (`store.db.corrupt-<timestamp>`, kept, never read again) and a fresh store
is created, with one log line.
"""

from __future__ import annotations

import errno
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import overload

from sqlalchemy import Column, DateTime, Index, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import registry
from sqlmodel import Field, Session, SQLModel, col, create_engine, select

from services.datadir import (
    SQLITE_SIDE_FILES,
    data_dir_error,
    quarantine,
    sqlite_is_damage,
    sqlite_os_error,
)
from services.models import InfoDataset, InfoRecordWire, NoticeCategory, NoticeWire

NOTICES_CURSOR = "notices"
log = logging.getLogger(__name__)


def info_cursor(dataset: InfoDataset) -> str:
    """The sync cursor's name of one info dataset."""
    return f"info.{InfoDataset(dataset).value}"


class StoreModel(SQLModel, registry=registry()):
    """Base of the client's own tables."""


class CachedNotice(StoreModel, table=True):
    __tablename__ = "cached_notice"
    __table_args__ = (Index("ix_cached_notice_published", "published_at", "id"),)

    id: int = Field(primary_key=True)
    category: str
    published_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    revision: int
    municipality: str | None = None
    texts_json: str


class CachedInfo(StoreModel, table=True):
    """One record of an info dataset (medical, childcare, shelters, aeds, alerts).

    The primary key (dataset, id) is the index reads by dataset use: all of one dataset is
    one range of it."""

    __tablename__ = "cached_info"

    dataset: str = Field(primary_key=True)
    id: str = Field(primary_key=True)
    revision: int
    municipality: str | None = None
    lat: float | None = None
    lon: float | None = None
    body_json: str


class SyncCursor(StoreModel, table=True):
    __tablename__ = "sync_cursor"

    name: str = Field(primary_key=True)
    cursor: int = 0
    etag: str | None = None
    last_success_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class OutboxRow(StoreModel, table=True):
    """One change waiting to reach the server, or its outcome (services/outbox.py).

    Made by the resident: never in PUBLIC_TABLES, carried over by every migration step."""

    __tablename__ = "outbox"

    user_id: str = Field(primary_key=True)
    seq: int = Field(primary_key=True)  # the order of sending, per resident
    id: str = Field(unique=True)  # client-generated uuid4 hex: the server's mutation id
    kind: str
    payload_json: str
    state: str  # waiting | sending | rejected | done
    code: str | None = None
    reason: str | None = None
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class OutboxClientRow(StoreModel, table=True):
    """This install's client id towards the server and the last seq it gave, per resident."""

    __tablename__ = "outbox_client"

    user_id: str = Field(primary_key=True)
    client_id: str
    last_seq: int = 0


class CachedAnswer(StoreModel, table=True):
    """The last answer of a public query, kept so it can be shown offline (marked as such):
    e.g. a tourist spot's crowd levels for a date (services/tourism/crowds.py). By kind (who
    owns the row) and key (what was asked); never anything personal."""

    __tablename__ = "cached_answer"

    kind: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    body_json: str
    fetched_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


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


@dataclass(frozen=True)
class StoredInfo:
    """An info record as cached; `body` is the published body, read by services/info."""

    dataset: InfoDataset
    id: str
    revision: int
    municipality: str | None
    lat: float | None
    lon: float | None
    body: dict[str, object]


@dataclass(frozen=True)
class StoredAnswer:
    body: dict[str, object]
    fetched_at: datetime  # aware (UTC)


@overload
def _utc(value: datetime) -> datetime: ...


@overload
def _utc(value: None) -> None: ...


def _utc(value: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes; everything we write is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


# --- layout versions -----------------------------------------------------------------------
# Version 0 is the layout before versioning: cached_notice and sync_cursor, no user_version.
SCHEMA_VERSION = 4
# rebuilt by sync (or by asking again): safe to drop together
PUBLIC_TABLES = ("cached_notice", "cached_info", "sync_cursor", "cached_answer")


def _v1_notice_order_index(conn: sqlite3.Connection) -> None:
    """v1: an index for the newest-first notice list; the version is recorded from now on."""
    if "cached_notice" in _tables(conn):
        conn.execute(
            "CREATE INDEX IF NOT EXISTS ix_cached_notice_published "
            "ON cached_notice (published_at, id)")


def _v2_outbox(conn: sqlite3.Connection) -> None:
    """v2: the outbox (services/outbox.py) and each resident's mutation numbering."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS outbox (user_id VARCHAR NOT NULL, seq INTEGER NOT NULL, "
        "id VARCHAR NOT NULL, kind VARCHAR NOT NULL, payload_json VARCHAR NOT NULL, "
        "state VARCHAR NOT NULL, code VARCHAR, reason VARCHAR, "
        "created_at DATETIME NOT NULL, PRIMARY KEY (user_id, seq), UNIQUE (id))")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS outbox_client (user_id VARCHAR NOT NULL, "
        "client_id VARCHAR NOT NULL, last_seq INTEGER NOT NULL, PRIMARY KEY (user_id))")


def _v3_info_cache(conn: sqlite3.Connection) -> None:
    """v3: the cache of the info datasets (medical, childcare, shelters, aeds, alerts)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS cached_info (dataset VARCHAR NOT NULL, id VARCHAR NOT NULL, "
        "revision INTEGER NOT NULL, municipality VARCHAR, lat FLOAT, lon FLOAT, "
        "body_json VARCHAR NOT NULL, PRIMARY KEY (dataset, id))")


def _v4_answer_cache(conn: sqlite3.Connection) -> None:
    """v4: the last answers of public queries, to show offline (services/tourism/crowds.py)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS cached_answer (kind VARCHAR NOT NULL, key VARCHAR NOT NULL, "
        "body_json VARCHAR NOT NULL, fetched_at DATETIME NOT NULL, PRIMARY KEY (kind, key))")


# MIGRATIONS[n] turns a version n-1 file into version n. Never edit a released step: add one.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_notice_order_index, 2: _v2_outbox, 3: _v3_info_cache, 4: _v4_answer_cache}


class LocalStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise data_dir_error(exc, exc.filename or self.path.parent) from exc
        prepare_store_file(self.path)
        self.engine: Engine = create_engine(
            f"sqlite:///{self.path}", connect_args={"check_same_thread": False}
        )
        event.listen(self.engine, "connect", _sqlite_pragmas)
        # Bumped per info dataset by every apply that changed a row: readers keep what they
        # parsed from a dataset until its generation moves (services/info/service.py).
        self._info_generation: dict[InfoDataset, int] = {}
        try:
            StoreModel.metadata.create_all(self.engine)
        except Exception as exc:  # SQLAlchemy wraps sqlite3's errors
            trouble = sqlite_os_error(getattr(exc, "orig", exc), self.path)
            if trouble is None:
                raise
            self.engine.dispose()
            raise trouble from exc

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction for a local change and what it puts in the outbox
        (services.outbox.Outbox.enqueue): committed together, or neither on an exception."""
        with Session(self.engine) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

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
                texts_json = json.dumps(
                    {lang: t.model_dump() for lang, t in item.texts.items()}, ensure_ascii=False
                )
                published_at = item.published_at.astimezone(UTC)
                if existing is None:
                    row = CachedNotice(
                        id=item.id, category=item.category.value, published_at=published_at,
                        revision=item.revision, municipality=item.municipality,
                        texts_json=texts_json)
                else:
                    row = existing
                    row.category = item.category.value
                    row.published_at = published_at
                    row.revision = item.revision
                    row.municipality = item.municipality
                    row.texts_json = texts_json
                session.add(row)
                changed += 1
            state = session.get(SyncCursor, cursor_name) or SyncCursor(name=cursor_name)
            state.cursor = max(state.cursor, next_cursor)
            state.etag = etag
            state.last_success_at = at
            session.add(state)
            session.commit()
        return changed

    # --- info datasets ------------------------------------------------------------------
    def apply_info(
        self,
        dataset: InfoDataset,
        items: Iterable[InfoRecordWire],
        *,
        cursor_name: str,
        next_cursor: int,
        etag: str | None,
        at: datetime,
    ) -> int:
        """Upsert a page of one dataset's records (deleting withdrawn ones) and advance the
        cursor, atomically. Returns how many rows changed."""
        dataset = InfoDataset(dataset)
        changed = 0
        with Session(self.engine) as session:
            for item in items:
                existing = session.get(CachedInfo, (dataset.value, item.id))
                if item.withdrawn:
                    if existing is not None:
                        session.delete(existing)
                        changed += 1
                    continue
                if existing is not None and existing.revision >= item.revision:
                    continue
                row = existing or CachedInfo(dataset=dataset.value, id=item.id, revision=0,
                                             body_json="{}")
                row.revision = item.revision
                row.municipality = item.municipality
                row.lat = item.lat
                row.lon = item.lon
                row.body_json = json.dumps(item.body, ensure_ascii=False, separators=(",", ":"))
                session.add(row)
                changed += 1
            state = session.get(SyncCursor, cursor_name) or SyncCursor(name=cursor_name)
            state.cursor = max(state.cursor, next_cursor)
            state.etag = etag
            state.last_success_at = at
            session.add(state)
            session.commit()
        if changed:
            self._info_generation[dataset] = self._info_generation.get(dataset, 0) + 1
        return changed

    def info_generation(self, dataset: InfoDataset) -> int:
        """Moves whenever an apply changed this dataset (in this process)."""
        return self._info_generation.get(InfoDataset(dataset), 0)

    def info_records(self, dataset: InfoDataset) -> list[StoredInfo]:
        """Every cached record of one dataset, by id (one range of the primary key). Callers
        that read often keep the result until `info_generation` moves."""
        dataset = InfoDataset(dataset)
        with Session(self.engine) as session:
            rows = session.exec(
                select(CachedInfo).where(CachedInfo.dataset == dataset.value)
                .order_by(col(CachedInfo.id))
            ).all()
            return [r for r in (_stored_info(dataset, row) for row in rows) if r is not None]

    def info_record(self, dataset: InfoDataset, record_id: str) -> StoredInfo | None:
        dataset = InfoDataset(dataset)
        with Session(self.engine) as session:
            row = session.get(CachedInfo, (dataset.value, record_id))
            return _stored_info(dataset, row) if row is not None else None

    # --- answers of public queries --------------------------------------------------------
    def put_answer(self, kind: str, key: str, body: dict[str, object], *, at: datetime,
                   drop_before: datetime | None = None) -> None:
        """Keep `body` as the last answer of (kind, key), replacing the one before; with
        `drop_before`, answers of the same kind fetched before then go (old dates' answers)."""
        at = at.astimezone(UTC)  # SQLite keeps no zone: everything written is UTC
        with Session(self.engine) as session:
            if drop_before is not None:
                drop_before = drop_before.astimezone(UTC)
                for old in session.exec(select(CachedAnswer).where(
                        CachedAnswer.kind == kind,
                        col(CachedAnswer.fetched_at) < drop_before)).all():
                    session.delete(old)
            row = session.get(CachedAnswer, (kind, key)) or CachedAnswer(
                kind=kind, key=key, body_json="{}", fetched_at=at)
            row.body_json = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
            row.fetched_at = at
            session.add(row)
            session.commit()

    def answer(self, kind: str, key: str) -> StoredAnswer | None:
        """The last answer kept for (kind, key); None when there is none or it is unreadable."""
        with Session(self.engine) as session:
            row = session.get(CachedAnswer, (kind, key))
            if row is None:
                return None
            try:
                body = json.loads(row.body_json)
            except ValueError:
                body = None
            if not isinstance(body, dict):
                log.warning("cached answer %s/%s is unreadable; ignored", kind, key)
                return None
            return StoredAnswer(body=body, fetched_at=_utc(row.fetched_at))

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


def _stored_info(dataset: InfoDataset, row: CachedInfo) -> StoredInfo | None:
    try:
        body = json.loads(row.body_json)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        log.warning("cached %s record %s has an unreadable body; skipped", dataset, row.id)
        return None
    return StoredInfo(dataset=dataset, id=row.id, revision=row.revision,
                      municipality=row.municipality, lat=row.lat, lon=row.lon, body=body)


# --- opening, checking and migrating the file ------------------------------------------------
def prepare_store_file(path: Path) -> None:
    """Make `path` a sound store file at SCHEMA_VERSION (tables are create_all's job).

    Damaged or from a newer version: moved aside. Public tables whose layout is wrong: dropped
    (sync refills them). Older version: migrated step by step. Disk trouble: DataDirError.
    """
    for _attempt in range(2):  # a file moved aside is replaced by a fresh one, checked again
        reason = ""
        try:
            _check_and_migrate(path)
            return
        except sqlite3.Error as exc:
            trouble = sqlite_os_error(exc, path)
            if trouble is not None:
                raise trouble from exc
            if not sqlite_is_damage(exc):
                raise
            reason = "damaged"
        except _MoveAside as why:
            reason = str(why)
        try:
            quarantine(path, reason, side_files=SQLITE_SIDE_FILES)
        except OSError as exc:
            raise data_dir_error(exc, path) from exc
    raise data_dir_error(OSError(errno.EIO, "a fresh store could not be created", str(path)))


class _MoveAside(Exception):
    pass


def _check_and_migrate(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise _MoveAside("damaged")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = _tables(conn)
        if version > SCHEMA_VERSION:
            raise _MoveAside(f"written by a newer app (layout {version}, this app knows "
                             f"{SCHEMA_VERSION})")
        if version == 0 and not tables:
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")  # new file: create_all's
            return
        for step in range(version + 1, SCHEMA_VERSION + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                MIGRATIONS[step](conn)
                conn.execute(f"PRAGMA user_version={step}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            log.info("client store migrated to layout %d", step)
        _drop_public_tables_if_wrong(conn, _tables(conn))
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _drop_public_tables_if_wrong(conn: sqlite3.Connection, tables: set[str]) -> None:
    """Public caches whose columns are not the model's are dropped together (a cursor without
    its notices would skip them); create_all rebuilds them empty and the next sync refills."""
    wrong = []
    for name in PUBLIC_TABLES:
        if name not in tables:
            continue
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({name})")}
        want = {column.name for column in StoreModel.metadata.tables[name].columns}
        if have != want:
            wrong.append(name)
    if not wrong:
        return
    conn.execute("BEGIN IMMEDIATE")
    for name in PUBLIC_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {name}")
    conn.execute("COMMIT")
    log.warning("kitokito: public cache tables %s had an unexpected layout; dropped and rebuilt",
                ", ".join(wrong))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # One writer at a time: the first sync writes thousands of records in one transaction,
    # which on a slow or busy device takes longer than 5 s; a notice or crowd answer written
    # meanwhile waits for it rather than failing.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
