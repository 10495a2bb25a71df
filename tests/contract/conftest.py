"""Shared fixtures of the contract tests: the real backend app (SQLite, and PostgreSQL when
TEST_POSTGRES_URL is set) with its lifespan, and the card world it trusts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi import FastAPI

from server.core.config import ServerSettings
from server.main import create_app
from tests.cardworld import World, card_world
from tests.contract import audit
from tests.contract.forkserver import ForkServer
from tests.contract.harness import ROOT, SUMMARY, child_env


@pytest.fixture
def world(server_settings: ServerSettings) -> World:
    """Demo cards and the test CA, made before the server starts (it trusts that CA)."""
    return card_world(server_settings.data_dir)


@pytest.fixture
async def server(server_settings: ServerSettings, world: World) -> AsyncIterator[FastAPI]:
    app = create_app(server_settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def roomy_server(server_settings: ServerSettings, world: World,
                       monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FastAPI]:
    """The server for the fault harness, counting what it applies (tests/contract/audit.py).
    Many seeds add drafts to few residents: the per-resident cap is not what is tested there."""
    app = create_app(server_settings.model_copy(update={"max_drafts_per_user": 10**9}))
    async with app.router.lifespan_context(app):
        audit.install(app.state.engine, monkeypatch.setattr)
        yield app


def _launcher(module: str, factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    forks = ForkServer(module, root=ROOT, env=child_env(),
                       log=factory.mktemp("launcher") / "launcher.log")
    yield forks
    forks.close()


@pytest.fixture(scope="session")
def server_launcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    """Forks server lives (tests/contract/server_proc.py) to SIGKILL; one per test session,
    so the imports are paid once."""
    yield from _launcher("tests.contract.server_proc", tmp_path_factory)


@pytest.fixture(scope="session")
def client_launcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    """Forks client lives (tests/contract/client_proc.py) to SIGKILL."""
    yield from _launcher("tests.contract.client_proc", tmp_path_factory)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The fault harness's line per test (seeds tried, faults met by kind), even under -q."""
    if SUMMARY:
        terminalreporter.section("fault harness")
        for line in SUMMARY:
            terminalreporter.write_line(line)
