"""Canonical JSON: the exact bytes an e-application signature covers (figure 4).

UTF-8, keys sorted, no insignificant whitespace, no ASCII escaping. Floats are refused: their
textual form differs between languages and would make the same document hash differently on
the server; amounts are integers (yen) and anything else travels as strings. Booleans, None,
ints, strings, lists and dicts with string keys are allowed.
"""

from __future__ import annotations

import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    _check(value)
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def _check(value: Any) -> None:
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        raise TypeError("floats are not allowed in a signed document; use int or str")
    if isinstance(value, list | tuple):
        for item in value:
            _check(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("object keys must be strings")
            _check(item)
        return
    raise TypeError(f"{type(value).__name__} cannot be signed as JSON")
