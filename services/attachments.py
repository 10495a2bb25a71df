"""Files attached to an application: what they really are, and whether a spec takes them.

The type is read from the file's first bytes, not from its name: a photo renamed .pdf is still
a photo, and the server checks the same way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from forms.definition import AttachmentSpec, MediaType
from forms.problems import Problem, ProblemCode

MAGIC: tuple[tuple[bytes, MediaType], ...] = (
    (b"\xff\xd8\xff", MediaType.jpeg),
    (b"\x89PNG\r\n\x1a\n", MediaType.png),
    (b"%PDF-", MediaType.pdf),
)


@dataclass(frozen=True)
class PickedFile:
    """A file the resident chose (camera or files), with its bytes."""

    name: str
    data: bytes


def sniff(data: bytes) -> MediaType | None:
    return next((kind for magic, kind in MAGIC if data.startswith(magic)), None)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def refusal(spec: AttachmentSpec, picked: PickedFile, already: int) -> Problem | None:
    """Why this spec cannot take this file, or None."""
    kind = sniff(picked.data)
    if kind is None or kind not in spec.media_types:
        return Problem((spec.id,), ProblemCode.attachment_type,
                       {"allowed": ", ".join(m.value for m in spec.media_types)})
    if len(picked.data) > spec.max_bytes:
        return Problem((spec.id,), ProblemCode.attachment_too_large,
                       {"max_bytes": spec.max_bytes})
    if already >= spec.max_files:
        return Problem((spec.id,), ProblemCode.too_many_files, {"max": spec.max_files})
    return None
