"""E-applications (docs/e-applications.md): tables, mutation payloads and wire models.

What a resident signed is kept as they sent it, sealed under the server key (it names them):
one ApplicationSubmission per revision, so a resubmission after `returned` keeps the earlier
one. The Application row holds only what lists and rules need (status, revision, fee). Every
status change is an ApplicationEvent: the application's history and the resident's inbox
(its id is the inbox cursor). Request models forbid unknown fields and carry no server-owned
field (status, user, revision, times): clients cannot set them (figure 12).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from forms.definition import IDENT
from server.auth_models import RequestModel, ResponseModel
from server.mutation_models import HEX_ID

B64 = r"^[A-Za-z0-9+/=_-]+$"
SHA256_HEX = r"^[0-9a-f]{64}$"
MediaTypeName = Literal["image/jpeg", "image/png", "application/pdf"]
MAX_DOCUMENT_B64 = 48_000  # with certificate and signature, one mutation fits a 64 KiB body
MAX_COMMENT = 1000


class ApplicationStatus(StrEnum):
    submitted = "submitted"
    received = "received"
    under_review = "under_review"
    returned = "returned"
    approved = "approved"
    completed = "completed"
    withdrawn = "withdrawn"


# --- tables ----------------------------------------------------------------------------
class StoredAttachment(SQLModel, table=True):
    """An uploaded file, sealed (it is a photo of a certificate, an ID...)."""

    __tablename__ = "application_attachment"

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(max_length=64, index=True)
    media_type: str = Field(max_length=40)
    size: int
    sha256: str = Field(max_length=64)
    sealed: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Application(SQLModel, table=True):
    __tablename__ = "application"

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(max_length=64, index=True)
    procedure_id: str = Field(max_length=40)
    procedure_version: int
    status: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    revision: int
    fee_yen: int
    payment_id: str | None = Field(default=None, max_length=32)
    submitted_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    receipt_verified_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    receipt_verified_by: str | None = Field(default=None, max_length=64)  # a staff user id


class ApplicationSubmission(SQLModel, table=True):
    """One signed revision: {document, signature, certificate} (base64), sealed."""

    __tablename__ = "application_submission"

    application_id: str = Field(
        sa_column=Column(String(32), ForeignKey("application.id"), primary_key=True))
    revision: int = Field(primary_key=True)
    sealed: str = Field(sa_column=Column(Text, nullable=False))
    submitted_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ApplicationEvent(SQLModel, table=True):
    __tablename__ = "application_event"

    id: int | None = Field(default=None, primary_key=True)  # the inbox cursor
    application_id: str = Field(
        sa_column=Column(String(32), ForeignKey("application.id"), nullable=False, index=True))
    user_id: str = Field(max_length=64, index=True)
    procedure_id: str = Field(max_length=40)
    status: str = Field(max_length=20)
    sealed_comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    staff_user_id: str | None = Field(default=None, max_length=64)  # who moved it, if staff
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ReceiptCode(SQLModel, table=True):
    """The application's current receipt code: an HMAC of it (8 digits are guessable), when it
    expires and when it was used (UNIX seconds: compared in SQL). A new one replaces the row."""

    __tablename__ = "receipt_code"
    __table_args__ = (UniqueConstraint("code_mac", name="uq_receipt_code_mac"),)

    application_id: str = Field(
        sa_column=Column(String(32), ForeignKey("application.id"), primary_key=True))
    user_id: str = Field(max_length=64)
    code_mac: str = Field(max_length=64)
    expires_at: int = Field(sa_column=Column(BigInteger, nullable=False))
    used_at: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


# --- mutation payloads (POST /v1/mutations) ---------------------------------------------
class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignedParts(_Payload):
    document: str = PydanticField(min_length=4, max_length=MAX_DOCUMENT_B64, pattern=B64,
                                  description="base64 of the signed canonical JSON bytes")
    signature: str = PydanticField(min_length=4, max_length=1400, pattern=B64)
    certificate: str = PydanticField(min_length=4, max_length=8192, pattern=B64,
                                     description="署名用 certificate, DER, base64")


class SubmitPayload(SignedParts):
    application_id: str = PydanticField(pattern=HEX_ID)
    payment_id: str | None = PydanticField(default=None, pattern=HEX_ID)


class ResubmitPayload(SignedParts):
    application_id: str = PydanticField(pattern=HEX_ID)


class WithdrawPayload(_Payload):
    application_id: str = PydanticField(pattern=HEX_ID)


class AttachmentRef(BaseModel):
    """An attachment as the signed document names it."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    spec: str = PydanticField(pattern=IDENT)
    attachment_id: str = PydanticField(pattern=HEX_ID)
    media_type: MediaTypeName
    size: int = PydanticField(ge=1, le=10 * 1024 * 1024)
    sha256: str = PydanticField(pattern=SHA256_HEX)


class SignedDocument(BaseModel):
    """What the resident signs. Strict: "3" is not 3 in a signed document."""

    model_config = ConfigDict(extra="forbid", strict=True)

    application_id: str = PydanticField(pattern=HEX_ID)
    procedure_id: str = PydanticField(min_length=1, max_length=40)
    procedure_version: int = PydanticField(ge=1, le=2**31 - 1)
    values: dict[str, Any]
    attachments: list[AttachmentRef] = PydanticField(max_length=25)
    fee_yen: int = PydanticField(ge=0, le=10_000_000)
    signed_at: str = PydanticField(min_length=1, max_length=40)


# --- wire models -------------------------------------------------------------------------
class AttachmentPublic(ResponseModel):
    id: str
    media_type: MediaTypeName
    size: int
    sha256: str


class HistoryEntry(ResponseModel):
    status: ApplicationStatus
    comment: str | None
    at: datetime


class ApplicationSummary(ResponseModel):
    id: str
    procedure_id: str
    procedure_version: int
    status: ApplicationStatus
    revision: int
    fee_yen: int
    payment_id: str | None
    submitted_at: datetime
    updated_at: datetime
    receipt_verified_at: datetime | None


class ApplicationPublic(ApplicationSummary):
    values: dict[str, Any]
    attachments: list[AttachmentRef]
    history: list[HistoryEntry]


class ApplicationsPage(ResponseModel):
    data: list[ApplicationSummary]


class InboxEvent(ResponseModel):
    id: int
    application_id: str
    procedure_id: str
    status: ApplicationStatus
    comment: str | None
    at: datetime


class InboxPage(ResponseModel):
    events: list[InboxEvent]
    cursor: int = PydanticField(description="the last event's id: pass it as `after` next time")


class ReceiptCodePublic(ResponseModel):
    code: str = PydanticField(description="8 digits; show as QR `kitokito-receipt:<code>`")
    expires_at: datetime


# --- staff -------------------------------------------------------------------------------
class StaffApplicationSummary(ApplicationSummary):
    user_id: str
    receipt_verified_by: str | None


class StaffApplicationsPage(ResponseModel):
    data: list[StaffApplicationSummary]


class SignatureCheck(ResponseModel):
    valid: bool
    checked_at: datetime
    reason: str | None = PydanticField(description="why not valid: a stable code")


class Applicant(ResponseModel):
    """The four facts from the 署名用 certificate the application was signed with."""

    name: str
    birth_date: date
    address: str
    sex: str


class StaffApplicationPublic(StaffApplicationSummary):
    applicant: Applicant | None
    values: dict[str, Any]
    attachments: list[AttachmentRef]
    history: list[HistoryEntry]
    signature: SignatureCheck


class TransitionCreate(RequestModel):
    to: ApplicationStatus
    comment: str | None = PydanticField(default=None, min_length=1, max_length=MAX_COMMENT)


class ReceiptVerify(RequestModel):
    code: str = PydanticField(pattern=r"^[0-9]{8}$")
