"""The catalogue of procedures shipped as JSON in forms/catalogue/, and its translatable texts.

The server answers it at GET /v1/procedures (its `version` is the ETag); the client bundles it
for the first start offline; tools/i18n.py extracts its texts for translation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from forms.definition import Catalogue, FormField, Procedure

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"


def read_catalogue(directory: Path) -> Catalogue:
    """Every `*.json` of a directory as a catalogue, sorted by id. Raises on an invalid file
    (pydantic's ValidationError) or a repeated id (ValueError): a broken catalogue never ships."""
    procedures = sorted(
        (Procedure.model_validate_json(path.read_bytes()) for path in directory.glob("*.json")),
        key=lambda procedure: procedure.id,
    )
    ids = [procedure.id for procedure in procedures]
    if len(ids) != len(set(ids)):
        raise ValueError(f"procedure ids repeat in {directory}: {sorted(ids)}")
    return Catalogue(version=catalogue_version(procedures), procedures=tuple(procedures))


def catalogue_version(procedures: Iterable[Procedure]) -> str:
    """First 16 hex digits of SHA-256 over the procedures' canonical JSON: any change of any
    definition gives another version (and ETag)."""
    canonical = json.dumps(
        [procedure.model_dump(mode="json") for procedure in procedures],
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@cache
def load_catalogue() -> Catalogue:
    """The bundled catalogue (read once; a Catalogue is immutable)."""
    return read_catalogue(CATALOGUE_DIR)


def procedure_texts(p: Procedure) -> list[str]:
    """Every translatable msgid of a definition, once each, in the order of the form."""
    texts = [p.title, p.summary, p.who_may_apply, *_field_texts(p.fields)]
    for attachment in p.attachments:
        texts += [attachment.label, *([attachment.help] if attachment.help else [])]
    texts.append(p.office.name)
    return list(dict.fromkeys(text for text in texts if text))


def _field_texts(fields: Iterable[FormField]) -> Iterator[str]:
    for field in fields:
        yield field.label
        if field.help:
            yield field.help
        if field.unit:
            yield field.unit
        yield from (option.label for option in field.options)
        yield from _field_texts(field.fields)
