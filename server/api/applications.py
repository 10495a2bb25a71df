"""The resident's applications (read), inbox and receipt codes. Submitting, withdrawing and
resubmitting go through the outbox (POST /v1/mutations; server.applications).

    GET  /v1/applications                       newest first, at most max_page_size
    GET  /v1/applications/{id}                  values, attachments, history
    GET  /v1/inbox?after=&limit=                status changes, ascending id (the cursor)
    POST /v1/applications/{id}/receipt-code     8 digits, single use, a few minutes
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request

from server import application_reads as reads
from server import receipts
from server.api.deps import Responses, SessionDep, SettingsDep
from server.application_models import (
    Application,
    ApplicationPublic,
    ApplicationsPage,
    ApplicationStatus,
    InboxPage,
    ReceiptCodePublic,
)
from server.authz import ClockDep, CurrentUser, owned_or_404

router = APIRouter(prefix="/v1", tags=["applications"])
ApplicationId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
AUTH: Responses = {401: {"description": "No valid access token"}}
NOT_FOUND: Responses = {404: {"description": "No such application of this resident"}}


@router.get("/applications", response_model=ApplicationsPage, responses=AUTH)
def list_applications(principal: CurrentUser, session: SessionDep,
                      settings: SettingsDep) -> ApplicationsPage:
    return ApplicationsPage(data=reads.of_resident(session, principal.user_id,
                                                   settings.max_page_size))


@router.get("/applications/{application_id}", response_model=ApplicationPublic,
            responses={**AUTH, **NOT_FOUND})
def get_application(application_id: ApplicationId, principal: CurrentUser, session: SessionDep,
                    request: Request) -> ApplicationPublic:
    application = owned_or_404(session, Application, application_id, principal)
    return reads.public(session, request.app.state.sealer, application)


@router.get("/inbox", response_model=InboxPage, responses=AUTH)
def get_inbox(
    principal: CurrentUser, session: SessionDep, request: Request,
    after: Annotated[int, Query(ge=0, le=2**62, description="the cursor held")] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> InboxPage:
    return reads.inbox(session, request.app.state.sealer, principal.user_id, after=after,
                       limit=limit)


@router.post("/applications/{application_id}/receipt-code", response_model=ReceiptCodePublic,
             status_code=201, responses={
                 **AUTH, **NOT_FOUND,
                 409: {"description": "application_withdrawn: nothing to collect"}})
def create_receipt_code(application_id: ApplicationId, principal: CurrentUser,
                        session: SessionDep, settings: SettingsDep, clock: ClockDep,
                        request: Request) -> ReceiptCodePublic:
    application = owned_or_404(session, Application, application_id, principal)
    if application.status == ApplicationStatus.withdrawn:
        raise HTTPException(status_code=409, detail="application_withdrawn")
    code, expires_at = receipts.issue(session, request.app.state.sealer, application,
                                      now=clock.now(), ttl_s=settings.receipt_code_ttl_s)
    return ReceiptCodePublic(code=code, expires_at=expires_at)
