"""The 15 municipalities of Toyama Prefecture: code, names and a representative point.

Codes are the 6-digit 全国地方公共団体コード with their check digit (the last digit: the first
five weighted 6,5,4,3,2, summed; 11 minus the remainder by 11, last digit). The point is the
city / town / village hall, within a few hundred metres: "near me" falls back to it when a
resident picks a town instead of sharing a location. English names are msgids (N_).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from services.i18n import N_
from services.transit.kana import canonical_japanese, canonical_romaji, kana_to_romaji

PREFECTURE_CODE = "160008"  # 富山県


@dataclass(frozen=True)
class Town:
    code: str  # "162019"
    name: str  # 富山市
    kana: str  # とやまし
    name_en: str  # msgid: "Toyama City"
    lat: float  # the municipal office
    lon: float


TOWNS: tuple[Town, ...] = (
    Town("162019", "富山市", "とやまし", N_("Toyama City"), 36.6959, 137.2137),
    Town("162027", "高岡市", "たかおかし", N_("Takaoka City"), 36.7540, 137.0256),
    Town("162043", "魚津市", "うおづし", N_("Uozu City"), 36.8272, 137.4090),
    Town("162051", "氷見市", "ひみし", N_("Himi City"), 36.8560, 136.9727),
    Town("162060", "滑川市", "なめりかわし", N_("Namerikawa City"), 36.7644, 137.3410),
    Town("162078", "黒部市", "くろべし", N_("Kurobe City"), 36.8714, 137.4486),
    Town("162086", "砺波市", "となみし", N_("Tonami City"), 36.6475, 136.9625),
    Town("162094", "小矢部市", "おやべし", N_("Oyabe City"), 36.6755, 136.8686),
    Town("162108", "南砺市", "なんとし", N_("Nanto City"), 36.5880, 136.9194),
    Town("162116", "射水市", "いみずし", N_("Imizu City"), 36.7196, 137.0990),
    Town("163210", "舟橋村", "ふなはしむら", N_("Funahashi Village"), 36.7047, 137.3064),
    Town("163228", "上市町", "かみいちまち", N_("Kamiichi Town"), 36.6989, 137.3650),
    Town("163236", "立山町", "たてやままち", N_("Tateyama Town"), 36.6634, 137.3129),
    Town("163422", "入善町", "にゅうぜんまち", N_("Nyuzen Town"), 36.9338, 137.5018),
    Town("163431", "朝日町", "あさひまち", N_("Asahi Town"), 36.9603, 137.5603),
)
_BY_CODE = {t.code: t for t in TOWNS}


def check_digit(first_five: str) -> str:
    """The check digit of a 5-digit local government code."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def is_valid_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit() and check_digit(code[:5]) == code[5]


def town(code: str | None) -> Town | None:
    """The town of a 6-digit code (a 5-digit one without check digit is accepted too)."""
    if not code:
        return None
    if len(code) == 5 and code.isdigit():
        code += check_digit(code)
    return _BY_CODE.get(code)


_KANA_ENDINGS = ("し", "まち", "むら")
_ROMAN_ENDINGS = ("", "shi", "machi", "cho", "mura", "son", "city", "town", "village")


def _stem_kana(t: Town) -> str:
    return next((t.kana[: -len(e)] for e in _KANA_ENDINGS if t.kana.endswith(e)), t.kana)


def _keys(t: Town) -> tuple[frozenset[str], frozenset[str]]:
    """What names the town: Japanese forms (folded) and romaji forms (canonical)."""
    stem = _stem_kana(t)
    japanese = {canonical_japanese(x) for x in (t.name, t.name[:-1], t.kana, stem)}
    stem_roman = kana_to_romaji(stem)
    roman = {canonical_romaji(stem_roman + e) for e in _ROMAN_ENDINGS}
    roman.add(canonical_romaji(t.name_en))
    return frozenset(japanese), frozenset(roman)


_KEYS = {t.code: _keys(t) for t in TOWNS}


def find_town(text: str) -> Town | None:
    """A town by what a resident typed: 富山市, 富山, とやま, Toyama, toyama-shi, 162019."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    by_code = town(text)
    if by_code is not None:
        return by_code
    folded = canonical_japanese(text)
    roman = canonical_romaji(kana_to_romaji(folded))
    for t in TOWNS:
        japanese, romaji = _KEYS[t.code]
        if folded in japanese or roman in romaji:
            return t
    return None
