"""POST /v1/payments (the stub provider; idempotent by the Idempotency-Key header) and
GET /v1/payments/{id} (the resident's own receipt). Rules in server.payments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import col, select

from server import payments
from server.api.deps import Responses, SessionDep, SettingsDep
from server.authz import ClockDep, CurrentUser, owned_or_404
from server.core.bodies import INVALID
from server.payment_models import IDEMPOTENCY_KEY, Payment, PaymentCreate, PaymentPublic

router = APIRouter(prefix="/v1", tags=["payments"])
PaymentId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
AUTH: Responses = {401: {"description": "No valid access token"}}


@router.post("/payments", response_model=PaymentPublic, status_code=201, responses={
    200: {"model": PaymentPublic,
          "description": "The stored answer to an earlier request with this key and body"},
    **AUTH,
    409: {"description": "already_paid (another key paid this application), or "
                         "payment_limit_reached"},
    422: {**INVALID[422], "description": "Invalid request; card_number_invalid (Luhn), "
                                         "idempotency_key_reused, unknown_procedure"},
})
def create_payment(
    body: PaymentCreate, principal: CurrentUser, session: SessionDep, settings: SettingsDep,
    clock: ClockDep, request: Request,
    idempotency_key: Annotated[str, Header(pattern=IDEMPOTENCY_KEY)],
) -> PaymentPublic | JSONResponse:
    try:
        outcome = payments.pay(
            session, request.app.state.sealer, request.app.state.procedures,
            user_id=principal.user_id, key=idempotency_key, body=body, now=clock.now(),
            per_day=settings.max_payments_per_day)
    except payments.PaymentRefused as exc:
        raise HTTPException(status_code=exc.status, detail=exc.code) from None
    if outcome.created:
        return outcome.payment
    return JSONResponse(status_code=200, content=outcome.payment.model_dump(mode="json"))


class PaymentsPage(BaseModel):
    data: list[PaymentPublic]


@router.get("/payments", response_model=PaymentsPage, responses=AUTH)
def list_payments(
    principal: CurrentUser, session: SessionDep,
    application_id: Annotated[str, Query(pattern=r"^[0-9a-f]{32}$")],
) -> PaymentsPage:
    """This resident's payments for one application, oldest first: after a 409
    `already_paid` the app finds the payment that went through."""
    rows = session.exec(
        select(Payment).where(col(Payment.user_id) == principal.user_id,
                              col(Payment.application_id) == application_id)
        .order_by(col(Payment.created_at)).limit(100)).all()
    return PaymentsPage(data=[payments.public(row) for row in rows])


@router.get("/payments/{payment_id}", response_model=PaymentPublic, responses={
    **AUTH, 404: {"description": "No such payment of this resident"}})
def get_payment(payment_id: PaymentId, principal: CurrentUser,
                session: SessionDep) -> PaymentPublic:
    return payments.public(owned_or_404(session, Payment, payment_id, principal))
