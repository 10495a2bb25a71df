"""The stub payment provider (docs/e-applications.md): idempotent by key, at most one success
per application, declined payments leave the application payable.

Test cards: 4242424242424242 pays, 4000000000000002 is declined (card_declined),
4000000000009995 too (insufficient_funds); any other number that passes the Luhn check pays.
What makes it safe under load is in the table (server.payment_models): the unique key per
resident answers a repeated request with the stored payment, the unique paid application
refuses a second success whatever its key. Reads before the insert only make the usual
answers quick; the constraints decide races.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.catalogue import Procedures
from server.core.quota import insert_capped
from server.core.sealing import Sealer
from server.payment_models import (
    DeclineCode,
    Payment,
    PaymentCreate,
    PaymentPublic,
    PaymentStatus,
)

DECLINED = {
    "4000000000000002": DeclineCode.card_declined,
    "4000000000009995": DeclineCode.insufficient_funds,
}


class PaymentRefused(Exception):
    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status, self.code = status, code


@dataclass(frozen=True)
class Outcome:
    payment: PaymentPublic
    created: bool  # False: the stored answer to an earlier request with this key


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def public(row: Payment) -> PaymentPublic:
    return PaymentPublic.model_validate(row, from_attributes=True)


def _by_key(session: Session, user_id: str, key: str) -> Payment | None:
    return session.exec(select(Payment).where(col(Payment.user_id) == user_id,
                                              col(Payment.idempotency_key) == key)).first()


def _again(row: Payment, fingerprint: str) -> Outcome:
    if row.fingerprint != fingerprint:
        raise PaymentRefused(422, "idempotency_key_reused")
    return Outcome(public(row), created=False)


def _paid(session: Session, application_id: str) -> bool:
    return session.exec(select(Payment.id).where(
        col(Payment.paid_application_id) == application_id)).first() is not None


def _already_paid(session: Session, user_id: str, key: str, fingerprint: str) -> Outcome:
    """The application is paid: by this very request a moment ago (a copy of it that got there
    first: answer it), or by another."""
    earlier = _by_key(session, user_id, key)
    if earlier is not None:
        return _again(earlier, fingerprint)
    raise PaymentRefused(409, "already_paid")


def pay(session: Session, sealer: Sealer, procedures: Procedures, *, user_id: str, key: str,
        body: PaymentCreate, now: datetime, per_day: int) -> Outcome:
    """Charge (committed) or answer again; PaymentRefused otherwise."""
    if not luhn_ok(body.card_number):
        raise PaymentRefused(422, "card_number_invalid")
    # The whole body, card number included, but only as an HMAC under the server key.
    fingerprint = sealer.mac(json.dumps(body.model_dump(), sort_keys=True).encode("utf-8"),
                             context="payment_request")
    earlier = _by_key(session, user_id, key)
    if earlier is not None:
        return _again(earlier, fingerprint)
    if procedures.get(body.procedure_id) is None:
        raise PaymentRefused(422, "unknown_procedure")
    if _paid(session, body.application_id):
        return _already_paid(session, user_id, key, fingerprint)
    decline = DECLINED.get(body.card_number)
    status = PaymentStatus.declined if decline else PaymentStatus.succeeded
    row = Payment(
        id=secrets.token_hex(16), user_id=user_id, idempotency_key=key,
        fingerprint=fingerprint, application_id=body.application_id,
        procedure_id=body.procedure_id, amount_yen=body.amount_yen, status=status,
        decline_code=decline, card_last4=body.card_number[-4:], created_at=now,
        paid_application_id=None if decline else body.application_id)
    recent = (col(Payment.user_id) == user_id) & (col(Payment.created_at) > now - timedelta(days=1))
    try:
        if not insert_capped(session, Payment, row.model_dump(), scope=recent, cap=per_day,
                             lock_key=f"payments:{user_id}"):
            session.rollback()
            earlier = _by_key(session, user_id, key)  # a copy of this request made the last
            if earlier is not None:
                return _again(earlier, fingerprint)
            raise PaymentRefused(409, "payment_limit_reached")
        session.commit()
    except IntegrityError:
        # Another request got there first: with this key, or paying this application with
        # another key (the paid-application constraint).
        session.rollback()
        return _already_paid(session, user_id, key, fingerprint)
    return Outcome(public(row), created=True)
