"""E-applications through the outbox (docs/e-applications.md; figures 4, 11, 12, 16): a real
document signed with a test card's 署名用 key, submitted, withdrawn, resubmitted; every
rejection code in the contract's order; what is stored is sealed. SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from sqlmodel import Session

from server.application_models import Application
from server.application_reads import latest_signed
from server.core.canonical import NotCanonical, parse_canonical
from server.core.migrate import import_models
from tests.cardworld import PINS, World
from tests.server.conftest import FakeClock, bearer, login
from tests.server.e_apps import (
    ALICE,
    BOB,
    DECLINED,
    JUMINHYO,
    PERMIT,
    Outbox,
    advance,
    b64,
    document,
    hex_id,
    pay,
    sign,
    staff_headers,
    submit_paid,
    upload,
    with_test_procedures,
)
from tests.server.test_auth import MY_NUMBER


@pytest.fixture(autouse=True)
def _procedures(client: TestClient) -> None:
    with_test_procedures(client.app)


@pytest.fixture
def outbox(client: TestClient, alice: dict) -> Outbox:
    return Outbox(client, alice)


@pytest.fixture
def bob(client: TestClient, world: World) -> dict[str, str]:
    return bearer(login(client, world.card(BOB), PINS[BOB]))


def _paid_parts(client: TestClient, world: World, outbox: Outbox, **doc_changes) -> dict:
    """A submit payload for a paid juminhyo application (document changed as asked)."""
    application_id = doc_changes.pop("application_id", hex_id())
    payment = pay(client, outbox.headers, application_id).json()
    doc = document(application_id, **doc_changes)
    return {"application_id": application_id, **sign(world, ALICE, doc),
            "payment_id": payment["id"]}


# --- the catalogue ----------------------------------------------------------------------
def test_the_catalogue_has_an_etag(client: TestClient) -> None:
    response = client.get("/v1/procedures")
    assert response.status_code == 200
    ids = {p["id"] for p in response.json()["procedures"]}
    assert {"juminhyo_copy", "test_permit"} <= ids
    etag = response.headers["ETag"]
    assert etag == f'"{response.json()["version"]}"'
    again = client.get("/v1/procedures", headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    assert client.get("/v1/procedures", headers={"If-None-Match": '"old"'}).status_code == 200


# --- submitting -------------------------------------------------------------------------
def test_a_signed_paid_application_is_submitted(
    client: TestClient, world: World, outbox: Outbox
) -> None:
    application_id = hex_id()
    payment = pay(client, outbox.headers, application_id).json()
    parts = sign(world, ALICE, document(application_id))
    payload = {"application_id": application_id, **parts, "payment_id": payment["id"]}
    assert outbox.outcome("application.submit", payload) == ("applied", None)

    listed = client.get("/v1/applications", headers=outbox.headers).json()["data"]
    assert [(a["id"], a["status"], a["revision"], a["fee_yen"], a["payment_id"])
            for a in listed] == [(application_id, "submitted", 1, 600, payment["id"])]
    detail = client.get(f"/v1/applications/{application_id}", headers=outbox.headers).json()
    assert detail["values"] == JUMINHYO and detail["procedure_version"] == 1
    assert [h["status"] for h in detail["history"]] == ["submitted"]
    inbox = client.get("/v1/inbox", headers=outbox.headers).json()
    assert [(e["application_id"], e["status"]) for e in inbox["events"]] == [
        (application_id, "submitted")]

    # Stored: the document, signature and certificate, exactly, and only sealed.
    with client.app.state.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM application_submission")).all()
        dumped = repr(rows) + repr(conn.execute(text("SELECT * FROM application")).all())
    assert len(rows) == 1
    for secret in ("立山", "新桜町", "076-444-3300", parts["signature"][:40]):
        assert secret not in dumped
    with Session(client.app.state.engine) as session:
        application = session.get(Application, application_id)
        assert application is not None
        signed = latest_signed(session, client.app.state.sealer, application)
    assert signed is not None
    assert (b64(signed.document), b64(signed.signature), b64(signed.certificate)) == (
        parts["document"], parts["signature"], parts["certificate"])


def test_one_changed_byte_fails_verification(
    client: TestClient, world: World, outbox: Outbox
) -> None:
    payload = _paid_parts(client, world, outbox)
    raw = base64.b64decode(payload["document"])
    tampered = raw.replace(b'"copies":2', b'"copies":3')
    assert len(tampered) == len(raw) and tampered != raw
    parse_canonical(tampered)  # still canonical: only the signature can tell
    result = outbox.send("application.submit", {**payload, "document": b64(tampered)})
    assert (result["outcome"], result["code"]) == ("rejected", "signature_invalid")
    assert client.get("/v1/applications", headers=outbox.headers).json()["data"] == []
    # The untouched document still goes through.
    assert outbox.outcome("application.submit", payload) == ("applied", None)


def test_another_cards_signing_certificate_is_not_your_card(
    client: TestClient, world: World, outbox: Outbox
) -> None:
    application_id = hex_id()
    payment = pay(client, outbox.headers, application_id).json()
    bobs = sign(world, BOB, document(application_id))
    assert outbox.outcome("application.submit", {
        "application_id": application_id, **bobs, "payment_id": payment["id"]}) == (
        "rejected", "not_your_card")


def test_invalid_values_are_named_with_their_paths(
    client: TestClient, world: World, outbox: Outbox
) -> None:
    values = {**JUMINHYO, "applicant_phone": "12", "applicant_kana": "", "copies": 0,
              "nickname": "x"}
    result = outbox.send("application.submit",
                         _paid_parts(client, world, outbox, values=values))
    assert (result["outcome"], result["code"]) == ("rejected", "invalid_values")
    entries = result["reason"].split("; ")
    assert "applicant_kana: required" in entries
    assert "applicant_phone: not_a_phone" in entries
    assert "copies: too_small" in entries
    assert "nickname: unknown_field" in entries


def test_the_rejection_codes_in_the_contracts_order(
    client: TestClient, world: World, outbox: Outbox, bob: dict
) -> None:
    def code(payload: dict) -> str | None:
        return outbox.send("application.submit", payload)["code"]

    good = _paid_parts(client, world, outbox)
    assert code({**good, "signature": "%%%"}) == "invalid_payload"
    assert code({**good, "extra": 1}) == "invalid_payload"
    assert code({**good, "document": b64(b"not base64 of json")}) == "document_not_canonical"
    doc = document(good["application_id"])
    pretty = json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1).encode()
    assert code({**good, "document": b64(pretty)}) == "document_not_canonical"
    with pytest.raises(NotCanonical):
        parse_canonical(b'{"fee_yen":600.0}')
    assert code({**good, "document": b64(b'{"a":1.5}')}) == "document_not_canonical"
    not_a_document = json.dumps({"a": 1}, separators=(",", ":")).encode()
    assert code({**good, "document": b64(not_a_document)}) == "invalid_payload"
    card = world.card(ALICE)
    auth_cert = b64(card.auth_certificate_der())
    assert code({**good, "certificate": auth_cert}) == "certificate_invalid"
    foreign = world.foreign_card().sign_document("FAKE1234", doc)
    assert code({**good, "certificate": b64(foreign.certificate)}) == "certificate_invalid"
    assert code({**good, "signature": sign(world, ALICE, {**doc, "x": 1})["signature"]}) == (
        "signature_invalid")
    other_id = hex_id()
    assert code({**good, "application_id": other_id}) == "application_id_mismatch"
    assert code(_paid_parts(client, world, outbox, procedure_id="no_such_thing")) == (
        "unknown_procedure")
    assert code(_paid_parts(client, world, outbox, version=99)) == "procedure_outdated"
    assert code(_paid_parts(client, world, outbox, fee_yen=300)) == "fee_mismatch"
    # Payment: none, declined, another application's, or too small.
    unpaid = hex_id()
    parts = sign(world, ALICE, document(unpaid))
    assert code({"application_id": unpaid, **parts, "payment_id": None}) == "payment_required"
    declined = pay(client, outbox.headers, unpaid, card=DECLINED).json()
    assert code({"application_id": unpaid, **parts, "payment_id": declined["id"]}) == (
        "payment_required")
    assert code({"application_id": unpaid, **parts, "payment_id": good["payment_id"]}) == (
        "payment_required")
    bobs = pay(client, bob, unpaid).json()  # Bob's payment is not Alice's
    assert code({"application_id": unpaid, **parts, "payment_id": bobs["id"]}) == (
        "payment_required")
    # And the good one, once.
    assert code(good) is None
    assert code(good) == "already_submitted"


def test_attachments_must_be_the_residents_own_and_match(
    client: TestClient, world: World, outbox: Outbox, bob: dict
) -> None:
    mine = upload(client, outbox.headers).json()
    bobs = upload(client, bob).json()

    def submit(refs: list[dict], values: dict | None = None) -> tuple[str, str | None]:
        application_id = hex_id()
        doc = document(application_id, procedure_id=PERMIT.id, version=PERMIT.version,
                       values=values or {"reason": "家の前に物置を置く"}, attachments=refs,
                       fee_yen=0)
        return outbox.outcome("application.submit", {
            "application_id": application_id, **sign(world, ALICE, doc), "payment_id": None})

    def ref(stored: dict, **changes) -> dict:
        return {"spec": "proof", "attachment_id": stored["id"],
                "media_type": stored["media_type"], "size": stored["size"],
                "sha256": stored["sha256"], **changes}

    assert submit([]) == ("rejected", "invalid_values")
    assert submit([ref(mine, sha256="0" * 64)]) == ("rejected", "attachment_missing")
    assert submit([ref(mine, size=mine["size"] + 1)]) == ("rejected", "attachment_missing")
    assert submit([ref(bobs)]) == ("rejected", "attachment_missing")
    assert submit([ref(mine, attachment_id=hex_id())]) == ("rejected", "attachment_missing")
    assert submit([ref(mine, spec="other")]) == ("rejected", "invalid_values")
    assert submit([ref(mine)]) == ("applied", None)
    listed = client.get("/v1/applications", headers=outbox.headers).json()["data"]
    detail = client.get(f"/v1/applications/{listed[0]['id']}", headers=outbox.headers).json()
    assert detail["attachments"] == [ref(mine)] and detail["fee_yen"] == 0
    assert detail["payment_id"] is None


def test_two_devices_submitting_one_application_store_it_once(
    client: TestClient, world: World, alice: dict
) -> None:
    first, second = Outbox(client, alice), Outbox(client, alice)
    payload = _paid_parts(client, world, first)
    assert first.outcome("application.submit", payload) == ("applied", None)
    assert second.outcome("application.submit", payload) == ("rejected", "already_submitted")


# --- withdrawing and resubmitting -------------------------------------------------------
def test_withdraw_only_before_the_review(
    client: TestClient, world: World, outbox: Outbox, bob: dict
) -> None:
    staff = staff_headers(client, world)
    early, received, reviewed = (submit_paid(client, world, outbox) for _ in range(3))
    advance(client, staff, received, "received")
    advance(client, staff, reviewed, "received", "under_review")
    bobs = Outbox(client, bob)
    assert bobs.outcome("application.withdraw", {"application_id": early}) == (
        "rejected", "not_found")
    assert outbox.outcome("application.withdraw", {"application_id": hex_id()}) == (
        "rejected", "not_found")
    assert outbox.outcome("application.withdraw", {"application_id": early}) == (
        "applied", None)
    assert outbox.outcome("application.withdraw", {"application_id": received}) == (
        "applied", None)
    assert outbox.outcome("application.withdraw", {"application_id": early}) == (
        "rejected", "cannot_withdraw")
    assert outbox.outcome("application.withdraw", {"application_id": reviewed}) == (
        "rejected", "cannot_withdraw")
    statuses = {a["id"]: a["status"] for a in
                client.get("/v1/applications", headers=outbox.headers).json()["data"]}
    assert statuses == {early: "withdrawn", received: "withdrawn", reviewed: "under_review"}
    history = client.get(f"/v1/applications/{received}", headers=outbox.headers).json()[
        "history"]
    assert [h["status"] for h in history] == ["submitted", "received", "withdrawn"]
    # Staff cannot move a withdrawn application on.
    refused = client.post(f"/v1/staff/applications/{early}/transitions", headers=staff,
                          json={"to": "received"})
    assert (refused.status_code, refused.json()["detail"]) == (409, "transition_not_allowed")


def test_a_returned_application_is_corrected_and_resubmitted(
    client: TestClient, world: World, outbox: Outbox
) -> None:
    staff = staff_headers(client, world)
    application_id = submit_paid(client, world, outbox, values={**JUMINHYO, "purpose": "car"})
    fixed = {**JUMINHYO, "purpose": "housing"}
    parts = sign(world, ALICE, document(application_id, values=fixed))
    assert outbox.outcome("application.resubmit", {"application_id": application_id,
                                                   **parts}) == ("rejected", "cannot_resubmit")
    advance(client, staff, application_id, "received", "under_review")
    advance(client, staff, application_id, "returned", comment="用途をご確認ください")
    # The same checks as a submission: another fee, another card, a tampered document.
    more = sign(world, ALICE, document(application_id, values={**fixed, "copies": 3},
                                       fee_yen=900))
    assert outbox.outcome("application.resubmit", {"application_id": application_id,
                                                   **more}) == ("rejected", "fee_mismatch")
    bobs = sign(world, BOB, document(application_id, values=fixed))
    assert outbox.outcome("application.resubmit", {"application_id": application_id,
                                                   **bobs}) == ("rejected", "not_your_card")
    assert outbox.outcome("application.resubmit", {"application_id": hex_id(), **parts}) == (
        "rejected", "not_found")
    assert outbox.outcome("application.resubmit", {"application_id": application_id,
                                                   **parts}) == ("applied", None)
    detail = client.get(f"/v1/applications/{application_id}", headers=outbox.headers).json()
    assert (detail["status"], detail["revision"], detail["values"]) == ("submitted", 2, fixed)
    assert [(h["status"], h["comment"]) for h in detail["history"]] == [
        ("submitted", None), ("received", None), ("under_review", None),
        ("returned", "用途をご確認ください"), ("submitted", None)]
    assert outbox.outcome("application.resubmit", {"application_id": application_id,
                                                   **parts}) == ("rejected", "cannot_resubmit")
    with client.app.state.engine.connect() as conn:
        revisions = conn.execute(text(
            "SELECT revision FROM application_submission ORDER BY revision")).scalars().all()
        comments = repr(conn.execute(text("SELECT * FROM application_event")).all())
    assert revisions == [1, 2]
    assert "用途" not in comments  # staff comments are sealed too


# --- reading ----------------------------------------------------------------------------
def test_the_inbox_pages_by_cursor(client: TestClient, world: World, outbox: Outbox) -> None:
    staff = staff_headers(client, world)
    first = submit_paid(client, world, outbox)
    second = submit_paid(client, world, outbox)
    advance(client, staff, first, "received", "under_review", "approved", "completed")
    page = client.get("/v1/inbox?limit=2", headers=outbox.headers).json()
    assert [(e["application_id"], e["status"]) for e in page["events"]] == [
        (first, "submitted"), (second, "submitted")]
    rest = client.get(f"/v1/inbox?after={page['cursor']}&limit=200",
                      headers=outbox.headers).json()
    assert [e["status"] for e in rest["events"]] == [
        "received", "under_review", "approved", "completed"]
    ids = [e["id"] for e in page["events"] + rest["events"]]
    assert ids == sorted(ids) and len(set(ids)) == 6
    done = client.get(f"/v1/inbox?after={rest['cursor']}", headers=outbox.headers).json()
    assert done == {"events": [], "cursor": rest["cursor"]}
    for bad in ("limit=0", "limit=201", "after=-1"):
        assert client.get(f"/v1/inbox?{bad}", headers=outbox.headers).status_code == 422


def test_another_resident_gets_404_for_everything_of_alices(
    client: TestClient, world: World, outbox: Outbox, bob: dict
) -> None:
    application_id = submit_paid(client, world, outbox)
    payment_id = client.get(f"/v1/applications/{application_id}",
                            headers=outbox.headers).json()["payment_id"]
    attachment_id = upload(client, outbox.headers).json()["id"]
    for path in (f"/v1/applications/{application_id}", f"/v1/payments/{payment_id}",
                 f"/v1/attachments/{attachment_id}"):
        assert client.get(path, headers=outbox.headers).status_code == 200, path
        assert client.get(path, headers=bob).status_code == 404, path
        assert client.get(path).status_code == 401, path
    receipt = f"/v1/applications/{application_id}/receipt-code"
    assert client.post(receipt, headers=bob).status_code == 404
    assert client.post(receipt, headers=outbox.headers).status_code == 201
    assert client.get("/v1/applications", headers=bob).json()["data"] == []
    assert client.get("/v1/inbox", headers=bob).json()["events"] == []
    # Bob cannot overwrite Alice's file either.
    taken = upload(client, bob, attachment_id=attachment_id)
    assert (taken.status_code, taken.json()["detail"]) == (409, "attachment_id_taken")


def test_receipt_codes_are_single_use_and_expire(
    client: TestClient, world: World, outbox: Outbox, clock: FakeClock
) -> None:
    staff = staff_headers(client, world)
    application_id = submit_paid(client, world, outbox)
    path = f"/v1/applications/{application_id}/receipt-code"

    def verify(code: str):
        return client.post("/v1/staff/receipts/verify", headers=staff, json={"code": code})

    issued = client.post(path, headers=outbox.headers).json()
    assert len(issued["code"]) == 8 and issued["code"].isdigit()
    replaced = client.post(path, headers=outbox.headers).json()
    if replaced["code"] != issued["code"]:
        assert verify(issued["code"]).status_code == 404  # a new one replaces the old
    assert verify(f"{(int(replaced['code']) + 1) % 10**8:08d}").status_code == 404
    ok = verify(replaced["code"])
    assert ok.status_code == 200
    assert ok.json()["id"] == application_id and ok.json()["receipt_verified_at"]
    assert ok.json()["receipt_verified_by"] == client.get("/v1/me", headers=staff).json()[
        "user_id"]
    assert verify(replaced["code"]).status_code == 404  # single use
    summary = client.get(f"/v1/applications/{application_id}", headers=outbox.headers).json()
    assert summary["receipt_verified_at"] is not None
    # Three minutes.
    late = client.post(path, headers=outbox.headers).json()
    clock.advance(seconds=179)
    soon = client.post(path, headers=outbox.headers).json()
    clock.advance(seconds=181)
    assert verify(soon["code"]).status_code == 404
    assert late["code"] == soon["code"] or verify(late["code"]).status_code == 404
    with client.app.state.engine.connect() as conn:
        stored = repr(conn.execute(text("SELECT * FROM receipt_code")).all())
    assert soon["code"] not in stored  # kept as an HMAC only
    # Withdrawn: nothing to collect.
    other = submit_paid(client, world, outbox)
    outbox.send("application.withdraw", {"application_id": other})
    refused = client.post(f"/v1/applications/{other}/receipt-code", headers=outbox.headers)
    assert (refused.status_code, refused.json()["detail"]) == (409, "application_withdrawn")


def test_clients_cannot_set_server_owned_fields(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("PaymentCreate", "TransitionCreate", "ReceiptVerify"):
        assert not {"status", "user_id", "revision", "id", "created_at"} & set(
            schemas[name]["properties"]), name


def test_still_no_my_number_column(client: TestClient, world: World, outbox: Outbox) -> None:
    submit_paid(client, world, outbox)
    import_models()
    live = inspect(client.app.state.engine)
    columns = [(t, c["name"]) for t in live.get_table_names() for c in live.get_columns(t)]
    assert {"application", "application_submission", "payment", "receipt_code",
            "application_attachment", "application_event"} <= {t for t, _ in columns}
    assert [pair for pair in columns if MY_NUMBER.search(" ".join(pair))] == []


def test_without_a_fresh_revocation_list_nothing_is_decided(
    client: TestClient, world: World, outbox: Outbox
) -> None:
    """Fail closed, but not as a rejection: 503, nothing recorded, the same batch later."""
    payload = _paid_parts(client, world, outbox)
    batch = {"client_id": outbox.client_id, "mutations": [
        {"id": hex_id(), "seq": 1, "kind": "application.submit", "payload": payload}]}
    crl = world.data_dir / "jpki" / "crl.pem"
    saved = crl.read_bytes()
    crl.unlink()
    refused = client.post("/v1/mutations", headers=outbox.headers, json=batch)
    assert (refused.status_code, refused.json()["detail"]) == (503, "jpki_unavailable")
    crl.write_bytes(saved)
    again = client.post("/v1/mutations", headers=outbox.headers, json=batch)
    assert [r["outcome"] for r in again.json()["results"]] == ["applied"]
