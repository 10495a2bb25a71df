"""Drafts: per-user JSON documents, the sample protected resource for object-level authz.

Every route that takes an id goes through server.authz.owned_or_404: user B asking for user A's
draft gets the same 404 as for a draft that never existed. The request model (DraftCreate) has
no id, user_id or timestamps, and forbids extra fields, so clients cannot set them. A draft's
JSON is bounded (max_draft_bytes; nesting depth by server.core.bodies before any route runs),
and so is the number of drafts per user, atomically (server.core.quota). A draft is stored only
once its answer has been built.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response
from sqlmodel import col, select

from server.api.deps import Responses, SessionDep, SettingsDep
from server.auth_models import Draft, DraftCreate, DraftPublic, DraftsPage
from server.authz import ClockDep, CurrentUser, owned_or_404
from server.core.bodies import INVALID
from server.core.quota import insert_capped

log = logging.getLogger("kitokito.drafts")

router = APIRouter(prefix="/v1", tags=["drafts"])
DraftId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
NOT_FOUND: Responses = {404: {"description": "No such draft for this user"}}
AUTH: Responses = {401: {"description": "No valid access token"}}


def _public(draft: Draft) -> DraftPublic:
    return DraftPublic(id=draft.id, kind=draft.kind, body=json.loads(draft.body_json),
                       created_at=draft.created_at, updated_at=draft.updated_at)


@router.get("/drafts", response_model=DraftsPage, responses=AUTH)
def list_drafts(principal: CurrentUser, session: SessionDep, settings: SettingsDep) -> DraftsPage:
    rows = session.exec(
        select(Draft).where(Draft.user_id == principal.user_id)
        .order_by(col(Draft.updated_at).desc(), col(Draft.id))
        .limit(settings.max_drafts_per_user)
    ).all()
    page = []
    for row in rows:
        try:
            page.append(_public(row))
        except (ValueError, RecursionError):  # stored before drafts were checked: skip it
            log.warning("draft %s… cannot be shown; left out of the list", row.id[:8])
    return DraftsPage(data=page)


@router.post("/drafts", response_model=DraftPublic, status_code=201, responses={
    **AUTH, 409: {"description": "Too many drafts"}, 413: {"description": "Draft too large"},
    **INVALID})
def create_draft(
    body: DraftCreate, principal: CurrentUser, session: SessionDep, settings: SettingsDep,
    clock: ClockDep,
) -> DraftPublic:
    body_json = json.dumps(body.body, ensure_ascii=False, separators=(",", ":"))
    if len(body_json.encode("utf-8")) > settings.max_draft_bytes:
        raise HTTPException(status_code=413, detail="draft_too_large")
    now = clock.now()
    draft = Draft(id=secrets.token_hex(16), user_id=principal.user_id, kind=body.kind,
                  body_json=body_json, created_at=now, updated_at=now)
    try:  # nothing is stored unless its answer can be built
        public = _public(draft)
        public.model_dump_json()
    except (ValueError, RecursionError):  # pydantic's serialization depth, for one
        raise HTTPException(status_code=422, detail="draft_not_representable") from None
    inserted = insert_capped(
        session, Draft, draft.model_dump(), scope=col(Draft.user_id) == principal.user_id,
        cap=settings.max_drafts_per_user, lock_key=f"drafts:{principal.user_id}",
    )
    if not inserted:
        session.rollback()
        raise HTTPException(status_code=409, detail="draft_limit_reached")
    session.commit()
    return public


@router.get("/drafts/{draft_id}", response_model=DraftPublic, responses={**AUTH, **NOT_FOUND})
def get_draft(draft_id: DraftId, principal: CurrentUser, session: SessionDep) -> DraftPublic:
    return _public(owned_or_404(session, Draft, draft_id, principal))


@router.delete("/drafts/{draft_id}", status_code=204, responses={**AUTH, **NOT_FOUND})
def delete_draft(draft_id: DraftId, principal: CurrentUser, session: SessionDep) -> Response:
    session.delete(owned_or_404(session, Draft, draft_id, principal))
    session.commit()
    return Response(status_code=204)
