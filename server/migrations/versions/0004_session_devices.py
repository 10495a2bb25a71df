"""Logged-in devices (issue 8, item 5): a session records the device that opened it (id and
name, to which its refresh tokens are bound) and roughly where from.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("auth_session") as batch:
        batch.add_column(sa.Column("device_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("device_name", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("place", sa.String(length=40), nullable=True))


def downgrade() -> None:
    # Not batch mode: on SQLite that copies the table, and dropping auth_session while
    # auth_token rows refer to it fails; SQLite >= 3.35 drops columns in place.
    for name in ("place", "device_name", "device_id"):
        op.drop_column("auth_session", name)
