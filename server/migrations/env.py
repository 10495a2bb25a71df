"""Alembic environment of the reference backend.

The server runs migrations itself at start (server/core/migrate.py), passing its connection
and its data key in `config.attributes`. From the command line (`alembic upgrade head`, with
[tool.alembic] in pyproject.toml) the database and key come from the same environment
variables as the server's (DATABASE_URL, KITOKITO_DATA_DIR, KITOKITO_SERVER_KEY_FILE).
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from server.core.migrate import import_models

import_models()
target_metadata = SQLModel.metadata
config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    from server.core.config import ServerSettings
    from server.core.db import make_engine

    settings = ServerSettings()
    config.attributes["settings"] = settings
    engine = make_engine(settings.resolved_database_url())
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: the data migrations "
                     "need the database")
run_migrations_online()
