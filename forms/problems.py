"""What can be wrong with a value: a code, where, and the numbers a message needs.

The client turns a Problem into a translated sentence that says how to fix it
(services/procedures.py); the server answers the same codes in a rejection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ProblemCode(StrEnum):
    required = "required"
    too_long = "too_long"
    not_kana = "not_kana"
    not_a_date = "not_a_date"
    date_in_future = "date_in_future"  # a past-bound date after today
    date_in_past = "date_in_past"  # a future-bound date before today
    not_a_postal_code = "not_a_postal_code"
    not_a_phone = "not_a_phone"
    not_an_email = "not_an_email"
    not_a_number = "not_a_number"
    too_small = "too_small"
    too_large = "too_large"
    unknown_choice = "unknown_choice"
    must_accept = "must_accept"
    too_few_items = "too_few_items"
    too_many_items = "too_many_items"
    unknown_field = "unknown_field"
    wrong_type = "wrong_type"  # a value of the wrong JSON type (a list for a date...)
    attachment_missing = "attachment_missing"
    attachment_type = "attachment_type"
    attachment_too_large = "attachment_too_large"
    too_many_files = "too_many_files"


Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: Path  # ("children", 0, "birth_date") or ("postal_code",)
    code: ProblemCode
    params: dict[str, int | str] = field(default_factory=dict)  # {"max": 40}, {"min": 1}

    @property
    def field_id(self) -> str:
        """The top-level field or attachment; "" for a problem of the values as a whole."""
        return str(self.path[0]) if self.path else ""
