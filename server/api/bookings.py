"""Bookings: the resident's (read; changes go through the outbox, server.consultations.booking)
and anonymous ones (docs/booking.md).

    GET    /v1/bookings                        upcoming first, then past; at most max_page_size
    GET    /v1/bookings/{id}                   another resident's or unknown: 404
    POST   /v1/anonymous-bookings              Idempotency-Key; 201 {booking_id, code, start, end}
    GET    /v1/anonymous-bookings/{id}         X-Booking-Code; a wrong code: 404
    DELETE /v1/anonymous-bookings/{id}         X-Booking-Code; cancels

The anonymous routes are limited per client address (server.core.net.client_address), all
three together: a code cannot be guessed faster than the limit allows.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Request
from fastapi.responses import JSONResponse

from server.api.deps import Responses, SessionDep
from server.authz import ClockDep, CurrentUser, owned_or_404
from server.consultations import anonymous, reads
from server.consultations.models import (
    AnonymousCreate,
    AnonymousCreated,
    Booking,
    BookingProblem,
    BookingPublic,
    BookingsPage,
)
from server.core.bodies import INVALID
from server.core.limits import RateLimiter
from server.core.net import client_address
from server.payment_models import IDEMPOTENCY_KEY

router = APIRouter(prefix="/v1", tags=["bookings"])
BookingId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
# Long enough for any typed form of a code (hyphens, spaces); the rest is refused as 404 too.
CodeHeader = Annotated[str, Header(alias="X-Booking-Code", min_length=1, max_length=40)]
AUTH: Responses = {401: {"description": "No valid access token"}}
NOT_FOUND: Responses = {404: {"description": "No such booking (of this resident / with this "
                                            "code)"}}
LIMITED: Responses = {429: {"description": "Too many requests from this address; Retry-After"}}
REFUSED: Responses = {409: {"model": BookingProblem,
                            "description": "Refused: code and reason as the outbox's"}}


@router.get("/bookings", response_model=BookingsPage, responses=AUTH)
def list_bookings(principal: CurrentUser, session: SessionDep, clock: ClockDep,
                  request: Request) -> BookingsPage:
    limit = request.app.state.settings.max_page_size
    return BookingsPage(data=reads.of_resident(session, request.app.state.sealer,
                                               principal.user_id, clock.now(), limit))


@router.get("/bookings/{booking_id}", response_model=BookingPublic,
            responses={**AUTH, **NOT_FOUND})
def get_booking(booking_id: BookingId, principal: CurrentUser, session: SessionDep,
                request: Request) -> BookingPublic:
    booking = owned_or_404(session, Booking, booking_id, principal)
    return reads.public(request.app.state.sealer, booking)


def _limit(request: Request, clock: ClockDep) -> None:
    limiter: RateLimiter = request.app.state.anonymous_limiter
    wait = limiter.hit(f"anonymous:{client_address(request)}", clock.now().timestamp())
    if wait is not None:
        raise HTTPException(status_code=429, detail="rate_limited",
                            headers={"Retry-After": str(max(1, math.ceil(wait)))})


def _problem(exc: anonymous.Refused) -> JSONResponse:
    if exc.status == 409:
        return JSONResponse(status_code=409, content={"code": exc.code, "reason": exc.reason})
    return JSONResponse(status_code=exc.status, content={"detail": exc.code})


@router.post("/anonymous-bookings", response_model=AnonymousCreated, status_code=201,
             responses={
                 200: {"model": AnonymousCreated,
                       "description": "The booking made earlier with this key and body"},
                 **REFUSED, **LIMITED,
                 422: {**INVALID[422], "description": "Invalid request; "
                                                      "idempotency_key_reused"}})
def create_anonymous(
    body: AnonymousCreate, session: SessionDep, clock: ClockDep, request: Request,
    idempotency_key: Annotated[str, Header(pattern=IDEMPOTENCY_KEY)],
) -> AnonymousCreated | JSONResponse:
    _limit(request, clock)
    try:
        outcome = anonymous.create(session, request.app.state.sealer, body=body,
                                   key=idempotency_key, now=clock.now())
    except anonymous.Refused as exc:
        session.rollback()
        return _problem(exc)
    if outcome.created:
        return outcome.answer
    return JSONResponse(status_code=200, content=outcome.answer.model_dump(mode="json"))


def _found(session: SessionDep, request: Request, booking_id: str, code: str) -> Booking:
    booking = anonymous.find(session, request.app.state.sealer, booking_id, code)
    if booking is None:
        session.rollback()
        raise HTTPException(status_code=404, detail="not_found")
    return booking


@router.get("/anonymous-bookings/{booking_id}", response_model=BookingPublic,
            responses={**NOT_FOUND, **LIMITED})
def get_anonymous(booking_id: BookingId, code: CodeHeader, session: SessionDep,
                  clock: ClockDep, request: Request) -> BookingPublic:
    _limit(request, clock)
    return reads.public(request.app.state.sealer, _found(session, request, booking_id, code))


@router.delete("/anonymous-bookings/{booking_id}", response_model=BookingPublic,
               responses={**NOT_FOUND, **LIMITED, **REFUSED})
def cancel_anonymous(booking_id: BookingId, code: CodeHeader, session: SessionDep,
                     clock: ClockDep, request: Request) -> BookingPublic | JSONResponse:
    _limit(request, clock)
    booking = _found(session, request, booking_id, code)
    try:
        anonymous.cancel(session, booking, clock.now())
    except anonymous.Refused as exc:
        session.rollback()
        return _problem(exc)
    return reads.public(request.app.state.sealer, booking)
