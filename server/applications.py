"""E-application rules: the status machine, and what residents do through the outbox
(application.submit, application.withdraw, application.resubmit; server.mutation_kinds).

    submitted -> received -> under_review -> approved -> completed
                                  \\-> returned --(resident re-signs)--> submitted
    submitted | received --(resident withdraws)--> withdrawn

Only staff move an application forward (server.application_review); only the resident
withdraws or resubmits. A status changes only by a conditional UPDATE (WHERE status = what
the rule allows), so a resident withdrawing while staff start the review cannot both win.
Every change is an ApplicationEvent, written in the same transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from server.application_models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    ApplicationSubmission,
    ResubmitPayload,
    SubmitPayload,
    WithdrawPayload,
)
from server.core.quota import lock_scope
from server.core.sealing import Sealer
from server.mutation_context import Context, Rejection, invalid
from server.payment_models import Payment, PaymentStatus
from server.signed_submission import Verified, seal, verify

S = ApplicationStatus
STAFF_MOVES: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.submitted: frozenset({S.received}),
    S.received: frozenset({S.under_review}),
    S.under_review: frozenset({S.approved, S.returned}),
    S.approved: frozenset({S.completed}),
}
WITHDRAWABLE = (S.submitted, S.received)


# --- status changes and their events -----------------------------------------------------
def comment_context(application_id: str) -> str:
    return f"application_event:{application_id}"


def record_event(session: Session, sealer: Sealer, application: Application, *,
                 status: ApplicationStatus, now: datetime, comment: str | None = None,
                 staff_user_id: str | None = None) -> None:
    sealed = None if comment is None else sealer.seal(
        comment.encode("utf-8"), context=comment_context(application.id))
    # The inbox cursor is the event id. On PostgreSQL ids are drawn at insert but become
    # visible at commit, so two writers could commit 11 before 10 and a reader past 11 would
    # never see 10. One writer per resident at a time (until commit) keeps a resident's ids
    # in commit order.
    lock_scope(session, f"application_events:{application.user_id}")
    session.add(ApplicationEvent(
        application_id=application.id, user_id=application.user_id,
        procedure_id=application.procedure_id, status=status, sealed_comment=sealed,
        staff_user_id=staff_user_id, at=now))
    session.flush()


def move(session: Session, application_id: str, *, allowed_from: Collection[ApplicationStatus],
         to: ApplicationStatus, now: datetime, **changes: Any) -> bool:
    """Set the status if it is still one of `allowed_from`; False (nothing written) if not."""
    result = session.execute(
        update(Application)
        .where(col(Application.id) == application_id,
               col(Application.status).in_([str(s) for s in allowed_from]))
        .values(status=str(to), updated_at=now, **changes))
    return int(getattr(result, "rowcount", 0)) == 1


# --- the resident's kinds ----------------------------------------------------------------
def submit(ctx: Context, payload: dict[str, Any]) -> Rejection | None:
    try:
        body = SubmitPayload.model_validate(payload)
    except ValidationError as exc:
        return invalid(exc)
    verified = verify(ctx, body, body.application_id)
    if isinstance(verified, Rejection):
        return verified
    unpaid = _payment_problem(ctx, body.payment_id, verified)
    if unpaid is not None:
        return unpaid
    if ctx.session.get(Application, body.application_id) is not None:
        return Rejection("already_submitted", "This application was submitted before")
    document = verified.document
    row = {"id": body.application_id, "user_id": ctx.user_id,
           "procedure_id": document.procedure_id,
           "procedure_version": document.procedure_version, "status": str(S.submitted),
           "revision": 1, "fee_yen": verified.fee_yen,
           "payment_id": body.payment_id if verified.fee_yen else None,
           "submitted_at": ctx.now, "updated_at": ctx.now}
    if not _insert_new(ctx.session, row):  # another device submitted it a moment ago
        return Rejection("already_submitted", "This application was submitted before")
    application = ctx.session.get(Application, body.application_id)
    assert application is not None
    _keep(ctx, application, verified)
    return None


def withdraw(ctx: Context, payload: dict[str, Any]) -> Rejection | None:
    try:
        body = WithdrawPayload.model_validate(payload)
    except ValidationError as exc:
        return invalid(exc)
    application = ctx.session.get(Application, body.application_id)
    if application is None or application.user_id != ctx.user_id:
        return Rejection("not_found", "No such application of yours")
    if application.status not in WITHDRAWABLE or not move(
            ctx.session, application.id, allowed_from=WITHDRAWABLE, to=S.withdrawn,
            now=ctx.now):
        return Rejection("cannot_withdraw", "The review has started: ask the office")
    record_event(ctx.session, ctx.sealer, application, status=S.withdrawn, now=ctx.now)
    return None


def resubmit(ctx: Context, payload: dict[str, Any]) -> Rejection | None:
    try:
        body = ResubmitPayload.model_validate(payload)
    except ValidationError as exc:
        return invalid(exc)
    application = ctx.session.get(Application, body.application_id)
    if application is None or application.user_id != ctx.user_id:
        return Rejection("not_found", "No such application of yours")
    if application.status != S.returned:
        return Rejection("cannot_resubmit", "Only a returned application can be sent again")
    verified = verify(ctx, body, body.application_id)
    if isinstance(verified, Rejection):
        return verified
    if verified.procedure.id != application.procedure_id:
        return Rejection("procedure_mismatch", "The signed document is for another procedure")
    if verified.fee_yen != application.fee_yen:  # what was paid is what is due
        return Rejection("fee_mismatch", f"The fee paid was {application.fee_yen} yen")
    revision = application.revision + 1
    if not move(ctx.session, application.id, allowed_from=(S.returned,), to=S.submitted,
                now=ctx.now, revision=revision,
                procedure_version=verified.document.procedure_version):
        return Rejection("cannot_resubmit", "Only a returned application can be sent again")
    ctx.session.refresh(application)
    _keep(ctx, application, verified)
    return None


def _keep(ctx: Context, application: Application, verified: Verified) -> None:
    """The signed revision, sealed, and its `submitted` event."""
    ctx.session.add(ApplicationSubmission(
        application_id=application.id, revision=application.revision, submitted_at=ctx.now,
        sealed=seal(ctx.sealer, verified.signed, user_id=ctx.user_id,
                    application_id=application.id, revision=application.revision)))
    record_event(ctx.session, ctx.sealer, application, status=S.submitted, now=ctx.now)


def _payment_problem(ctx: Context, payment_id: str | None, verified: Verified) -> Rejection | None:
    fee = verified.fee_yen
    if fee == 0:
        return None
    payment = None if payment_id is None else ctx.session.get(Payment, payment_id)
    if payment is None or payment.user_id != ctx.user_id or (
            payment.status, payment.application_id, payment.procedure_id, payment.amount_yen
    ) != (PaymentStatus.succeeded, verified.document.application_id, verified.procedure.id, fee):
        return Rejection("payment_required",
                         f"A succeeded payment of {fee} yen for this application is needed")
    return None


def _insert_new(session: Session, row: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING: False if the id exists (no error, nothing undone)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = session.execute(
        insert(Application).values(**row).on_conflict_do_nothing().returning(
            col(Application.id)))
    return result.first() is not None
