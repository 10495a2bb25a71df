"""Staff routes for applications (403 for residents: server.authz.StaffUser). The rules are
in server.application_review, shared with the staff CLI.

    GET  /v1/staff/applications?status=              newest first
    GET  /v1/staff/applications/{id}                 with the signature checked again now
    GET  /v1/staff/applications/{id}/attachments/{attachment_id}   a file it names
    POST /v1/staff/applications/{id}/transitions     {to, comment}
    POST /v1/staff/receipts/verify                   {code}
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from server import application_review as review
from server.api.deps import Responses, SessionDep, SettingsDep
from server.application_models import (
    Application,
    ApplicationStatus,
    ReceiptVerify,
    StaffApplicationPublic,
    StaffApplicationsPage,
    StaffApplicationSummary,
    TransitionCreate,
)
from server.authz import ClockDep, StaffUser, TrustStoreDep
from server.core.bodies import INVALID

router = APIRouter(prefix="/v1/staff", tags=["staff"])
ApplicationId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
STAFF: Responses = {401: {"description": "No valid access token"},
                    403: {"description": "Not counter staff"}}
NOT_FOUND: Responses = {404: {"description": "No such application"}}


def _application(session: SessionDep, application_id: str) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise HTTPException(status_code=404, detail="not_found")
    return application


@router.get("/applications", response_model=StaffApplicationsPage, responses=STAFF)
def list_applications(
    staff: StaffUser, session: SessionDep, settings: SettingsDep,
    status: Annotated[ApplicationStatus | None, Query()] = None,
) -> StaffApplicationsPage:
    return StaffApplicationsPage(data=review.newest(session, status=status,
                                                    limit=settings.max_page_size))


@router.get("/applications/{application_id}", response_model=StaffApplicationPublic,
            responses={**STAFF, **NOT_FOUND})
def get_application(application_id: ApplicationId, staff: StaffUser, session: SessionDep,
                    store: TrustStoreDep, clock: ClockDep,
                    request: Request) -> StaffApplicationPublic:
    return review.inspect(session, request.app.state.sealer, store,
                          _application(session, application_id), now=clock.now())


@router.get(
    "/applications/{application_id}/attachments/{attachment_id}", response_class=Response,
    responses={200: {"description": "The file", "content": {
        media: {"schema": {"type": "string", "format": "binary"}}
        for media in ("image/jpeg", "image/png", "application/pdf")}},
        **STAFF, 404: {"description": "No such application, or it names no such file"}})
def get_attachment(application_id: ApplicationId,
                   attachment_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
                   staff: StaffUser, session: SessionDep, request: Request) -> Response:
    found = review.attachment(session, request.app.state.sealer,
                              _application(session, application_id), attachment_id)
    if found is None:
        raise HTTPException(status_code=404, detail="not_found")
    data, media_type = found
    return Response(data, media_type=media_type,
                    headers={"Cache-Control": "private, no-store",
                             "X-Content-Type-Options": "nosniff"})


@router.post("/applications/{application_id}/transitions",
             response_model=StaffApplicationSummary, responses={
                 **STAFF, **NOT_FOUND,
                 409: {"description": "transition_not_allowed from the current status"},
                 **INVALID})
def transition(application_id: ApplicationId, body: TransitionCreate, staff: StaffUser,
               session: SessionDep, clock: ClockDep,
               request: Request) -> StaffApplicationSummary:
    application = _application(session, application_id)
    try:
        return review.advance(session, request.app.state.sealer, application, to=body.to,
                              comment=body.comment, staff_user_id=staff.user_id,
                              now=clock.now())
    except review.TransitionNotAllowed:
        raise HTTPException(status_code=409, detail="transition_not_allowed") from None


@router.post("/receipts/verify", response_model=StaffApplicationSummary, responses={
    **STAFF, 404: {"description": "A used, expired or unknown code"}, **INVALID})
def verify_receipt(body: ReceiptVerify, staff: StaffUser, session: SessionDep,
                   clock: ClockDep, request: Request) -> StaffApplicationSummary:
    found = review.verify_receipt(session, request.app.state.sealer, body.code,
                                  staff_user_id=staff.user_id, now=clock.now())
    if found is None:
        raise HTTPException(status_code=404, detail="not_found")
    return found
