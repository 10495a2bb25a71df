"""Cells of the standard CSVs turned into record values (docs/info-data.md, "Extensions"); each
parser raises BadRow with a reason a data clerk can act on."""

from __future__ import annotations

import re
import unicodedata

from server.ingest.problems import BadRow

DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun", "hol")
_LETTERS = "月火水木金土日祝"
_WEEK = "月火水木金土日"
_RANGE = re.compile(r"([月火水木金土日])[~\-ー－−〜～]([月火水木金土日])")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})|(\d{1,2})時(?:(\d{1,2})分)?")
# Japan's extreme points, with a margin: anything outside is a typo or swapped columns.
_LAT = (20.0, 46.0)
_LON = (122.0, 154.0)


def normal(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII (NFKC), outer spaces gone."""
    return unicodedata.normalize("NFKC", text).strip()


def coordinates(lat_text: str, lon_text: str) -> tuple[float | None, float | None]:
    lat_text, lon_text = normal(lat_text), normal(lon_text)
    if not lat_text and not lon_text:
        return None, None
    if not lat_text or not lon_text:
        raise BadRow("緯度 and 経度 must be given together")
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise BadRow(f"緯度/経度 {lat_text!r}, {lon_text!r} are not numbers") from None
    if not (_LAT[0] <= lat <= _LAT[1] and _LON[0] <= lon <= _LON[1]):
        raise BadRow(f"緯度/経度 {lat}, {lon} are outside Japan (swapped?)")
    return lat, lon


def clock(text: str, what: str) -> str:
    """ "9:00", "09:00", "９時", "9時30分" → "09:00"; 24:00 is allowed (a closing time)."""
    value = normal(text)
    match = _CLOCK.fullmatch(value)
    if match is None:
        raise BadRow(f"{what} {text!r} is not a time (HH:MM)")
    hour = int(match.group(1) or match.group(3))
    minute = int(match.group(2) or match.group(4) or 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise BadRow(f"{what} {text!r} is not a time of day")
    return f"{hour:02d}:{minute:02d}"


def days(text: str, what: str) -> list[str]:
    """月火水木金 / 月-金 / 月～金 / 平日 / 毎日 / 土日祝 / 月・水・金 → day codes in week order."""
    value = normal(text).replace("曜日", "").replace("曜", "").replace("祝日", "祝")
    value = value.replace("毎日", _LETTERS).replace("平日", "月火水木金")
    value = _RANGE.sub(lambda m: _span(m.group(1), m.group(2)), value)
    value = re.sub(r"[\s・、,/]", "", value)
    unknown = sorted(set(value) - set(_LETTERS))
    if unknown or not value:
        raise BadRow(f"{what} {text!r} is not a list of days (月火水木金土日祝)")
    return [DAY_CODES[i] for i, letter in enumerate(_LETTERS) if letter in value]


def _span(first: str, last: str) -> str:
    start, end = _WEEK.index(first), _WEEK.index(last)
    if end < start:  # 金～月 wraps over the weekend
        return _WEEK[start:] + _WEEK[: end + 1]
    return _WEEK[start : end + 1]


def _parts(text: str) -> list[str]:
    value = normal(text)
    return [p.strip() for p in value.split(";")] if value else []


def slots(days_text: str, open_text: str, close_text: str,
          names: tuple[str, str, str]) -> list[dict[str, object]]:
    """Opening slots from the three aligned columns (several separated by ';')."""
    day_parts, opens, closes = _parts(days_text), _parts(open_text), _parts(close_text)
    if not opens and not closes:
        return []  # no times published: the 特記事項 says it in words
    if not (len(day_parts) == len(opens) == len(closes)):
        raise BadRow(f"{names[0]}/{names[1]}/{names[2]} do not align: {len(day_parts)}, "
                     f"{len(opens)} and {len(closes)} slots")
    result: list[dict[str, object]] = []
    for day_part, open_part, close_part in zip(day_parts, opens, closes, strict=True):
        opening, closing = clock(open_part, names[1]), clock(close_part, names[2])
        if opening == "24:00" or opening == closing:
            raise BadRow(f"{names[1]}/{names[2]} {open_part}-{close_part} is not a slot")
        result.append({"days": days(day_part, names[0]), "open": opening, "close": closing})
    return result


def departments(text: str) -> list[str]:
    return [p for p in (s.strip() for s in re.split(r"[;；、,，・/／]", text)) if p]


def count(text: str, what: str) -> int | None:
    """A whole number such as 収容定員 or 病床数 ("120", "１２０", "1,200人"); None when blank."""
    value = normal(text).replace(",", "")
    value = re.sub(r"(人|名|床)$", "", value)
    if not value:
        return None
    if not value.isdigit():
        raise BadRow(f"{what} {text!r} is not a number")
    return int(value)


_YES = {"1", "有", "あり", "有り", "○", "◯", "可", "実施", "対応", "設置", "true", "yes"}
_NO = {"0", "無", "なし", "無し", "×", "不可", "未実施", "非対応", "false", "no"}


def yes_no(text: str) -> bool | None:
    """有/無 style cells; None when blank or not one of the usual words."""
    value = normal(text).lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def flag(text: str) -> bool:
    """A hazard flag of the shelter files: "1" (or 有, ○) = designated, blank = not."""
    return yes_no(text) is True
