"""Issue 8, items 2, 3 and 10: per-card limits count only verified cards, the client address is
the connection's unless a named proxy forwards it, and refused logins cannot flood the log."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient

from server.core.config import ServerSettings
from server.main import create_app
from tests.cardworld import PINS, World, b64
from tests.server.conftest import FakeClock, login, signed_body

ROOT = Path(__file__).resolve().parents[2]


def _app(settings: ServerSettings, clock: FakeClock):
    app = create_app(settings)
    app.state.clock = clock
    return app


@lru_cache(maxsize=4)
def _forged_certificate(serial: int) -> bytes:
    """Self-made certificate with the victim's serial (the serial is public)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "JPKI user authentication")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(serial)
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.DER)


# --- item 2 -----------------------------------------------------------------------------
def test_knowing_a_serial_does_not_lock_the_resident_out(
    server_settings: ServerSettings, world: World, clock: FakeClock
) -> None:
    app = _app(server_settings, clock)
    victim = world.card("toyama-hanako")
    forged = b64(_forged_certificate(victim.auth_certificate.serial_number))
    real = b64(victim.auth_certificate_der())
    with TestClient(app):
        for n in range(24):  # from many addresses, so no per-address limit stops the attacker
            attacker = TestClient(app, client=(f"10.9.{n}.1", 4000))
            body = signed_body(attacker, world.card("takaoka-kenta"), PINS["takaoka-kenta"])
            # A forged certificate with the victim's serial, and the victim's real certificate
            # with a signature that is not the card's.
            body["certificate"] = forged if n % 2 else real
            refused = attacker.post("/v1/auth/verify", json=body)
            assert refused.status_code == 401, refused.text
        resident = TestClient(app, client=("192.0.2.7", 4000))
        assert login(resident, victim, PINS["toyama-hanako"])["user_id"]


def test_unverified_failures_count_per_address(
    server_settings: ServerSettings, world: World, clock: FakeClock
) -> None:
    app = _app(server_settings, clock)
    forged = b64(_forged_certificate(world.card("toyama-hanako").auth_certificate.serial_number))
    with TestClient(app) as client:
        statuses = []
        for n in range(11):
            issuer = TestClient(app, client=(f"10.8.{n}.1", 4000))  # challenges from elsewhere
            body = signed_body(issuer, world.card("takaoka-kenta"), PINS["takaoka-kenta"])
            statuses.append(client.post("/v1/auth/verify",
                                        json={**body, "certificate": forged}).status_code)
    assert statuses == [401] * 10 + [429]


# --- item 3 -----------------------------------------------------------------------------
def _challenges(app, headers_for) -> list[int]:
    local = TestClient(app, client=("127.0.0.1", 5000))
    return [local.post("/v1/auth/challenge", headers=headers_for(n)).status_code
            for n in range(11)]


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(
    server_settings: ServerSettings, clock: FakeClock
) -> None:
    app = _app(server_settings, clock)
    with TestClient(app):
        statuses = _challenges(app, lambda n: {"X-Forwarded-For": f"198.51.100.{n}"})
    assert statuses == [200] * 10 + [429]


def test_a_trusted_proxy_forwards_addresses_but_not_made_up_ones(
    server_settings: ServerSettings, clock: FakeClock
) -> None:
    settings = server_settings.model_copy(update={"trusted_proxies": "127.0.0.1, not-an-ip"})
    app = _app(settings, clock)
    with TestClient(app):
        # Each browser behind the proxy has its own budget ...
        assert _challenges(app, lambda n: {"X-Forwarded-For": f"198.51.100.{n}"}) == [200] * 11
        # ... the client's own prefix is not believed past the proxy's entry ...
        assert _challenges(app, lambda n: {
            "X-Forwarded-For": f"203.0.113.{n}, 198.51.100.200"}) == [200] * 10 + [429]
        # ... and strings that are not addresses are ignored (the proxy's own budget).
        assert _challenges(app, lambda n: {"X-Forwarded-For": f"x{n}"}) == [200] * 10 + [429]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[str]:
    """`python -m server` as the app starts it (no KITOKITO_TRUSTED_PROXIES)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KITOKITO_") and k != "DATABASE_URL"}
    env |= {"KITOKITO_DATA_DIR": str(tmp_path), "KITOKITO_SEED": "0"}
    process = subprocess.Popen([sys.executable, "-m", "server", "--port", str(port)],
                               cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_real_server_does_not_take_forwarded_for_from_local_processes(
    server_process: str,
) -> None:
    statuses = [httpx.post(f"{server_process}/v1/auth/challenge",
                           headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
                for n in range(11)]
    assert statuses == [200] * 10 + [429]


# --- item 10 ----------------------------------------------------------------------------
def test_refused_logins_are_logged_once_per_address_and_minute(
    server_settings: ServerSettings, world: World, clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = _app(server_settings, clock)
    caplog.set_level(logging.INFO)
    bogus = {"nonce": "A" * 43, "signature": "AAAA",
             "certificate": b64(world.card("toyama-hanako").auth_certificate_der())}
    with TestClient(app) as client:
        for _ in range(200):
            assert client.post("/v1/auth/verify", json=bogus).status_code in (401, 429)
        first_minute = len(_server_lines(caplog))
        clock.advance(seconds=61)
        for _ in range(200):
            client.post("/v1/auth/verify", json=bogus)
    assert first_minute <= 1
    lines = _server_lines(caplog)
    assert len(lines) <= 3  # the next minute: a summary of the first, and one line
    assert any("more refused logins" in line for line in lines)


def _server_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("kitokito")]


def test_the_refusal_log_is_bounded_across_addresses(caplog: pytest.LogCaptureFixture) -> None:
    from server.core.limits import RefusalLog

    refusals = RefusalLog(logging.getLogger("test.refusals"), max_lines=20)
    caplog.set_level(logging.INFO)
    for n in range(5000):
        refusals.refused(f"2001:db8::{n:x}", "signature_invalid", 1000.0 + n / 1000)
    assert len(caplog.records) == 20
    refusals.refused("192.0.2.1", "signature_invalid", 1061.0)
    assert "4980 more refused logins" in caplog.records[20].getMessage()
