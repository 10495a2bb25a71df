"""Schema changes are Alembic revisions (server/migrations/versions), one per change.

At start the server brings its database to the newest revision (`migrate`):
- an empty database gets today's tables from the models and is stamped with the newest
  revision (quicker than replaying history; tests/server/test_migrations.py checks that
  replaying every revision from empty gives exactly the same schema);
- a database from before Alembic (tables but no alembic_version) gets the baseline's tables it
  lacks, is stamped as the baseline revision 0001 and upgraded;
- otherwise it is upgraded from its revision.
On PostgreSQL, workers starting together take turns (an advisory lock for the transaction).
Data migrations that need the server data key (0003) get the server's through
`config.attributes["sealer"]`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from server.core.sealing import Sealer

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
BASELINE = "0001"
# Tables whose definition changed after the baseline (they exist in any pre-Alembic database).
CHANGED_SINCE_BASELINE = {"auth_session", "resident_profile"}
# Tables a later revision creates: the upgrade from the baseline makes them.
ADDED_SINCE_BASELINE = {
    "mutation_client", "client_mutation",
    "application_attachment", "application", "application_submission", "application_event",
    "receipt_code", "payment",
    "info_record",
    "consultation_service", "consultation_rule", "consultation_exception",
    "consultation_slot", "consultation_booking",
    "tourism_reading",
}
MIGRATION_LOCK = 7_210_003
_current_sealer: list[Sealer] = []  # set only while `migrate` runs (see sealer_for_migration)


def import_models() -> None:
    """Register every table on SQLModel.metadata."""
    from server import (  # noqa: F401
        application_models,
        auth_models,
        info_models,
        models,
        mutation_models,
        payment_models,
        ticket_models,
    )
    from server.consultations import models as consultation_models  # noqa: F401
    from server.tourism import models as tourism_models  # noqa: F401


def alembic_config(connection: Connection | None = None, sealer: Sealer | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    if sealer is not None:
        config.attributes["sealer"] = sealer
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def sealer_for_migration() -> Sealer:
    """The data key for a revision that encrypts or decrypts: the running server's, or (from
    the alembic command line) the one its settings name."""
    if _current_sealer:
        return _current_sealer[-1]
    from server.core.config import ServerSettings
    from server.core.sealing import load_or_create_key

    return Sealer(load_or_create_key(ServerSettings().resolved_server_key_file()))


def upgrade(connection: Connection, revision: str = "head", sealer: Sealer | None = None) -> None:
    _run(command.upgrade, connection, revision, sealer)


def downgrade(connection: Connection, revision: str, sealer: Sealer | None = None) -> None:
    _run(command.downgrade, connection, revision, sealer)


def _run(action: Any, connection: Connection, revision: str, sealer: Sealer | None) -> None:
    if sealer is not None:
        _current_sealer.append(sealer)
    try:
        action(alembic_config(connection, sealer), revision)
    finally:
        if sealer is not None:
            _current_sealer.pop()


def migrate(engine: Engine, sealer: Sealer) -> None:
    """Bring the database to the newest revision (see the module doc)."""
    import_models()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": MIGRATION_LOCK})
        revision = current_revision(connection)
        if revision is None:
            tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
            if not tables & set(SQLModel.metadata.tables):
                SQLModel.metadata.create_all(connection)
                command.stamp(alembic_config(connection), "head")
                return
            # Made by create_all before Alembic, perhaps before some tables existed (tickets
            # came late): add those, as the baseline has them, then upgrade from the baseline.
            SQLModel.metadata.create_all(connection, tables=[
                table for name, table in SQLModel.metadata.tables.items()
                if name not in CHANGED_SINCE_BASELINE | ADDED_SINCE_BASELINE])
            command.stamp(alembic_config(connection), BASELINE)
        upgrade(connection, "head", sealer)
