"""Sensor occupancy readings of tourist spots (crowd levels).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tourism_reading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spot_id", sa.String(length=80), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("occupancy", sa.Float(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("spot_id", "day", "hour", name="uq_tourism_reading_spot_day_hour"),
    )
    op.create_index("ix_tourism_reading_spot_id", "tourism_reading", ["spot_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_tourism_reading_spot_id", table_name="tourism_reading")
    op.drop_table("tourism_reading")
