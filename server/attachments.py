"""Attachments: files a resident uploads before signing (a photo of a certificate, a PDF).

The declared media type must be what the file's first bytes say (JPEG, PNG, PDF only), so a
script named .jpg is refused. The bytes are sealed under the server key, bound to the
resident and the id. PUT is idempotent: the same id and bytes answer the stored file again,
other bytes under a used id are a conflict. A resident keeps at most so many files and so many
bytes, checked in the INSERT itself (server.core.quota), so parallel uploads cannot overshoot.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from server.application_models import AttachmentPublic, StoredAttachment
from server.core.config import ServerSettings
from server.core.quota import insert_capped
from server.core.sealing import Sealer

MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}


class AttachmentRefused(Exception):
    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status, self.code = status, code


@dataclass(frozen=True)
class Stored:
    public: AttachmentPublic
    created: bool


@dataclass(frozen=True)
class Facts:
    """An upload without its bytes (they are up to 10 MiB: not loaded to compare)."""

    id: str
    user_id: str
    media_type: str
    size: int
    sha256: str


def facts(session: Session, attachment_id: str) -> Facts | None:
    row = session.execute(select(
        col(StoredAttachment.id), col(StoredAttachment.user_id),
        col(StoredAttachment.media_type), col(StoredAttachment.size),
        col(StoredAttachment.sha256),
    ).where(col(StoredAttachment.id) == attachment_id)).first()
    return None if row is None else Facts(*row)


def looks_like(media_type: str, data: bytes) -> bool:
    return any(data.startswith(magic) for magic in MAGIC.get(media_type, ()))


def _context(user_id: str, attachment_id: str) -> str:
    return f"application_attachment:{user_id}:{attachment_id}"


def public(row: StoredAttachment | Facts) -> AttachmentPublic:
    return AttachmentPublic(id=row.id, media_type=row.media_type,  # type: ignore[arg-type]
                            size=row.size, sha256=row.sha256)


def open_attachment(sealer: Sealer, row: StoredAttachment) -> bytes:
    return sealer.open(row.sealed, context=_context(row.user_id, row.id))


def _same(row: Facts, user_id: str, media_type: str, digest: str) -> Stored:
    if row.user_id != user_id:
        # A random 128-bit id someone else holds: refused without saying whose.
        raise AttachmentRefused(409, "attachment_id_taken")
    if (row.media_type, row.sha256) != (media_type, digest):
        raise AttachmentRefused(409, "attachment_exists")
    return Stored(public(row), created=False)


def store(session: Session, sealer: Sealer, settings: ServerSettings, *, user_id: str,
          attachment_id: str, media_type: str, data: bytes, now: datetime) -> Stored:
    """Keep the file (committed), or answer the same one again; AttachmentRefused if not."""
    if not looks_like(media_type, data):
        raise AttachmentRefused(422, "content_not_media_type")
    digest = hashlib.sha256(data).hexdigest()
    existing = facts(session, attachment_id)
    session.rollback()  # end the read; the insert below decides races
    if existing is not None:
        return _same(existing, user_id, media_type, digest)
    values = {"id": attachment_id, "user_id": user_id, "media_type": media_type,
              "size": len(data), "sha256": digest, "created_at": now,
              "sealed": sealer.seal(data, context=_context(user_id, attachment_id))}
    mine = col(StoredAttachment.user_id) == user_id
    total = select(func.coalesce(func.sum(StoredAttachment.size), 0)).where(
        mine).scalar_subquery()
    try:
        inserted = insert_capped(
            session, StoredAttachment, values, scope=mine,
            cap=settings.max_attachments_per_user, lock_key=f"attachments:{user_id}",
            also=total + literal(len(data)) <= settings.max_attachment_total_bytes)
        if inserted:
            session.commit()
            return Stored(public(Facts(attachment_id, user_id, media_type, len(data), digest)),
                          created=True)
    except IntegrityError:
        pass
    # Not inserted: a copy of this upload may have got there first (compare with it), or the
    # resident's files are at their limit.
    session.rollback()
    existing = facts(session, attachment_id)
    session.rollback()
    if existing is not None:
        return _same(existing, user_id, media_type, digest)
    raise AttachmentRefused(409, "attachment_limit_reached")
