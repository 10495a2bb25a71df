"""Staff-only routes for the municipal counter. Residents' tokens get 403.

PIN reset at the counter: the staff member, logged in with their own card, asks for a reset
ticket for the resident's card serial (shown by the resident's app on the locked-card screen,
or read from the card). The server signs a short-lived ticket with the test J-LIS CA key
(server.core.jpki.TrustStore.issue_reset_ticket) and records who asked. The resident's app hands
the ticket to the card stub, which checks the CA signature, serial, kind, expiry and one-time id
before clearing its counter (services.mynumber.tickets). In production the reset happens on
J-LIS's terminal and this route goes away; nothing else changes for the resident's app.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException
from sqlmodel import Session

from server.api.deps import SessionDep
from server.auth_models import PinResetAudit, PinResetCreate, PinResetTicket, StaffMember
from server.authz import ClockDep, StaffUser, TrustStoreDep
from server.core.jpki import JpkiError

log = logging.getLogger("kitokito.staff")
router = APIRouter(prefix="/v1/staff", tags=["staff"])


def grant_staff(session: Session, *, user_id: str, display_name: str, office: str = "") -> None:
    """Make the holder of a card (by user id) counter staff. For admin tools and tests."""
    row = session.get(StaffMember, user_id) or StaffMember(user_id=user_id, display_name="")
    row.display_name, row.office = display_name, office
    session.add(row)
    session.commit()


@router.post("/pin-resets", response_model=PinResetTicket, status_code=201, responses={
    401: {"description": "No valid access token"},
    403: {"description": "Not counter staff"},
    503: {"description": "This server cannot issue reset tickets"},
})
def create_pin_reset(
    body: PinResetCreate, staff: StaffUser, session: SessionDep, clock: ClockDep,
    store: TrustStoreDep,
) -> PinResetTicket:
    now = clock.now()
    serial = f"{int(body.card_serial, 16):040X}"
    try:
        issued = store.issue_reset_ticket(serial=serial, kind=body.pin_kind, now=now)
    except JpkiError as exc:
        raise HTTPException(status_code=exc.status, detail=exc.code) from None
    session.add(PinResetAudit(staff_user_id=staff.user_id, card_serial=serial,
                              pin_kind=body.pin_kind, ticket_id=issued.ticket_id, issued_at=now))
    session.commit()
    log.info("pin reset ticket issued by staff %s…", staff.user_id[:8])
    return PinResetTicket(ticket=issued.ticket, expires_at=issued.expires_at)
