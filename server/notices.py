"""Notice storage helpers (keyword-only, like the FastAPI template's crud module)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from server.models import (
    Notice,
    NoticeCategory,
    NoticePublic,
    NoticeText,
    NoticeTextPublic,
)
from server.revisions import next_revision


def upsert_notice(
    *,
    session: Session,
    external_id: str,
    category: NoticeCategory,
    published_at: datetime,
    texts: Mapping[str, tuple[str, str]],
    municipality: str | None = None,
) -> Notice:
    """Create or replace a notice and its texts; bumps its revision so clients pull it."""
    if published_at.tzinfo is None:
        raise ValueError("published_at must carry a time zone")
    published_at = published_at.astimezone(UTC)
    notice = session.exec(select(Notice).where(Notice.external_id == external_id)).first()
    if notice is None:
        notice = Notice(external_id=external_id, category=category, published_at=published_at,
                        municipality=municipality)
        session.add(notice)
        session.flush()
    else:
        notice.category = category
        notice.published_at = published_at
        notice.municipality = municipality
        notice.withdrawn = False
        for old in session.exec(select(NoticeText).where(NoticeText.notice_id == notice.id)):
            session.delete(old)
        session.flush()
    assert notice.id is not None
    for lang, (title, body) in texts.items():
        session.add(NoticeText(notice_id=notice.id, lang=lang, title=title, body=body))
    notice.revision = next_revision(session=session, entity="notice", entity_id=notice.id)
    session.add(notice)
    return notice


def withdraw_notice(*, session: Session, notice_id: int) -> Notice | None:
    notice = session.get(Notice, notice_id)
    if notice is None:
        return None
    notice.withdrawn = True
    notice.revision = next_revision(session=session, entity="notice", entity_id=notice_id)
    session.add(notice)
    return notice


def latest_revision(*, session: Session) -> int:
    return session.exec(select(func.coalesce(func.max(Notice.revision), 0))).one()


def count_notices(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(Notice)).one()


def _id(notice: Notice) -> int:
    assert notice.id is not None  # rows read from the database have their id
    return notice.id


def notices_since(*, session: Session, since: int, limit: int) -> tuple[list[NoticePublic], bool]:
    """Notices changed after revision `since`, oldest change first, and whether more remain."""
    rows = session.exec(
        select(Notice)
        .where(Notice.revision > since)
        .order_by(col(Notice.revision))
        .limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    ids = [n.id for n in rows if n.id is not None]
    texts: dict[int, dict[str, NoticeText]] = {}
    if ids:
        for text in session.exec(select(NoticeText).where(col(NoticeText.notice_id).in_(ids))):
            texts.setdefault(text.notice_id, {})[text.lang] = text
    page = [
        NoticePublic(
            id=_id(n),
            category=n.category,
            published_at=n.published_at,
            revision=n.revision,
            withdrawn=n.withdrawn,
            municipality=n.municipality,
            texts={
                lang: NoticeTextPublic(title=t.title, body=t.body)
                for lang, t in texts.get(_id(n), {}).items()
            }
            if not n.withdrawn
            else {},
        )
        for n in rows
    ]
    return page, has_more
