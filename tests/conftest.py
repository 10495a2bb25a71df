"""Fixtures shared by the server and contract tests: the real backend on SQLite, and on
PostgreSQL too when TEST_POSTGRES_URL is set (CI sets it)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from server.core.config import ServerSettings

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
DATABASES = ["sqlite", "postgres"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: the quick layers report first, and no browser loop lingers."""
    items.sort(key=lambda item: "/e2e/" in str(item.path))


@pytest.fixture(scope="session", autouse=True)
def _clean_environment() -> Iterator[None]:
    # A developer's own KITOKITO_* settings must not leak into the tests.
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("KITOKITO_")}
    saved_db = os.environ.pop("DATABASE_URL", None)
    yield
    os.environ.update(saved)
    if saved_db is not None:
        os.environ["DATABASE_URL"] = saved_db


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=DATABASES)
def server_settings(request: pytest.FixtureRequest, tmp_path: Path) -> ServerSettings:
    # The bundled info data (thousands of records) only where a test asks for it.
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_schema_url")
        return ServerSettings(data_dir=tmp_path, database_url=url, seed_info=False,
                              seed_consultations=False)
    return ServerSettings(data_dir=tmp_path, seed_info=False, seed_consultations=False)
