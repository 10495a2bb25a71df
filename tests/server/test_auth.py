"""My Number login on the real backend (SQLite and PostgreSQL), with real stub cards.

Covers figures 1, 3, 5, 6, 10, 11, 12, 13: challenge/verify, replay, wrong nonce, expired
nonce and certificates, revocation, wrong CA, token expiry, refresh rotation and reuse,
logout, rate limits, staff-only PIN reset, BOLA on drafts, and no My Number column.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel

from server.api.staff import grant_staff
from server.auth_models import AuthToken
from server.core.config import ServerSettings
from server.main import create_app
from services.mynumber import CardLocked, InvalidResetTicket, PinKind, WrongPin
from services.mynumber.ca import JpkiTestCa
from tests.cardworld import PASSWORDS, PINS, STAFF_PIN, World, b64, nonce_bytes
from tests.server.conftest import bearer, login, signed_body


# --- the protocol ------------------------------------------------------------------------
def test_challenge_is_32_random_bytes_for_5_minutes(client: TestClient, clock) -> None:
    first, second = (client.post("/v1/auth/challenge").json() for _ in range(2))
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first["nonce"])
    assert len(nonce_bytes(first["nonce"])) == 32
    assert first["nonce"] != second["nonce"]
    expires = datetime.fromisoformat(first["expires_at"])
    assert expires - clock.now() == timedelta(minutes=5)


def test_login_gives_tokens_and_me_shows_the_signing_certificate_facts(
    client: TestClient, world: World
) -> None:
    card = world.card("toyama-hanako")
    tokens = login(client, card, PINS["toyama-hanako"], PASSWORDS["toyama-hanako"])
    assert tokens["token_type"] == "bearer"
    assert 0 < tokens["expires_in"] <= 15 * 60
    me = client.get("/v1/me", headers=bearer(tokens)).json()
    assert me["profile"] == {
        "name": "立山 花子", "birth_date": "1948-04-10", "address": "富山県富山市新桜町7番38号",
        "sex": "2", "municipality": "富山市",
    }
    assert me["role"] == "resident"
    # User id = SHA-256 of the certificate's public key (figure 3).
    spki = card.auth_certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert me["user_id"] == tokens["user_id"] == hashlib.sha256(spki).hexdigest()


def test_a_pin_only_login_has_no_profile_until_the_signing_certificate_is_shown(
    client: TestClient, world: World
) -> None:
    card = world.card("takaoka-kenta")
    tokens = login(client, card, PINS["takaoka-kenta"])
    assert client.get("/v1/me", headers=bearer(tokens)).json()["profile"] is None
    login(client, card, PINS["takaoka-kenta"], PASSWORDS["takaoka-kenta"])
    again = login(client, card, PINS["takaoka-kenta"])
    assert client.get("/v1/me", headers=bearer(again)).json()["profile"]["municipality"] == "高岡市"


def test_a_signing_certificate_without_its_signature_is_refused(
    client: TestClient, world: World
) -> None:
    card = world.card("takaoka-kenta")
    _, certificate = card.sign_with_signing_key(PASSWORDS["takaoka-kenta"], b"x")
    body = signed_body(client, card, PINS["takaoka-kenta"],
                       signing_certificate=b64(certificate))
    assert client.post("/v1/auth/verify", json=body).status_code == 422
    # ... and a signature by another key over the nonce does not register someone's facts.
    other = world.card("toyama-hanako")
    body = signed_body(client, card, PINS["takaoka-kenta"])
    wrong_sig, _ = other.sign_with_signing_key(PASSWORDS["toyama-hanako"],
                                               nonce_bytes(body["nonce"]))
    body |= {"signing_certificate": b64(certificate), "signing_signature": b64(wrong_sig)}
    response = client.post("/v1/auth/verify", json=body)
    assert (response.status_code, response.json()["detail"]) == (401, "signature_invalid")


def test_another_cards_signing_certificate_cannot_give_this_account_its_facts(
    client: TestClient, world: World
) -> None:
    # Hanako's PIN login, with Kenta's signing certificate and a valid signature by his key
    # (someone who knows his signing password but not Hanako's... or the reverse).
    hanako, kenta = world.card("toyama-hanako"), world.card("takaoka-kenta")
    body = signed_body(client, hanako, PINS["toyama-hanako"])
    signature, certificate = kenta.sign_with_signing_key(
        PASSWORDS["takaoka-kenta"], nonce_bytes(body["nonce"]))
    body |= {"signing_certificate": b64(certificate), "signing_signature": b64(signature)}
    response = client.post("/v1/auth/verify", json=body)
    assert (response.status_code, response.json()["detail"]) == (401, "certificate_mismatch")
    me = client.get("/v1/me", headers=bearer(login(client, hanako, PINS["toyama-hanako"])))
    assert me.json()["profile"] is None  # nothing was registered


def test_a_replayed_nonce_is_refused(client: TestClient, world: World) -> None:
    body = signed_body(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    assert client.post("/v1/auth/verify", json=body).status_code == 200
    replay = client.post("/v1/auth/verify", json=body)
    assert (replay.status_code, replay.json()["detail"]) == (401, "challenge_used")


def test_a_signature_over_another_nonce_is_refused(client: TestClient, world: World) -> None:
    card = world.card("toyama-hanako")
    signed = signed_body(client, card, PINS["toyama-hanako"])
    other = client.post("/v1/auth/challenge").json()["nonce"]
    response = client.post("/v1/auth/verify", json={**signed, "nonce": other})
    assert (response.status_code, response.json()["detail"]) == (401, "signature_invalid")
    # The other nonce was used up by that attempt: it cannot be retried with a good signature.
    good = b64(card.sign_challenge(PINS["toyama-hanako"], nonce_bytes(other)))
    retry = client.post("/v1/auth/verify", json={**signed, "nonce": other, "signature": good})
    assert retry.json()["detail"] == "challenge_used"


def test_an_unknown_nonce_is_refused(client: TestClient, world: World) -> None:
    card = world.card("toyama-hanako")
    nonce = bytes(32)
    body = {"nonce": base64.urlsafe_b64encode(nonce).rstrip(b"=").decode(),
            "signature": b64(card.sign_challenge(PINS["toyama-hanako"], nonce)),
            "certificate": b64(card.auth_certificate_der())}
    assert client.post("/v1/auth/verify", json=body).json()["detail"] == "challenge_unknown"


def test_an_expired_nonce_is_refused(client: TestClient, world: World, clock) -> None:
    body = signed_body(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    clock.advance(seconds=301)
    response = client.post("/v1/auth/verify", json=body)
    assert (response.status_code, response.json()["detail"]) == (401, "challenge_expired")


def test_an_expired_certificate_is_refused(client: TestClient, world: World) -> None:
    body = signed_body(client, world.card("imizu-hiroto"), PINS["imizu-hiroto"])
    response = client.post("/v1/auth/verify", json=body)
    assert (response.status_code, response.json()["detail"]) == (401, "certificate_expired")


def test_a_valid_certificate_expires_with_time(client: TestClient, world: World, clock) -> None:
    card = world.card("takaoka-kenta")
    clock.current = card.auth_certificate.not_valid_after_utc + timedelta(seconds=1)
    response = client.post("/v1/auth/verify", json=signed_body(client, card, "2345"))
    assert response.json()["detail"] == "certificate_expired"


def test_a_revoked_certificate_is_refused(client: TestClient, world: World) -> None:
    body = signed_body(client, world.card("uozu-misaki"), PINS["uozu-misaki"])
    response = client.post("/v1/auth/verify", json=body)
    assert (response.status_code, response.json()["detail"]) == (401, "certificate_revoked")


def test_a_revocation_takes_effect_without_a_restart(client: TestClient, world: World) -> None:
    card = world.card("takaoka-kenta")
    login(client, card, PINS["takaoka-kenta"])
    JpkiTestCa.load(world.data_dir / "jpki").revoke([card.auth_certificate.serial_number])
    response = client.post("/v1/auth/verify", json=signed_body(client, card, "2345"))
    assert response.json()["detail"] == "certificate_revoked"


def test_a_card_from_another_ca_is_refused(client: TestClient, world: World) -> None:
    body = signed_body(client, world.foreign_card(), "1234")
    response = client.post("/v1/auth/verify", json=body)
    assert (response.status_code, response.json()["detail"]) == (401, "certificate_untrusted")


def test_a_signing_certificate_cannot_be_used_to_log_in(client: TestClient, world: World) -> None:
    card = world.card("toyama-hanako")
    challenge = client.post("/v1/auth/challenge").json()
    signature, certificate = card.sign_with_signing_key(
        PASSWORDS["toyama-hanako"], nonce_bytes(challenge["nonce"]))
    response = client.post("/v1/auth/verify", json={
        "nonce": challenge["nonce"], "signature": b64(signature), "certificate": b64(certificate)})
    assert (response.status_code, response.json()["detail"]) == (401, "certificate_profile")


def test_garbage_certificates_and_signatures_are_refused_cleanly(
    client: TestClient, world: World
) -> None:
    body = signed_body(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    assert client.post("/v1/auth/verify", json={**body, "certificate": "AAAA"}).status_code == 401
    body = signed_body(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    assert client.post("/v1/auth/verify", json={**body, "signature": "AAAA"}).json()[
        "detail"] == "signature_invalid"
    assert client.post("/v1/auth/verify", json={**body, "extra": 1}).status_code == 422


def test_a_missing_trust_anchor_fails_closed(client: TestClient, world: World) -> None:
    (world.data_dir / "jpki" / "crl.pem").unlink()
    body = signed_body(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    response = client.post("/v1/auth/verify", json=body)
    assert (response.status_code, response.json()["detail"]) == (503, "jpki_unavailable")


# --- tokens -----------------------------------------------------------------------------
def test_me_needs_a_valid_token(client: TestClient) -> None:
    assert client.get("/v1/me").status_code == 401
    assert client.get("/v1/me").headers["WWW-Authenticate"] == "Bearer"
    bad = client.get("/v1/me", headers={"Authorization": "Bearer " + "x" * 43})
    assert (bad.status_code, bad.json()["detail"]) == (401, "token_invalid")


def test_the_access_token_expires_and_a_refresh_rotates(
    client: TestClient, world: World, clock
) -> None:
    tokens = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    clock.advance(minutes=10, seconds=1)
    expired = client.get("/v1/me", headers=bearer(tokens))
    assert (expired.status_code, expired.json()["detail"]) == (401, "token_expired")
    fresh = client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert fresh.status_code == 200
    new = fresh.json()
    assert new["refresh_token"] != tokens["refresh_token"]
    assert client.get("/v1/me", headers=bearer(new)).status_code == 200
    # A used refresh token is dead, and presenting it again kills the whole family.
    reuse = client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert (reuse.status_code, reuse.json()["detail"]) == (401, "refresh_token_reused")
    assert client.get("/v1/me", headers=bearer(new)).json()["detail"] == "session_revoked"
    assert client.post("/v1/auth/refresh",
                       json={"refresh_token": new["refresh_token"]}).status_code == 401


def test_a_refresh_token_expires(client: TestClient, world: World, clock) -> None:
    tokens = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    clock.advance(hours=12, seconds=1)
    response = client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert (response.status_code, response.json()["detail"]) == (401, "token_expired")


def test_logout_revokes_access_and_refresh(client: TestClient, world: World) -> None:
    card = world.card("toyama-hanako")
    tokens = login(client, card, PINS["toyama-hanako"])
    other = login(client, card, PINS["toyama-hanako"])  # a second device of the same person
    assert client.post("/v1/auth/logout", headers=bearer(tokens)).status_code == 204
    assert client.get("/v1/me", headers=bearer(tokens)).status_code == 401
    assert client.post("/v1/auth/refresh",
                       json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert client.get("/v1/me", headers=bearer(other)).status_code == 200
    # Logout with only the refresh token (access already expired) works too.
    assert client.post("/v1/auth/logout",
                       json={"refresh_token": other["refresh_token"]}).status_code == 204
    assert client.get("/v1/me", headers=bearer(other)).status_code == 401
    assert client.post("/v1/auth/logout").status_code == 401


def test_tokens_are_stored_only_as_hashes(client: TestClient, world: World) -> None:
    tokens = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    with Session(client.app.state.engine) as session:
        stored = {row.token_hash for row in session.query(AuthToken).all()}
    assert tokens["access_token"] not in stored and tokens["refresh_token"] not in stored
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in stored)


# --- rate limits ------------------------------------------------------------------------
def test_challenges_are_limited_per_ip(client: TestClient, clock) -> None:
    for _ in range(10):
        assert client.post("/v1/auth/challenge").status_code == 200
    limited = client.post("/v1/auth/challenge")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    clock.advance(seconds=61)
    assert client.post("/v1/auth/challenge").status_code == 200


def test_verify_is_limited_per_certificate_serial_across_ips(
    server_settings: ServerSettings, world: World, clock
) -> None:
    app = create_app(server_settings)
    app.state.clock = clock
    card = world.card("toyama-hanako")
    with TestClient(app):
        statuses = []
        for n in range(11):
            # No `with`: the issuer already ran the app's startup; these only change the IP.
            from_ip = TestClient(app, client=(f"10.0.0.{n}", 4000))
            body = signed_body(from_ip, card, "1234")
            statuses.append(from_ip.post("/v1/auth/verify", json=body).status_code)
    assert statuses == [200] * 10 + [429]


def test_verify_is_limited_per_ip(client: TestClient, world: World) -> None:
    statuses = [client.post("/v1/auth/verify", json={
        "nonce": "A" * 43, "signature": "AAAA", "certificate": b64(
            world.card("toyama-hanako").auth_certificate_der())}).status_code for _ in range(11)]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429


# --- staff: PIN reset at the counter -----------------------------------------------------
def _staff_tokens(client: TestClient, world: World) -> dict:
    staff = world.staff_card()
    tokens = login(client, staff, STAFF_PIN)
    with Session(client.app.state.engine) as session:
        grant_staff(session, user_id=tokens["user_id"], display_name="窓口", office="富山市役所")
    return tokens


def test_the_staff_route_refuses_residents(client: TestClient, world: World) -> None:
    resident = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    body = {"card_serial": world.demo["toyama-hanako"].serial}
    assert client.post("/v1/staff/pin-resets", json=body).status_code == 401
    refused = client.post("/v1/staff/pin-resets", json=body, headers=bearer(resident))
    assert (refused.status_code, refused.json()["detail"]) == (403, "staff_only")
    assert client.get("/v1/me", headers=bearer(resident)).json()["role"] == "resident"


def test_a_locked_card_is_reset_with_a_staff_ticket(client: TestClient, world: World) -> None:
    card = world.card("takaoka-kenta")
    for expected in (2, 1):
        with pytest.raises(WrongPin) as wrong:
            card.sign_challenge("0000", b"n")
        assert wrong.value.remaining_tries == expected
    with pytest.raises(CardLocked):
        card.sign_challenge("0000", b"n")
    with pytest.raises(CardLocked):  # the right PIN does not help any more
        card.sign_challenge("2345", b"n")
    staff = _staff_tokens(client, world)
    assert client.get("/v1/me", headers=bearer(staff)).json()["role"] == "staff"
    response = client.post("/v1/staff/pin-resets", headers=bearer(staff),
                           json={"card_serial": card.serial.lower(), "pin_kind": "auth"})
    assert response.status_code == 201
    ticket = response.json()["ticket"]
    assert card.apply_reset_ticket(ticket) is PinKind.auth
    login(client, card, "2345")
    # The ticket is single use, and a ticket for one card does not open another.
    for _ in range(3):
        with pytest.raises((WrongPin, CardLocked)):
            card.sign_challenge("0000", b"n")
    with pytest.raises(InvalidResetTicket):
        card.apply_reset_ticket(ticket)
    with pytest.raises(InvalidResetTicket):
        world.card("toyama-hanako").apply_reset_ticket(ticket)


# --- drafts: object-level authorization ---------------------------------------------------
def test_a_resident_cannot_see_or_delete_another_residents_draft(
    client: TestClient, world: World
) -> None:
    alice = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    bob = login(client, world.card("takaoka-kenta"), PINS["takaoka-kenta"])
    created = client.post("/v1/drafts", headers=bearer(alice),
                          json={"kind": "moving-notice", "body": {"to": "高岡市"}})
    assert created.status_code == 201
    draft = created.json()
    assert set(draft) == {"id", "kind", "body", "created_at", "updated_at"}
    url = f"/v1/drafts/{draft['id']}"
    assert client.get(url, headers=bearer(alice)).json()["body"] == {"to": "高岡市"}
    assert client.get(url, headers=bearer(bob)).status_code == 404
    missing = f"/v1/drafts/{'0' * 32}"
    assert client.get(url, headers=bearer(bob)).json() == client.get(
        missing, headers=bearer(bob)).json()
    assert client.delete(url, headers=bearer(bob)).status_code == 404
    assert client.get("/v1/drafts", headers=bearer(bob)).json()["data"] == []
    assert [d["id"] for d in client.get("/v1/drafts", headers=bearer(alice)).json()["data"]] == [
        draft["id"]]
    assert client.get(url).status_code == 401
    assert client.delete(url, headers=bearer(alice)).status_code == 204
    assert client.get(url, headers=bearer(alice)).status_code == 404


def test_clients_cannot_set_server_owned_draft_fields(client: TestClient, world: World) -> None:
    alice = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    for extra in ({"user_id": "f" * 64}, {"id": "a" * 32}, {"created_at": "2020-01-01T00:00:00Z"}):
        response = client.post("/v1/drafts", headers=bearer(alice),
                               json={"kind": "x", "body": {}, **extra})
        assert response.status_code == 422, extra


def test_draft_and_request_sizes_are_bounded(client: TestClient, world: World) -> None:
    alice = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
    big = client.post("/v1/drafts", headers=bearer(alice),
                      json={"kind": "x", "body": {"text": "あ" * 6000}})
    assert (big.status_code, big.json()["detail"]) == (413, "draft_too_large")
    huge = client.post("/v1/drafts", headers=bearer(alice),
                       json={"kind": "x", "body": {"text": "a" * 70_000}})
    assert huge.status_code == 413

    def chunks():
        yield b'{"kind": "x", "body": {"t": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}}'

    chunked = client.post("/v1/drafts", headers={**bearer(alice),
                          "Content-Type": "application/json"}, content=chunks())
    assert chunked.status_code == 413


def test_the_number_of_drafts_is_bounded(server_settings: ServerSettings, world: World) -> None:
    settings = server_settings.model_copy(update={"max_drafts_per_user": 2})
    with TestClient(create_app(settings)) as client:
        alice = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
        codes = [client.post("/v1/drafts", headers=bearer(alice),
                             json={"kind": "x", "body": {}}).status_code for _ in range(3)]
    assert codes == [201, 201, 409]


# --- figure 10 ------------------------------------------------------------------------
MY_NUMBER = re.compile(r"my_?number|mynumber|kojin_?bango|個人番号|マイナンバー", re.IGNORECASE)


def test_no_column_anywhere_holds_a_my_number(client: TestClient, world: World) -> None:
    import server.auth_models
    import server.models  # noqa: F401

    declared = [(t.name, c.name) for t in SQLModel.metadata.tables.values() for c in t.columns]
    assert len(declared) > 20
    assert [pair for pair in declared if MY_NUMBER.search(" ".join(pair))] == []
    login(client, world.card("toyama-hanako"), PINS["toyama-hanako"], PASSWORDS["toyama-hanako"])
    live = inspect(client.app.state.engine)
    columns = [(t, c["name"]) for t in live.get_table_names() for c in live.get_columns(t)]
    assert {"resident_profile", "auth_token", "draft"} <= {t for t, _ in columns}
    assert [pair for pair in columns if MY_NUMBER.search(" ".join(pair))] == []
    # The pattern itself works.
    assert MY_NUMBER.search("resident mynumber") and MY_NUMBER.search("個人番号")


def test_openapi_documents_the_auth_contract(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    verify = spec["paths"]["/v1/auth/verify"]["post"]
    assert {"200", "401", "422", "429", "503"} <= set(verify["responses"])
    assert "get" in spec["paths"]["/v1/me"] and "401" in spec["paths"]["/v1/me"]["get"][
        "responses"]
    assert "403" in spec["paths"]["/v1/staff/pin-resets"]["post"]["responses"]
    create = spec["components"]["schemas"]["DraftCreate"]
    assert "user_id" not in create["properties"]
