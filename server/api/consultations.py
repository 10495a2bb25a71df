"""Consultation services and their slots: public (docs/booking.md).

    GET /v1/consultations/services                     the catalogue, weak ETag, 304
    GET /v1/consultations/services/{id}/slots?from=&days=
                                                       bookable slots with free places

The slots' ETag is a hash of what the answer lists (every start, end, capacity and free
count), so it changes exactly when a booking, a cancellation or a rule changes what a client
would see, and when the window moves on; `generated_at` is left out of it.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Query, Response

from server.api.deps import Responses, SessionDep
from server.authz import ClockDep
from server.consultations import capacity
from server.consultations.catalogue import catalogue, schedule
from server.consultations.models import SERVICE_ID, ServiceCatalogue, Slot, SlotsPage
from server.consultations.slots import JST, bookable, iso

router = APIRouter(prefix="/v1/consultations", tags=["consultations"])
NOT_MODIFIED: Responses = {304: {"description": "What the client holds (If-None-Match) is current"}}
MAX_DAYS = 31


def _matches(if_none_match: str | None, etag: str) -> bool:
    if if_none_match is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag.removeprefix("W/") in tags


def _answer(body: str, etag: str, if_none_match: str | None) -> Response:
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.get("/services", response_model=ServiceCatalogue, responses=NOT_MODIFIED)
def list_services(session: SessionDep,
                  if_none_match: Annotated[str | None, Header()] = None) -> Response:
    services, version = catalogue(session)
    session.rollback()
    return _answer(services.model_dump_json(), f'W/"{version}"', if_none_match)


@router.get("/services/{service_id}/slots", response_model=SlotsPage, responses={
    **NOT_MODIFIED, 404: {"description": "No such service"}})
def list_slots(
    service_id: Annotated[str, Path(pattern=SERVICE_ID)],
    session: SessionDep, clock: ClockDep,
    first: Annotated[date | None, Query(alias="from", description="default: today")] = None,
    days: Annotated[int | None, Query(ge=1, le=MAX_DAYS,
                                      description="default: the booking window")] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    found = schedule(session, service_id)
    if found is None:
        session.rollback()
        raise HTTPException(status_code=404, detail="unknown_service")
    now = clock.now()
    window = found.window(now)
    start_day = first or now.astimezone(JST).date()
    span = days or min(MAX_DAYS, found.service.book_from_days + 1)
    # Only the window is computed, whatever the query names (year 1 or 9999 included).
    lo, hi = max(start_day, window.first_day), window.last_day
    if start_day <= window.last_day:
        hi = min(hi, start_day + timedelta(days=span - 1))
    made = bookable(window, found.rules, found.exceptions, lo, hi) if lo <= hi else []
    starts = [iso(s.start) for s in made]
    used = capacity.taken(session, service_id, starts)
    session.rollback()
    cap = found.service.capacity
    slots = [Slot(start=start, end=iso(s.end), capacity=cap,
                  free=max(0, cap - used.get(start, 0))) for start, s in zip(starts, made,
                                                                             strict=True)]
    digest = hashlib.sha256(
        "|".join(f"{s.start},{s.end},{s.capacity},{s.free}" for s in slots).encode()
        + service_id.encode()).hexdigest()[:20]
    page = SlotsPage(service_id=service_id, generated_at=iso(now), slots=slots)
    return _answer(page.model_dump_json(), f'W/"slots-{digest}"', if_none_match)
