"""Counter staff and applications (figures 4, 13): staff-only routes refuse residents, the
signature is checked again when staff look (a card revoked since shows), the status machine
holds, receipt codes record who checked them; the staff CLI does the same on the database.
SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from cryptography import x509
from fastapi.testclient import TestClient

from server import staff_cli
from server.core.config import ServerSettings
from services.mynumber.ca import JpkiTestCa
from tests.cardworld import World
from tests.server.e_apps import (
    ALICE,
    JPEG,
    PERMIT,
    Outbox,
    advance,
    document,
    hex_id,
    sign,
    staff_headers,
    submit_paid,
    upload,
    with_test_procedures,
)


@pytest.fixture(autouse=True)
def _procedures(client: TestClient) -> None:
    with_test_procedures(client.app)


@pytest.fixture
def outbox(client: TestClient, alice: dict) -> Outbox:
    return Outbox(client, alice)


@pytest.fixture
def staff(client: TestClient, world: World) -> dict[str, str]:
    return staff_headers(client, world)


def _routes(application_id: str) -> list[tuple[str, str, dict | None]]:
    base = f"/v1/staff/applications/{application_id}"
    return [("GET", "/v1/staff/applications", None), ("GET", base, None),
            ("GET", f"{base}/attachments/{hex_id()}", None),
            ("POST", f"{base}/transitions", {"to": "received"}),
            ("POST", "/v1/staff/receipts/verify", {"code": "12345678"})]


def test_staff_routes_refuse_residents(client: TestClient, world: World, outbox: Outbox) -> None:
    application_id = submit_paid(client, world, outbox)
    for method, path, body in _routes(application_id):
        assert client.request(method, path, json=body).status_code == 401, path
        refused = client.request(method, path, json=body, headers=outbox.headers)
        assert (refused.status_code, refused.json()["detail"]) == (403, "staff_only"), path
    assert client.get(f"/v1/applications/{application_id}",
                      headers=outbox.headers).json()["status"] == "submitted"


def test_staff_list_inspect_and_move_applications(
    client: TestClient, world: World, outbox: Outbox, staff: dict
) -> None:
    first = submit_paid(client, world, outbox)
    second = submit_paid(client, world, outbox)
    listed = client.get("/v1/staff/applications", headers=staff).json()["data"]
    assert {a["id"] for a in listed} == {first, second}
    assert listed[0]["user_id"] == client.get("/v1/me", headers=outbox.headers).json()[
        "user_id"]
    advance(client, staff, first, "received")
    received = client.get("/v1/staff/applications?status=received", headers=staff).json()
    assert [a["id"] for a in received["data"]] == [first]
    assert client.get("/v1/staff/applications?status=nonsense",
                      headers=staff).status_code == 422

    detail = client.get(f"/v1/staff/applications/{first}", headers=staff).json()
    assert detail["signature"]["valid"] is True and detail["signature"]["reason"] is None
    assert detail["applicant"]["name"] == "立山 花子"
    assert detail["values"]["copies"] == 2
    assert [h["status"] for h in detail["history"]] == ["submitted", "received"]

    def move(to: str, comment: str | None = None):
        return client.post(f"/v1/staff/applications/{first}/transitions", headers=staff,
                           json={"to": to, "comment": comment})

    for to in ("approved", "completed", "submitted", "withdrawn", "received"):
        refused = move(to)
        assert (refused.status_code, refused.json()["detail"]) == (
            409, "transition_not_allowed"), to
    assert move("under_review").json()["status"] == "under_review"
    assert move("approved", "受付しました").json()["status"] == "approved"
    done = move("completed")
    assert (done.status_code, done.json()["status"]) == (200, "completed")
    assert move("returned").status_code == 409
    for body in ({"to": "archived"}, {"to": "received", "comment": ""},
                 {"to": "received", "status": "completed"}):
        assert client.post(f"/v1/staff/applications/{second}/transitions", headers=staff,
                           json=body).status_code == 422, body
    missing = client.post(f"/v1/staff/applications/{hex_id()}/transitions", headers=staff,
                          json={"to": "received"})
    assert missing.status_code == 404
    inbox = client.get("/v1/inbox", headers=outbox.headers).json()["events"]
    assert ("approved", "受付しました") in [(e["status"], e["comment"]) for e in inbox]


def test_the_signature_is_checked_again_now(
    client: TestClient, world: World, outbox: Outbox, staff: dict
) -> None:
    application_id = hex_id()
    payment = client.post("/v1/payments", headers={**outbox.headers, "Idempotency-Key": hex_id()},
                          json={"application_id": application_id,
                                "procedure_id": "juminhyo_copy", "amount_yen": 600,
                                "card_number": "4242424242424242"}).json()
    parts = sign(world, ALICE, document(application_id))
    assert outbox.outcome("application.submit", {"application_id": application_id, **parts,
                                                 "payment_id": payment["id"]}) == (
        "applied", None)
    signing = x509.load_der_x509_certificate(base64.b64decode(parts["certificate"]))
    JpkiTestCa.load(world.data_dir / "jpki").revoke([signing.serial_number])
    check = client.get(f"/v1/staff/applications/{application_id}",
                       headers=staff).json()["signature"]
    assert (check["valid"], check["reason"]) == (False, "certificate_revoked")


def test_staff_open_the_attachments_an_application_names(
    client: TestClient, world: World, outbox: Outbox, staff: dict
) -> None:
    stored = upload(client, outbox.headers).json()
    unrelated = upload(client, outbox.headers).json()
    application_id = hex_id()
    doc = document(application_id, procedure_id=PERMIT.id, version=PERMIT.version,
                   values={"reason": "物置"}, fee_yen=0, attachments=[{
                       "spec": "proof", "attachment_id": stored["id"], "media_type": "image/jpeg",
                       "size": stored["size"], "sha256": stored["sha256"]}])
    assert outbox.outcome("application.submit", {"application_id": application_id,
                                                 **sign(world, ALICE, doc),
                                                 "payment_id": None}) == ("applied", None)
    base = f"/v1/staff/applications/{application_id}/attachments"
    got = client.get(f"{base}/{stored['id']}", headers=staff)
    assert (got.status_code, got.content, got.headers["content-type"]) == (
        200, JPEG, "image/jpeg")
    assert client.get(f"{base}/{unrelated['id']}", headers=staff).status_code == 404


# --- the staff CLI -----------------------------------------------------------------------
def _cli(capsys: pytest.CaptureFixture[str], settings: ServerSettings,
         *argv: str) -> tuple[int, Any, str]:
    code = staff_cli.main(list(argv), settings=settings)
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else None, err


def test_the_staff_cli_runs_the_whole_flow(
    client: TestClient, world: World, outbox: Outbox, server_settings: ServerSettings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    application_id = submit_paid(client, world, outbox)
    code, listed, _ = _cli(capsys, server_settings, "list", "--status", "submitted")
    assert code == 0 and [a["id"] for a in listed] == [application_id]
    code, shown, _ = _cli(capsys, server_settings, "show", application_id)
    assert code == 0 and shown["signature"]["valid"] is True
    assert shown["applicant"]["name"] == "立山 花子"
    for step in ("received", "under_review", "approved"):
        code, moved, _ = _cli(capsys, server_settings, "--staff", "窓口A", "advance",
                              application_id, step, "--comment", f"{step} です")
        assert code == 0 and moved["status"] == step
    code, _, err = _cli(capsys, server_settings, "advance", application_id, "received")
    assert code == 1 and err.startswith("transition_not_allowed")
    code, _, err = _cli(capsys, server_settings, "show", hex_id())
    assert (code, err.strip()) == (1, "not_found")

    receipt = client.post(f"/v1/applications/{application_id}/receipt-code",
                          headers=outbox.headers).json()
    code, verified, _ = _cli(capsys, server_settings, "--staff", "窓口A", "verify-receipt",
                             receipt["code"])
    assert code == 0 and verified["receipt_verified_by"] == "窓口A"
    code, _, err = _cli(capsys, server_settings, "verify-receipt", receipt["code"])
    assert code == 1 and err.startswith("not_found")
    history = client.get(f"/v1/applications/{application_id}",
                         headers=outbox.headers).json()["history"]
    assert [(h["status"], h["comment"]) for h in history][-1] == ("approved", "approved です")


def test_the_staff_cli_runs_as_a_module(
    client: TestClient, world: World, outbox: Outbox, server_settings: ServerSettings
) -> None:
    if server_settings.database_url:
        pytest.skip("the module run is shown once, on SQLite")
    application_id = submit_paid(client, world, outbox)
    env = {**os.environ, "KITOKITO_DATA_DIR": str(server_settings.data_dir)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "server.staff_cli", "list"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert [a["id"] for a in json.loads(done.stdout)] == [application_id]
