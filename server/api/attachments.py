"""PUT /v1/attachments/{id} (the raw file) and GET /v1/attachments/{id} (the resident's own).

Upload bodies may be up to 10 MiB (server.core.limits.BodySizeLimit lets this path through
with its own limit); everything else about a file is in server.attachments.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from server import attachments
from server.api.deps import Responses, SessionDep, SettingsDep
from server.application_models import AttachmentPublic, StoredAttachment
from server.authz import ClockDep, CurrentUser, owned_or_404
from server.core.bodies import INVALID

router = APIRouter(prefix="/v1", tags=["attachments"])
AttachmentId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
PREFIX = "/v1/attachments/"
AUTH: Responses = {401: {"description": "No valid access token"}}
FILE_CONTENT = {media: {"schema": {"type": "string", "format": "binary"}}
                for media in attachments.MAGIC}


@router.put(
    "/attachments/{attachment_id}", response_model=AttachmentPublic, status_code=201,
    openapi_extra={"requestBody": {"required": True, "content": FILE_CONTENT}},
    responses={
        200: {"model": AttachmentPublic,
              "description": "This id holds these very bytes already (a retry)"},
        **AUTH,
        409: {"description": "The id holds other bytes, is taken, or the resident's files "
                             "are at their limit (`detail` says which)"},
        413: {"description": "Larger than 10 MiB"},
        415: {"description": "Content-Type is not image/jpeg, image/png or application/pdf"},
        **INVALID,
    })
async def put_attachment(
    attachment_id: AttachmentId, request: Request, principal: CurrentUser, session: SessionDep,
    settings: SettingsDep, clock: ClockDep,
    content_type: Annotated[str | None, Header()] = None,
) -> AttachmentPublic | JSONResponse:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type not in attachments.MAGIC:
        raise HTTPException(status_code=415, detail="unsupported_media_type")
    data = await request.body()
    if len(data) > settings.max_attachment_bytes:
        raise HTTPException(status_code=413, detail="attachment_too_large")
    try:
        # The database and the sealing run off the event loop.
        stored = await run_in_threadpool(
            attachments.store, session, request.app.state.sealer, settings,
            user_id=principal.user_id, attachment_id=attachment_id, media_type=media_type,
            data=data, now=clock.now())
    except attachments.AttachmentRefused as exc:
        raise HTTPException(status_code=exc.status, detail=exc.code) from None
    if stored.created:
        return stored.public
    return JSONResponse(status_code=200, content=stored.public.model_dump(mode="json"))


@router.get(
    "/attachments/{attachment_id}", response_class=Response,
    responses={200: {"description": "The file, as uploaded", "content": FILE_CONTENT},
               **AUTH, 404: {"description": "No such file of this resident"}})
def get_attachment(attachment_id: AttachmentId, principal: CurrentUser, session: SessionDep,
                   request: Request) -> Response:
    row = owned_or_404(session, StoredAttachment, attachment_id, principal)
    data = attachments.open_attachment(request.app.state.sealer, row)
    return Response(data, media_type=row.media_type,
                    headers={"Cache-Control": "private, no-store",
                             "X-Content-Type-Options": "nosniff"})
