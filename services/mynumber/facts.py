"""The four basic facts (基本4情報) on the 署名用 certificate, and where a resident lives.

Like the real JPKI signing certificate, the stub carries name, birth date, sex and address as
otherName entries of the SubjectAltName, each a DER UTF8String. The OIDs follow the J-LIS arc
(1.2.392.200149.8.5.5.x) as the published profile describes; they are not checked against a real
card. The 利用者証明用 (authentication) certificate carries none of this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cryptography import x509
from cryptography.x509.oid import ObjectIdentifier

OID_NAME = ObjectIdentifier("1.2.392.200149.8.5.5.1")
OID_SEX = ObjectIdentifier("1.2.392.200149.8.5.5.3")
OID_BIRTH_DATE = ObjectIdentifier("1.2.392.200149.8.5.5.4")
OID_ADDRESS = ObjectIdentifier("1.2.392.200149.8.5.5.5")

# The 15 municipalities of Toyama Prefecture; matched before the generic pattern so that names
# such as 上市町 (which contains 市) come out whole.
TOYAMA_MUNICIPALITIES = (
    "富山市", "高岡市", "魚津市", "氷見市", "滑川市", "黒部市", "砺波市", "小矢部市", "南砺市",
    "射水市", "舟橋村", "上市町", "立山町", "入善町", "朝日町",
)
_GENERIC_MUNICIPALITY = re.compile(r"^(?:.{2,3}?[都道府県])?(?:.+?郡)?(.+?[市区町村])")


class Sex(StrEnum):
    """ISO/IEC 5218 codes, as the residence register reduces them."""

    not_known = "0"
    male = "1"
    female = "2"
    not_applicable = "9"


@dataclass(frozen=True)
class FourFacts:
    name: str
    birth_date: date
    address: str
    sex: Sex = Sex.not_known

    @property
    def municipality(self) -> str:
        return municipality_of(self.address)

    def other_names(self) -> list[x509.GeneralName]:
        return [
            x509.OtherName(OID_NAME, der_utf8(self.name)),
            x509.OtherName(OID_SEX, der_utf8(self.sex.value)),
            x509.OtherName(OID_BIRTH_DATE, der_utf8(self.birth_date.strftime("%Y%m%d"))),
            x509.OtherName(OID_ADDRESS, der_utf8(self.address)),
        ]


def municipality_of(address: str) -> str:
    """'富山県高岡市広小路7番50号' -> '高岡市'; '' when the address names no municipality."""
    for name in TOYAMA_MUNICIPALITIES:
        if name in address:
            return name
    match = _GENERIC_MUNICIPALITY.match(address)
    return match.group(1) if match else ""


def der_utf8(text: str) -> bytes:
    raw = text.encode("utf-8")
    return bytes([0x0C]) + _der_length(len(raw)) + raw


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body
