"""Tables and wire models. Table classes are never returned directly: *Public models are.

Notices carry a `revision` from a change log so clients can pull "everything since N" and
learn about withdrawn notices (tombstones) as well as new and edited ones.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, field_serializer
from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    return datetime.now(UTC)


class NoticeCategory(StrEnum):
    disaster = "disaster"
    health = "health"
    childcare = "childcare"
    transport = "transport"
    procedures = "procedures"
    events = "events"
    general = "general"


class ChangeLog(SQLModel, table=True):
    """One row per write to a synced table; its id is the revision clients sync against."""

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=40, index=True)
    entity_id: int


class Notice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=80, unique=True, index=True)
    category: NoticeCategory = Field(max_length=20)
    published_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    revision: int = Field(default=0, index=True)
    withdrawn: bool = False
    # The city or town a notice is for, in Japanese ("富山市"); None = the whole prefecture.
    municipality: str | None = Field(default=None, max_length=40)


class NoticeText(SQLModel, table=True):
    """Title and body of a notice in one language (BCP 47 tag such as ja, en, zh-Hans)."""

    __table_args__ = (UniqueConstraint("notice_id", "lang"),)

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    lang: str = Field(max_length=16)
    title: str = Field(max_length=200)
    body: str = Field(max_length=20000)


class NoticeTextPublic(BaseModel):
    title: str
    body: str


class NoticePublic(BaseModel):
    id: int
    category: NoticeCategory
    published_at: datetime
    revision: int
    withdrawn: bool
    municipality: str | None = None
    texts: dict[str, NoticeTextPublic]

    @field_serializer("published_at")
    def _as_utc(self, value: datetime) -> str:
        # SQLite hands back naive datetimes; everything we store is UTC.
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()


class NoticesPage(BaseModel):
    data: list[NoticePublic]
    next_cursor: int
    has_more: bool


class Health(BaseModel):
    status: str
    database: str
