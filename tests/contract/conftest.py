"""Shared fixtures of the contract tests: the real backend app (SQLite, and PostgreSQL when
TEST_POSTGRES_URL is set) with its lifespan, and the card world it trusts."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from server.core.config import ServerSettings
from server.main import create_app
from tests.cardworld import World, card_world


@pytest.fixture
def world(server_settings: ServerSettings) -> World:
    """Demo cards and the test CA, made before the server starts (it trusts that CA)."""
    return card_world(server_settings.data_dir)


@pytest.fixture
async def server(server_settings: ServerSettings, world: World) -> AsyncIterator[FastAPI]:
    app = create_app(server_settings)
    async with app.router.lifespan_context(app):
        yield app
