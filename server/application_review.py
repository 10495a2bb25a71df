"""What counter staff do with applications: list, inspect (the signature checked again now),
move them on, check a receipt code. The staff routes (server.api.staff_applications) and the
staff CLI (server.staff_cli) both call these, so the rules are the same with or without a card.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from server import receipts
from server.application_models import (
    Applicant,
    Application,
    ApplicationStatus,
    SignatureCheck,
    StaffApplicationPublic,
    StaffApplicationSummary,
    StoredAttachment,
)
from server.application_reads import history, latest_signed, signed_content, staff_summary
from server.applications import STAFF_MOVES, move, record_event
from server.attachments import open_attachment
from server.core.jpki import JpkiError, TrustStore, four_facts, parse_certificate
from server.core.sealing import Sealer
from server.signed_submission import Signed, recheck


class TransitionNotAllowed(Exception):
    code = "transition_not_allowed"


def newest(session: Session, *, status: ApplicationStatus | None,
           limit: int) -> list[StaffApplicationSummary]:
    query = select(Application)
    if status is not None:
        query = query.where(col(Application.status) == str(status))
    rows = session.exec(query.order_by(col(Application.submitted_at).desc(),
                                       col(Application.id)).limit(limit)).all()
    return [staff_summary(row) for row in rows]


def _applicant(signed: Signed | None) -> Applicant | None:
    if signed is None:
        return None
    try:
        facts = four_facts(parse_certificate(signed.certificate))
    except JpkiError:
        return None
    return Applicant(name=facts.name, birth_date=facts.birth_date, address=facts.address,
                     sex=facts.sex)


def inspect(session: Session, sealer: Sealer, store: TrustStore, application: Application, *,
            now: datetime) -> StaffApplicationPublic:
    signed = latest_signed(session, sealer, application)
    values, refs = signed_content(signed)
    reason = "submission_unreadable" if signed is None else recheck(
        store, signed, application_id=application.id, now=now)
    return StaffApplicationPublic(
        **staff_summary(application).model_dump(), applicant=_applicant(signed),
        values=values, attachments=refs, history=history(session, sealer, application.id),
        signature=SignatureCheck(valid=reason is None, checked_at=now, reason=reason))


def advance(session: Session, sealer: Sealer, application: Application, *,
            to: ApplicationStatus, comment: str | None, staff_user_id: str,
            now: datetime) -> StaffApplicationSummary:
    """Move the application on (committed); TransitionNotAllowed if the rules do not let
    staff move it from where it is now to `to`."""
    allowed_from = [status for status, targets in STAFF_MOVES.items() if to in targets]
    if ApplicationStatus(application.status) not in allowed_from or not move(
            session, application.id, allowed_from=allowed_from, to=to, now=now):
        session.rollback()
        raise TransitionNotAllowed(f"{application.status} -> {to}")
    record_event(session, sealer, application, status=to, now=now, comment=comment,
                 staff_user_id=staff_user_id)
    session.commit()
    session.refresh(application)
    return staff_summary(application)


def verify_receipt(session: Session, sealer: Sealer, code: str, *, staff_user_id: str,
                   now: datetime) -> StaffApplicationSummary | None:
    application = receipts.use(session, sealer, code, staff_user_id=staff_user_id, now=now)
    return None if application is None else staff_summary(application)


def attachment(session: Session, sealer: Sealer, application: Application,
               attachment_id: str) -> tuple[bytes, str] | None:
    """An attachment of the application's current submission: (bytes, media type)."""
    _, refs = signed_content(latest_signed(session, sealer, application))
    if attachment_id not in {ref.attachment_id for ref in refs}:
        return None
    stored = session.get(StoredAttachment, attachment_id)
    if stored is None or stored.user_id != application.user_id:
        return None
    return open_attachment(sealer, stored), stored.media_type
