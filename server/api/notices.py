"""Prefecture notices, pulled incrementally by clients.

`since` is the last revision a client holds; each page is ordered by revision so the client can
store `next_cursor` after committing the page. The ETag names the newest revision, so a client
with nothing new gets a bodyless 304.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from server.api.deps import SessionDep, SettingsDep
from server.models import NoticesPage
from server.notices import latest_revision, notices_since

router = APIRouter(prefix="/v1", tags=["notices"])


@router.get(
    "/notices",
    response_model=NoticesPage,
    responses={304: {"description": "Nothing changed since the ETag the client sent"}},
)
def list_notices(
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    since: Annotated[int, Query(ge=0, le=2**62, description="Last revision held")] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
    if_none_match: Annotated[str | None, Header()] = None,
) -> NoticesPage | Response:
    limit = min(limit, settings.max_page_size)
    etag = f'W/"notices-{latest_revision(session=session)}-{since}-{limit}"'
    if if_none_match == etag:
        return Response(status_code=304, headers={"ETag": etag})
    data, has_more = notices_since(session=session, since=since, limit=limit)
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache"
    next_cursor = data[-1].revision if data else since
    return NoticesPage(data=data, next_cursor=next_cursor, has_more=has_more)
