"""Tourist spots as the app uses them (the `spots` info dataset: server/ingest/spots.py,
docs/info-data.md "spots").

Bodies are read forgivingly, as in services/info/models.py: a missing optional text is "" (or
an empty map), an unknown wheelchair value is None, a slot that cannot be read is left out. A
record without a name is skipped with one log line; nothing here raises because of what the
server or the cache holds. Fields added later to the body (`access_text`, `barrier_free_text`,
`wheelchair`, `sample`) are read when present and derived from the older fields when absent.

Texts that exist per language are `{language tag: text}` maps; `pick` (and `Spot.text`) chooses
one by services.i18n.fallback_chain.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from services.i18n import N_, fallback_chain
from services.info.models import Slot, parse_slots
from services.store import StoredInfo

log = logging.getLogger(__name__)


class Wheelchair(StrEnum):
    """車椅子対応 (extension column): yes あり, partial 一部 (some areas or routes), no なし."""

    yes = "yes"
    partial = "partial"
    no = "no"


WHEELCHAIR_LABELS: dict[Wheelchair, str] = {
    Wheelchair.yes: N_("Wheelchair accessible"),
    Wheelchair.partial: N_("Partly wheelchair accessible"),
    Wheelchair.no: N_("Not wheelchair accessible"),
}

# カテゴリ as published -> English msgids the screens translate; others are shown as published.
CATEGORIES: dict[str, str] = {
    "歴史": N_("Historic sites"),
    "世界遺産": N_("World Heritage"),
    "寺社": N_("Temples and shrines"),
    "町並み": N_("Historic streets"),
    "博物館": N_("Museums"),
    "美術館": N_("Art museums"),
    "公園": N_("Parks"),
    "自然": N_("Nature"),
    "景観": N_("Scenic views"),
    "山岳": N_("Mountains"),
    "温泉": N_("Hot springs"),
    "市場": N_("Markets"),
    "買い物": N_("Shopping"),
    "体験": N_("Experiences"),
    "動物園": N_("Zoos"),
    "水族館": N_("Aquariums"),
    "遊園地": N_("Amusement parks"),
    "乗り物": N_("Rides"),
}
_SAMPLE_MARKS = ("サンプル", "sample")


def category_label(category: str) -> str:
    """A msgid for a known category (translate it), else the category as published."""
    return CATEGORIES.get(category, category)


def pick(texts: Mapping[str, str], code: str) -> str:
    """The text for language `code` along its fallback chain (easy Japanese -> Japanese,
    Traditional -> Simplified Chinese, then English, then Japanese); "" when none of them."""
    for tag in fallback_chain(code):
        text = texts.get(tag)
        if text:
            return text
    return ""


_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Spot:
    id: str
    municipality: str | None
    lat: float | None
    lon: float | None
    name: str
    name_kana: str
    name_en: str | None
    category: str  # as published (「公園」): category_label() gives a msgid
    address: str
    hours: tuple[Slot, ...]  # services.info.hours reads them (open_at, weekly_table)
    hours_note: str  # as published: 「見学自由（屋外）」, 「年末年始休館」
    fee_yen: int | None  # 0: free entry; None: not one plain amount (fee_text says it)
    fee_text: str
    description: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    access: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    barrier_free: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    # Only the published 車椅子対応 value; None when not published (the barrier_free text may
    # still say something). SpotFilter.barrier_free keeps `yes` and `partial`.
    wheelchair: Wheelchair | None = None
    support_languages: tuple[str, ...] = ()  # language tags as published ("zh": both scripts)
    phone: str = ""
    url: str = ""
    parking: str = ""
    notes: str = ""
    sample: bool = False  # sample (not verified) details: the screen says so
    contact: str = ""

    def text(self, texts: Mapping[str, str], code: str) -> str:
        """One of this spot's multilingual fields (description, access, barrier_free) in
        language `code`, by fallback chain."""
        return pick(texts, code)

    def display_name(self, code: str) -> str:
        """The name as a reader of `code` needs it: Japanese readers get the published name,
        others the English name when there is one."""
        if code in ("ja", "ja-easy") or not self.name_en:
            return self.name
        return self.name_en

    @property
    def free_entry(self) -> bool:
        return self.fee_yen == 0

    def __hash__(self) -> int:  # the text maps are read-only views, not hashable themselves
        return hash(self.id)


# --- reading bodies forgivingly -----------------------------------------------------------
class _Bad(ValueError):
    pass


def _text(body: Mapping[str, Any], key: str) -> str:
    value = body.get(key)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _texts_map(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {tag: text.strip() for tag, text in value.items()
            if isinstance(tag, str) and isinstance(text, str) and text.strip()}


def _localised(body: Mapping[str, Any], key: str) -> Mapping[str, str]:
    """`<key>_text` ({tag: text}) when published; the Japanese string `key` (as published)
    stands for "ja" when that map lacks it."""
    texts = _texts_map(body.get(f"{key}_text"))
    plain = _text(body, key)
    if plain and "ja" not in texts:
        texts["ja"] = plain
    return MappingProxyType(texts)


def _fee(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    return None


def _wheelchair(value: object) -> Wheelchair | None:
    if isinstance(value, str) and value.strip().lower() in Wheelchair._value2member_map_:
        return Wheelchair(value.strip().lower())
    return None


def _languages(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(v.strip() for v in value if isinstance(v, str) and v.strip()))


def _sample(body: Mapping[str, Any], notes: str) -> bool:
    """The body's `sample` flag; without one, the source saying 「サンプル」/"sample" in its
    notes (as the bundled files do) marks it."""
    flag = body.get("sample")
    if isinstance(flag, bool):
        return flag
    return any(mark in notes.lower() for mark in _SAMPLE_MARKS)


def _spot(record: StoredInfo, body: Mapping[str, Any]) -> Spot:
    name = _text(body, "name")
    if not name:
        raise _Bad("name missing")
    notes = _text(body, "notes")
    name_en = _text(body, "name_en") or None
    return Spot(
        record.id, record.municipality, record.lat, record.lon, name=name,
        name_kana=_text(body, "name_kana"), name_en=name_en, category=_text(body, "category"),
        address=_text(body, "address"), hours=parse_slots(body.get("hours")),
        hours_note=_text(body, "hours_note"), fee_yen=_fee(body.get("fee_yen")),
        fee_text=_text(body, "fee_text"),
        description=MappingProxyType(_texts_map(body.get("description"))),
        access=_localised(body, "access"), barrier_free=_localised(body, "barrier_free"),
        wheelchair=_wheelchair(body.get("wheelchair")),
        support_languages=_languages(body.get("support_languages")),
        phone=_text(body, "phone"), url=_text(body, "url"), parking=_text(body, "parking"),
        notes=notes, sample=_sample(body, notes), contact=_text(body, "contact"))


def parse_spot(record: StoredInfo) -> Spot | None:
    """The record's body read as a Spot; None (and one log line) when it has no name."""
    try:
        return _spot(record, record.body)
    except (_Bad, TypeError, ValueError, AttributeError) as exc:
        log.warning("spot %s skipped: %s", record.id, exc)
        return None
