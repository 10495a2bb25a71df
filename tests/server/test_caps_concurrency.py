"""Issue 8, item 6: the 50-draft and 50-ticket caps hold under 120 concurrent requests, on
SQLite and on PostgreSQL (count-then-insert let 58 through)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from server.auth_models import Draft
from server.core.config import ServerSettings
from server.main import create_app
from server.ticket_models import Ticket
from tests.cardworld import PINS, card_world
from tests.server.conftest import bearer, login, signed_body
from tests.server.test_tickets_api import ORDER

CONCURRENT = 120


async def _burst(app, path: str, headers: dict, body: dict, spread: bool = False) -> list[int]:
    """CONCURRENT posts at once (from as many client addresses if `spread`)."""
    clients = [httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(f"10.7.{n % 250}.{n // 250 + 1}", 80)),
        base_url="http://test") for n in range(CONCURRENT if spread else 1)]
    try:
        responses = await asyncio.gather(*(
            clients[n % len(clients)].post(path, headers=headers, json=body)
            for n in range(CONCURRENT)))
    finally:
        for client in clients:
            await client.aclose()
    return [r.status_code for r in responses]


@pytest.mark.parametrize(("path", "body", "model"), [
    ("/v1/drafts", {"kind": "moving-notice", "body": {"to": "高岡市"}}, Draft),
    ("/v1/tickets", ORDER, Ticket),
], ids=["drafts", "tickets"])
def test_caps_hold_under_concurrent_requests(
    server_settings: ServerSettings, path: str, body: dict, model: type
) -> None:
    world = card_world(server_settings.data_dir)
    app = create_app(server_settings)
    with TestClient(app) as client:
        headers = bearer(login(client, world.card("toyama-hanako"), PINS["toyama-hanako"]))
        statuses = asyncio.run(_burst(app, path, headers, body))
        with Session(app.state.engine) as session:
            stored = session.execute(select(func.count()).select_from(model)).scalar_one()
    assert sorted(set(statuses)) == [201, 409], statuses
    assert statuses.count(201) == 50
    assert stored == 50


def test_rate_limits_and_single_use_nonces_hold_under_concurrent_requests(
    server_settings: ServerSettings,
) -> None:
    world = card_world(server_settings.data_dir)
    app = create_app(server_settings)
    with TestClient(app, client=("192.0.2.50", 4000)) as client:
        challenges = asyncio.run(_burst(app, "/v1/auth/challenge", {}, {}))
        assert sorted(set(challenges)) == [200, 429] and challenges.count(200) == 10
        body = signed_body(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
        # One signed nonce, 120 times at once, from 120 addresses: exactly one login.
        verifies = asyncio.run(_burst(app, "/v1/auth/verify", {}, body, spread=True))
    assert verifies.count(200) == 1, verifies
    assert set(verifies) == {200, 401}
