"""Consultation booking (docs/booking.md): tables and wire models.

Services are public data, one row each (the wire form as JSON: what GET serves), with their
weekly rules and date exceptions in tables of their own, seeded from server/seed/consultations
on a first start. A booking keeps what lists and rules need in columns; what the resident
wrote (questionnaire, note) and the clinic's prescription note are sealed under the server key.
The places taken in a slot are counted in `consultation_slot` (server.consultations.capacity).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, field_serializer
from pydantic import Field as PydanticField
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlmodel import Field, SQLModel

from server.auth_models import as_utc
from server.consultations.slots import JST
from server.mutation_models import HEX_ID

SERVICE_ID = r"^[a-z][a-z0-9_]{0,39}$"
LANG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _japan_time(value: datetime) -> datetime:
    # Any offset is accepted and read in Japan time; years a booking can never have are
    # refused here, before any date arithmetic could overflow on them.
    if not 2000 <= value.year <= 2999:
        raise ValueError("a start between the years 2000 and 2999")
    return value.astimezone(JST)


SlotStart = Annotated[AwareDatetime, AfterValidator(_japan_time)]


class ServiceKind(StrEnum):
    telemedicine = "telemedicine"
    childcare = "childcare"
    relocation = "relocation"
    mental_health = "mental_health"
    consumer = "consumer"
    foreign_residents = "foreign_residents"
    care = "care"


class Channel(StrEnum):
    video = "video"
    phone = "phone"
    in_person = "in_person"


class BookingStatus(StrEnum):
    confirmed = "confirmed"
    cancelled = "cancelled"
    completed = "completed"


class Fulfilment(StrEnum):
    pickup = "pickup"
    delivery = "delivery"


class PrescriptionStatus(StrEnum):
    preparing = "preparing"
    ready = "ready"
    shipped = "shipped"
    delivered = "delivered"


# --- tables ----------------------------------------------------------------------------
class ConsultationService(SQLModel, table=True):
    __tablename__ = "consultation_service"

    id: str = Field(primary_key=True, max_length=40)
    position: int  # the catalogue's order
    body: str = Field(sa_column=Column(Text, nullable=False))  # Service as JSON


class OpeningRule(SQLModel, table=True):
    __tablename__ = "consultation_rule"

    id: int | None = Field(default=None, primary_key=True)
    service_id: str = Field(sa_column=Column(
        String(40), ForeignKey("consultation_service.id"), nullable=False, index=True))
    day: str = Field(max_length=8)  # mon..sun | holiday
    start: str = Field(max_length=5)  # HH:MM
    end: str = Field(max_length=5)
    slot_min: int


class OpeningException(SQLModel, table=True):
    __tablename__ = "consultation_exception"

    id: int | None = Field(default=None, primary_key=True)
    service_id: str = Field(sa_column=Column(
        String(40), ForeignKey("consultation_service.id"), nullable=False, index=True))
    on_date: date = Field(sa_column=Column(Date, nullable=False))
    kind: str = Field(max_length=8)  # closed | open
    start: str | None = Field(default=None, max_length=5)
    end: str | None = Field(default=None, max_length=5)
    slot_min: int | None = None


class SlotCount(SQLModel, table=True):
    """Places taken in one slot. The CHECK is the last word: no statement can leave more
    places taken than the slot has (server.consultations.capacity)."""

    __tablename__ = "consultation_slot"
    __table_args__ = (
        CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_consultation_slot_booked"),
    )

    service_id: str = Field(sa_column=Column(
        String(40), ForeignKey("consultation_service.id"), primary_key=True))
    start: str = Field(sa_column=Column(String(25), primary_key=True))  # slots.iso()
    capacity: int = Field(sa_column=Column(Integer, nullable=False))
    booked: int = Field(sa_column=Column(Integer, nullable=False))


class Booking(SQLModel, table=True):
    __tablename__ = "consultation_booking"
    __table_args__ = (
        # One live booking per resident, service and start (`already_booked`).
        Index("uq_consultation_booking_live", "user_id", "service_id", "start", unique=True,
              sqlite_where=text("status = 'confirmed' AND user_id IS NOT NULL"),
              postgresql_where=text("status = 'confirmed' AND user_id IS NOT NULL")),
    )

    id: str = Field(primary_key=True, max_length=32)
    user_id: str | None = Field(default=None, max_length=64, index=True)  # None: anonymous
    service_id: str = Field(sa_column=Column(
        String(40), ForeignKey("consultation_service.id"), nullable=False, index=True))
    start: str = Field(max_length=25)  # slots.iso(), Japan time
    end: str = Field(max_length=25)
    status: str = Field(sa_column=Column(String(12), nullable=False, index=True))
    channel: str = Field(max_length=10)
    language: str | None = Field(default=None, max_length=16)
    sealed: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    join_url: str | None = Field(default=None, max_length=500)
    prescription_sealed: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    fulfilment: str | None = Field(default=None, max_length=10)
    prescription_status: str | None = Field(default=None, max_length=10)
    # Anonymous bookings: the code and the Idempotency-Key only as HMACs (server key).
    code_mac: str | None = Field(default=None, max_length=64)
    key_mac: str | None = Field(default=None, max_length=64, unique=True)
    key_fingerprint: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


# --- services (wire) -------------------------------------------------------------------
class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


Texts = dict[Annotated[str, PydanticField(pattern=LANG)],
             Annotated[str, PydanticField(min_length=1, max_length=2000)]]


class Service(_Wire):
    id: str = PydanticField(pattern=SERVICE_ID)
    kind: ServiceKind
    name: Texts
    description: Texts
    needs: dict[Annotated[str, PydanticField(pattern=LANG)],
                list[Annotated[str, PydanticField(min_length=1, max_length=40)]]]
    provider: str = PydanticField(min_length=1, max_length=200)
    department: str | None = PydanticField(default=None, max_length=40)
    doctor: str | None = PydanticField(default=None, max_length=80)
    languages: list[Annotated[str, PydanticField(pattern=LANG)]]
    channel: Channel
    duration_min: int = PydanticField(ge=5, le=240)
    capacity: int = PydanticField(ge=1, le=1000)
    book_from_days: int = PydanticField(ge=0, le=180)
    book_until_hours: int = PydanticField(ge=0, le=720)
    cancel_until_hours: int = PydanticField(ge=0, le=720)
    login_required: bool
    anonymous_allowed: bool
    phone: str = PydanticField(min_length=1, max_length=20)
    address: str | None = PydanticField(default=None, max_length=200)
    lat: float | None = PydanticField(default=None, ge=-90, le=90)
    lon: float | None = PydanticField(default=None, ge=-180, le=180)
    municipality: str | None = PydanticField(default=None, max_length=40)


class ServiceCatalogue(BaseModel):
    version: str
    services: list[Service]


class Slot(BaseModel):
    start: str
    end: str
    capacity: int
    free: int


class SlotsPage(BaseModel):
    service_id: str
    generated_at: str
    slots: list[Slot]


# --- bookings (wire) --------------------------------------------------------------------
MAX_TEXT = 1000
MAX_NOTE = 400


class Questionnaire(_Wire):
    symptoms: str = PydanticField(max_length=MAX_TEXT)
    medication: str = PydanticField(max_length=MAX_TEXT)
    allergies: str = PydanticField(max_length=MAX_TEXT)
    insurance_card: str = PydanticField(max_length=40, description="a stub: any text")


class CreatePayload(_Wire):
    booking_id: str = PydanticField(pattern=HEX_ID)
    service_id: str = PydanticField(pattern=SERVICE_ID)
    start: SlotStart
    language: str | None = PydanticField(default=None, pattern=LANG, max_length=16)
    questionnaire: Questionnaire | None = None
    note: str = PydanticField(default="", max_length=MAX_NOTE)


class CancelPayload(_Wire):
    booking_id: str = PydanticField(pattern=HEX_ID)


class ReschedulePayload(_Wire):
    booking_id: str = PydanticField(pattern=HEX_ID)
    start: SlotStart


class Prescription(BaseModel):
    note: str
    fulfilment: Fulfilment
    status: PrescriptionStatus


class _JstResponse(BaseModel):
    @field_serializer("*", when_used="json", check_fields=False)
    def _jst(self, value: Any) -> Any:
        # SQLite hands back naive datetimes (UTC, as stored); the contract speaks +09:00.
        return as_utc(value).astimezone(JST).isoformat() if isinstance(value, datetime) else value


class BookingPublic(_JstResponse):
    id: str
    service_id: str
    start: str
    end: str
    status: BookingStatus
    channel: Channel
    join_url: str | None
    visit_code: str | None
    prescription: Prescription | None
    created_at: datetime
    updated_at: datetime


class BookingsPage(BaseModel):
    data: list[BookingPublic]


class AnonymousCreate(_Wire):
    service_id: str = PydanticField(pattern=SERVICE_ID)
    start: SlotStart


class AnonymousCreated(BaseModel):
    booking_id: str
    code: str
    start: str
    end: str


class BookingProblem(BaseModel):
    """409 of the anonymous routes: the same codes and reasons as the outbox's rejections."""

    code: str
    reason: str

