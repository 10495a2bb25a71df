"""E-applications (issue 9): attachments, payments (stub provider), applications with their
signed revisions (sealed), status events (history and inbox) and receipt codes.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "application_attachment",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_application_attachment_user_id"), "application_attachment",
                    ["user_id"], unique=False)
    op.create_table(
        "payment",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("application_id", sa.String(length=32), nullable=False),
        sa.Column("procedure_id", sa.String(length=40), nullable=False),
        sa.Column("amount_yen", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decline_code", sa.String(length=30), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=False),
        sa.Column("paid_application_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("paid_application_id", name="uq_payment_paid_application"),
        sa.UniqueConstraint("user_id", "idempotency_key", name="uq_payment_idempotency_key"),
    )
    op.create_index(op.f("ix_payment_application_id"), "payment", ["application_id"],
                    unique=False)
    op.create_index(op.f("ix_payment_user_id"), "payment", ["user_id"], unique=False)
    op.create_table(
        "application",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("procedure_id", sa.String(length=40), nullable=False),
        sa.Column("procedure_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("fee_yen", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.String(length=32), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("receipt_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("receipt_verified_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_application_status"), "application", ["status"], unique=False)
    op.create_index(op.f("ix_application_user_id"), "application", ["user_id"], unique=False)
    op.create_table(
        "application_submission",
        sa.Column("application_id", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"]),
        sa.PrimaryKeyConstraint("application_id", "revision"),
    )
    op.create_table(
        "application_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("procedure_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sealed_comment", sa.Text(), nullable=True),
        sa.Column("staff_user_id", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_application_event_application_id"), "application_event",
                    ["application_id"], unique=False)
    op.create_index(op.f("ix_application_event_user_id"), "application_event", ["user_id"],
                    unique=False)
    op.create_table(
        "receipt_code",
        sa.Column("application_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("code_mac", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("used_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"]),
        sa.PrimaryKeyConstraint("application_id"),
        sa.UniqueConstraint("code_mac", name="uq_receipt_code_mac"),
    )


def downgrade() -> None:
    op.drop_table("receipt_code")
    op.drop_index(op.f("ix_application_event_user_id"), table_name="application_event")
    op.drop_index(op.f("ix_application_event_application_id"), table_name="application_event")
    op.drop_table("application_event")
    op.drop_table("application_submission")
    op.drop_index(op.f("ix_application_user_id"), table_name="application")
    op.drop_index(op.f("ix_application_status"), table_name="application")
    op.drop_table("application")
    op.drop_index(op.f("ix_payment_user_id"), table_name="payment")
    op.drop_index(op.f("ix_payment_application_id"), table_name="payment")
    op.drop_table("payment")
    op.drop_index(op.f("ix_application_attachment_user_id"),
                  table_name="application_attachment")
    op.drop_table("application_attachment")
