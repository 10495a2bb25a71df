"""Issue 8, item 1: a session is bound to its card certificate, has an absolute lifetime that
no refresh extends, and ends after 15 minutes without use, on the server (SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text

from services.mynumber.ca import JpkiTestCa
from tests.cardworld import PINS, World
from tests.server.conftest import bearer, login


def _refresh(client: TestClient, tokens: dict):
    return client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})


def test_a_revoked_card_ends_its_session(client: TestClient, world: World, clock) -> None:
    card = world.card("takaoka-kenta")
    tokens = login(client, card, PINS["takaoka-kenta"])
    # `python -m services.mynumber revoke SERIAL` does exactly this.
    JpkiTestCa.load(world.data_dir / "jpki").revoke([card.auth_certificate.serial_number])
    # Access re-checks the revocation list at most every few minutes, a refresh always.
    clock.advance(minutes=5, seconds=1)
    me = client.get("/v1/me", headers=bearer(tokens))
    assert (me.status_code, me.json()["detail"]) == (401, "certificate_revoked")
    draft = client.post("/v1/drafts", headers=bearer(tokens), json={"kind": "x", "body": {}})
    assert draft.status_code == 401
    refreshed = _refresh(client, tokens)
    assert refreshed.status_code == 401


def test_a_refresh_after_revocation_is_refused_at_once(client: TestClient, world: World) -> None:
    card = world.card("takaoka-kenta")
    tokens = login(client, card, PINS["takaoka-kenta"])
    JpkiTestCa.load(world.data_dir / "jpki").revoke([card.auth_certificate.serial_number])
    refreshed = _refresh(client, tokens)
    assert (refreshed.status_code, refreshed.json()["detail"]) == (401, "certificate_revoked")
    assert client.get("/v1/me", headers=bearer(tokens)).json()["detail"] == "session_revoked"


def test_an_expiring_card_ends_its_session(client: TestClient, world: World, clock) -> None:
    card = world.card("takaoka-kenta")
    clock.current = card.auth_certificate.not_valid_after_utc - timedelta(minutes=2)
    JpkiTestCa.load(world.data_dir / "jpki", now=clock.now).revoke([])  # a CRL fresh by then
    tokens = login(client, card, PINS["takaoka-kenta"])
    assert client.get("/v1/me", headers=bearer(tokens)).status_code == 200
    clock.advance(minutes=2, seconds=1)
    me = client.get("/v1/me", headers=bearer(tokens))
    assert (me.status_code, me.json()["detail"]) == (401, "certificate_expired")
    assert _refresh(client, tokens).status_code == 401


def test_refreshes_never_extend_a_session_past_its_absolute_lifetime(
    client: TestClient, world: World, clock
) -> None:
    tokens = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    end = clock.now() + timedelta(hours=12)
    lifetimes = []
    while True:
        clock.advance(minutes=9)  # an active resident: well inside the idle limit
        response = _refresh(client, tokens)
        if response.status_code != 200:
            break
        tokens = response.json()
        lifetimes.append(tokens["refresh_expires_in"])
        assert clock.now() + timedelta(seconds=tokens["refresh_expires_in"]) <= end
        assert clock.now() + timedelta(seconds=tokens["expires_in"]) <= end
        assert client.get("/v1/me", headers=bearer(tokens)).status_code == 200
    assert clock.now() >= end - timedelta(minutes=9)
    assert response.json()["detail"] in ("session_expired", "token_expired")
    assert lifetimes == sorted(lifetimes, reverse=True) and lifetimes[-1] < 3600
    assert client.get("/v1/me", headers=bearer(tokens)).status_code == 401


def test_an_idle_session_ends_on_the_server(client: TestClient, world: World, clock) -> None:
    card = world.card("toyama-hanako")
    active = login(client, card, PINS["toyama-hanako"])
    idle = login(client, card, PINS["toyama-hanako"])
    clock.advance(minutes=9)
    assert client.get("/v1/me", headers=bearer(active)).status_code == 200
    clock.advance(minutes=7)  # 16 minutes since login, 7 since the active one was used
    fresh = _refresh(client, active)
    assert fresh.status_code == 200
    refused = _refresh(client, idle)
    assert (refused.status_code, refused.json()["detail"]) == (401, "session_idle")
    assert _refresh(client, fresh.json()).status_code == 200


def test_a_session_without_a_card_binding_is_refused(client: TestClient, world: World) -> None:
    """Sessions opened before the binding (revision 0002) cannot be re-checked: refused."""
    tokens = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    with client.app.state.engine.begin() as conn:
        conn.execute(text("UPDATE auth_session SET cert_serial = NULL"))
    me = client.get("/v1/me", headers=bearer(tokens))
    assert (me.status_code, me.json()["detail"]) == (401, "session_revoked")
    assert _refresh(client, tokens).status_code == 401
