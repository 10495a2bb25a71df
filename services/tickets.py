"""Digital transit tickets from the backend's STUB issuer: no operator accepts them yet.

    tickets = TicketClient(session)                    # the resident's AuthSession
    order = order_for(journey, day, fare_yen=trips.fare_yen(journey))
    ticket = await tickets.issue(order)                # Ticket (signed by the server)
    ok = verify_ticket(ticket, await tickets.public_key())
    png = services.qr.qr_png(ticket.qr_text)

A ticket's payload is signed with the issuer's Ed25519 key over its canonical JSON (sorted
keys, no spaces, UTF-8). `qr_text` = "KTK1." base64url(those exact bytes) "." base64url(
signature), so a reader at the door needs only the public key. Errors are services.api's:
Offline, Unauthorized / SessionExpired (log in again), Rejected (e.g. 422 a journey the issuer
refuses, 409 too many tickets today), BadResponse.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, ValidationError

from services.api import BadResponse
from services.i18n import Language
from services.qr import qr_png
from services.transit.clock import format_time
from services.transit.journey import Journey, StopInfo
from services.trips import TripService, journey_key

QR_PREFIX = "KTK1"
M = TypeVar("M", bound=BaseModel)
TICKET_TYPE = "kitokito.transit-ticket.v1"


class AuthorizedRequester(Protocol):
    """What services.login.AuthSession offers: an authorised request with mapped errors."""

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response: ...


class StopRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str


class TicketOrder(BaseModel):
    """The journey a ticket is asked for (the request body of POST /v1/tickets)."""

    model_config = ConfigDict(frozen=True)

    origin: StopRef
    destination: StopRef
    service_date: date
    departure: str  # service time "HH:MM:SS" (may pass 24:00)
    arrival: str
    routes: tuple[str, ...]
    fare_yen: int | None = None


class Ticket(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    issued_at: datetime
    valid_until: datetime
    payload: dict[str, Any]
    signature: str
    qr_text: str

    def is_valid_at(self, now: datetime) -> bool:
        return self.issued_at <= now <= self.valid_until


class _KeyWire(BaseModel):
    algorithm: str
    key_id: str
    public_key: str
    pem: str


def order_for(journey: Journey, day: date, *, fare_yen: int | None = None,
              language: Language | None = None) -> TicketOrder:
    """The ticket order for a planned journey: first boarding to last alighting."""
    if not journey.legs or not journey.rides:
        raise ValueError("a journey without a ride needs no ticket")
    first, last = journey.legs[0], journey.legs[-1]

    japanese = language is None or language.is_japanese

    def stop(info: StopInfo) -> StopRef:
        # The same name the resident reads on screen (services.trips.stop_label's rule).
        name = info.name if japanese or not info.name_en else info.name_en
        return StopRef(id=info.id, name=name)

    routes: list[str] = []
    for ride in journey.rides:
        name = ride.route_name or ride.route_id
        if name not in routes:
            routes.append(name)
    return TicketOrder(
        origin=stop(first.from_stop), destination=stop(last.to_stop), service_date=day,
        departure=format_time(journey.leaves_at), arrival=format_time(journey.arrival),
        routes=tuple(routes[:8]), fare_yen=fare_yen,
    )


class TicketClient:
    def __init__(self, session: AuthorizedRequester) -> None:
        self._session = session

    async def issue(self, order: TicketOrder) -> Ticket:
        response = await self._session.request(
            "POST", "/v1/tickets", json=order.model_dump(mode="json"))
        return _parse(Ticket, response)

    async def get(self, ticket_id: str) -> Ticket:
        """Raises Rejected (404) for a ticket that is not this resident's."""
        if not ticket_id.isalnum():
            raise ValueError("bad ticket id")
        return _parse(Ticket, await self._session.request("GET", f"/v1/tickets/{ticket_id}"))

    async def public_key(self) -> bytes:
        """The issuer's raw 32-byte Ed25519 public key."""
        wire = _parse(_KeyWire, await self._session.request("GET", "/v1/tickets/public-key"))
        try:
            raw = _unb64url(wire.public_key)
        except ValueError:
            raise BadResponse("the public key is not base64url") from None
        if wire.algorithm != "Ed25519" or len(raw) != 32:
            raise BadResponse("the issuer's key is not a raw Ed25519 key")
        return raw


@dataclass(frozen=True)
class IssuedTicket:
    """A ticket with its QR image, and the journey it was issued for."""

    journey_key: tuple[object, ...]
    ticket: Ticket
    qr_png: bytes


class TicketService:
    """Issues tickets for ONE logged-in resident (the container makes one per login)."""

    def __init__(self, session: AuthorizedRequester, trips: TripService) -> None:
        self._client = TicketClient(session)
        self._trips = trips

    async def issue(self, journey: Journey, day: date, language: Language) -> IssuedTicket:
        """Raises ValueError for a journey without a ride; services.api errors otherwise."""
        order = order_for(journey, day, fare_yen=self._trips.fare_yen(journey),
                          language=language)
        ticket = await self._client.issue(order)
        png = await asyncio.to_thread(qr_png, ticket.qr_text)
        return IssuedTicket(journey_key(day, journey), ticket, png)


def canonical_json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def verify_ticket(ticket: Ticket, public_key: bytes) -> bool:
    """True if the issuer signed this payload, the QR text carries that same payload and
    signature, and the ticket's id and times are the signed ones. Never raises."""
    try:
        key = Ed25519PublicKey.from_public_bytes(public_key)
        body = canonical_json(ticket.payload)
        signature = _unb64url(ticket.signature)
        key.verify(signature, body)
        prefix, qr_body, qr_signature = ticket.qr_text.split(".")
        if prefix != QR_PREFIX or not hmac.compare_digest(_unb64url(qr_body), body):
            return False
        if _unb64url(qr_signature) != signature:
            return False
        payload = ticket.payload
        return (
            payload.get("type") == TICKET_TYPE and payload.get("id") == ticket.id
            and _same_time(payload.get("issued_at"), ticket.issued_at)
            and _same_time(payload.get("valid_until"), ticket.valid_until)
        )
    except (InvalidSignature, ValueError, TypeError):
        return False


def _same_time(text: Any, value: datetime) -> bool:
    if not isinstance(text, str):
        return False
    return datetime.fromisoformat(text.replace("Z", "+00:00")) == value


def _unb64url(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        raise BadResponse(f"{model.__name__} does not match the contract") from None
