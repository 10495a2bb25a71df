"""The validator: one set of rules for the server (authoritative) and the client (as you type).

Values are plain JSON: strings for text, kana, date (ISO), postal code, phone, email and choice;
an int for a number (a digit string is accepted); a bool for consent; a list of objects for a
group. An empty string, None or a missing key means "not given".

`check` and `fee_for` normalise first, so `check(v) == check(normalize(v))`: the resident is
never told "9300094" is wrong while the app would have accepted it. None of these functions
raises or recurses on hostile input; a value of the wrong shape is a `wrong_type` problem.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms import canonical
from forms.definition import AttachmentSpec, DateBound, FieldType, FormField, Procedure
from forms.problems import Path, Problem, ProblemCode

# When a definition sets no max_length: enough for any real name, address or description.
DEFAULT_MAX_LENGTH = {"line": 200, "multiline": 2000, "kana": 100}
EMAIL_MAX_LENGTH = 254
_KEY_SHOWN = 80  # an unknown key is named in a problem cut to this length


@dataclass(frozen=True)
class AttachedFile:
    """A file the resident uploaded (PUT /v1/attachments) and attached to a spec."""

    spec: str
    attachment_id: str
    media_type: str
    size: int
    sha256: str


def max_length(field: FormField) -> int | None:
    """The longest text the field takes (None: the type limits it)."""
    if field.max_length is not None:
        return field.max_length
    if field.type is FieldType.text:
        return DEFAULT_MAX_LENGTH["multiline" if field.multiline else "line"]
    if field.type is FieldType.kana:
        return DEFAULT_MAX_LENGTH["kana"]
    if field.type is FieldType.email:
        return EMAIL_MAX_LENGTH
    return None


# --- normalising ----------------------------------------------------------------------------


def normalize_field(field: FormField, value: Any) -> Any:
    """The canonical form of one field's value; what cannot be made canonical is returned
    unchanged (or only cleaned) for `check_field` to report."""
    if field.type is FieldType.group:
        return _normalize_group(field, value)
    if field.type is FieldType.number:
        return _normalize_number(value)
    if not isinstance(value, str):
        return value
    match field.type:
        case FieldType.text:
            return canonical.clean(value, multiline=field.multiline)
        case FieldType.kana:
            return canonical.katakana(value)
        case FieldType.date:
            return canonical.iso_date(value)
        case FieldType.postal_code:
            return canonical.postal_code(value)
        case FieldType.phone:
            return canonical.phone(value)
        case FieldType.email:
            return canonical.email(value)
        case FieldType.choice:
            choice = canonical.clean(value)
            return choice.lower() if choice.isascii() else choice
    return value


def _normalize_number(value: Any) -> Any:
    if isinstance(value, str):
        return canonical.integer(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)  # 3.0 from a JavaScript client
    return value


def _normalize_group(field: FormField, value: Any) -> Any:
    # A list far over the limit is left alone: check reports it, normalising it is wasted work.
    if not isinstance(value, list) or len(value) > field.max_items:
        return value
    subfields = {sub.id: sub for sub in field.fields}
    return [
        {key: normalize_field(subfields[key], item_value) if key in subfields else item_value
         for key, item_value in item.items()}
        if isinstance(item, dict) else item
        for item in value
    ]


def normalize(procedure: Procedure, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values in canonical form; keys that are not fields are kept for `check` to report."""
    if not isinstance(values, Mapping):
        return {}
    return {
        key: normalize_field(field, value) if (field := _field(procedure, key)) else value
        for key, value in values.items()
    }


def _field(procedure: Procedure, key: object) -> FormField | None:
    return procedure.field(key) if isinstance(key, str) else None


# --- checking -------------------------------------------------------------------------------


def _not_given(value: Any) -> bool:
    return value is None or value == "" or value == []


def _wrong_type(path: Path, expected: str) -> list[Problem]:
    return [Problem(path, ProblemCode.wrong_type, {"expected": expected})]


def check_field(field: FormField, value: Any, *, today: date, path: tuple = ()) -> list[Problem]:
    """Problems of one field's value. `path` is where the field sits (a group's id and the
    item's index for a field inside a group); problems carry `path + (field.id,)`."""
    here: Path = (*path, field.id)
    value = normalize_field(field, value)
    if _not_given(value):
        return [Problem(here, ProblemCode.required)] if field.required else []
    if field.type is FieldType.group:
        return _check_group(field, value, today, here)
    if field.type is FieldType.number:
        return _check_number(field, value, here)
    if field.type is FieldType.consent:
        if not isinstance(value, bool):
            return _wrong_type(here, "boolean")
        return [Problem(here, ProblemCode.must_accept)] if field.required and not value else []
    if not isinstance(value, str) or not canonical.is_unicode(value):
        return _wrong_type(here, "string")
    limit = max_length(field)
    if limit is not None and len(value) > limit:
        return [Problem(here, ProblemCode.too_long, {"max": limit})]
    return _check_text(field, value, today, here)


def _check_text(field: FormField, value: str, today: date, here: Path) -> list[Problem]:
    code: ProblemCode | None = None
    match field.type:
        case FieldType.kana:
            code = None if canonical.is_katakana(value) else ProblemCode.not_kana
        case FieldType.postal_code:
            ok = canonical.POSTAL_CANONICAL.fullmatch(value) is not None
            code = None if ok else ProblemCode.not_a_postal_code
        case FieldType.phone:
            code = None if canonical.is_phone(value) else ProblemCode.not_a_phone
        case FieldType.email:
            code = None if canonical.is_email(value) else ProblemCode.not_an_email
        case FieldType.choice:
            known = any(option.value == value for option in field.options)
            code = None if known else ProblemCode.unknown_choice
        case FieldType.date:
            return _check_date(field, value, today, here)
    return [Problem(here, code)] if code else []


def _check_date(field: FormField, value: str, today: date, here: Path) -> list[Problem]:
    day = canonical.parse_iso_date(value)
    if day is None:
        return [Problem(here, ProblemCode.not_a_date)]
    if field.bound is DateBound.past and day > today:
        return [Problem(here, ProblemCode.date_in_future, {"latest": today.isoformat()})]
    if field.bound is DateBound.future and day < today:
        return [Problem(here, ProblemCode.date_in_past, {"earliest": today.isoformat()})]
    return []


def _check_number(field: FormField, value: Any, here: Path) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return _wrong_type(here, "integer")
    if not isinstance(value, int):  # text that is no integer, 2.5, NaN
        return [Problem(here, ProblemCode.not_a_number)]
    if field.min is not None and value < field.min:
        return [Problem(here, ProblemCode.too_small, {"min": field.min})]
    if field.max is not None and value > field.max:
        return [Problem(here, ProblemCode.too_large, {"max": field.max})]
    return []


def _check_group(field: FormField, items: Any, today: date, here: Path) -> list[Problem]:
    if not isinstance(items, list):
        return _wrong_type(here, "list")
    problems: list[Problem] = []
    if len(items) < field.min_items:
        problems.append(Problem(here, ProblemCode.too_few_items, {"min": field.min_items}))
    if len(items) > field.max_items:
        problems.append(Problem(here, ProblemCode.too_many_items, {"max": field.max_items}))
    for index, item in enumerate(items[: field.max_items]):
        if not isinstance(item, Mapping):
            problems += _wrong_type((*here, index), "object")
            continue
        problems += _check_fields(field.fields, item, today, (*here, index))
    return problems


def _check_fields(fields: Sequence[FormField], values: Mapping[Any, Any], today: date,
                  path: Path) -> list[Problem]:
    problems: list[Problem] = []
    for field in fields:
        problems += check_field(field, values.get(field.id), today=today, path=path)
    known = {field.id for field in fields}
    problems += [Problem((*path, _shown_key(key)), ProblemCode.unknown_field)
                 for key in values if key not in known]
    return problems


def _shown_key(key: object) -> str:
    """An unknown key as a problem names it: text that survives UTF-8, cut short."""
    text = key if isinstance(key, str) else repr(key)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text[:_KEY_SHOWN]


def check(procedure: Procedure, values: Mapping[str, Any], *, today: date,
          attachments: Sequence[AttachedFile] = ()) -> list[Problem]:
    """Every problem of a submission's values and attachments, in the order of the form."""
    if not isinstance(values, Mapping):
        return _wrong_type((), "object")
    problems = _check_fields(procedure.fields, values, today, ())
    return problems + _check_attachments(procedure, attachments)


def _check_attachments(procedure: Procedure,
                       attachments: Sequence[AttachedFile]) -> list[Problem]:
    problems: list[Problem] = []
    specs = {spec.id: spec for spec in procedure.attachments}
    for spec in procedure.attachments:
        files = [file for file in attachments if file.spec == spec.id]
        problems += _check_files(spec, files)
    problems += [Problem((_shown_key(file.spec),), ProblemCode.unknown_field)
                 for file in attachments if file.spec not in specs]
    return problems


def _check_files(spec: AttachmentSpec, files: list[AttachedFile]) -> list[Problem]:
    here: Path = (spec.id,)
    if not files:
        return [Problem(here, ProblemCode.attachment_missing)] if spec.required else []
    problems: list[Problem] = []
    if len(files) > spec.max_files:
        problems.append(Problem(here, ProblemCode.too_many_files, {"max": spec.max_files}))
    allowed = {media_type.value for media_type in spec.media_types}
    for index, file in enumerate(files):
        if file.media_type not in allowed:
            problems.append(Problem((*here, index), ProblemCode.attachment_type,
                                    {"allowed": ", ".join(sorted(allowed))}))
        if isinstance(file.size, bool) or not isinstance(file.size, int) or file.size < 0:
            problems += _wrong_type((*here, index), "integer")
        elif file.size > spec.max_bytes:
            problems.append(Problem((*here, index), ProblemCode.attachment_too_large,
                                    {"max_bytes": spec.max_bytes}))
    return problems


# --- fee ------------------------------------------------------------------------------------


def fee_for(procedure: Procedure, values: Mapping[str, Any]) -> int:
    """Yen to pay: the fee, times the per-field number (copies) when the fee is per unit;
    0 while that number is not given or not valid, and 0 for a procedure without a fee."""
    fee = procedure.fee
    if fee is None:
        return 0
    if fee.per_field is None:
        return fee.yen
    field = procedure.field(fee.per_field)
    if field is None or not isinstance(values, Mapping):
        return 0
    count = normalize_field(field, values.get(field.id))
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return 0
    # Any date will do: a number has no date bound.
    if check_field(field, count, today=date.min):
        return 0
    return fee.yen * count
