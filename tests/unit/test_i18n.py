"""Languages, catalogs and Babel formatting."""

from __future__ import annotations

import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from services.i18n import LANGUAGES, Translator, fallback_chain, negotiate, selectable_languages

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import i18n as catalog_tool  # noqa: E402


def test_japanese_is_the_default_and_english_is_offered() -> None:
    codes = [lang.code for lang in selectable_languages()]
    assert codes[0] == "ja" and "en" in codes


def test_every_language_of_the_strategy_has_a_catalog() -> None:
    for lang in LANGUAGES:
        assert catalog_tool.po_path(lang).exists(), lang.code


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang.complete],
                         ids=lambda lang: lang.code)
def test_complete_languages_translate_every_message(lang) -> None:
    assert catalog_tool.missing(lang) == []


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_translations_keep_the_placeholders(lang) -> None:
    with catalog_tool.po_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"\{\w+\}", ids[0] or ""))
        for string in strings:
            if string:
                assert set(re.findall(r"\{\w+\}", string)) == wanted, ids[0]


def test_messages_come_from_the_compiled_catalog() -> None:
    assert Translator("ja")("Settings") == "設定"
    assert Translator("en")("Settings") == "Settings"
    assert Translator("ja")("Last updated {when}", when="X") == "最終更新 X"


def test_easy_japanese_falls_back_to_japanese_not_english() -> None:
    assert Translator("ja-easy")("Settings") == "設定"


def test_an_unknown_language_code_falls_back_to_japanese() -> None:
    assert Translator("xx").code == "ja"


def test_dates_and_times_are_shown_in_japan_time() -> None:
    late_utc = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)  # 08:30 on the 29th in Japan
    assert Translator("ja").date(late_utc) == "2026年11月29日"
    assert Translator("en").date(late_utc) == "November 29, 2026"
    assert "8:30" in Translator("en").datetime(late_utc, "short")
    assert Translator("ja").datetime(late_utc, "short") == "2026/11/29 8:30"


def test_yen_and_numbers_per_locale() -> None:
    assert Translator("ja").yen(1200) == "1,200円"
    assert Translator("en").yen(1200) == "¥1,200"
    assert Translator("pt-BR").number(12345.5) == "12.345,5"
    assert Translator("vi").date(date(2026, 1, 2)) == "2 tháng 1, 2026"


def test_content_fallback_chains() -> None:
    assert fallback_chain("ja-easy") == ["ja-easy", "ja", "en"]
    assert fallback_chain("zh-Hant") == ["zh-Hant", "zh-Hans", "en", "ja"]
    assert fallback_chain("en") == ["en", "ja"]


def test_negotiation_picks_a_selectable_language() -> None:
    assert negotiate(["en-US", "ja"]) == "en"
    assert negotiate(["fr-FR"]) == "ja"
