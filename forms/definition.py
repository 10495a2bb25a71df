"""A procedure as data: what it is, who may apply, its fields, attachments, fee and office.

The JSON files in forms/catalogue/ are instances of `Procedure`. Texts (`title`, `label`,
`help`, option labels...) are English msgids, translated on the client through gettext.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

IDENT = r"^[a-z][a-z0-9_]{0,39}$"
Ident = Annotated[str, Field(pattern=IDENT)]


class FieldType(StrEnum):
    text = "text"  # free text, one line or several (multiline)
    kana = "kana"  # furigana: katakana (hiragana typed is converted), spaces allowed
    date = "date"  # a calendar date, ISO yyyy-mm-dd on the wire
    postal_code = "postal_code"  # 〒NNN-NNNN; NNNNNNN and full-width digits accepted
    phone = "phone"  # Japanese phone number, 10 or 11 digits, hyphens optional
    email = "email"
    number = "number"  # an integer, with min and max
    digits = "digits"  # a code written in digits, kept as text (leading zeros matter): accounts
    choice = "choice"  # one of `options`
    consent = "consent"  # a box that must be ticked (declarations)
    group = "group"  # a repeating group of `fields` (children, items of bulky waste)


class DateBound(StrEnum):
    """Bounds for dates relative to the day the form is checked."""

    past = "past"  # today or earlier (birth dates)
    future = "future"  # today or later (collection dates)


class Prefill(StrEnum):
    """What the logged-in resident's card can fill in (the four facts)."""

    name = "name"
    birth_date = "birth_date"
    address = "address"
    sex = "sex"


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Ident
    label: str


class FormField(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Ident
    type: FieldType
    label: str
    help: str | None = None  # shown under the field: format hints, where to find a number
    required: bool = False
    max_length: int | None = Field(default=None, ge=1, le=2000)  # text, kana, digits
    min_length: int | None = Field(default=None, ge=1, le=2000)  # digits
    multiline: bool = False  # text
    min: int | None = None  # number
    max: int | None = None  # number
    unit: str | None = None  # number: "copies", "items" (a msgid)
    bound: DateBound | None = None  # date
    options: tuple[Option, ...] = ()  # choice
    fields: tuple[FormField, ...] = ()  # group: the fields of one item
    min_items: int = Field(default=0, ge=0)  # group
    max_items: int = Field(default=10, ge=1, le=20)  # group
    prefill: Prefill | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FormField:
        if self.type is FieldType.choice and not self.options:
            raise ValueError(f"{self.id}: a choice needs options")
        if self.type is FieldType.group:
            if not self.fields:
                raise ValueError(f"{self.id}: a group needs fields")
            if any(f.type is FieldType.group for f in self.fields):
                raise ValueError(f"{self.id}: groups do not nest")
            if self.min_items > self.max_items:
                raise ValueError(f"{self.id}: min_items > max_items")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"{self.id}: min > max")
        return self


class MediaType(StrEnum):
    jpeg = "image/jpeg"
    png = "image/png"
    pdf = "application/pdf"


class AttachmentSpec(BaseModel):
    """A document to attach: a photo of a certificate, a PDF."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Ident
    label: str
    help: str | None = None
    required: bool = False
    media_types: tuple[MediaType, ...] = (MediaType.jpeg, MediaType.png, MediaType.pdf)
    max_bytes: int = Field(default=5 * 1024 * 1024, ge=1, le=10 * 1024 * 1024)
    max_files: int = Field(default=1, ge=1, le=5)


class Fee(BaseModel):
    """Yen per application, or per unit of a number field (copies of a certificate)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    yen: int = Field(ge=0, le=1_000_000)
    per_field: Ident | None = None


class Office(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str  # msgid
    phone: str | None = None


class ProcedureCategory(StrEnum):
    certificates = "certificates"
    family = "family"
    living = "living"
    housing = "housing"
    moving = "moving"
    taxes = "taxes"
    safety = "safety"


class Procedure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1
    id: Ident
    version: int = Field(ge=1)  # bumped on every change of fields; a submission names it
    category: ProcedureCategory
    title: str
    title_ja: str  # the official Japanese name (住民票の写しの交付請求), shown beside translations
    summary: str
    who_may_apply: str
    keywords: tuple[str, ...] = ()  # readings and synonyms for search: じゅうみんひょう, juminhyo
    fields: tuple[FormField, ...]
    attachments: tuple[AttachmentSpec, ...] = ()
    fee: Fee | None = None
    office: Office
    processing_days: int = Field(ge=0, le=365)
    source_url: str | None = None  # the real form this one is modelled on

    @model_validator(mode="after")
    def _unique_ids(self) -> Procedure:
        ids = [f.id for f in self.fields] + [a.id for a in self.attachments]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.id}: field and attachment ids must be unique")
        if self.fee and self.fee.per_field:
            per = next((f for f in self.fields if f.id == self.fee.per_field), None)
            if per is None or per.type is not FieldType.number:
                raise ValueError(f"{self.id}: fee.per_field must name a number field")
        return self

    def field(self, field_id: str) -> FormField | None:
        return next((f for f in self.fields if f.id == field_id), None)


class Catalogue(BaseModel):
    """What GET /v1/procedures answers: every procedure, and a version for ETags."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    procedures: tuple[Procedure, ...]
