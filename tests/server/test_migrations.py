"""Alembic revisions of the server schema, on SQLite and PostgreSQL: replaying them from empty
gives exactly the models' schema, and data survives upgrades from each earlier revision."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from server.core.config import ServerSettings
from server.core.db import make_engine
from server.core.migrate import current_revision, downgrade, head_revision, import_models, upgrade
from server.core.sealing import Sealer, load_or_create_key
from server.main import create_app

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
USER = "a" * 64
FACTS = {"name": "立山 花子", "birth_date": "1948-04-10", "sex": "2",
         "address": "富山県富山市新桜町7番38号", "municipality": "富山市"}


@pytest.fixture
def engine(server_settings: ServerSettings) -> Engine:
    server_settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(server_settings.resolved_database_url())


@pytest.fixture
def sealer(server_settings: ServerSettings) -> Sealer:
    return Sealer(load_or_create_key(server_settings.resolved_server_key_file()))


def _diff(engine: Engine) -> list:
    import_models()
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)


def test_replaying_every_revision_gives_the_models_schema(engine: Engine, sealer: Sealer) -> None:
    with engine.begin() as conn:
        upgrade(conn, "head", sealer)
    assert _diff(engine) == []
    with engine.begin() as conn:
        downgrade(conn, "base", sealer)
        upgrade(conn, "head", sealer)
        assert current_revision(conn) == head_revision()
    assert _diff(engine) == []


def _old_rows(conn, plain_profile: bool = True) -> None:
    if plain_profile:
        _plain_profile(conn)
    conn.execute(text("INSERT INTO auth_session (id, user_id, created_at) VALUES ('s1', :u, 1)"),
                 {"u": USER})
    conn.execute(text("INSERT INTO auth_token (token_hash, session_id, kind, expires_at) "
                      "VALUES (:h, 's1', 'refresh', 99999999999)"), {"h": "f" * 64})
    conn.execute(text(
        "INSERT INTO draft (id, user_id, kind, body_json, created_at, updated_at) "
        "VALUES (:i, :u, 'moving-notice', '{\"to\": \"高岡市\"}', :t, :t)"),
        {"i": "d" * 32, "u": USER, "t": NOW})


def _plain_profile(conn) -> None:
    conn.execute(text(
        "INSERT INTO resident_profile (user_id, name, birth_date, address, sex, municipality,"
        " updated_at) VALUES (:u, '立山 花子', :b, :a, '2', '富山市', :t)"),
        {"u": USER, "b": date(1948, 4, 10), "t": NOW, "a": "富山県富山市新桜町7番38号"})


@pytest.mark.parametrize(
    "start", ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "before-alembic"])
def test_data_survives_the_upgrade(
    server_settings: ServerSettings, engine: Engine, start: str
) -> None:
    with engine.begin() as conn:
        upgrade(conn, "0001" if start == "before-alembic" else start)
        sealed = start in ("0003", "0004", "0005", "0006", "0007")
        _old_rows(conn, plain_profile=not sealed)
        if sealed:  # as the server of that revision stored it
            sealer = Sealer(load_or_create_key(server_settings.resolved_server_key_file()))
            plain = json.dumps(FACTS, ensure_ascii=False).encode()
            conn.execute(text("INSERT INTO resident_profile (user_id, sealed, updated_at) "
                              "VALUES (:u, :s, :t)"), {
                "u": USER, "s": sealer.seal(plain, context=f"resident_profile:{USER}"),
                "t": NOW})
        if start == "before-alembic":  # made by create_all before Alembic (and before tickets)
            conn.execute(text("DROP TABLE alembic_version"))
            conn.execute(text("DROP TABLE transit_ticket"))
    with TestClient(create_app(server_settings.model_copy(update={"seed_on_start": False}))) as c:
        app_sealer: Sealer = c.app.state.sealer
        with c.app.state.engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            profile = conn.execute(text("SELECT user_id, sealed FROM resident_profile")).one()
            session = conn.execute(text("SELECT revoked_at, cert_serial FROM auth_session")).one()
            drafts = conn.execute(text("SELECT user_id, body_json FROM draft")).all()
            tokens = conn.execute(text("SELECT count(*) FROM auth_token")).scalar_one()
            assert conn.execute(text("SELECT count(*) FROM transit_ticket")).scalar_one() == 0
            for table in ("mutation_client", "client_mutation",  # 0005: the outbox's books
                          # 0006: e-applications
                          "application", "application_submission", "application_event",
                          "application_attachment", "payment", "receipt_code",
                          "info_record",  # 0007: public information
                          # 0008: consultations
                          "consultation_service", "consultation_rule",
                          "consultation_exception", "consultation_slot",
                          "consultation_booking",
                          "tourism_reading"):  # 0009: crowd sensor readings
                assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
    facts = json.loads(app_sealer.open(profile.sealed, context=f"resident_profile:{USER}"))
    assert facts == FACTS
    assert "立山" not in profile.sealed
    # A session from before the card binding cannot be checked against the CRL: it is ended.
    # (A session without a binding that is somehow still open is refused at use.)
    assert (session.revoked_at is not None) == (start in ("0001", "before-alembic"))
    assert session.cert_serial is None
    assert drafts == [(USER, '{"to": "高岡市"}')] and tokens == 1


def test_the_sealed_profile_can_be_downgraded_with_its_key(
    engine: Engine, sealer: Sealer
) -> None:
    with engine.begin() as conn:
        upgrade(conn, "0002")
        _old_rows(conn)
        upgrade(conn, "head", sealer)
        downgrade(conn, "0002", sealer)
        row = conn.execute(text("SELECT name, municipality FROM resident_profile")).one()
    assert tuple(row) == ("立山 花子", "富山市")
