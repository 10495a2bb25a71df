"""Database engine: SQLite by default (WAL), PostgreSQL through DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel, create_engine

from server.core.sealing import private_dir, private_file

SIDE_FILES = ("-wal", "-shm", "-journal")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            # Owner only: the folder 0700, the database 0600 (SQLite gives its -wal, -shm and
            # -journal files the database file's mode).
            database = Path(parsed.database)
            private_dir(database.parent)
            for path in (database, *(Path(f"{database}{s}") for s in SIDE_FILES)):
                if path == database or path.exists():
                    private_file(path)
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        return engine
    if parsed.drivername == "postgresql":
        # psycopg 3 is the driver we ship; plain postgresql:// URLs would ask for psycopg2.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    """Tables straight from the models, no Alembic stamp (for throwaway databases). The
    server itself uses server.core.migrate.migrate."""
    from server.core.migrate import import_models

    import_models()
    SQLModel.metadata.create_all(engine)


def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
