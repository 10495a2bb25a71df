"""Sessions bound to their card certificate, with an absolute lifetime and last use
(issue 8, item 1). Sessions opened before this cannot be bound: they are ended (the rows stay).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = ("cert_serial", "cert_not_after", "expires_at", "last_used_at", "checked_at")


def upgrade() -> None:
    with op.batch_alter_table("auth_session") as batch:
        batch.add_column(sa.Column("cert_serial", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("cert_not_after", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("expires_at", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("last_used_at", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("checked_at", sa.BigInteger(), nullable=True))
    session = sa.table("auth_session", sa.column("revoked_at", sa.BigInteger()),
                       sa.column("revoke_reason", sa.String()))
    op.execute(session.update().where(session.c.revoked_at.is_(None))
               .values(revoked_at=int(time.time()), revoke_reason="unbound_before_0002"))


def downgrade() -> None:
    # Not batch mode (see 0004's downgrade).
    for name in COLUMNS:
        op.drop_column("auth_session", name)
