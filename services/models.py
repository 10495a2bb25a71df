"""Public models shared by services and views (no I/O, no framework)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel


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


class Notice(BaseModel):
    """A notice in the one language chosen for display."""

    id: int
    category: NoticeCategory
    published_at: datetime
    title: str
    body: str
    lang: str
    municipality: str | None = None
