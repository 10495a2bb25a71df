"""Digital transit tickets — a STUB issuer. No operator (地鉄, 富山ライトレール, the feeder bus)
accepts these tickets yet; they show what issuing, holding and checking one would look like.

POST /v1/tickets            a logged-in resident asks for a ticket for one planned journey
GET  /v1/tickets/public-key the issuer's Ed25519 public key (public; verifiers pin it by kid)
GET  /v1/tickets/{id}       the resident's own ticket; anyone else's is a 404 (owned_or_404)

The server signs the canonical JSON of the payload (sorted keys, no spaces, UTF-8) with its
Ed25519 key (server/core/ticket_signing.py). `qr_text` carries the exact signed bytes and the
signature ("KTK1.<payload>.<signature>", base64url), so a gate reader needs only the public key.
The payload names no resident (the QR is shown in public); the ticket id links it to its owner
here. The fare is the one the client's planner computed and is not checked: a real issuer would
price the journey itself and take payment before signing.

Validity: until two hours after the journey's arrival on its service date (Asia/Tokyo). The
bundled timetables are from 2019, so the stub also issues tickets for past dates (already
expired: `valid_until` says so); it refuses dates more than 31 days ahead. A real issuer would
refuse journeys that are over.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Path, Request
from sqlmodel import col

from server.api.deps import Responses, SessionDep, SettingsDep
from server.authz import ClockDep, CurrentUser, owned_or_404
from server.core.bodies import INVALID
from server.core.quota import insert_capped
from server.core.ticket_signing import IssuerUnavailable, TicketSigner, b64url, signer_for
from server.ticket_models import (
    Ticket,
    TicketCreate,
    TicketKeyPublic,
    TicketPublic,
    service_seconds,
)

router = APIRouter(prefix="/v1/tickets", tags=["tickets"])
TicketId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
JST = ZoneInfo("Asia/Tokyo")
TICKET_TYPE = "kitokito.transit-ticket.v1"
GRACE = timedelta(hours=2)
MAX_DAYS_AHEAD = 31
AUTH: Responses = {401: {"description": "No valid access token"}}


def _signer(request: Request, settings: SettingsDep) -> TicketSigner:
    try:
        return signer_for(request.app.state, settings.data_dir)
    except IssuerUnavailable:
        raise HTTPException(status_code=503, detail="ticket_issuer_unavailable") from None


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _iso(seconds: int) -> str:
    return _utc(seconds).isoformat().replace("+00:00", "Z")


def _public(ticket: Ticket) -> TicketPublic:
    body = ticket.payload_json.encode("utf-8")
    return TicketPublic(
        id=ticket.id, issued_at=_utc(ticket.issued_at), valid_until=_utc(ticket.valid_until),
        payload=json.loads(ticket.payload_json), signature=ticket.signature,
        qr_text=f"KTK1.{b64url(body)}.{ticket.signature}",
    )


@router.get("/public-key", response_model=TicketKeyPublic)
def public_key(request: Request, settings: SettingsDep) -> TicketKeyPublic:
    signer = _signer(request, settings)
    return TicketKeyPublic(key_id=signer.key_id, public_key=b64url(signer.public_raw),
                           pem=signer.public_pem)


@router.post("", response_model=TicketPublic, status_code=201, responses={
    **AUTH, 409: {"description": "Too many tickets in 24 hours"}, **INVALID,
    503: {"description": "The issuer's key is unavailable"}})
def issue_ticket(
    body: TicketCreate, principal: CurrentUser, session: SessionDep, clock: ClockDep,
    request: Request, settings: SettingsDep,
) -> TicketPublic:
    now = clock.now()
    if body.service_date > now.astimezone(JST).date() + timedelta(days=MAX_DAYS_AHEAD):
        raise HTTPException(status_code=422, detail="service_date_too_far")
    signer = _signer(request, settings)
    issued_at = int(now.timestamp())
    midnight = datetime.combine(body.service_date, time(12), JST) - timedelta(hours=12)
    valid_until = int((midnight + timedelta(seconds=service_seconds(body.arrival))
                       + GRACE).timestamp())
    ticket_id = secrets.token_hex(16)
    payload = {
        "type": TICKET_TYPE,
        "stub": True,  # no operator accepts it yet
        "kid": signer.key_id,
        "id": ticket_id,
        "issued_at": _iso(issued_at),
        "valid_until": _iso(valid_until),
        "service_date": body.service_date.isoformat(),
        "origin": {"id": body.origin.id, "name": body.origin.name},
        "destination": {"id": body.destination.id, "name": body.destination.name},
        "departure": body.departure,
        "arrival": body.arrival,
        "routes": list(body.routes),
        "fare_yen": body.fare_yen,
    }
    payload_json, signature, _ = signer.sign(payload)
    ticket = Ticket(id=ticket_id, user_id=principal.user_id, issued_at=issued_at,
                    valid_until=valid_until, payload_json=payload_json, signature=signature)
    public = _public(ticket)
    recent = (col(Ticket.user_id) == principal.user_id) & (
        col(Ticket.issued_at) > issued_at - 86_400)
    if not insert_capped(session, Ticket, ticket.model_dump(), scope=recent,
                         cap=settings.max_tickets_per_day,
                         lock_key=f"tickets:{principal.user_id}"):
        session.rollback()
        raise HTTPException(status_code=409, detail="ticket_limit_reached")
    session.commit()
    return public


@router.get("/{ticket_id}", response_model=TicketPublic, responses={
    **AUTH, 404: {"description": "No such ticket for this user"}})
def get_ticket(ticket_id: TicketId, principal: CurrentUser, session: SessionDep) -> TicketPublic:
    return _public(owned_or_404(session, Ticket, ticket_id, principal))
