"""Issue 8, item 5 (server API): a resident's logged-in devices, logging one out, logging out
everywhere else, and refresh tokens bound to the device that received them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from server.core.config import ServerSettings
from server.main import create_app
from tests.cardworld import PINS, World
from tests.server.conftest import FakeClock, bearer, signed_body

PHONE, TABLET = "phone-" + "a" * 20, "tablet-" + "b" * 20


@pytest.fixture
def client(server_settings: ServerSettings, world: World, clock: FakeClock) -> Iterator[TestClient]:
    app = create_app(server_settings)
    app.state.clock = clock
    with TestClient(app, client=("127.0.0.1", 5000)) as client:
        yield client


def _login(client: TestClient, world: World, device_id: str | None, name: str | None,
           who: str = "toyama-hanako") -> dict:
    body = signed_body(client, world.card(who), PINS[who])
    if device_id:
        body |= {"device_id": device_id, "device_name": name}
    response = client.post("/v1/auth/verify", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _refresh(client: TestClient, tokens: dict, device_id: str | None):
    body = {"refresh_token": tokens["refresh_token"]}
    if device_id:
        body["device_id"] = device_id
    return client.post("/v1/auth/refresh", json=body)


def test_a_resident_sees_their_devices(client: TestClient, world: World, clock) -> None:
    phone = _login(client, world, PHONE, "Hanako's phone")
    clock.advance(minutes=3)
    tablet = _login(client, world, TABLET, "居間のタブレット")
    _login(client, world, "kenta-" + "c" * 20, "Kenta's phone", who="takaoka-kenta")
    clock.advance(minutes=1)
    assert client.get("/v1/me", headers=bearer(phone)).status_code == 200
    devices = client.get("/v1/auth/sessions", headers=bearer(tablet)).json()["data"]
    assert [(d["device_name"], d["current"], d["place"]) for d in devices] == [
        ("Hanako's phone", False, "loopback"), ("居間のタブレット", True, "loopback")]
    assert devices[0]["first_used_at"] < devices[1]["first_used_at"] < devices[0]["last_used_at"]
    assert client.get("/v1/auth/sessions").status_code == 401


def test_log_out_one_device_and_everywhere_else(client: TestClient, world: World) -> None:
    phone = _login(client, world, PHONE, "phone")
    tablet = _login(client, world, TABLET, "tablet")
    old = _login(client, world, None, None)
    kenta = _login(client, world, "kenta-" + "c" * 20, "Kenta", who="takaoka-kenta")
    listed = client.get("/v1/auth/sessions", headers=bearer(phone)).json()["data"]
    tablet_id = next(d["id"] for d in listed if d["device_name"] == "tablet")
    kenta_id = client.get("/v1/auth/sessions", headers=bearer(kenta)).json()["data"][0]["id"]
    # Another resident's session is not found, and stays logged in.
    assert client.delete(f"/v1/auth/sessions/{kenta_id}", headers=bearer(phone)).status_code == 404
    assert client.delete(f"/v1/auth/sessions/{tablet_id}", headers=bearer(phone)).status_code == 204
    assert client.get("/v1/me", headers=bearer(tablet)).status_code == 401
    assert _refresh(client, tablet, TABLET).status_code == 401
    others = client.post("/v1/auth/sessions/log-out-others", headers=bearer(phone))
    assert others.json() == {"revoked": 1}  # the device that logged in without an id
    assert client.get("/v1/me", headers=bearer(old)).status_code == 401
    assert client.get("/v1/me", headers=bearer(phone)).status_code == 200
    assert client.get("/v1/me", headers=bearer(kenta)).status_code == 200
    assert len(client.get("/v1/auth/sessions", headers=bearer(phone)).json()["data"]) == 1


def test_a_refresh_from_another_device_is_refused_and_ends_the_session(
    client: TestClient, world: World
) -> None:
    phone = _login(client, world, PHONE, "phone")
    fresh = _refresh(client, phone, PHONE)
    assert fresh.status_code == 200
    stolen = _refresh(client, fresh.json(), TABLET)
    assert (stolen.status_code, stolen.json()["detail"]) == (401, "device_mismatch")
    assert client.get("/v1/me", headers=bearer(fresh.json())).status_code == 401
    # Leaving the device id out does not get round it either.
    other = _login(client, world, PHONE, "phone")
    assert _refresh(client, other, None).json()["detail"] == "device_mismatch"
    # A login that named no device refreshes as before.
    plain = _login(client, world, None, None)
    assert _refresh(client, plain, None).status_code == 200
