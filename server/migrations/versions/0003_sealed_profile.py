"""Residents' four facts encrypted at rest (issue 8, item 11): the plaintext columns of
resident_profile become one AES-256-GCM ciphertext under the server data key. Existing rows
are encrypted here, so the key must be at hand (the server passes its own; the command line
reads KITOKITO_SERVER_KEY_FILE / KITOKITO_DATA_DIR).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from alembic import op

from server.core.migrate import sealer_for_migration

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PLAIN = sa.table(
    "resident_profile", sa.column("user_id", sa.String()), sa.column("name", sa.String()),
    sa.column("birth_date", sa.Date()), sa.column("address", sa.String()),
    sa.column("sex", sa.String()), sa.column("municipality", sa.String()),
    sa.column("sealed", sa.Text()),
)


def _context(user_id: str) -> str:
    return f"resident_profile:{user_id}"


def upgrade() -> None:
    with op.batch_alter_table("resident_profile") as batch:
        batch.add_column(sa.Column("sealed", sa.Text(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.select(PLAIN.c.user_id, PLAIN.c.name, PLAIN.c.birth_date,
                                  PLAIN.c.address, PLAIN.c.sex, PLAIN.c.municipality)).all()
    if rows:
        sealer = sealer_for_migration()
        for row in rows:
            birth = row.birth_date
            plain = json.dumps({
                "name": row.name, "address": row.address, "sex": row.sex,
                "municipality": row.municipality,
                "birth_date": birth.isoformat() if isinstance(birth, date) else str(birth),
            }, ensure_ascii=False).encode("utf-8")
            bind.execute(PLAIN.update().where(PLAIN.c.user_id == row.user_id).values(
                sealed=sealer.seal(plain, context=_context(row.user_id))))
    with op.batch_alter_table("resident_profile") as batch:
        for name in ("name", "birth_date", "address", "sex", "municipality"):
            batch.drop_column(name)
        batch.alter_column("sealed", existing_type=sa.Text(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("resident_profile") as batch:
        batch.add_column(sa.Column("name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("address", sa.String(length=400), nullable=True))
        batch.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
        batch.add_column(sa.Column("municipality", sa.String(length=40), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.select(PLAIN.c.user_id, PLAIN.c.sealed)).all()
    if rows:
        sealer = sealer_for_migration()
        for row in rows:
            facts = json.loads(sealer.open(row.sealed, context=_context(row.user_id)))
            facts["birth_date"] = date.fromisoformat(facts["birth_date"])
            bind.execute(PLAIN.update().where(PLAIN.c.user_id == row.user_id).values(**facts))
    with op.batch_alter_table("resident_profile") as batch:
        batch.drop_column("sealed")
        for name in ("name", "birth_date", "address", "sex", "municipality"):
            batch.alter_column(name, nullable=False)
