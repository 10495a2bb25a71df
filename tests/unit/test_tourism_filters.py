"""SpotFilter and SpotIndex (services/tourism/filters.py): each part of the filter, the search
by kana, romaji, English and with a typo, and the order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.i18n import JAPAN_TZ
from services.models import InfoDataset
from services.store import StoredInfo
from services.tourism.filters import SpotFilter, SpotIndex, always_open, is_open, supports
from services.tourism.models import Spot, parse_spot

EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "hol"]
TOYAMA_STATION = (36.7013, 137.2133)


def spot(record_id: str, name: str, kana: str, *, lat: float, lon: float,
         municipality: str = "162019", **body: Any) -> Spot:
    full = {"name": name, "name_kana": kana, "address": "富山県富山市", "hours": [],
            "hours_note": "", "fee_yen": None, "support_languages": [], "category": "公園",
            **body}
    parsed = parse_spot(StoredInfo(InfoDataset.spots, record_id, 1, municipality, lat, lon,
                                   full))
    assert parsed is not None
    return parsed


# Real places and coordinates (the bundled spots); the details vary per test case.
CASTLE = spot("castle", "富山城（富山市郷土博物館）", "トヤマジョウ", lat=36.6930, lon=137.2104,
              name_en="Toyama Castle", address="富山県富山市本丸", category="歴史",
              hours=[{"days": EVERY_DAY, "open": "09:00", "close": "17:00"}], fee_yen=210,
              support_languages=["ja", "en"], wheelchair="partial")
KANSUI = spot("kansui", "富岩運河環水公園", "フガンウンガカンスイコウエン", lat=36.7085,
              lon=137.2135, name_en="Fugan Canal Kansui Park", hours_note="見学自由（屋外）",
              fee_yen=0, wheelchair="yes")
MUSEUM = spot("museum", "富山県美術館", "トヤマケンビジュツカン", lat=36.7105, lon=137.2140,
              name_en="Toyama Prefectural Museum of Art and Design", category="美術館",
              # closed on Mondays; public holidays listed on their own (火水木金土日祝)
              hours=[{"days": ["tue", "wed", "thu", "fri", "sat", "sun", "hol"],
                      "open": "09:30", "close": "18:00"}],
              fee_yen=300, support_languages=["ja", "en", "zh", "ko"], wheelchair="no")
GLASS = spot("glass", "富山市ガラス美術館", "トヤマシガラスビジュツカン", lat=36.6905,
             lon=137.2165, category="美術館",
             # weekdays only, no 祝: closed on a public holiday even when it is a Tuesday
             hours=[{"days": ["tue", "wed", "thu", "fri"], "open": "09:30", "close": "18:00"}],
             fee_yen=200, support_languages=["zh-Hant", "ja-easy"])
NIGHT = spot("night", "城址公園ナイトビュー", "ジョウシコウエンナイトビュー", lat=36.6935,
             lon=137.2110,
             hours=[{"days": ["fri", "sat"], "open": "18:00", "close": "02:00"}], fee_yen=0)
TAKAOKA = spot("zuiryuji", "高岡山瑞龍寺", "タカオカサンズイリュウジ", lat=36.7354,
               lon=137.0108, municipality="162027", name_en="Zuiryuji Temple",
               address="富山県高岡市関本町35", category="寺社", hours_note="要予約",
               fee_yen=500, support_languages=["pt", "vi"])
ALL = [CASTLE, KANSUI, MUSEUM, GLASS, NIGHT, TAKAOKA]


@pytest.fixture(scope="module")
def index() -> SpotIndex:
    return SpotIndex(ALL)


def ids(index: SpotIndex, **fields: Any) -> list[str]:
    near = fields.pop("near", None)
    return [f.item.id for f in index.find(SpotFilter(**fields), near)]


def test_no_filter_lists_everything_by_name_reading(index: SpotIndex) -> None:
    # じょうし, たかおか, とやまけん, とやまし, とやまじょう, ふがん
    assert ids(index) == ["night", "zuiryuji", "museum", "glass", "castle", "kansui"]
    found = index.find(SpotFilter())
    assert all(f.distance_m is None for f in found)


def test_nearest_first_from_where_the_visitor_is(index: SpotIndex) -> None:
    found = index.find(SpotFilter(), TOYAMA_STATION)
    metres = [f.distance_m for f in found]
    assert metres == sorted(metres)  # type: ignore[type-var]
    assert found[-1].item.id == "zuiryuji"  # 高岡: ~18 km west
    assert found[-1].distance_m is not None and 17_000 < found[-1].distance_m < 20_000
    assert len(index.find(SpotFilter(), TOYAMA_STATION, limit=2)) == 2


@pytest.mark.parametrize(("tag", "expected"), [
    ("en", {"castle", "museum"}),
    ("zh-Hans", {"museum"}),  # "zh" serves both scripts; GLASS lists zh-Hant only
    ("zh-Hant", {"museum", "glass"}),
    ("zh", {"museum", "glass"}),  # asking for the language finds a script of it
    ("pt-BR", {"zuiryuji"}),  # "pt" serves pt-BR readers
    ("ko", {"museum"}),
    ("ja-easy", {"glass"}),  # its own support: listed only
    ("ja", {s.id for s in ALL}),  # every spot's language, listed or not
    ("ne", set()),
])
def test_support_language(index: SpotIndex, tag: str, expected: set[str]) -> None:
    assert set(ids(index, language=tag)) == expected
    assert {s.id for s in ALL if supports(s, tag)} == expected


def test_barrier_free_keeps_yes_and_partial_only(index: SpotIndex) -> None:
    # MUSEUM says "no"; the others do not publish it: unknown is not barrier-free
    assert set(ids(index, barrier_free=True)) == {"castle", "kansui"}


def test_free_entry_is_a_fee_of_zero(index: SpotIndex) -> None:
    # TAKAOKA has a fee, a spot without one plain amount (None) is not free
    assert set(ids(index, free_entry=True)) == {"kansui", "night"}
    assert set(ids(index, free_entry=True, barrier_free=True)) == {"kansui"}


def test_open_on_a_public_holiday_uses_the_holiday_slots_only(index: SpotIndex) -> None:
    holiday_monday = datetime(2026, 11, 23, 10, 0, tzinfo=JAPAN_TZ)  # 勤労感謝の日
    plain_monday = datetime(2026, 11, 30, 10, 0, tzinfo=JAPAN_TZ)
    plain_tuesday = datetime(2026, 12, 1, 10, 0, tzinfo=JAPAN_TZ)
    # the museum (closed Mondays) opens on the holiday; KANSUI is always open
    assert set(ids(index, open_at=holiday_monday)) == {"castle", "museum", "kansui"}
    assert set(ids(index, open_at=plain_monday)) == {"castle", "kansui"}
    assert set(ids(index, open_at=plain_tuesday)) == {"castle", "museum", "kansui", "glass"}
    holiday_tuesday = datetime(2026, 5, 5, 10, 0, tzinfo=JAPAN_TZ)  # こどもの日
    assert not is_open(GLASS, holiday_tuesday)


def test_a_night_slot_covers_the_next_morning(index: SpotIndex) -> None:
    friday_night = datetime(2026, 12, 4, 23, 0, tzinfo=JAPAN_TZ)
    saturday_small_hours = datetime(2026, 12, 5, 1, 30, tzinfo=JAPAN_TZ)
    saturday_two = datetime(2026, 12, 5, 2, 0, tzinfo=JAPAN_TZ)  # closing minute: closed
    assert set(ids(index, open_at=friday_night)) == {"night", "kansui"}
    assert set(ids(index, open_at=saturday_small_hours)) == {"night", "kansui"}
    assert set(ids(index, open_at=saturday_two)) == {"kansui"}
    # the same moment given in UTC is the same moment
    assert is_open(NIGHT, saturday_small_hours.astimezone(UTC))


def test_only_a_free_visit_note_counts_as_open_without_hours() -> None:
    assert always_open(KANSUI)  # 見学自由（屋外）
    assert not always_open(TAKAOKA)  # 要予約: unknown, not open
    assert not always_open(CASTLE)  # it has hours: they decide
    for note in ("入園自由", "24時間開放", "終日散策可"):
        assert always_open(spot("x", "x", "", lat=0, lon=0, hours_note=note)), note


def test_municipality_and_category(index: SpotIndex) -> None:
    assert ids(index, municipality="162027") == ["zuiryuji"]
    assert set(ids(index, category="美術館")) == {"museum", "glass"}
    assert ids(index, category="美術館", municipality="162027") == []
    assert index.categories() == ["公園", "美術館", "寺社", "歴史"]  # most common first


@pytest.mark.parametrize(("query", "expected"), [
    ("とやまじょう", ["castle"]),  # the published reading (katakana) by hiragana
    ("トヤマジョウ", ["castle"]),
    ("toyamajo", ["castle"]),  # romaji of the reading
    ("toyama castle", ["castle"]),  # the English name
    ("Castle", ["castle"]),
    ("kansui", ["kansui"]),
    ("環水", ["kansui"]),
    ("zuiryuji", ["zuiryuji"]),
    ("takaoka", ["zuiryuji"]),  # the address's town
    ("美術館", ["museum", "glass"]),  # the category and the names, by reading
    ("ｶﾞﾗｽ", ["glass"]),  # half-width katakana
])
def test_search_by_kana_romaji_english(index: SpotIndex, query: str,
                                       expected: list[str]) -> None:
    assert ids(index, query=query) == expected


def test_a_typo_is_forgiven_after_the_exact_matches(index: SpotIndex) -> None:
    assert ids(index, query="zuiryiji") == ["zuiryuji"]  # one letter changed
    assert ids(index, query="fugann") == ["kansui"]  # one added
    # the query narrows, the other parts of the filter still apply
    assert ids(index, query="takaoka", free_entry=True) == []
