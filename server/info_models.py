"""Public information records (docs/info-data.md): medical institutions, childcare facilities,
shelters, AEDs and alerts, one generic table synced by revision like notices."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class InfoDataset(StrEnum):
    medical = "medical"
    childcare = "childcare"
    shelters = "shelters"
    aeds = "aeds"
    alerts = "alerts"
    spots = "spots"
    towns = "towns"
    programmes = "programmes"
    guides = "guides"


class InfoRecordRow(SQLModel, table=True):
    """One record as served. `source` names the feed that owns it (a GSI file kind, municipal
    CSVs, a JMA document kind...): a file withdraws only what its own feed loaded before."""

    __tablename__: ClassVar[str] = "info_record"
    __table_args__ = (
        UniqueConstraint("dataset", "record_id", name="uq_info_record_dataset_record_id"),
        Index("ix_info_record_dataset_revision", "dataset", "revision"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dataset: str = Field(max_length=20)
    record_id: str = Field(max_length=80)
    source: str = Field(max_length=20)
    municipality: str | None = Field(default=None, max_length=6)
    lat: float | None = None
    lon: float | None = None
    body: str = Field(sa_column=Column(Text, nullable=False))  # JSON object
    content_hash: str = Field(max_length=64)
    revision: int = 0
    withdrawn: bool = False


class InfoRecord(BaseModel):
    id: str = PydanticField(min_length=1, max_length=80)
    revision: int
    withdrawn: bool
    municipality: str | None = PydanticField(
        description="6-digit 全国地方公共団体コード with check digit")
    lat: float | None
    lon: float | None
    body: dict[str, Any] = PydanticField(
        description="Per dataset (docs/info-data.md); {} when withdrawn")


class InfoPage(BaseModel):
    data: list[InfoRecord]
    next_cursor: int
    has_more: bool
