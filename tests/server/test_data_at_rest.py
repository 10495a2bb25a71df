"""Issue 8, item 11: residents' facts are encrypted in the server database with a key kept
apart from it, and the server's files are the owner's only."""

from __future__ import annotations

import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from server.core.config import ServerSettings
from server.main import create_app
from tests.cardworld import PASSWORDS, PINS, World
from tests.server.conftest import bearer, login

SECRETS = ["立山", "花子", "新桜町", "1948-04-10", "19480410"]


@pytest.fixture
def client(server_settings: ServerSettings, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings)) as client:
        yield client


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_holds_no_readable_resident(
    client: TestClient, world: World, server_settings: ServerSettings
) -> None:
    tokens = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"],
                   PASSWORDS["toyama-hanako"])
    assert client.get("/v1/me", headers=bearer(tokens)).json()["profile"]["name"] == "立山 花子"
    engine = client.app.state.engine
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM resident_profile")).all()
    dumped = repr(rows)
    assert len(rows) == 1 and not [s for s in SECRETS if s in dumped]
    if engine.dialect.name == "sqlite":
        files = [p for p in server_settings.data_dir.glob("server.db*")]
        raw = b"".join(p.read_bytes() for p in files)
        for secret in SECRETS:
            assert secret.encode() not in raw, secret
            assert secret.encode("utf-16-le") not in raw, secret


def test_modes_are_owner_only(client: TestClient, world: World,
                              server_settings: ServerSettings) -> None:
    login(client, world.card("toyama-hanako"), PINS["toyama-hanako"], PASSWORDS["toyama-hanako"])
    data_dir = server_settings.data_dir
    key = server_settings.resolved_server_key_file()
    assert _mode(data_dir) == 0o700
    assert (_mode(key.parent), _mode(key), key.stat().st_size) == (0o700, 0o600, 32)
    if client.app.state.engine.dialect.name == "sqlite":
        files = list(data_dir.glob("server.db*"))
        assert len(files) >= 2  # the database and its WAL
        assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}


def test_a_copied_database_without_the_key_reveals_nothing(
    tmp_path: Path, world: World, server_settings: ServerSettings
) -> None:
    if server_settings.database_url:
        pytest.skip("the file copy is a SQLite matter; PostgreSQL rows are checked above")
    with TestClient(create_app(server_settings)) as client:
        login(client, world.card("toyama-hanako"), PINS["toyama-hanako"],
              PASSWORDS["toyama-hanako"])
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    shutil.copy(server_settings.data_dir / "server.db", stolen / "server.db")
    shutil.copytree(server_settings.data_dir / "jpki", stolen / "jpki")
    # The thief's server makes a new key: the profile does not open, and nothing crashes.
    thief = ServerSettings(data_dir=stolen)
    with TestClient(create_app(thief)) as client:
        tokens = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
        me = client.get("/v1/me", headers=bearer(tokens))
        assert (me.status_code, me.json()["profile"]) == (200, None)


def test_a_key_readable_by_others_is_refused(server_settings: ServerSettings) -> None:
    key = server_settings.resolved_server_key_file()
    with TestClient(create_app(server_settings)):
        pass
    key.chmod(0o644)
    with pytest.raises(RuntimeError, match="readable by others"):
        create_app(server_settings)
