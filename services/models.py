"""Public models shared by services and views (no I/O, no framework)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field


class NoticeCategory(StrEnum):
    disaster = "disaster"
    health = "health"
    childcare = "childcare"
    transport = "transport"
    procedures = "procedures"
    events = "events"
    general = "general"


class NoticeTextWire(BaseModel):
    title: str
    body: str


class NoticeWire(BaseModel):
    """A notice as the backend sends it (see the OpenAPI document)."""

    id: int
    category: NoticeCategory
    published_at: AwareDatetime
    revision: int
    withdrawn: bool
    municipality: str | None = None  # None: for the whole prefecture
    texts: dict[str, NoticeTextWire]


class NoticesPage(BaseModel):
    data: list[NoticeWire]
    next_cursor: int
    has_more: bool


class InfoDataset(StrEnum):
    """The public information datasets served by GET /v1/info/{dataset} (docs/info-data.md)."""

    medical = "medical"
    childcare = "childcare"
    shelters = "shelters"
    aeds = "aeds"
    alerts = "alerts"
    spots = "spots"  # tourist spots (services/tourism)
    towns = "towns"  # municipality profiles for relocation (services/relocation)
    programmes = "programmes"  # relocation support programmes
    guides = "guides"  # themed walking routes (services/tourism)


class InfoRecordWire(BaseModel):
    """One record of an info dataset as the backend sends it. The body is per dataset and read
    forgivingly later (services/info/models.py): a body the app cannot read skips one record,
    while a record that breaks this envelope breaks the page (BadResponse)."""

    id: str = Field(min_length=1, max_length=80)
    revision: int
    withdrawn: bool
    municipality: str | None = Field(default=None, pattern=r"^[0-9]{6}$")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    body: dict[str, Any]


class InfoPage(BaseModel):
    data: list[InfoRecordWire]
    next_cursor: int
    has_more: bool


class Notice(BaseModel):
    """A notice in the one language chosen for display."""

    id: int
    category: NoticeCategory
    published_at: datetime
    title: str
    body: str
    lang: str
    municipality: str | None = None
