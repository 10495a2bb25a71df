"""Reading applications back: summaries, the signed values (opened from their seal), history
and the resident's inbox. Shared by the resident's routes, the staff routes and the staff CLI.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session, col, select

from server.application_models import (
    Application,
    ApplicationEvent,
    ApplicationPublic,
    ApplicationStatus,
    ApplicationSubmission,
    ApplicationSummary,
    AttachmentRef,
    HistoryEntry,
    InboxEvent,
    InboxPage,
    StaffApplicationSummary,
)
from server.applications import comment_context
from server.core.canonical import NotCanonical, parse_canonical
from server.core.sealing import Sealer, SealingError
from server.signed_submission import Signed, unseal

log = logging.getLogger("kitokito.applications")
_REFS = TypeAdapter(list[AttachmentRef])


def summary(application: Application) -> ApplicationSummary:
    return ApplicationSummary.model_validate(application, from_attributes=True)


def staff_summary(application: Application) -> StaffApplicationSummary:
    return StaffApplicationSummary.model_validate(application, from_attributes=True)


def comment_of(sealer: Sealer, event: ApplicationEvent) -> str | None:
    if event.sealed_comment is None:
        return None
    try:
        return sealer.open(event.sealed_comment,
                           context=comment_context(event.application_id)).decode("utf-8")
    except (SealingError, UnicodeDecodeError):
        log.error("a comment of application %s… does not open with the server key",
                  event.application_id[:8])
        return None


def history(session: Session, sealer: Sealer, application_id: str) -> list[HistoryEntry]:
    events = session.exec(select(ApplicationEvent)
                          .where(col(ApplicationEvent.application_id) == application_id)
                          .order_by(col(ApplicationEvent.id))).all()
    return [HistoryEntry(status=ApplicationStatus(e.status), comment=comment_of(sealer, e), at=e.at)
            for e in events]


def latest_signed(session: Session, sealer: Sealer, application: Application) -> Signed | None:
    row = session.get(ApplicationSubmission, (application.id, application.revision))
    if row is None:
        return None
    try:
        return unseal(sealer, row.sealed, user_id=application.user_id,
                      application_id=application.id, revision=application.revision)
    except (SealingError, ValueError, KeyError):
        log.error("submission %s… r%d does not open with the server key", application.id[:8],
                  application.revision)
        return None


def signed_content(signed: Signed | None) -> tuple[dict[str, Any], list[AttachmentRef]]:
    """The values and attachments of a signed document (empty if it cannot be read)."""
    if signed is None:
        return {}, []
    try:
        document = parse_canonical(signed.document)
        values = document["values"]
        refs = _REFS.validate_python(document["attachments"])
    except (NotCanonical, TypeError, KeyError, ValidationError):
        return {}, []
    return (values if isinstance(values, dict) else {}), refs


def public(session: Session, sealer: Sealer, application: Application) -> ApplicationPublic:
    values, refs = signed_content(latest_signed(session, sealer, application))
    return ApplicationPublic(**summary(application).model_dump(), values=values,
                             attachments=refs,
                             history=history(session, sealer, application.id))


def of_resident(session: Session, user_id: str, limit: int) -> list[ApplicationSummary]:
    rows = session.exec(select(Application).where(col(Application.user_id) == user_id)
                        .order_by(col(Application.submitted_at).desc(), col(Application.id))
                        .limit(limit)).all()
    return [summary(row) for row in rows]


def inbox(session: Session, sealer: Sealer, user_id: str, *, after: int,
          limit: int) -> InboxPage:
    events = session.exec(select(ApplicationEvent)
                          .where(col(ApplicationEvent.user_id) == user_id,
                                 col(ApplicationEvent.id) > after)
                          .order_by(col(ApplicationEvent.id)).limit(limit)).all()
    page = [InboxEvent(id=e.id or 0, application_id=e.application_id,
                       procedure_id=e.procedure_id, status=ApplicationStatus(e.status),
                       comment=comment_of(sealer, e), at=e.at) for e in events]
    return InboxPage(events=page, cursor=page[-1].id if page else after)
