"""Sensor occupancy readings of tourist spots (docs/tourism-crowds.md, "Readings")."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel


class CrowdReading(SQLModel, table=True):
    """The occupancy a sensor measured at a spot in one hour of one day (0..1 of capacity); a
    later reading of the same hour replaces it."""

    __tablename__: ClassVar[str] = "tourism_reading"
    __table_args__ = (
        UniqueConstraint("spot_id", "day", "hour", name="uq_tourism_reading_spot_day_hour"),
    )

    id: int | None = Field(default=None, primary_key=True)
    spot_id: str = Field(max_length=80, index=True)
    day: str = Field(max_length=10)  # YYYY-MM-DD, Japan time
    hour: int
    occupancy: float
    recorded_by: str = Field(max_length=64)
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
