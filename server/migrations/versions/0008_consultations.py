"""Consultation and telemedicine booking (issue 11): services, opening rules and exceptions,
places taken per slot, bookings.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

LIVE = "status = 'confirmed' AND user_id IS NOT NULL"


def upgrade() -> None:
    op.create_table(
        "consultation_service",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "consultation_booking",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=True),
        sa.Column("service_id", sa.String(length=40), nullable=False),
        sa.Column("start", sa.String(length=25), nullable=False),
        sa.Column("end", sa.String(length=25), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("sealed", sa.Text(), nullable=True),
        sa.Column("join_url", sa.String(length=500), nullable=True),
        sa.Column("prescription_sealed", sa.Text(), nullable=True),
        sa.Column("fulfilment", sa.String(length=10), nullable=True),
        sa.Column("prescription_status", sa.String(length=10), nullable=True),
        sa.Column("code_mac", sa.String(length=64), nullable=True),
        sa.Column("key_mac", sa.String(length=64), nullable=True),
        sa.Column("key_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["consultation_service.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_mac"),
    )
    op.create_index("ix_consultation_booking_service_id", "consultation_booking",
                    ["service_id"], unique=False)
    op.create_index("ix_consultation_booking_status", "consultation_booking", ["status"],
                    unique=False)
    op.create_index("ix_consultation_booking_user_id", "consultation_booking", ["user_id"],
                    unique=False)
    op.create_index("uq_consultation_booking_live", "consultation_booking",
                    ["user_id", "service_id", "start"], unique=True,
                    sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
    op.create_table(
        "consultation_exception",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=40), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("start", sa.String(length=5), nullable=True),
        sa.Column("end", sa.String(length=5), nullable=True),
        sa.Column("slot_min", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["consultation_service.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "consultation_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=40), nullable=False),
        sa.Column("day", sa.String(length=8), nullable=False),
        sa.Column("start", sa.String(length=5), nullable=False),
        sa.Column("end", sa.String(length=5), nullable=False),
        sa.Column("slot_min", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["consultation_service.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for table in ("consultation_exception", "consultation_rule"):
        op.create_index(f"ix_{table}_service_id", table, ["service_id"], unique=False)
    op.create_table(
        "consultation_slot",
        sa.Column("service_id", sa.String(length=40), nullable=False),
        sa.Column("start", sa.String(length=25), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.CheckConstraint("booked >= 0 AND booked <= capacity",
                           name="ck_consultation_slot_booked"),
        sa.ForeignKeyConstraint(["service_id"], ["consultation_service.id"]),
        sa.PrimaryKeyConstraint("service_id", "start"),
    )


def downgrade() -> None:
    op.drop_table("consultation_slot")
    for table in ("consultation_rule", "consultation_exception"):
        op.drop_index(f"ix_{table}_service_id", table_name=table)
        op.drop_table(table)
    op.drop_index("uq_consultation_booking_live", table_name="consultation_booking")
    for column in ("user_id", "status", "service_id"):
        op.drop_index(f"ix_consultation_booking_{column}", table_name="consultation_booking")
    op.drop_table("consultation_booking")
    op.drop_table("consultation_service")
