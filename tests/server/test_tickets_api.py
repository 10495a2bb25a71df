"""POST/GET /v1/tickets (stub issuer): signed tickets, their owner only, server-owned fields."""

from __future__ import annotations

import base64
import json
import stat
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient

from server.core.config import ServerSettings
from server.core.ticket_signing import KEY_FILE
from server.main import create_app
from tests.cardworld import PINS, World
from tests.server.conftest import FakeClock, bearer, login

ORDER = {
    "origin": {"id": "toyama_city_2019:feeder:15", "name": "荒屋"},
    "destination": {"id": "toyama_city_2019:feeder:12", "name": "蓮町"},
    "service_date": "2019-06-12",
    "departure": "06:14:00",
    "arrival": "06:24:00",
    "routes": ["フィーダーバス"],
    "fare_yen": 200,
}


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def test_a_resident_gets_a_ticket_signed_with_the_published_key(
    client: TestClient, alice: dict, server_settings: ServerSettings, clock: FakeClock
) -> None:
    response = client.post("/v1/tickets", headers=alice, json=ORDER)
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert set(ticket) == {"id", "issued_at", "valid_until", "payload", "signature", "qr_text"}
    payload = ticket["payload"]
    assert payload["stub"] is True and payload["type"] == "kitokito.transit-ticket.v1"
    assert payload["id"] == ticket["id"]
    assert payload["origin"] == ORDER["origin"] and payload["fare_yen"] == 200
    assert payload["routes"] == ["フィーダーバス"]
    assert "user" not in json.dumps(payload)  # the QR is shown in public: no resident id
    issued = datetime.fromisoformat(ticket["issued_at"])
    assert abs(issued - clock.now()) < timedelta(seconds=1)
    # valid until two hours after arriving at 06:24 JST on the service date
    assert datetime.fromisoformat(ticket["valid_until"]) == datetime(
        2019, 6, 11, 23, 24, tzinfo=UTC)

    key = client.get("/v1/tickets/public-key").json()  # public: no token needed
    assert key["algorithm"] == "Ed25519" and payload["kid"] == key["key_id"]
    public = Ed25519PublicKey.from_public_bytes(unb64(key["public_key"]))
    pem = serialization.load_pem_public_key(key["pem"].encode())
    assert pem.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == unb64(
        key["public_key"])
    public.verify(unb64(ticket["signature"]), canonical(payload))
    prefix, body, signature = ticket["qr_text"].split(".")
    assert prefix == "KTK1" and unb64(body) == canonical(payload)
    assert signature == ticket["signature"]
    tampered = {**payload, "fare_yen": 0}
    with pytest.raises(InvalidSignature):
        public.verify(unb64(ticket["signature"]), canonical(tampered))

    key_file = server_settings.data_dir / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = client.get(f"/v1/tickets/{ticket['id']}", headers=alice)
    assert again.status_code == 200 and again.json() == ticket


def test_the_key_survives_a_restart(server_settings: ServerSettings, world: World) -> None:
    with TestClient(create_app(server_settings)) as first:
        key = first.get("/v1/tickets/public-key").json()
        spec = first.get("/openapi.json").json()
    assert {"/v1/tickets", "/v1/tickets/public-key", "/v1/tickets/{ticket_id}"} <= set(
        spec["paths"])
    request_fields = set(spec["components"]["schemas"]["TicketCreate"]["properties"])
    assert request_fields.isdisjoint({"id", "user_id", "issued_at", "valid_until", "signature"})
    with TestClient(create_app(server_settings)) as second:
        assert second.get("/v1/tickets/public-key").json() == key


def test_another_resident_gets_404_as_for_a_missing_ticket(
    client: TestClient, world: World, alice: dict
) -> None:
    ticket = client.post("/v1/tickets", headers=alice, json=ORDER).json()
    bob = bearer(login(client, world.card("takaoka-kenta"), PINS["takaoka-kenta"]))
    url = f"/v1/tickets/{ticket['id']}"
    theirs = client.get(url, headers=bob)
    missing = client.get(f"/v1/tickets/{'0' * 32}", headers=bob)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert client.get(url).status_code == 401
    assert client.post("/v1/tickets", json=ORDER).status_code == 401
    assert client.get("/v1/tickets/not-an-id", headers=alice).status_code == 422


def test_clients_cannot_set_server_owned_fields(client: TestClient, alice: dict) -> None:
    for extra in ({"id": "a" * 32}, {"user_id": "f" * 64}, {"issued_at": "2020-01-01T00:00:00Z"},
                  {"valid_until": "2099-01-01T00:00:00Z"}, {"signature": "AAAA"},
                  {"payload": {}}):
        response = client.post("/v1/tickets", headers=alice, json={**ORDER, **extra})
        assert response.status_code == 422, extra


def test_bad_journeys_are_refused(client: TestClient, alice: dict) -> None:
    for change in ({"arrival": "06:00:00"}, {"departure": "25:61"}, {"departure": "48:00:00"},
                   {"routes": []}, {"routes": [""]}, {"routes": ["x"] * 9}, {"fare_yen": -1},
                   {"service_date": "2019-02-30"}, {"origin": {"id": "", "name": "荒屋"}},
                   {"destination": {"id": "x", "name": "蓮町", "lat": 1}}):
        response = client.post("/v1/tickets", headers=alice, json={**ORDER, **change})
        assert response.status_code == 422, change


def test_late_night_times_and_a_null_fare_are_fine(client: TestClient, alice: dict) -> None:
    order = {**ORDER, "departure": "23:50", "arrival": "24:10:00", "fare_yen": None}
    response = client.post("/v1/tickets", headers=alice, json=order)
    assert response.status_code == 201, response.text
    assert response.json()["payload"]["fare_yen"] is None
    assert datetime.fromisoformat(response.json()["valid_until"]) == datetime(
        2019, 6, 12, 17, 10, tzinfo=UTC)


def test_service_dates_far_ahead_are_refused(
    client: TestClient, alice: dict, clock: FakeClock
) -> None:
    far = (clock.now() + timedelta(days=40)).date().isoformat()
    response = client.post("/v1/tickets", headers=alice, json={**ORDER, "service_date": far})
    assert (response.status_code, response.json()["detail"]) == (422, "service_date_too_far")


def test_tickets_per_day_are_bounded(
    client: TestClient, world: World, alice: dict, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(client.app.state.settings, "max_tickets_per_day", 2)
    codes = [client.post("/v1/tickets", headers=alice, json=ORDER).status_code for _ in range(3)]
    assert codes == [201, 201, 409]
    bob = bearer(login(client, world.card("takaoka-kenta"), PINS["takaoka-kenta"]))
    assert client.post("/v1/tickets", headers=bob, json=ORDER).status_code == 201  # per resident
    clock.advance(hours=24, seconds=1)
    alice = bearer(login(client, world.card("toyama-hanako"), PINS["toyama-hanako"]))
    assert client.post("/v1/tickets", headers=alice, json=ORDER).status_code == 201


def test_a_key_file_readable_by_others_stops_the_issuer(
    server_settings: ServerSettings, world: World
) -> None:
    with TestClient(create_app(server_settings)) as client:
        assert client.get("/v1/tickets/public-key").status_code == 200
    (server_settings.data_dir / KEY_FILE).chmod(0o644)
    with TestClient(create_app(server_settings)) as client:
        response = client.get("/v1/tickets/public-key")
    assert (response.status_code, response.json()["detail"]) == (
        503, "ticket_issuer_unavailable")


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_dates_before_any_timetable_are_refused_not_a_crash(
    client: TestClient, alice: dict, day: str
) -> None:
    response = client.post("/v1/tickets", headers=alice,
                           json={**ORDER, "service_date": day, "arrival": "0:00"})
    assert response.status_code == 422
