"""The canonical JSON an e-application signature covers (figure 4): UTF-8, keys sorted, no
insignificant whitespace, no ASCII escaping, no floats.

The client writes it (services/mynumber/canonical.py), but the server never imports the
client, so it checks the bytes on its own terms: parsed and written again canonically, they
must come out byte for byte the same. So one document has exactly one signed form: no
duplicate keys, no other spacing or escaping, no "1.0" for 1, nothing a reader could take two
ways.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn


class NotCanonical(ValueError):
    """The bytes are not the canonical JSON of any value."""


def _refuse(_text: str) -> NoReturn:
    # Floats and NaN/Infinity print differently across languages: never in a signed document.
    raise NotCanonical("a float is not allowed in a signed document")


def canonical_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def parse_canonical(data: bytes) -> Any:
    """The value `data` is the canonical JSON of; NotCanonical if it is not exactly that."""
    try:
        value = json.loads(data.decode("utf-8"), parse_float=_refuse, parse_constant=_refuse)
        again = canonical_bytes(value)
    except NotCanonical:
        raise
    except (UnicodeError, ValueError, RecursionError) as exc:  # lone surrogates included
        raise NotCanonical("not UTF-8 JSON") from exc
    if again != data:
        raise NotCanonical("not in canonical form")
    return value
