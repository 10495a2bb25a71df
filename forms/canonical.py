"""How people really type values into Japanese forms, made canonical. Pure functions on str.

Every function here takes any string (full-width, half-width kana, lone surrogates, megabytes)
and returns a string without raising. What it cannot make canonical it returns cleaned but
otherwise as typed, for the validator to report.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# Longer strings are left exactly as typed: normalising them is wasted work, since every
# field's maximum length is far below this and the validator reports them as too long.
MAX_NORMALISED = 20_000

# What people type for the hyphen of a phone number or a postal code (after NFKC, which already
# folds the full-width hyphen-minus): dashes, the minus sign, the katakana long-vowel mark.
_HYPHENS = "‐‑‒–—―−ー﹣─━ｰ"
_TO_HYPHEN = str.maketrans(dict.fromkeys(_HYPHENS, "-"))
# Control characters other than newline and tab: never part of a value, and some stores refuse
# them (PostgreSQL rejects NUL in text).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")
# CJK compatibility ideographs (神, 﨑's neighbours...) are how some people's names are written:
# NFKC would swap them for the unified ideograph, so they are kept as typed.
_COMPAT_IDEOGRAPHS = re.compile("([\uf900-\ufaff\U0002f800-\U0002fa1f])")

# Unicode's hiragana block sits 0x60 below katakana: ぁ..ゖ and the iteration marks ゝゞ.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in (*range(0x3041, 0x3097), 0x309D, 0x309E)}
# Katakana (ァ..ヺ, the middle dot of foreign names, ー, ヽヾ) and spaces.
_KANA = re.compile(r"[\u30a1-\u30fe ]+")

_POSTAL = re.compile(r"([0-9]{3})-?([0-9]{4})")
POSTAL_CANONICAL = re.compile(r"[0-9]{3}-[0-9]{4}")

_PHONE_SHAPE = re.compile(r"[0-9]+(?:-[0-9]+){0,2}")
_MOBILE_AND_IP = ("050", "070", "080", "090")  # 11 digits
_NOT_LANDLINE = (*_MOBILE_AND_IP, "020")  # never 10 digits

# Japanese eras people write birth dates in; the year before each era's first year.
_ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925,
         "大正": 1911, "T": 1911}
_DATE_PARTS = re.compile(
    r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")
_DATE_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_ERA_DATE = re.compile(
    r"(令和|平成|昭和|大正|[RHST])\s*([0-9]{1,2}|元)\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*"
    r"([0-9]{1,2})\s*日?", re.IGNORECASE)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def clean(text: str, *, multiline: bool = False) -> str:
    """NFKC (full-width letters and digits to half-width, half-width kana to full-width, the
    ideographic space to a space), control characters dropped, runs of spaces made one, trimmed.
    One-line values lose their line breaks (a pasted address)."""
    if len(text) > MAX_NORMALISED:
        return text
    text = _nfkc(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROLS.sub("", text.replace("\t", " "))
    if multiline:
        return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def _nfkc(text: str) -> str:
    if text.isascii():
        return text
    # re.split with a group keeps the ideographs at the odd indexes.
    parts = _COMPAT_IDEOGRAPHS.split(text)
    return "".join(part if index % 2 else unicodedata.normalize("NFKC", part)
                   for index, part in enumerate(parts))


def ascii_digits(text: str) -> str:
    """Decimal digits of any script (Devanagari, Arabic-Indic...) as 0-9; NFKC leaves them."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def katakana(text: str) -> str:
    """Furigana as katakana: hiragana converted, half-width kana widened, ー kept."""
    return clean(text).translate(_HIRAGANA_TO_KATAKANA)


def is_unicode(text: str) -> bool:
    """False for a string with lone surrogates: it has no UTF-8 form, so no store or signed
    document can hold it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_katakana(text: str) -> bool:
    return _KANA.fullmatch(text) is not None


def postal_code(text: str) -> str:
    """〒930-0094 from 9300094, 930-0094, 〒９３０ー００９４, "930 0094"."""
    cleaned = clean(text)
    compact = re.sub(r"\s", "", ascii_digits(cleaned).translate(_TO_HYPHEN)).lstrip("〒")
    match = _POSTAL.fullmatch(compact)
    return f"{match[1]}-{match[2]}" if match else cleaned


def phone(text: str) -> str:
    """Digits and hyphens as typed, with the hyphen variants, spaces, brackets (076(444)3300)
    and Japan's country code (+81 90...) turned into the domestic form."""
    number = ascii_digits(clean(text)).translate(_TO_HYPHEN)
    if len(number) > 40:
        return number
    number = re.sub(r"\s*-\s*", "-", number)
    number = re.sub(r"\s+", "-", number)
    if number.startswith("+81"):
        rest = number[3:].lstrip("-")
        rest = rest[3:].lstrip("-") if rest.startswith("(0)") else rest
        number = rest if rest.startswith("0") else "0" + rest
    number = re.sub(r"^\(([0-9]+)\)-?", r"\1-", number)  # (076)444-3300
    return re.sub(r"([0-9])-?\(([0-9]+)\)-?", r"\1-\2-", number)  # 076(444)3300


def is_phone(text: str) -> bool:
    """A Japanese number: 10 digits from 0 (landlines, 0120), or 11 digits (070/080/090
    mobiles, 050 IP phones); at most two hyphens, between digits."""
    if len(text) > 20 or _PHONE_SHAPE.fullmatch(text) is None:
        return False
    digits = text.replace("-", "")
    if len(digits) == 10:
        return digits[0] == "0" and digits[1] != "0" and not digits.startswith(_NOT_LANDLINE)
    return len(digits) == 11 and digits.startswith(_MOBILE_AND_IP)


def iso_date(text: str) -> str:
    """yyyy-mm-dd from 2026-1-5, 2026/01/05, 2026.1.5, 20260105, 2026年1月5日, 令和8年1月5日,
    R8.1.5, full-width digits. The calendar check is the validator's."""
    cleaned = clean(text)
    if len(cleaned) > 40:
        return cleaned
    typed = ascii_digits(cleaned).translate(_TO_HYPHEN)
    if match := _DATE_PARTS.fullmatch(typed) or _DATE_COMPACT.fullmatch(typed):
        return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
    if match := _ERA_DATE.fullmatch(typed):
        era_year = 1 if match[2] == "元" else int(match[2])
        year = _ERAS[match[1].upper()] + era_year
        return f"{year:04d}-{int(match[3]):02d}-{int(match[4]):02d}"
    return cleaned


def parse_iso_date(text: str) -> date | None:
    if ISO_DATE.fullmatch(text) is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:  # 2026-02-30
        return None


def email(text: str) -> str:
    """NFKC turns the full-width ＠ and letters of a Japanese keyboard into ASCII."""
    return clean(text)


_EMAIL_FORBIDDEN = set('<>()[]\\,;:"')


def is_email(text: str) -> bool:
    """Pragmatic: one @, a dotted domain of letters, digits and hyphens, no spaces. Dots in the
    local part are not checked: Japanese carriers long issued addresses like taro..y.@docomo."""
    if len(text) > 254 or text.count("@") != 1:
        return False
    local, domain = text.split("@")
    if not local or len(local) > 64 or any(
            ch.isspace() or ch in _EMAIL_FORBIDDEN or not ch.isprintable() for ch in local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or len(labels[-1]) < 2 or labels[-1].isdigit():
        return False
    return all(label and not label.startswith("-") and not label.endswith("-")
               and all(ch.isalnum() or ch == "-" for ch in label) for label in labels)


_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


def integer(text: str) -> int | str:
    """An integer from "3", "３", "1,200,000", " 12 "; else the cleaned text."""
    cleaned = clean(text)
    compact = ascii_digits(cleaned).replace(",", "").replace(" ", "").translate(_TO_HYPHEN)
    return int(compact) if _INTEGER.fullmatch(compact) else cleaned
