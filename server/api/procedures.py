"""GET /v1/procedures: the catalogue of procedures (forms.definition.Catalogue), public.

Made once at start (server.catalogue); its version is the ETag, so a client holding the
current catalogue gets a bodyless 304.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from forms.definition import Catalogue
from server.catalogue import Procedures

router = APIRouter(prefix="/v1", tags=["procedures"])


def _matches(if_none_match: str, etag: str) -> bool:
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


@router.get("/procedures", response_model=Catalogue, responses={
    304: {"description": "The catalogue the client holds (If-None-Match) is current"}})
def list_procedures(
    request: Request, if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    procedures: Procedures = request.app.state.procedures
    headers = {"ETag": procedures.etag, "Cache-Control": "no-cache"}
    if if_none_match is not None and _matches(if_none_match, procedures.etag):
        return Response(status_code=304, headers=headers)
    return Response(procedures.body, media_type="application/json", headers=headers)
