"""Shared fixtures of the server tests: the demo card world the server trusts, a settable
clock, the app on a TestClient, and logging a resident in through the real protocol."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from server.core.config import ServerSettings
from server.main import create_app
from services.mynumber import MyNumberCard
from tests.cardworld import PINS, World, b64, card_world, nonce_bytes


class FakeClock:
    def __init__(self) -> None:
        self.current = datetime.now(UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def world(server_settings: ServerSettings) -> World:
    return card_world(server_settings.data_dir)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(server_settings: ServerSettings, world: World,
           clock: FakeClock) -> Iterator[TestClient]:
    app = create_app(server_settings)
    app.state.clock = clock
    with TestClient(app) as client:
        yield client


@pytest.fixture
def booking_app(server_settings: ServerSettings, clock: FakeClock) -> Iterator[TestClient]:
    """The app with the bundled consultation services, its clock on Thursday 2026-12-03
    09:00 in Toyama (tests/server/booking_support.py)."""
    clock.current = datetime(2026, 12, 3, 0, 0, tzinfo=UTC)
    app = create_app(server_settings.model_copy(update={"seed_consultations": True}))
    app.state.clock = clock
    with TestClient(app) as client:
        yield client


@pytest.fixture
def alice(client: TestClient, world: World) -> dict[str, str]:
    """A logged-in resident's bearer headers (立山 花子)."""
    return bearer(login(client, world.card("toyama-hanako"), PINS["toyama-hanako"]))


def signed_body(client: TestClient, card: MyNumberCard, pin: str, **extra) -> dict:
    challenge = client.post("/v1/auth/challenge").json()
    nonce = nonce_bytes(challenge["nonce"])
    return {"nonce": challenge["nonce"], "signature": b64(card.sign_challenge(pin, nonce)),
            "certificate": b64(card.auth_certificate_der()), **extra}


def login(client: TestClient, card: MyNumberCard, pin: str, password: str | None = None) -> dict:
    challenge = client.post("/v1/auth/challenge").json()
    nonce = nonce_bytes(challenge["nonce"])
    body = {"nonce": challenge["nonce"], "signature": b64(card.sign_challenge(pin, nonce)),
            "certificate": b64(card.auth_certificate_der())}
    if password:
        signature, certificate = card.sign_with_signing_key(password, nonce)
        body |= {"signing_certificate": b64(certificate), "signing_signature": b64(signature)}
    response = client.post("/v1/auth/verify", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}
