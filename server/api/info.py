"""Public information datasets (docs/info-data.md), pulled incrementally like notices: pages
ordered by revision, a weak ETag naming the dataset's newest revision, 304 when nothing changed.
Public: no login, nothing personal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Query, Response
from pydantic import BaseModel

from server.api.deps import Responses, SessionDep, SettingsDep
from server.core.bodies import INVALID
from server.info import latest_revision, records_since
from server.info_models import InfoDataset, InfoPage

router = APIRouter(prefix="/v1", tags=["info"])


class NotFound(BaseModel):
    detail: str


RESPONSES: Responses = {
    **INVALID,
    304: {"description": "Nothing changed since the ETag the client sent"},
    404: {"model": NotFound, "description": "No such dataset"},
}
DATASETS = [d.value for d in InfoDataset]


def _matches(if_none_match: str | None, etag: str) -> bool:
    return if_none_match is not None and etag in (t.strip() for t in if_none_match.split(","))


@router.get("/info/{dataset}", response_model=InfoPage, responses=RESPONSES)
def list_info(
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    # A plain string checked below rather than an Enum parameter: an unknown dataset is a
    # missing resource (404, the contract), not a malformed request (FastAPI's 422).
    dataset: Annotated[str, Path(json_schema_extra={"enum": DATASETS})],
    since: Annotated[int, Query(ge=0, le=2**62, description="Last revision held")] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
    if_none_match: Annotated[str | None, Header()] = None,
) -> InfoPage | Response:
    if dataset not in DATASETS:
        raise HTTPException(status_code=404, detail="Unknown dataset")
    kind = InfoDataset(dataset)
    limit = min(limit, settings.max_page_size)
    etag = f'W/"info-{kind.value}-{latest_revision(session=session, dataset=kind)}-{since}-{limit}"'
    if _matches(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache"})
    data, has_more = records_since(session=session, dataset=kind, since=since, limit=limit)
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache"
    next_cursor = data[-1].revision if data else since
    return InfoPage(data=data, next_cursor=next_cursor, has_more=has_more)
