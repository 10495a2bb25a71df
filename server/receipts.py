"""Receipt codes: the resident shows 8 digits (or their QR code) at the counter, staff check
them. Random (secrets), single use, valid a few minutes, one per application at a time (a new
one replaces the old). Stored as an HMAC under the server key, not a plain hash: 10^8 codes
are guessed from a plain hash in a second. Using one is a conditional UPDATE (unused, not
expired), so two counters checking the same code at once cannot both succeed.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from server.application_models import Application, ReceiptCode
from server.core.sealing import Sealer

CONTEXT = "receipt_code"
DIGITS = 8


def code_mac(sealer: Sealer, code: str) -> str:
    return sealer.mac(code.encode("ascii"), context=CONTEXT)


def issue(session: Session, sealer: Sealer, application: Application, *, now: datetime,
          ttl_s: int) -> tuple[str, datetime]:
    """A new code for the application (committed), replacing any earlier one."""
    expires_at = now + timedelta(seconds=ttl_s)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for _ in range(10):  # a clash with another application's code: draw again
        code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
        session.execute(delete(ReceiptCode)
                        .where(col(ReceiptCode.application_id) == application.id))
        inserted = session.execute(insert(ReceiptCode).values(
            application_id=application.id, user_id=application.user_id,
            code_mac=code_mac(sealer, code), expires_at=int(expires_at.timestamp()),
        ).on_conflict_do_nothing().returning(col(ReceiptCode.application_id))).first()
        if inserted is not None:
            session.commit()
            return code, expires_at
    session.rollback()
    raise RuntimeError("no free receipt code after 10 draws")


def use(session: Session, sealer: Sealer, code: str, *, staff_user_id: str,
        now: datetime) -> Application | None:
    """The application whose valid, unused code this is, now marked verified by this staff
    member (committed); None for a used, expired or unknown code."""
    stamp = int(now.timestamp())
    used = session.execute(
        update(ReceiptCode)
        .where(col(ReceiptCode.code_mac) == code_mac(sealer, code),
               col(ReceiptCode.used_at).is_(None), col(ReceiptCode.expires_at) > stamp)
        .values(used_at=stamp)
        .returning(col(ReceiptCode.application_id))
        .execution_options(synchronize_session=False)).first()
    application = None if used is None else session.get(Application, used[0])
    if application is None:
        session.rollback()
        return None
    application.receipt_verified_at, application.receipt_verified_by = now, staff_user_id
    session.add(application)
    session.commit()
    session.refresh(application)
    return application
