"""全国地方公共団体コード: the 6-digit code with its check digit that records carry, from the
5-digit 団体コード, the 6-digit code itself, or the JMA's 7-digit area code (団体コード + "00")."""

from __future__ import annotations

import re

# The 15 municipalities of Toyama Prefecture: a row's 市区町村名 must agree with its code.
TOYAMA = {
    "162019": "富山市", "162027": "高岡市", "162043": "魚津市", "162051": "氷見市",
    "162060": "滑川市", "162078": "黒部市", "162086": "砺波市", "162094": "小矢部市",
    "162108": "南砺市", "162116": "射水市", "163210": "舟橋村", "163228": "上市町",
    "163236": "立山町", "163422": "入善町", "163431": "朝日町",
}
TOYAMA_BY_NAME = {name: code for code, name in TOYAMA.items()}

_DIGITS = re.compile(r"[0-9]+")


class BadCode(ValueError):
    pass


def check_digit(five: str) -> str:
    """Weights 6,5,4,3,2; 11 minus the sum's remainder mod 11, last digit (総務省の方式)."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def municipality_code(value: str) -> str:
    """The 6-digit code of a city, town or village; BadCode for anything else (a prefecture's
    own code, a wrong check digit, a malformed cell)."""
    text = value.strip()
    if not _DIGITS.fullmatch(text) or len(text) not in (5, 6, 7):
        raise BadCode(f"municipality code {value!r} is not 5, 6 or 7 digits")
    if len(text) == 7:
        if not text.endswith("00"):
            raise BadCode(f"JMA area code {value!r} does not name a whole municipality")
        text = text[:5]
    five = text[:5]
    if len(text) == 6 and text[5] != check_digit(five):
        raise BadCode(f"municipality code {value!r} has a wrong check digit")
    if five[2:] == "000":
        raise BadCode(f"code {value!r} names a prefecture, not a municipality")
    return five + check_digit(five)
