"""Wire models of docs/booking.md: consultation services, slots, a resident's bookings, and
the answer to an anonymous booking. Unknown fields are ignored (the server may add some)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from services.i18n import JAPAN_TZ, fallback_chain


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


class _Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


def _in(texts: dict[str, str], language: str) -> str:
    for code in fallback_chain(language):
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


class Service(_Wire):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    kind: ServiceKind
    name: dict[str, str]
    description: dict[str, str]
    needs: dict[str, list[str]] = {}
    provider: str
    department: str | None = None
    doctor: str | None = None
    languages: list[str] = []
    channel: Channel
    duration_min: int = Field(gt=0)
    capacity: int = Field(ge=1)
    book_from_days: int = Field(ge=0)
    book_until_hours: int = Field(ge=0)
    cancel_until_hours: int = Field(ge=0)
    login_required: bool = True
    anonymous_allowed: bool = False
    phone: str = ""
    address: str | None = None
    lat: float | None = None
    lon: float | None = None
    municipality: str | None = None

    def name_in(self, language: str) -> str:
        """The name in `language`, else along services.i18n.fallback_chain (ja, en always)."""
        return _in(self.name, language)

    def description_in(self, language: str) -> str:
        return _in(self.description, language)

    def speaks(self, language: str) -> bool:
        """Held in (or interpreted into) this language; easy Japanese counts as Japanese."""
        wanted = "ja" if language == "ja-easy" else language
        return wanted in self.languages or wanted.split("-")[0] in self.languages


class ServiceCatalogue(_Wire):
    version: str
    services: list[Service]


EMPTY_CATALOGUE = ServiceCatalogue(version="", services=[])


class Slot(_Wire):
    start: datetime
    end: datetime
    capacity: int
    free: int

    @property
    def day(self) -> date:
        """The day in Japan (calendars are Japanese days whatever the device's zone)."""
        return self.start.astimezone(JAPAN_TZ).date()


class SlotPage(_Wire):
    service_id: str
    generated_at: datetime
    slots: list[Slot]


class Prescription(_Wire):
    note: str
    fulfilment: Fulfilment
    status: PrescriptionStatus


class Booking(_Wire):
    """A resident's booking as the server holds it (GET /v1/bookings)."""

    id: str
    service_id: str
    start: datetime
    end: datetime
    status: BookingStatus
    channel: Channel
    join_url: str | None = None
    visit_code: str | None = None
    prescription: Prescription | None = None
    created_at: datetime
    updated_at: datetime


class BookingList(_Wire):
    data: list[Booking]


class AnonymousBooked(_Wire):
    """POST /v1/anonymous-bookings: the code is shown once and kept on the device only."""

    booking_id: str
    code: str
    start: datetime
    end: datetime


class AnonymousBookingState(_Wire):
    """GET /v1/anonymous-bookings/{id}: read leniently (the contract names no shape)."""

    booking_id: str | None = Field(default=None, validation_alias=AliasChoices("booking_id", "id"))
    start: datetime | None = None
    end: datetime | None = None
    status: BookingStatus | None = None


class Questionnaire(_Wire):
    """The telemedicine questionnaire (booking.create); every text at most 1000 characters,
    the insurance card (a stub: any text) at most 40."""

    symptoms: str = ""
    medication: str = ""
    allergies: str = ""
    insurance_card: str = ""
