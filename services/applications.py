"""One resident's e-applications: drafts, signing, payment, submission, status and inbox.

Drafts live in the resident's personal cache (sealed with their key, saved as they type) and,
for when this device's copy is gone (logout wipes it), on the server as drafts sent through
the outbox. Signing uses the card's 署名用 key over canonical JSON (figure 4). Payment is a
direct, idempotent request (a retry after a timeout reuses the key: paying twice is
impossible). Submission, withdrawal and resubmission go through the outbox: exactly once,
in order, offline-safe; until the server answers they show as "waiting to send", and a
refusal stays as "needs your attention" with the reason, the draft kept for correcting.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from forms.definition import AttachmentSpec, Procedure
from forms.problems import Problem
from forms.validate import AttachedFile, check, fee_for, normalize
from services.application_models import (
    ApplicationDetail,
    ApplicationSummary,
    Draft,
    DraftStage,
    InboxEvent,
    Payment,
    PaymentStatus,
    QueuedChange,
    QueuedState,
    ReceiptCode,
    ShownReceipt,
    Signed,
)
from services.attachments import PickedFile, digest, refusal, sniff
from services.errors import ApiError, BadResponse, Rejected
from services.outbox import MutationKind, Outbox, OutboxState
from services.outbox_sender import DrainReport, RetryPolicy, drain
from services.personal_cache import PersonalCache
from services.qr import qr_png

DRAFT_KIND = "application_draft"
SUMMARY_KIND = "application"
INBOX_KIND = "inbox_event"
META_KIND = "applications_meta"
ATTACHMENT_KIND = "attachment"  # the file's bytes, sealed, until the server has them
SERVER_DRAFT_KIND = "application"  # the kind of a server-side draft holding a form's values
APPLICATION_KINDS = {MutationKind.application_submit, MutationKind.application_withdraw,
                     MutationKind.application_resubmit}


class Requester(Protocol):
    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response: ...


class SigningCard(Protocol):
    """What signing needs of a card (services.mynumber.MyNumberCard)."""

    def sign_document(self, password: str, document: Any) -> Any: ...


class PaymentDeclined(Exception):
    def __init__(self, payment: Payment) -> None:
        super().__init__(payment.decline_code or "declined")
        self.payment = payment


class NothingToPay(Exception):
    """The draft is not signed yet, or its fee is zero."""


class AttachmentRefused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def utc_now() -> datetime:
    return datetime.now(UTC)


class _Page(BaseModel):
    data: list[ApplicationSummary]


class _Inbox(BaseModel):
    events: list[InboxEvent]
    cursor: int


class _ServerDraft(BaseModel):
    id: str
    kind: str
    body: dict[str, Any]
    updated_at: datetime


class _ServerDrafts(BaseModel):
    data: list[_ServerDraft]


class ApplicationService:
    def __init__(self, session: Requester, cache: PersonalCache, outbox: Outbox, *,
                 today: Callable[[], date], now: Callable[[], datetime] = utc_now,
                 retry: RetryPolicy | None = None) -> None:
        self._session = session
        self._retry = retry or RetryPolicy()
        self._cache = cache
        self.outbox = outbox
        self._today = today
        self._now = now

    # --- drafts -----------------------------------------------------------------------------
    def start(self, procedure: Procedure, prefill: Mapping[str, Any]) -> Draft:
        values = {f.id: prefill[f.prefill.value] for f in procedure.fields
                  if f.prefill is not None and prefill.get(f.prefill.value) not in (None, "")}
        draft = Draft(id=uuid.uuid4().hex, procedure_id=procedure.id,
                      procedure_version=procedure.version, values=values,
                      updated_at=self._now())
        self.save(draft)
        return draft

    def save(self, draft: Draft) -> None:
        self._cache.put(DRAFT_KIND, draft.id, draft.to_json())

    def draft(self, draft_id: str) -> Draft | None:
        data = self._cache.get(DRAFT_KIND, draft_id)
        return Draft.from_json(data) if data else None

    def drafts(self) -> list[Draft]:
        """Drafts still being written or signed, newest first (not those handed over)."""
        found = [Draft.from_json(d) for d in self._cache.items(DRAFT_KIND).values()]
        return sorted((d for d in found if d.stage is not DraftStage.submitted),
                      key=lambda d: d.updated_at, reverse=True)

    def edit(self, draft: Draft, values: dict[str, Any]) -> Draft:
        edited = draft.edited(values, self._now())
        self.save(edited)
        return edited

    def discard(self, draft_id: str) -> None:
        draft = self.draft(draft_id)
        for entry in draft.attachments if draft else ():
            self._cache.delete(ATTACHMENT_KIND, entry["attachment_id"])
        self._cache.delete(DRAFT_KIND, draft_id)
        self.outbox.add(MutationKind.draft_delete, {"draft_id": draft_id})

    def keep_on_server(self, draft: Draft) -> None:
        """Queue this draft's values for the server, so it outlives this device's copy."""
        self.outbox.add(MutationKind.draft_save, {
            "draft_id": draft.id, "kind": SERVER_DRAFT_KIND,
            "body": {"procedure_id": draft.procedure_id,
                     "procedure_version": draft.procedure_version, "values": draft.values,
                     "updated_at": draft.updated_at.isoformat()}})

    async def restore_from_server(self) -> int:
        """Drafts kept on the server that this device lacks (or has older): copied here."""
        response = await self._session.request("GET", "/v1/drafts")
        restored = 0
        for kept in _parse(_ServerDrafts, response).data:
            if kept.kind != SERVER_DRAFT_KIND:
                continue
            try:
                body = kept.body
                updated = datetime.fromisoformat(str(body["updated_at"]))
                candidate = Draft(id=kept.id, procedure_id=str(body["procedure_id"]),
                                  procedure_version=int(body["procedure_version"]),
                                  values=dict(body["values"]),
                                  updated_at=updated if updated.tzinfo
                                  else updated.replace(tzinfo=UTC))
            except (KeyError, TypeError, ValueError):
                continue  # not one of ours
            local = self.draft(kept.id)
            if local is None or (local.stage is DraftStage.editing
                                 and local.updated_at < candidate.updated_at):
                self.save(candidate)
                restored += 1
        return restored

    def problems(self, procedure: Procedure, draft: Draft) -> list[Problem]:
        return check(procedure, normalize(procedure, draft.values), today=self._today(),
                     attachments=_attached(draft))

    # --- attachments ---------------------------------------------------------------------------
    async def attach(self, draft: Draft, spec: AttachmentSpec, picked: PickedFile) -> Draft:
        """Keep the file (sealed) with the draft and upload it when online; offline it is
        uploaded before the application is sent."""
        already = sum(1 for a in draft.attachments if a["spec"] == spec.id)
        problem = refusal(spec, picked, already)
        if problem is not None:
            raise AttachmentRefused(problem)
        kind = sniff(picked.data)
        assert kind is not None  # refusal() checked it
        attachment_id = uuid.uuid4().hex
        self._cache.put(ATTACHMENT_KIND, attachment_id,
                        base64.b64encode(picked.data).decode("ascii"))
        entry = {"spec": spec.id, "attachment_id": attachment_id, "media_type": kind.value,
                 "size": len(picked.data), "sha256": digest(picked.data),
                 "name": picked.name[:120], "uploaded": False}
        draft = self.draft(draft.id) or draft  # the latest values, typed meanwhile
        draft = replace(draft, attachments=(*draft.attachments, entry),
                        stage=DraftStage.editing, signed=None, updated_at=self._now())
        self.save(draft)
        try:
            await self.upload_pending()
        except ApiError:
            pass  # offline: it goes before the application does
        return self.draft(draft.id) or draft

    def detach(self, draft: Draft, attachment_id: str) -> Draft:
        kept = tuple(a for a in draft.attachments if a["attachment_id"] != attachment_id)
        self._cache.delete(ATTACHMENT_KIND, attachment_id)
        changed = replace(draft, attachments=kept, stage=DraftStage.editing, signed=None,
                          updated_at=self._now())
        self.save(changed)
        return changed

    async def upload_pending(self) -> None:
        """PUT every kept file the server does not have yet (idempotent by id and bytes)."""
        for stored in self._cache.items(DRAFT_KIND).values():
            draft = Draft.from_json(stored)
            for entry in draft.attachments:
                if entry.get("uploaded"):
                    continue
                encoded = self._cache.get(ATTACHMENT_KIND, entry["attachment_id"])
                if encoded is None:
                    continue
                await self._session.request(
                    "PUT", f"/v1/attachments/{_id(entry['attachment_id'])}",
                    content=base64.b64decode(encoded),
                    headers={"Content-Type": entry["media_type"]})
                self._mark_uploaded(draft.id, entry["attachment_id"])

    def _mark_uploaded(self, draft_id: str, attachment_id: str) -> None:
        current = self.draft(draft_id)
        if current is None:
            return
        entries = tuple({**a, "uploaded": True} if a["attachment_id"] == attachment_id else a
                        for a in current.attachments)
        self.save(replace(current, attachments=entries))
        self._cache.delete(ATTACHMENT_KIND, attachment_id)  # the server has it now

    # --- signing ------------------------------------------------------------------------------
    def sign(self, draft: Draft, procedure: Procedure, card: SigningCard, password: str) -> Draft:
        """Sign the normalised values with the 署名用 key (blocking: run it in a thread).
        Raises the card's errors (wrong password, locked) and ValueError if invalid."""
        values = normalize(procedure, draft.values)
        if check(procedure, values, today=self._today(), attachments=_attached(draft)):
            raise ValueError("the form has problems; it cannot be signed")
        fee = fee_for(procedure, values)
        document = {
            "application_id": draft.id, "procedure_id": procedure.id,
            "procedure_version": procedure.version, "values": values,
            "attachments": [{k: a[k] for k in SIGNED_ATTACHMENT_KEYS} for a in draft.attachments],
            "fee_yen": fee,
            "signed_at": self._now().isoformat(timespec="seconds"),
        }
        signed = card.sign_document(password, document)
        done = replace(draft, values=values, stage=DraftStage.signed, updated_at=self._now(),
                       signed=Signed(document=_b64(signed.document),
                                     signature=_b64(signed.signature),
                                     certificate=_b64(signed.certificate), fee_yen=fee))
        self.save(done)
        return done

    # --- payment --------------------------------------------------------------------------------
    async def pay(self, draft: Draft, card_number: str) -> Draft:
        """Pay the signed draft's fee. The attempt's key is saved before the request, so a
        retry after a lost answer is the same attempt; a decline frees it for a new one."""
        if draft.signed is None or draft.signed.fee_yen <= 0:
            raise NothingToPay(draft.id)
        if draft.payment is not None and draft.payment.status is PaymentStatus.succeeded:
            return draft
        amount = draft.signed.fee_yen
        key = draft.payment_key or secrets.token_urlsafe(24)
        if key != draft.payment_key:
            draft = replace(draft, payment_key=key)
            self.save(draft)
        digits = "".join(c for c in card_number if c.isdigit())
        try:
            response = await self._session.request(
                "POST", "/v1/payments", headers={"Idempotency-Key": key},
                json={"application_id": draft.id, "procedure_id": draft.procedure_id,
                      "amount_yen": amount, "card_number": digits})
        except Rejected as exc:
            if exc.status == 409:  # already paid (another attempt went through): look it up
                return await self._paid_elsewhere(draft)
            raise
        payment = _parse(Payment, response)
        paid = replace(draft, payment=payment, payment_key=None)
        self.save(paid)
        if payment.status is not PaymentStatus.succeeded:
            raise PaymentDeclined(payment)
        return paid

    async def _paid_elsewhere(self, draft: Draft) -> Draft:
        for summary_payment in await self._payments_for(draft.id):
            if summary_payment.status is PaymentStatus.succeeded:
                paid = replace(draft, payment=summary_payment, payment_key=None)
                self.save(paid)
                return paid
        raise BadResponse("the server says paid but shows no payment")

    async def _payments_for(self, application_id: str) -> list[Payment]:
        response = await self._session.request(
            "GET", "/v1/payments", params={"application_id": application_id})
        return _parse(_Payments, response).data

    # --- submission through the outbox ----------------------------------------------------------
    def submit(self, draft: Draft) -> Draft:
        """Hand the signed (and, with a fee, paid) draft to the outbox."""
        if draft.signed is None:
            raise ValueError("sign the draft first")
        paid = draft.payment is not None and draft.payment.status is PaymentStatus.succeeded
        if draft.signed.fee_yen > 0 and not paid:
            raise ValueError("pay the fee first")
        payload: dict[str, Any] = {
            "application_id": draft.id, "document": draft.signed.document,
            "signature": draft.signed.signature, "certificate": draft.signed.certificate}
        if draft.resubmission:
            kind = MutationKind.application_resubmit
        else:
            kind = MutationKind.application_submit
            payload["payment_id"] = draft.payment.id if draft.payment else None
        with self.outbox.store.write() as tx:
            self.outbox.enqueue(tx, kind, payload)
            self.outbox.enqueue(tx, MutationKind.draft_delete, {"draft_id": draft.id})
        handed = replace(draft, stage=DraftStage.submitted, updated_at=self._now())
        self.save(handed)
        return handed

    def withdraw(self, application_id: str) -> None:
        self.outbox.add(MutationKind.application_withdraw, {"application_id": application_id})

    async def send(self) -> DrainReport:
        """Deliver what is queued (the files first); then forget drafts the server now has."""
        await self.upload_pending()
        report = await drain(self.outbox, self._session, policy=self._retry)
        self.tidy()
        return report

    def tidy(self) -> None:
        """Drafts whose submission the server applied are no longer drafts; those it refused
        go back to editing, so the resident can correct them (the reason stays shown)."""
        for item in self.outbox.items(OutboxState.done, OutboxState.rejected):
            if item.kind not in (MutationKind.application_submit,
                                 MutationKind.application_resubmit):
                continue
            draft = self.draft(str(item.payload.get("application_id", "")))
            if draft is None or draft.stage is not DraftStage.submitted:
                continue
            if item.state is OutboxState.done:
                self._cache.delete(DRAFT_KIND, draft.id)
            else:
                self.save(replace(draft, stage=DraftStage.editing, signed=None,
                                  updated_at=self._now()))

    def queued(self) -> list[QueuedChange]:
        """Changes to applications the server has not taken, or refused."""
        found = []
        for item in self.outbox.items(OutboxState.waiting, OutboxState.sending,
                                      OutboxState.rejected):
            if item.kind not in APPLICATION_KINDS:
                continue
            state = (QueuedState.needs_attention if item.state is OutboxState.rejected
                     else QueuedState.waiting)
            found.append(QueuedChange(
                item_id=item.id, application_id=str(item.payload.get("application_id", "")),
                kind=item.kind, state=state, code=item.code, reason=item.reason,
                created_at=item.created_at))
        return found

    def unsent(self) -> int:
        """Changes of any kind the server has not taken yet (drafts, applications)."""
        return len(self.outbox.pending(1000))

    def forget_unsent(self) -> int:
        """Logout: the queue is sealed with the key about to be deleted; it goes too, with its
        client sequence (the next login starts a fresh one). Returns how many were unsent."""
        return self.outbox.forget()

    def dismiss(self, item_id: str) -> None:
        """The resident read a refusal and let it go (the draft, if any, stays)."""
        self.outbox.discard(item_id)

    # --- the server's records ---------------------------------------------------------------------
    async def refresh(self) -> list[ApplicationSummary]:
        response = await self._session.request("GET", "/v1/applications")
        page = _parse(_Page, response).data
        for stale in set(self._cache.items(SUMMARY_KIND)) - {a.id for a in page}:
            self._cache.delete(SUMMARY_KIND, stale)
        for summary in page:
            self._cache.put(SUMMARY_KIND, summary.id, summary.model_dump(mode="json"))
        self.tidy()
        return self.applications()

    def applications(self) -> list[ApplicationSummary]:
        """As last read from the server (offline too), newest first."""
        found = [ApplicationSummary.model_validate(v)
                 for v in self._cache.items(SUMMARY_KIND).values()]
        return sorted(found, key=lambda a: a.submitted_at, reverse=True)

    async def detail(self, application_id: str) -> ApplicationDetail:
        response = await self._session.request("GET", f"/v1/applications/{_id(application_id)}")
        return _parse(ApplicationDetail, response)

    async def check_inbox(self) -> list[InboxEvent]:
        """Events since the last check (stored, newest last); the cursor moves after storing."""
        meta = self._cache.get(META_KIND, "inbox") or {"cursor": 0}
        response = await self._session.request(
            "GET", "/v1/inbox", params={"after": int(meta["cursor"]), "limit": 100})
        page = _parse(_Inbox, response)
        for event in page.events:
            self._cache.put(INBOX_KIND, f"{event.id:012d}", event.model_dump(mode="json"))
        self._cache.put(META_KIND, "inbox", {"cursor": page.cursor})
        return page.events

    def inbox(self) -> list[InboxEvent]:
        found = [InboxEvent.model_validate(v) for v in self._cache.items(INBOX_KIND).values()]
        return sorted(found, key=lambda e: e.id, reverse=True)

    async def receipt_code(self, application_id: str) -> ShownReceipt:
        response = await self._session.request(
            "POST", f"/v1/applications/{_id(application_id)}/receipt-code")
        code = _parse(ReceiptCode, response)
        return ShownReceipt(application_id=application_id, code=code.code,
                            expires_at=code.expires_at, qr_png=qr_png(code.qr_text))


class _Payments(BaseModel):
    data: list[Payment]


def prefill_of(profile: Any) -> dict[str, Any]:
    """The four facts as a form's prefill takes them (services.auth_api.Profile)."""
    if profile is None:
        return {}
    sex = {"1": "male", "2": "female"}.get(str(profile.sex))
    return {"name": profile.name, "birth_date": profile.birth_date.isoformat(),
            "address": profile.address, "sex": sex}


SIGNED_ATTACHMENT_KEYS = ("spec", "attachment_id", "media_type", "size", "sha256")


def _attached(draft: Draft) -> list[AttachedFile]:
    return [AttachedFile(spec=a["spec"], attachment_id=a["attachment_id"],
                         media_type=a["media_type"], size=int(a["size"]), sha256=a["sha256"])
            for a in draft.attachments]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _id(value: str) -> str:
    if len(value) != 32 or any(c not in "0123456789abcdef" for c in value):
        raise ValueError("not an application id")
    return value


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        raise BadResponse(f"{model.__name__} does not match the contract") from None
