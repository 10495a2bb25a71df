"""Payments to the stub provider (docs/e-applications.md): the table and the wire models.

Two unique constraints carry the rules, so they hold however many requests arrive together:
- (user_id, idempotency_key): one payment per key; a retry finds the stored answer;
- paid_application_id: set only on a succeeded payment, so an application is paid at most
  once; declined payments leave it NULL (NULLs never collide) and the application payable.
The card number is never stored: the last four digits, and inside `fingerprint` (an HMAC under
the server key, server.core.sealing.Sealer.mac) only as part of the whole request body.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from forms.definition import IDENT
from server.auth_models import ResponseModel
from server.mutation_models import HEX_ID

IDEMPOTENCY_KEY = r"^[A-Za-z0-9_-]{16,64}$"


class PaymentStatus(StrEnum):
    succeeded = "succeeded"
    declined = "declined"


class DeclineCode(StrEnum):
    card_declined = "card_declined"
    insufficient_funds = "insufficient_funds"


class Payment(SQLModel, table=True):
    __tablename__ = "payment"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key", name="uq_payment_idempotency_key"),
        UniqueConstraint("paid_application_id", name="uq_payment_paid_application"),
    )

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(max_length=64, index=True)
    idempotency_key: str = Field(max_length=64)
    fingerprint: str = Field(max_length=64)  # HMAC of the request body: a reused key shows
    application_id: str = Field(max_length=32, index=True)
    procedure_id: str = Field(max_length=40)
    amount_yen: int
    status: str = Field(max_length=10)
    decline_code: str | None = Field(default=None, max_length=30)
    card_last4: str = Field(max_length=4)
    paid_application_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


# --- wire models -------------------------------------------------------------------------
class PaymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    application_id: str = PydanticField(pattern=HEX_ID)
    procedure_id: str = PydanticField(pattern=IDENT)
    amount_yen: int = PydanticField(ge=1, le=1_000_000, strict=True)  # money: no "600"
    card_number: str = PydanticField(pattern=r"^[0-9]{12,19}$",
                                     description="digits only; never stored")


class PaymentPublic(ResponseModel):
    id: str
    application_id: str
    procedure_id: str
    amount_yen: int
    status: PaymentStatus
    decline_code: DeclineCode | None
    card_last4: str
    created_at: datetime
