"""What each mutation kind does to the resident's data (POST /v1/mutations).

A handler either writes and returns None, or returns a Rejection having written nothing: every
check comes before the first write, so the caller can record a rejection in the same
transaction without undoing anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic import Field as PydanticField
from sqlmodel import col

from server import applications
from server.auth_models import Draft, DraftPublic
from server.consultations import booking
from server.core.quota import insert_capped
from server.mutation_context import CannotDecideNow, Context, Rejection, invalid
from server.mutation_models import HEX_ID

__all__ = ["CannotDecideNow", "Context", "MutationKind", "Rejection", "apply"]


class MutationKind(StrEnum):
    draft_save = "draft.save"
    draft_delete = "draft.delete"
    application_submit = "application.submit"
    application_withdraw = "application.withdraw"
    application_resubmit = "application.resubmit"
    booking_create = "booking.create"
    booking_cancel = "booking.cancel"
    booking_reschedule = "booking.reschedule"


class DraftSave(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft_id: str = PydanticField(pattern=HEX_ID)
    kind: str = PydanticField(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    body: dict[str, Any]


class DraftDelete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft_id: str = PydanticField(pattern=HEX_ID)


def save_draft(ctx: Context, payload: dict[str, Any]) -> Rejection | None:
    """Create or replace the resident's draft `draft_id` (the cap counts new drafts only)."""
    try:
        save = DraftSave.model_validate(payload)
    except ValidationError as exc:
        return invalid(exc)
    body_json = json.dumps(save.body, ensure_ascii=False, separators=(",", ":"))
    if len(body_json.encode("utf-8")) > ctx.settings.max_draft_bytes:
        return Rejection("draft_too_large", "The draft is larger than the server keeps")
    try:  # as POST /v1/drafts: nothing is stored that GET could not answer with
        DraftPublic(id=save.draft_id, kind=save.kind, body=json.loads(body_json),
                    created_at=ctx.now, updated_at=ctx.now).model_dump_json()
    except (ValueError, RecursionError):
        return Rejection("draft_not_representable", "The draft cannot be stored as it is")
    existing = ctx.session.get(Draft, save.draft_id)
    if existing is not None and existing.user_id != ctx.user_id:
        # A random 128-bit id someone else holds: refused without saying whose.
        return Rejection("draft_id_taken", "This draft id cannot be used")
    if existing is not None:
        existing.kind, existing.body_json, existing.updated_at = save.kind, body_json, ctx.now
        ctx.session.add(existing)
        ctx.session.flush()
        return None
    values = {"id": save.draft_id, "user_id": ctx.user_id, "kind": save.kind,
              "body_json": body_json, "created_at": ctx.now, "updated_at": ctx.now}
    inserted = insert_capped(
        ctx.session, Draft, values, scope=col(Draft.user_id) == ctx.user_id,
        cap=ctx.settings.max_drafts_per_user, lock_key=f"drafts:{ctx.user_id}")
    if not inserted:
        return Rejection("draft_limit_reached",
                         f"At most {ctx.settings.max_drafts_per_user} drafts are kept")
    return None


def delete_draft(ctx: Context, payload: dict[str, Any]) -> Rejection | None:
    """Make sure the resident has no draft `draft_id`: one that is gone already, or never was
    theirs, is left alone and answered the same (ids cannot be probed)."""
    try:
        delete = DraftDelete.model_validate(payload)
    except ValidationError as exc:
        return invalid(exc)
    existing = ctx.session.get(Draft, delete.draft_id)
    if existing is not None and existing.user_id == ctx.user_id:
        ctx.session.delete(existing)
        ctx.session.flush()
    return None


Handler = Callable[[Context, dict[str, Any]], Rejection | None]
HANDLERS: dict[MutationKind, Handler] = {
    MutationKind.draft_save: save_draft,
    MutationKind.draft_delete: delete_draft,
    MutationKind.application_submit: applications.submit,
    MutationKind.application_withdraw: applications.withdraw,
    MutationKind.application_resubmit: applications.resubmit,
    MutationKind.booking_create: booking.create,
    MutationKind.booking_cancel: booking.cancel,
    MutationKind.booking_reschedule: booking.reschedule,
}


def apply(ctx: Context, kind: str, payload: dict[str, Any]) -> Rejection | None:
    try:
        handler = HANDLERS[MutationKind(kind)]
    except ValueError:
        return Rejection("unknown_kind", "This server does not know this kind of change")
    return handler(ctx, payload)
