"""Helpers of the e-application tests: a resident's outbox, documents signed with the test
cards, payments, uploads, a staff login, and two test procedures beside the bundled ones."""

from __future__ import annotations

import base64
import copy
import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from forms.bundled import load_catalogue
from forms.definition import AttachmentSpec, Catalogue, FormField, MediaType, Office, Procedure
from server.api.staff import grant_staff
from server.catalogue import procedures_of
from tests.cardworld import PASSWORDS, STAFF_PIN, World
from tests.server.conftest import bearer, login

ALICE, BOB = "toyama-hanako", "takaoka-kenta"
PAYS, DECLINED, NO_FUNDS = "4242424242424242", "4000000000000002", "4000000000009995"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"1 0 obj\n<<>>\nendobj\n" * 10

JUMINHYO = {
    "applicant_name": "立山 花子", "applicant_kana": "タテヤマ ハナコ",
    "applicant_birth_date": "1948-04-10", "applicant_postal_code": "930-0094",
    "applicant_address": "富山県富山市新桜町7番38号", "applicant_phone": "076-444-3300",
    "whose": "self", "scope": "one_person", "include_honseki": "omit",
    "include_relationship": "omit", "purpose": "work", "submit_to": "株式会社 立山",
    "copies": 2,
}
JUMINHYO_FEE = 600

# A free procedure that needs a photo (the bundled catalogue may have none yet).
PERMIT = Procedure(
    id="test_permit", version=3, category="living", title="Test permit",
    title_ja="テスト許可申請", summary="For tests.", who_may_apply="Anyone.",
    fields=(FormField(id="reason", type="text", label="Reason", required=True,
                      max_length=100),),
    attachments=(AttachmentSpec(id="proof", label="Proof", required=True,
                                media_types=(MediaType.jpeg, MediaType.png),
                                max_bytes=100_000),),
    office=Office(name="Test office"), processing_days=3)


def with_test_procedures(app: Any) -> None:
    bundled = load_catalogue()
    assert isinstance(app, FastAPI)
    app.state.procedures = procedures_of(Catalogue(
        version=f"{bundled.version}-test", procedures=(*bundled.procedures, PERMIT)))


def hex_id() -> str:
    return uuid.uuid4().hex


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def document(application_id: str, *, procedure_id: str = "juminhyo_copy", version: int = 1,
             values: dict | None = None, attachments: list | None = None,
             fee_yen: int = JUMINHYO_FEE) -> dict:
    return {"application_id": application_id, "procedure_id": procedure_id,
            "procedure_version": version,
            "values": copy.deepcopy(JUMINHYO if values is None else values),
            "attachments": attachments or [], "fee_yen": fee_yen,
            "signed_at": "2026-11-01T09:00:00+09:00"}


def sign(world: World, who: str, doc: dict) -> dict[str, str]:
    signed = world.card(who).sign_document(PASSWORDS[who], doc)
    return {"document": b64(signed.document), "signature": b64(signed.signature),
            "certificate": b64(signed.certificate)}


class Outbox:
    """One device of a resident: numbers its mutations 1, 2, 3..."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers
        self.client_id, self.seq = hex_id(), 0

    def send(self, kind: str, payload: dict) -> dict:
        self.seq += 1
        response = self.client.post("/v1/mutations", headers=self.headers, json={
            "client_id": self.client_id,
            "mutations": [{"id": hex_id(), "seq": self.seq, "kind": kind, "payload": payload}]})
        assert response.status_code == 200, response.text
        return response.json()["results"][0]

    def outcome(self, kind: str, payload: dict) -> tuple[str, str | None]:
        result = self.send(kind, payload)
        return result["outcome"], result["code"]


def pay(client: TestClient, headers: dict, application_id: str, *,
        amount: int = JUMINHYO_FEE, card: str = PAYS, key: str | None = None,
        procedure_id: str = "juminhyo_copy"):
    return client.post("/v1/payments", headers={**headers, "Idempotency-Key": key or hex_id()},
                       json={"application_id": application_id, "procedure_id": procedure_id,
                             "amount_yen": amount, "card_number": card})


def submit_paid(client: TestClient, world: World, outbox: Outbox, who: str = ALICE,
                values: dict | None = None) -> str:
    """A juminhyo application paid and submitted; its id."""
    application_id = hex_id()
    payment = pay(client, outbox.headers, application_id)
    assert payment.status_code == 201, payment.text
    doc = document(application_id, values=values)
    result = outbox.send("application.submit", {
        "application_id": application_id, **sign(world, who, doc),
        "payment_id": payment.json()["id"]})
    assert result["outcome"] == "applied", result
    return application_id


def upload(client: TestClient, headers: dict, data: bytes = JPEG,
           media_type: str = "image/jpeg", attachment_id: str | None = None):
    return client.put(f"/v1/attachments/{attachment_id or hex_id()}", content=data,
                      headers={**headers, "Content-Type": media_type})


def staff_headers(client: TestClient, world: World) -> dict[str, str]:
    tokens = login(client, world.staff_card(), STAFF_PIN)
    with Session(client.app.state.engine) as session:
        grant_staff(session, user_id=tokens["user_id"], display_name="窓口", office="富山市役所")
    return bearer(tokens)


def advance(client: TestClient, staff: dict, application_id: str, *steps: str,
            comment: str | None = None) -> dict:
    answer: dict = {}
    for step in steps:
        response = client.post(f"/v1/staff/applications/{application_id}/transitions",
                               headers=staff, json={"to": step, "comment": comment})
        assert response.status_code == 200, response.text
        answer = response.json()
    return answer
