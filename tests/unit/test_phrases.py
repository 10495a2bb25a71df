"""The visitors' phrase sheet (services.tourism.phrases): every phrase in every app language, in
the script that language is written in, polite Japanese to show, icons that Flet really has."""

from __future__ import annotations

import re

import flet as ft
import pytest

from services.i18n import LANGUAGES
from services.tourism.phrases import (
    CATEGORY_LABELS,
    EMERGENCY_NUMBERS,
    PHRASES,
    Phrase,
    PhraseCategory,
    by_category,
    phrase,
)

TAGS = [lang.code for lang in LANGUAGES]
KANA = re.compile(r"[\u3040-\u30ff]")
KANJI = re.compile(r"[\u4e00-\u9fff]")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
DEVANAGARI = re.compile(r"[\u0900-\u097f]")
FOREIGN_TO_LATIN = re.compile(r"[\u0900-\u097f\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]")
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ]",
                        re.IGNORECASE)
# Characters written one way in simplified Chinese and another in traditional.
SIMPLIFIED_ONLY = set("这请车医药钱过说东问会场换带帮吗么语边间处电馆乐们没说写钟")
TRADITIONAL_ONLY = set("這請車醫藥錢過說東問會場換帶幫嗎麼語邊間處電館樂們沒說寫鐘")
POLITE = ("です", "ます", "ました", "ください", "ません")
IDS = [p.id for p in PHRASES]


def test_ids_are_unique_and_the_sheet_is_a_useful_size() -> None:
    assert len(IDS) == len(set(IDS))
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", i) for i in IDS)
    assert 20 <= len(PHRASES) <= 40
    assert phrase("toilet-where") is PHRASES[IDS.index("toilet-where")]
    assert phrase("nothing") is None


@pytest.mark.parametrize("item", PHRASES, ids=IDS)
def test_every_language_has_a_text(item: Phrase) -> None:
    assert list(item.texts) == TAGS
    for tag, text in item.texts.items():
        assert text and text == text.strip(), (item.id, tag)
    assert len(set(item.texts.values())) >= 8  # translated, not copied


@pytest.mark.parametrize("item", PHRASES, ids=IDS)
def test_each_text_is_in_its_languages_script(item: Phrase) -> None:
    t = item.texts
    assert KANA.search(t["ja"]), t["ja"]
    assert KANA.search(t["ja-easy"]) and not KANJI.search(t["ja-easy"]), t["ja-easy"]
    assert HANGUL.search(t["ko"]) and not KANA.search(t["ko"]), t["ko"]
    assert DEVANAGARI.search(t["ne"]), t["ne"]
    for tag in ("zh-Hans", "zh-Hant"):
        assert KANJI.search(t[tag]) and not KANA.search(t[tag]) and not HANGUL.search(t[tag])
    assert not SIMPLIFIED_ONLY & set(t["zh-Hant"]), t["zh-Hant"]
    assert not TRADITIONAL_ONLY & set(t["zh-Hans"]), t["zh-Hans"]
    assert t["en"].isascii(), t["en"]
    for tag in ("vi", "pt-BR", "tl", "id"):
        assert re.search(r"[A-Za-z]", t[tag]) and not FOREIGN_TO_LATIN.search(t[tag]), (tag, t[tag])
    assert VIETNAMESE.search(t["vi"]), t["vi"]


@pytest.mark.parametrize("item", PHRASES, ids=IDS)
def test_the_japanese_to_show_is_a_polite_sentence(item: Phrase) -> None:
    text = item.japanese
    assert text[-1] in "。？！", text
    assert any(word in text for word in POLITE), text
    assert "?" not in text and "!" not in text  # full-width marks in Japanese
    for number in ("119", "110"):  # an emergency number is in every language or in none
        assert all((number in other) == (number in text) for other in item.texts.values())


def test_every_icon_is_a_flet_icon() -> None:
    missing = [p.icon for p in PHRASES if not hasattr(ft.Icons, p.icon)]
    assert missing == []
    assert all(p.icon.isupper() for p in PHRASES)


def test_the_sheet_covers_what_a_visitor_needs_most() -> None:
    icons = {p.icon for p in PHRASES}
    assert {"WC", "TRAIN", "LOCAL_HOSPITAL", "SOS", "LOCAL_POLICE"} <= icons
    categories = {p.category for p in PHRASES}
    assert categories == set(PhraseCategory)  # no empty section
    assert set(CATEGORY_LABELS) == set(PhraseCategory)
    assert any("119" in p.japanese for p in PHRASES)
    assert any("110" in p.japanese for p in PHRASES)
    assert any(p.pictogram is not None and p.pictogram.ja == "お手洗" for p in PHRASES)
    for item in PHRASES:
        if item.pictogram is not None:
            assert item.pictogram.ja and item.pictogram.en.isascii()


def test_sections_keep_every_phrase_once_in_order() -> None:
    sections = by_category()
    assert [c for c, _ in sections] == [c for c in PhraseCategory]
    flattened = [p.id for _, found in sections for p in found]
    assert sorted(flattened) == sorted(IDS)
    for category, found in sections:
        assert all(p.category is category for p in found)
        assert [IDS.index(p.id) for p in found] == sorted(IDS.index(p.id) for p in found)


def test_texts_fall_back_and_numbers_dial() -> None:
    toilet = phrase("toilet-where")
    assert toilet is not None
    assert toilet.text_in("ko") == "화장실이 어디예요?"
    assert toilet.text_in("th") == "Where is the toilet?"  # not an app language: English
    numbers = {n.number: n for n in EMERGENCY_NUMBERS}
    assert {"119", "110", "050-3816-2787"} == set(numbers)
    assert numbers["050-3816-2787"].tel_uri == "tel:05038162787"
    assert all(n.label.isascii() and n.hours.isascii() for n in EMERGENCY_NUMBERS)
