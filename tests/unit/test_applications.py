"""The resident's e-applications on the device (services/applications.py) and the controller
that drives them, with a real personal cache, store, outbox and test card; the backend is a
small fake that answers like docs/e-applications.md (the real one is in tests/contract)."""

from __future__ import annotations

import base64
import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.controllers.applications import (
    DECLINED,
    FORM_HAS_PROBLEMS,
    NEEDS_CONNECTION,
    PASSWORD_WRONG,
    ApplicationsController,
)
from app.paths import RoutePath, build
from app.state import AppState, Topic
from forms.definition import Catalogue, Procedure
from forms.problems import ProblemCode
from services.application_models import DraftStage, PaymentStatus
from services.applications import ApplicationService, PaymentDeclined
from services.crypto import FileKeyStore
from services.errors import Offline
from services.outbox import MutationKind, Outbox, OutboxState
from services.personal_cache import PersonalCache
from services.procedures import ProcedureCatalogue
from services.store import LocalStore
from tests.cardworld import PASSWORDS, World, card_world

TODAY = date(2026, 11, 30)
PROCEDURE = Procedure.model_validate({
    "id": "test_copies", "version": 2, "category": "certificates",
    "title": "Copy of the residence record", "title_ja": "住民票の写しの交付請求",
    "summary": "A copy of your residence record.", "who_may_apply": "The resident.",
    "keywords": ["じゅうみんひょう"],
    "fields": [
        {"id": "name", "type": "text", "label": "Name", "required": True, "prefill": "name"},
        {"id": "postal_code", "type": "postal_code", "label": "Postal code", "required": True},
        {"id": "copies", "type": "number", "label": "Copies", "required": True, "min": 1,
         "max": 10, "unit": "copies"},
        {"id": "purpose", "type": "choice", "label": "Purpose", "required": True,
         "options": [{"value": "work", "label": "Work"}, {"value": "other", "label": "Other"}]},
        {"id": "children", "type": "group", "label": "Child", "min_items": 0, "max_items": 3,
         "fields": [{"id": "birth_date", "type": "date", "label": "Birth date",
                     "required": True, "bound": "past"}]},
    ],
    "fee": {"yen": 300, "per_field": "copies"},
    "office": {"name": "Citizens Section"}, "processing_days": 0})
FREE = PROCEDURE.model_copy(update={"id": "test_free", "fee": None})
GOOD = {"name": "立山 花子", "postal_code": "９３０００９４", "copies": "2", "purpose": "work"}


class FakeBackend:
    """Answers the few routes the service calls; records every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self.offline = False
        self.payments: dict[str, dict[str, Any]] = {}  # by idempotency key

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.requests.append((method, path, kwargs))
        if self.offline:
            raise Offline("ConnectError")
        if path == "/v1/payments" and method == "POST":
            key = kwargs["headers"]["Idempotency-Key"]
            body = kwargs["json"]
            declined = body["card_number"] == "4000000000000002"
            self.payments.setdefault(key, {
                "id": f"{len(self.payments) + 1:032x}", "application_id": body["application_id"],
                "procedure_id": body["procedure_id"], "amount_yen": body["amount_yen"],
                "status": "declined" if declined else "succeeded",
                "decline_code": "card_declined" if declined else None,
                "card_last4": body["card_number"][-4:],
                "created_at": "2026-11-30T01:00:00Z"})
            return httpx.Response(201, json=self.payments[key])
        if path.startswith("/v1/attachments/") and method == "PUT":
            self.uploads = [*getattr(self, "uploads", []), (path, kwargs["content"])]
            return httpx.Response(201, json={})
        if path == "/v1/mutations":
            batch = kwargs["json"]
            return httpx.Response(200, json={"results": [
                {"id": m["id"], "seq": m["seq"], "outcome": "applied"}
                for m in batch["mutations"]]})
        if path == "/v1/applications":
            return httpx.Response(200, json={"data": []})
        if path == "/v1/inbox":
            return httpx.Response(200, json={"events": [], "cursor": 0})
        return httpx.Response(404, json={"detail": "not_found"})


@pytest.fixture
def world(tmp_path: Path) -> World:
    return card_world(tmp_path / "cards")


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


def make_service(tmp_path: Path, backend: FakeBackend) -> ApplicationService:
    cache = PersonalCache(tmp_path / "client", "a" * 64, FileKeyStore(tmp_path / "keys"))
    store = LocalStore(tmp_path / "client" / "store.db")
    outbox = Outbox(store, "a" * 64, sealer=cache.sealer)
    return ApplicationService(backend, cache, outbox, today=lambda: TODAY,
                              now=lambda: datetime(2026, 11, 30, 1, tzinfo=UTC))


@pytest.fixture
def service(tmp_path: Path, backend: FakeBackend) -> ApplicationService:
    return make_service(tmp_path, backend)


def test_a_draft_starts_with_the_card_facts_and_survives_a_restart(
        tmp_path: Path, backend: FakeBackend) -> None:
    service = make_service(tmp_path, backend)
    draft = service.start(PROCEDURE, {"name": "立山 花子", "address": "富山市"})
    assert draft.values == {"name": "立山 花子"}  # only what the form asks to prefill
    service.edit(draft, {**draft.values, "postal_code": "930-0094"})
    again = make_service(tmp_path, backend)  # the app starts again: same key file, same cache
    assert [d.values for d in again.drafts()] == [{"name": "立山 花子", "postal_code": "930-0094"}]


def test_drafts_and_queued_submissions_are_sealed_on_disk(
        tmp_path: Path, service: ApplicationService, world: World) -> None:
    draft = service.start(FREE, {})
    draft = service.edit(draft, {**GOOD, "name": "秘密の名前テスト"})
    signed = service.sign(draft, FREE, world.card("toyama-hanako"), PASSWORDS["toyama-hanako"])
    service.submit(signed)
    for path in (tmp_path / "client").rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert "秘密の名前テスト".encode() not in raw, path
            assert b"930-0094" not in raw, path
    # ... and the outbox still reads them back with the resident's key.
    kinds = [i.kind for i in service.outbox.items()]
    assert kinds == [MutationKind.application_submit, MutationKind.draft_delete]


def test_signing_covers_the_normalised_values_fee_and_ids(
        service: ApplicationService, world: World) -> None:
    draft = service.edit(service.start(PROCEDURE, {}), dict(GOOD))
    signed = service.sign(draft, PROCEDURE, world.card("toyama-hanako"),
                          PASSWORDS["toyama-hanako"])
    assert signed.stage is DraftStage.signed and signed.signed is not None
    document = json.loads(base64.b64decode(signed.signed.document))
    assert document["values"]["postal_code"] == "930-0094"  # full-width typed, canonical signed
    assert document["values"]["copies"] == 2
    assert document["fee_yen"] == signed.signed.fee_yen == 600
    assert (document["application_id"], document["procedure_version"]) == (draft.id, 2)
    assert len(base64.b64decode(signed.signed.signature)) == 256


def test_a_form_with_problems_is_not_signed(service: ApplicationService, world: World) -> None:
    draft = service.edit(service.start(PROCEDURE, {}), {**GOOD, "copies": "0"})
    assert [p.code for p in service.problems(PROCEDURE, draft)] == [ProblemCode.too_small]
    with pytest.raises(ValueError):
        service.sign(draft, PROCEDURE, world.card("toyama-hanako"), PASSWORDS["toyama-hanako"])


async def test_a_payment_retried_after_a_lost_answer_reuses_its_key(
        service: ApplicationService, backend: FakeBackend, world: World) -> None:
    draft = service.edit(service.start(PROCEDURE, {}), dict(GOOD))
    draft = service.sign(draft, PROCEDURE, world.card("toyama-hanako"),
                         PASSWORDS["toyama-hanako"])
    backend.offline = True
    with pytest.raises(Offline):
        await service.pay(draft, "4242 4242 4242 4242")
    backend.offline = False
    kept = service.draft(draft.id)
    assert kept is not None and kept.payment_key  # saved before the request went out
    paid = await service.pay(kept, "4242424242424242")
    keys = [r[2]["headers"]["Idempotency-Key"] for r in backend.requests
            if r[1] == "/v1/payments"]
    assert keys[0] == keys[1] and len(backend.payments) == 1
    assert paid.payment is not None and paid.payment.status is PaymentStatus.succeeded
    assert paid.payment_key is None
    assert await service.pay(paid, "4242424242424242") is paid  # paid: no new request
    assert len([r for r in backend.requests if r[1] == "/v1/payments"]) == 2


async def test_a_declined_card_leaves_the_draft_payable_with_a_fresh_key(
        service: ApplicationService, backend: FakeBackend, world: World) -> None:
    draft = service.edit(service.start(PROCEDURE, {}), dict(GOOD))
    draft = service.sign(draft, PROCEDURE, world.card("toyama-hanako"),
                         PASSWORDS["toyama-hanako"])
    with pytest.raises(PaymentDeclined):
        await service.pay(draft, "4000000000000002")
    after = service.draft(draft.id)
    assert after is not None and after.payment_key is None
    paid = await service.pay(after, "4242424242424242")
    assert paid.payment is not None and paid.payment.status is PaymentStatus.succeeded
    assert len(backend.payments) == 2  # two attempts, two keys


def test_an_unpaid_draft_with_a_fee_cannot_be_submitted(
        service: ApplicationService, world: World) -> None:
    draft = service.edit(service.start(PROCEDURE, {}), dict(GOOD))
    signed = service.sign(draft, PROCEDURE, world.card("toyama-hanako"),
                          PASSWORDS["toyama-hanako"])
    with pytest.raises(ValueError):
        service.submit(signed)
    assert service.outbox.items() == []


async def test_a_submission_waits_offline_then_leaves_the_drafts_once_accepted(
        service: ApplicationService, backend: FakeBackend, world: World) -> None:
    draft = service.edit(service.start(FREE, {}), dict(GOOD))
    signed = service.sign(draft, FREE, world.card("toyama-hanako"),
                          PASSWORDS["toyama-hanako"])
    service.submit(signed)
    assert service.drafts() == []  # handed over: not a draft any more
    [waiting] = service.queued()
    assert waiting.application_id == draft.id and waiting.state.value == "waiting"
    backend.offline = True
    with pytest.raises(Offline):
        await service.send()
    assert len(service.queued()) == 1  # still there, still waiting
    backend.offline = False
    await service.send()
    assert service.queued() == [] and service.draft(draft.id) is None


def test_a_refused_submission_goes_back_to_the_drafts_with_its_reason(
        service: ApplicationService, world: World) -> None:
    draft = service.edit(service.start(FREE, {}), dict(GOOD))
    service.submit(service.sign(draft, FREE, world.card("toyama-hanako"),
                                PASSWORDS["toyama-hanako"]))
    [item, _delete] = service.outbox.items()
    service.outbox.mark_sending([item])
    from services.outbox import Rejection
    service.outbox.settle([], {item.id: Rejection("invalid_values", "copies: too_small")})
    service.tidy()
    [change] = service.queued()
    assert (change.state.value, change.code) == ("needs_attention", "invalid_values")
    back = service.draft(draft.id)
    assert back is not None and back.stage is DraftStage.editing and back.signed is None
    assert back.values["name"] == GOOD["name"]  # what they entered is kept
    service.dismiss(change.item_id)
    assert service.queued() == [] and service.outbox.items(OutboxState.rejected) == []


# --- the controller ----------------------------------------------------------------------------

class Notifier:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def notify(self, title: str, message: str) -> None:
        self.shown.append((title, message))


@pytest.fixture
def session(tmp_path: Path, service: ApplicationService, world: World) -> dict[str, Any]:
    state = AppState()
    went: list[str] = []
    catalogue = ProcedureCatalogue(tmp_path / "procedures.json", None,  # type: ignore[arg-type]
                                   lambda: Catalogue(version="t", procedures=(PROCEDURE, FREE)))
    card = world.card("toyama-hanako")
    controller = ApplicationsController(
        state, catalogue, lambda: service, lambda: card, lambda: None, went.append, Notifier())
    topics: list[frozenset[Topic]] = []
    state.subscribe(topics.append)
    return {"state": state, "went": went, "c": controller, "topics": topics}


async def test_problems_show_once_a_field_is_left_and_typing_redraws_only_when_they_change(
        session: dict[str, Any], service: ApplicationService) -> None:
    c, topics = session["c"], session["topics"]
    await c.start("test_copies")
    draft_id = session["went"][-1].rsplit("/", 1)[1]
    c.open_draft(draft_id)
    c.set_value(("postal_code",), "930")
    assert c.problems_of(("postal_code",)) == []  # not shown while first typing
    c.leave_field("postal_code")
    assert [p.code for p in c.problems_of(("postal_code",))] == [ProblemCode.not_a_postal_code]
    topics.clear()
    c.set_value(("postal_code",), "930-")  # still wrong: the message stays, nothing redrawn
    assert topics == []
    c.set_value(("postal_code",), "930-0094")  # fixed: the message goes
    assert topics == [frozenset({Topic.form_problems})]
    assert service.draft(draft_id).values["postal_code"] == "930-0094"  # saved as typed


async def test_check_shows_every_problem_or_moves_on_to_confirm(
        session: dict[str, Any]) -> None:
    c, went = session["c"], session["went"]
    await c.start("test_free")
    draft_id = went[-1].rsplit("/", 1)[1]
    c.open_draft(draft_id)
    await c.check()
    assert c.problems_of(("copies",)) and went[-1] == build(RoutePath.draft, draft=draft_id)
    for field, value in GOOD.items():
        c.set_value((field,), value)
    await c.check()
    assert went[-1] == build(RoutePath.draft_confirm, draft=draft_id)


async def test_group_items_are_added_and_removed_and_checked_by_index(
        session: dict[str, Any]) -> None:
    c, went = session["c"], session["went"]
    await c.start("test_free")
    c.open_draft(went[-1].rsplit("/", 1)[1])
    c.add_item("children")
    c.add_item("children")
    c.set_value(("children", 1, "birth_date"), "2099-01-01")
    c.leave_field("children")
    assert c.problems_of(("children", 1, "birth_date"))[0].code is ProblemCode.date_in_future
    assert c.problems_of(("children", 0, "birth_date"))[0].code is ProblemCode.required
    c.remove_item("children", 0)
    assert c.value(("children",)) == [{"birth_date": "2099-01-01"}]


async def test_a_wrong_signature_password_says_so_and_signs_nothing(
        session: dict[str, Any]) -> None:
    c, state, went = session["c"], session["state"], session["went"]
    await c.start("test_free")
    c.open_draft(went[-1].rsplit("/", 1)[1])
    for field, value in GOOD.items():
        c.set_value((field,), value)
    await c.sign("WRONG123")
    assert state.applications.sign_problem == PASSWORD_WRONG
    assert state.applications.draft.stage is DraftStage.editing


async def test_signing_a_free_form_submits_it_and_shows_it_waiting(
        session: dict[str, Any], backend: FakeBackend) -> None:
    c, state, went = session["c"], session["state"], session["went"]
    backend.offline = True
    await c.start("test_free")
    c.open_draft(went[-1].rsplit("/", 1)[1])
    for field, value in GOOD.items():
        c.set_value((field,), value)
    await c.sign(PASSWORDS["toyama-hanako"])
    assert went[-1] == RoutePath.applications
    assert [q.state.value for q in state.applications.queued] == ["waiting"]


async def test_signing_with_a_fee_goes_to_payment_and_a_decline_is_explained(
        session: dict[str, Any]) -> None:
    c, state, went = session["c"], session["state"], session["went"]
    await c.start("test_copies")
    draft_id = went[-1].rsplit("/", 1)[1]
    c.open_draft(draft_id)
    for field, value in GOOD.items():
        c.set_value((field,), value)
    await c.sign(PASSWORDS["toyama-hanako"])
    assert went[-1] == build(RoutePath.draft_pay, draft=draft_id)
    await c.pay("4000 0000 0000 0002")
    assert state.applications.pay_problem == DECLINED
    await c.pay("4242 4242 4242 4242")
    assert state.applications.pay_problem is None
    assert state.applications.draft.payment.status is PaymentStatus.succeeded
    await c.submit()
    assert went[-1] == RoutePath.applications


async def test_an_invalid_form_is_refused_at_signing(session: dict[str, Any]) -> None:
    c, state, went = session["c"], session["state"], session["went"]
    await c.start("test_free")
    c.open_draft(went[-1].rsplit("/", 1)[1])
    await c.sign(PASSWORDS["toyama-hanako"])
    assert state.applications.sign_problem == FORM_HAS_PROBLEMS


async def test_paying_offline_says_it_needs_a_connection(
        session: dict[str, Any], backend: FakeBackend) -> None:
    c, state, went = session["c"], session["state"], session["went"]
    await c.start("test_copies")
    c.open_draft(went[-1].rsplit("/", 1)[1])
    for field, value in GOOD.items():
        c.set_value((field,), value)
    await c.sign(PASSWORDS["toyama-hanako"])
    backend.offline = True
    await c.pay("4242424242424242")
    assert state.applications.pay_problem == NEEDS_CONNECTION


def test_search_finds_by_reading_and_romaji(tmp_path: Path) -> None:
    catalogue = ProcedureCatalogue(tmp_path / "p.json", None,  # type: ignore[arg-type]
                                   lambda: Catalogue(version="t", procedures=(PROCEDURE,)))
    for query in ("住民票", "じゅうみんひょう", "juminhyo", "JUUMINHYOU", "residence record"):
        assert [p.id for p in catalogue.search(query)] == ["test_copies"], query
    assert catalogue.search("passport") == []


def test_the_raw_store_shows_no_payload(tmp_path: Path, service: ApplicationService,
                                        world: World) -> None:
    draft = service.edit(service.start(FREE, {}), {**GOOD, "name": "封印確認"})
    service.submit(service.sign(draft, FREE, world.card("toyama-hanako"),
                                PASSWORDS["toyama-hanako"]))
    db = sqlite3.connect(tmp_path / "client" / "store.db")
    payloads = [row[0] for row in db.execute("SELECT payload_json FROM outbox")]
    assert payloads and all(p.startswith("sealed:v1:") for p in payloads)


PHOTO_SPEC = {"id": "photo", "label": "Photo of the damage", "required": True,
              "media_types": ["image/jpeg", "image/png"], "max_bytes": 1024}
WITH_PHOTO = FREE.model_copy(update={"id": "test_photo", "attachments": (
    __import__("forms.definition", fromlist=["AttachmentSpec"]).AttachmentSpec.model_validate(
        PHOTO_SPEC),)})
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


async def test_a_photo_is_kept_sealed_offline_and_uploaded_before_the_application(
        tmp_path: Path, service: ApplicationService, backend: FakeBackend,
        world: World) -> None:
    from services.attachments import PickedFile
    draft = service.edit(service.start(WITH_PHOTO, {}), dict(GOOD))
    assert [p.code for p in service.problems(WITH_PHOTO, draft)] == [
        ProblemCode.attachment_missing]
    backend.offline = True
    draft = await service.attach(draft, WITH_PHOTO.attachments[0], PickedFile("a.png", PNG))
    assert service.problems(WITH_PHOTO, draft) == []
    assert draft.attachments[0]["uploaded"] is False
    signed = service.sign(draft, WITH_PHOTO, world.card("toyama-hanako"),
                          PASSWORDS["toyama-hanako"])
    document = json.loads(base64.b64decode(signed.signed.document))
    assert document["attachments"][0]["media_type"] == "image/png"
    assert set(document["attachments"][0]) == {"spec", "attachment_id", "media_type", "size",
                                                "sha256"}
    service.submit(signed)
    backend.offline = False
    await service.send()
    [(path, content)] = backend.uploads
    assert path.endswith(draft.attachments[0]["attachment_id"]) and content == PNG
    # the upload came before the mutation that names it
    order = [r[1] for r in backend.requests if not r[1].startswith("/v1/payments")]
    assert order.index(path) < order.index("/v1/mutations")


async def test_a_file_of_another_kind_or_too_large_is_refused_with_the_reason(
        service: ApplicationService) -> None:
    from services.applications import AttachmentRefused
    from services.attachments import PickedFile
    draft = service.start(WITH_PHOTO, {})
    spec = WITH_PHOTO.attachments[0]
    with pytest.raises(AttachmentRefused) as refused:
        await service.attach(draft, spec, PickedFile("photo.jpg", b"%PDF-1.7 not a photo"))
    assert refused.value.problem.code is ProblemCode.attachment_type
    with pytest.raises(AttachmentRefused) as refused:
        await service.attach(draft, spec, PickedFile("big.png", PNG + b"\0" * 2048))
    assert refused.value.problem.code is ProblemCode.attachment_too_large
    assert service.draft(draft.id).attachments == ()


def test_logout_takes_the_sealed_queue_and_its_sequence_with_the_key(
        service: ApplicationService, world: World) -> None:
    draft = service.edit(service.start(FREE, {}), dict(GOOD))
    service.submit(service.sign(draft, FREE, world.card("toyama-hanako"),
                                PASSWORDS["toyama-hanako"]))
    first_client = service.outbox.client_id()
    assert service.unsent() == 2
    assert service.forget_unsent() == 2
    assert service.outbox.items() == [] and service.unsent() == 0
    # The next login's queue starts afresh: a new client, numbered from 1 (no gap to wait on).
    item = service.outbox.add(MutationKind.draft_delete, {"draft_id": "b" * 32})
    assert item.seq == 1 and service.outbox.client_id() != first_client


async def test_news_is_announced_from_the_second_sync_after_login(
        session: dict[str, Any], backend: FakeBackend) -> None:
    c, state = session["c"], session["state"]
    notifier = c._notifier
    event = {"id": 1, "application_id": "a" * 32, "procedure_id": "test_free",
             "status": "approved", "comment": None, "at": "2026-11-30T01:00:00Z"}
    pages = iter([[event], [{**event, "id": 2, "status": "completed"}]])

    async def inbox_then_drafts(method: str, path: str, **kwargs: Any) -> httpx.Response:
        if path == "/v1/inbox":
            events = next(pages, [])
            return httpx.Response(200, json={"events": events,
                                             "cursor": events[-1]["id"] if events else 2})
        if path == "/v1/drafts":
            return httpx.Response(200, json={"data": []})
        return await FakeBackend.request(backend, method, path, **kwargs)

    backend.request = inbox_then_drafts  # type: ignore[method-assign]
    await c.sync()  # first after login: the history, read quietly
    assert notifier.shown == [] and state.applications.unread == 0
    assert [e.status.value for e in state.applications.inbox] == ["approved"]
    await c.sync()
    assert len(notifier.shown) == 1 and state.applications.unread == 1
