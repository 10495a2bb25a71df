"""What the app knows of a resident's applications: drafts on the device, and the server's
records (wire models of docs/e-applications.md)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel


class DraftStage(StrEnum):
    editing = "editing"
    signed = "signed"  # confirmed and signed with the 署名用 key; values can no longer change
    submitted = "submitted"  # handed to the outbox; kept until the server has it


class ApplicationStatus(StrEnum):
    submitted = "submitted"
    received = "received"
    under_review = "under_review"
    returned = "returned"
    approved = "approved"
    completed = "completed"
    withdrawn = "withdrawn"


WITHDRAWABLE = (ApplicationStatus.submitted, ApplicationStatus.received)


class PaymentStatus(StrEnum):
    succeeded = "succeeded"
    declined = "declined"


class Payment(BaseModel):
    id: str
    application_id: str
    procedure_id: str
    amount_yen: int
    status: PaymentStatus
    decline_code: str | None = None
    card_last4: str
    created_at: datetime


@dataclass(frozen=True)
class Signed:
    """The exact bytes signed and what proves it, as the server will receive them (base64)."""

    document: str
    signature: str
    certificate: str
    fee_yen: int


@dataclass(frozen=True)
class Draft:
    id: str  # also the application's id once submitted (client-generated, 32 hex)
    procedure_id: str
    procedure_version: int
    values: dict[str, Any]
    updated_at: datetime
    stage: DraftStage = DraftStage.editing
    signed: Signed | None = None
    payment: Payment | None = None
    payment_key: str | None = None  # the Idempotency-Key of a payment not yet answered
    resubmission: bool = False  # corrections to an application that was returned
    attachments: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def edited(self, values: dict[str, Any], now: datetime) -> Draft:
        """New values: any signature is void (it covered the old ones)."""
        return replace(self, values=values, updated_at=now, stage=DraftStage.editing,
                       signed=None)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "procedure_id": self.procedure_id,
            "procedure_version": self.procedure_version, "values": self.values,
            "updated_at": self.updated_at.isoformat(), "stage": self.stage.value,
            "signed": None if self.signed is None else vars(self.signed),
            "payment": None if self.payment is None else self.payment.model_dump(mode="json"),
            "payment_key": self.payment_key, "resubmission": self.resubmission,
            "attachments": list(self.attachments),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        updated = datetime.fromisoformat(data["updated_at"])
        return cls(
            id=data["id"], procedure_id=data["procedure_id"],
            procedure_version=int(data["procedure_version"]), values=dict(data["values"]),
            updated_at=updated if updated.tzinfo else updated.replace(tzinfo=UTC),
            stage=DraftStage(data.get("stage", "editing")),
            signed=Signed(**data["signed"]) if data.get("signed") else None,
            payment=Payment.model_validate(data["payment"]) if data.get("payment") else None,
            payment_key=data.get("payment_key"),
            resubmission=bool(data.get("resubmission", False)),
            attachments=tuple(data.get("attachments") or ()),
        )


class ApplicationSummary(BaseModel):
    id: str
    procedure_id: str
    procedure_version: int
    status: ApplicationStatus
    revision: int = 1
    fee_yen: int = 0
    payment_id: str | None = None
    submitted_at: datetime
    updated_at: datetime
    receipt_verified_at: datetime | None = None


class HistoryEntry(BaseModel):
    status: ApplicationStatus
    comment: str | None = None
    at: datetime


class ApplicationDetail(ApplicationSummary):
    values: dict[str, Any] = {}
    attachments: list[dict[str, Any]] = []
    history: list[HistoryEntry] = []


class InboxEvent(BaseModel):
    id: int
    application_id: str
    procedure_id: str
    status: ApplicationStatus
    comment: str | None = None
    at: datetime


class ReceiptCode(BaseModel):
    code: str
    expires_at: datetime

    @property
    def qr_text(self) -> str:
        return f"kitokito-receipt:{self.code}"


@dataclass(frozen=True)
class ShownReceipt:
    """A receipt code as the counter scans it (QR) and as the resident reads it aloud."""

    application_id: str
    code: str
    expires_at: datetime
    qr_png: bytes

    @property
    def spoken(self) -> str:
        """Digits in pairs of four: "1234 5678" is easier to read out than "12345678"."""
        return " ".join(self.code[i:i + 4] for i in range(0, len(self.code), 4))


class QueuedState(StrEnum):
    waiting = "waiting"  # in the outbox, not yet answered
    needs_attention = "needs_attention"  # the server refused it; the reason is kept


@dataclass(frozen=True)
class QueuedChange:
    """A change to an application the server has not taken yet (or refused)."""

    item_id: str
    application_id: str
    kind: str
    state: QueuedState
    code: str | None
    reason: str | None
    created_at: datetime
