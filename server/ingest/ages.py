"""受入年齢 as published ("0歳～5歳", "生後57日～就学前", "3歳以上", "小学1年生～小学6年生") to a
range of months: the lower bound included, the upper bound excluded ("～5歳" takes children
until their 6th birthday: 72). Text we cannot read gives (None, None); the text itself is kept."""

from __future__ import annotations

import re

from server.ingest.cells import normal

_MONTH = r"(?:か|ヶ|ケ|カ|ヵ|箇|ヵ)?月"
_TERMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"生後(\d+)日"), "days"),
    (re.compile(rf"(?:生後)?(\d+)歳(\d+){_MONTH}"), "years_months"),
    (re.compile(r"(\d+)歳児?"), "years"),
    (re.compile(rf"生後(\d+){_MONTH}|(\d+){_MONTH}"), "months"),
    (re.compile(r"小学(?:校)?(\d)年生?|小(\d)"), "primary"),
    (re.compile(r"中学(?:校)?(\d)年生?|中(\d)"), "middle"),
    (re.compile(r"(?:小学校)?就学前"), "preschool"),
]
_SCHOOL_START = 72  # children start primary school at six


def _term(text: str) -> tuple[int | None, int | None] | None:
    """(first month, first month after) of one age expression, or None."""
    for pattern, kind in _TERMS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        numbers = [int(g) for g in match.groups() if g is not None]
        if kind == "days":
            first = numbers[0] * 12 // 365
            return first, first + 1
        if kind == "years_months":
            first = numbers[0] * 12 + numbers[1]
            return first, first + 1
        if kind == "years":
            return numbers[0] * 12, numbers[0] * 12 + 12
        if kind == "months":
            return numbers[0], numbers[0] + 1
        if kind in ("primary", "middle"):
            base = _SCHOOL_START if kind == "primary" else _SCHOOL_START + 72
            return base + (numbers[0] - 1) * 12, base + numbers[0] * 12
        return None, _SCHOOL_START  # 就学前: until school
    return None


def age_months(text: str) -> tuple[int | None, int | None]:
    value = re.sub(r"\s", "", normal(text)).replace("〜", "~").replace("から", "~")
    value = value.replace("まで", "")
    if not value:
        return None, None
    if "~" in value:
        low_text, _, high_text = value.partition("~")
        low = _term(low_text) if low_text else (None, None)
        high = _term(high_text) if high_text else (None, None)
        if low is None or high is None:
            return None, None
        return low[0], high[1]
    for suffix, pick in (("以上", "from"), ("未満", "below"), ("以下", "upto")):
        if value.endswith(suffix):
            term = _term(value[: -len(suffix)])
            if term is None:
                return None, None
            if pick == "from":
                return term[0], None
            return None, term[0] if pick == "below" else term[1]
    term = _term(value)
    return term if term is not None else (None, None)
