"""Spot records read forgivingly (services/tourism/models.py), and texts picked by language."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from services.info.models import DayCode
from services.models import InfoDataset
from services.store import StoredInfo
from services.tourism.models import (
    CATEGORIES,
    Spot,
    Wheelchair,
    category_label,
    parse_spot,
    pick,
)

# As server/ingest/spots.py makes it today (the bundled 富山城 row), before the extensions.
CASTLE: dict[str, Any] = {
    "name": "富山城（富山市郷土博物館）", "name_kana": "トヤマジョウ", "name_en": "Toyama Castle",
    "address": "富山県富山市本丸", "address_detail": "",
    "hours": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "hol"],
               "open": "09:00", "close": "17:00"}],
    "hours_note": "年末年始休館", "fee_yen": 210, "fee_text": "210円",
    "description": {"ja": "富山城址公園にある模擬天守です。", "en": "A reconstructed castle keep.",
                    "ja-easy": "とやまじょうの　こうえんに　ある　おしろです。"},
    "access": "富山駅から市内電車", "parking": "", "barrier_free": "エレベーターなし",
    "contact": "", "phone": "076-432-9031", "url": "", "support_languages": ["ja", "en"],
    "category": "歴史", "notes": "サンプルデータ（営業時間・料金は要確認）",
}


def stored(body: dict[str, Any], record_id: str = "162019-1") -> StoredInfo:
    return StoredInfo(InfoDataset.spots, record_id, 1, "162019", 36.6930, 137.2104, body)


def parsed(body: dict[str, Any]) -> Spot:
    spot = parse_spot(stored(body))
    assert spot is not None
    return spot


def test_todays_body_reads_with_the_extensions_derived() -> None:
    spot = parsed(CASTLE)
    assert (spot.id, spot.municipality, spot.name_en, spot.category) == (
        "162019-1", "162019", "Toyama Castle", "歴史")
    [slot] = spot.hours
    assert DayCode.hol in slot.days and (slot.opens, slot.closes) == (540, 1020)
    assert spot.fee_yen == 210 and not spot.free_entry
    # access / barrier_free: only the Japanese strings as published -> {"ja": ...}
    assert dict(spot.access) == {"ja": "富山駅から市内電車"}
    assert dict(spot.barrier_free) == {"ja": "エレベーターなし"}
    assert spot.wheelchair is None  # not published: unknown, not "no"
    assert spot.sample  # no flag yet: the notes say サンプル
    assert spot.support_languages == ("ja", "en")


def test_the_extended_body_wins_over_what_is_derived() -> None:
    spot = parsed({**CASTLE, "sample": False, "wheelchair": "partial",
                   "access_text": {"en": "Tram from Toyama Station", "ko": 7},
                   "barrier_free_text": {"ja": "1階のみ車椅子可", "en": "Ground floor only"}})
    assert not spot.sample  # the flag, not the notes
    assert spot.wheelchair == Wheelchair.partial
    # the Japanese string fills "ja" when the map lacks it; a non-text value is dropped
    assert dict(spot.access) == {"en": "Tram from Toyama Station", "ja": "富山駅から市内電車"}
    assert dict(spot.barrier_free) == {"ja": "1階のみ車椅子可", "en": "Ground floor only"}


@pytest.mark.parametrize(("field", "value", "read"), [
    ("fee_yen", True, None),  # a bool is not an amount
    ("fee_yen", -5, None),
    ("fee_yen", 0.0, 0),
    ("fee_yen", "500", None),  # the text says it; the amount is unknown
    ("wheelchair", "YES", Wheelchair.yes),
    ("wheelchair", "maybe", None),
    ("wheelchair", None, None),
    ("support_languages", ["en", "en", "", 3, "zh"], ("en", "zh")),
    ("support_languages", "en", ()),
    ("description", ["not", "a", "map"], {}),
    ("hours", [{"days": ["mon"], "open": "25:00", "close": "26:00"}, "junk"], ()),
    ("name_en", "", None),
])
def test_odd_values_read_as_unknown_never_raise(field: str, value: object, read: object) -> None:
    spot = parsed({**CASTLE, field: value})
    got = getattr(spot, field)
    assert (dict(got) if field == "description" else got) == read


def test_a_record_without_a_name_is_skipped_with_one_line(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert parse_spot(stored({**CASTLE, "name": "  "}, "162019-9")) is None
        assert parse_spot(stored({"name": None}, "162019-10")) is None
    assert [r.getMessage() for r in caplog.records] == [
        "spot 162019-9 skipped: name missing", "spot 162019-10 skipped: name missing"]


def test_a_minimal_body_is_a_spot() -> None:
    spot = parsed({"name": "雨晴海岸"})
    assert (spot.hours, spot.fee_yen, spot.sample, dict(spot.description)) == ((), None,
                                                                               False, {})
    assert spot.display_name("en") == "雨晴海岸"  # no English name: the published one


def test_texts_follow_the_fallback_chain() -> None:
    spot = parsed(CASTLE)
    assert spot.text(spot.description, "ja-easy").startswith("とやまじょう")
    assert spot.text(spot.description, "vi") == "A reconstructed castle keep."  # -> en
    assert pick({"zh-Hans": "富山城", "ja": "富山城（日）"}, "zh-Hant") == "富山城"
    assert pick({"ja": "日本語だけ"}, "ko") == "日本語だけ"
    assert pick({"ko": "한국어"}, "vi") == ""  # nothing a Vietnamese reader is offered
    assert spot.display_name("ja") == CASTLE["name"]
    assert spot.display_name("en") == "Toyama Castle"


def test_categories_have_msgids_and_others_stay_as_published() -> None:
    assert category_label("公園") == CATEGORIES["公園"] == "Parks"
    assert category_label("新しい分類") == "新しい分類"


def test_a_spot_can_be_kept_in_a_set() -> None:
    assert len({parsed(CASTLE), parsed(CASTLE)}) == 1
