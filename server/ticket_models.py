"""Digital tickets (stub issuer): the table and the wire models.

The request model (TicketCreate) describes the journey only and forbids unknown fields, so a
client cannot set the id, the owner, the issue time, the validity or the signature: the server
owns those (OWASP API3). Times compared in SQL are integer UNIX seconds, as in auth_models.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, field_serializer, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import BigInteger, Column, Text
from sqlmodel import Field, SQLModel

from server.auth_models import as_utc

SERVICE_TIME = re.compile(r"^([0-4]?\d):([0-5]\d)(?::([0-5]\d))?$")


def service_seconds(text: str) -> int:
    """'H:MM', 'HH:MM' or 'HH:MM:SS' of a service day (hours up to 47) -> seconds."""
    found = SERVICE_TIME.match(text)
    if not found or int(found.group(1)) > 47:
        raise ValueError(f"not a service time: {text!r}")
    hours, minutes, seconds = (int(g or 0) for g in found.groups())
    return hours * 3600 + minutes * 60 + seconds


class Ticket(SQLModel, table=True):
    __tablename__ = "transit_ticket"

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(max_length=64, index=True)
    issued_at: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    valid_until: int = Field(sa_column=Column(BigInteger, nullable=False))
    payload_json: str = Field(sa_column=Column(Text, nullable=False))  # exactly what was signed
    signature: str = Field(max_length=100)  # Ed25519, base64url without padding


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StopRef(_Request):
    id: str = PydanticField(min_length=1, max_length=120)
    name: str = PydanticField(min_length=1, max_length=120)


def _service_time() -> Any:
    return PydanticField(pattern=SERVICE_TIME.pattern,
                         description="service time, H:MM[:SS], may pass 24:00 (< 48 h)")


# Stated in the schema itself (not only in a validator), so the OpenAPI document says it.
RouteName = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class TicketCreate(_Request):
    """The journey a ticket is for, as the trip planner showed it."""

    origin: StopRef
    destination: StopRef
    service_date: date = PydanticField(ge=date(2000, 1, 1))  # earlier: no timetables, bad UTC maths
    departure: str = _service_time()
    arrival: str = _service_time()
    routes: list[RouteName] = PydanticField(min_length=1, max_length=8)
    fare_yen: int | None = PydanticField(default=None, ge=0, le=100_000)

    @model_validator(mode="after")
    def _check(self) -> TicketCreate:
        if service_seconds(self.arrival) < service_seconds(self.departure):
            raise ValueError("arrival is before departure")
        return self


class TicketPublic(BaseModel):
    id: str
    issued_at: datetime
    valid_until: datetime
    payload: dict[str, Any] = PydanticField(
        description="the signed document; signature is over its canonical JSON "
                    "(sorted keys, no spaces, UTF-8)")
    signature: str = PydanticField(description="Ed25519 over the canonical payload, base64url")
    qr_text: str = PydanticField(
        description='"KTK1." base64url(canonical payload) "." base64url(signature)')

    @field_serializer("issued_at", "valid_until", when_used="json")
    def _utc(self, value: datetime) -> str:
        return as_utc(value).isoformat()


class TicketKeyPublic(BaseModel):
    algorithm: str = "Ed25519"
    key_id: str = PydanticField(description="first 16 hex digits of SHA-256 of the raw key")
    public_key: str = PydanticField(description="raw 32-byte key, base64url without padding")
    pem: str
