"""Public information records (issue 10): medical, childcare, shelters, AEDs, alerts.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "info_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("municipality", sa.String(length=6), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dataset", "record_id", name="uq_info_record_dataset_record_id"),
    )
    op.create_index("ix_info_record_dataset_revision", "info_record", ["dataset", "revision"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_info_record_dataset_revision", table_name="info_record")
    op.drop_table("info_record")
