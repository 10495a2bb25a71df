"""Stop search by kanji, kana, romaji and English."""

from __future__ import annotations

import pytest
from conftest import shared_network

from services.transit import StopIndex
from services.transit.kana import canonical_romaji, kana_to_romaji


@pytest.fixture(scope="module")
def feeder_index():
    return StopIndex(shared_network("toyama_feeder_2019"))


@pytest.mark.parametrize("query", ["いわせはま", "イワセハマ", "iwasehama", "Iwasehama",
                                   "IWASEHAMA", "岩瀬浜", "ｲﾜｾﾊﾏ"])
def test_iwasehama_found_first(feeder_index, query):
    # translations.txt: 岩瀬浜 -> ja-Hrkt いわせはま, en Iwasehama; stop 2_1 under station 2
    hits = feeder_index.search(query)
    assert hits[0].name == "岩瀬浜" and hits[0].stop_id == "2"
    assert hits[0].score == 3
    # 岩瀬浜駅前 is a prefix match, ranked after the exact one
    assert any(h.name == "岩瀬浜駅前" and h.score == 2 for h in hits[1:])


def test_english_name_and_substring(feeder_index):
    hits = feeder_index.search("Sta. Mae")
    assert "岩瀬浜駅前" in [h.name for h in hits]
    assert all(h.score == 1 for h in hits)


def test_long_vowels_and_spelling_variants():
    # しょうがっこう = shougakkou = shogakko = shōgakkō
    forms = {canonical_romaji(x) for x in (
        kana_to_romaji("しょうがっこう"), "shogakko", "Shōgakkō", "syougakkou")}
    assert len(forms) == 1
    assert canonical_romaji("Shimbashi") == canonical_romaji(kana_to_romaji("しんばし"))
    assert kana_to_romaji("ちゃっと") == "chatto"
    # ひ + small ょ is "hyo" (it was read "ho", like し + ょ "sho").
    assert kana_to_romaji("ひょうたん") == "hyoutan"
    assert kana_to_romaji("しょう") == "shou"


def test_ranking_exact_prefix_substring():
    index = StopIndex(shared_network("uozu_shimin_2019"))
    hits = index.search("魚津駅")
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits and hits[0].name.startswith("魚津駅")


def test_no_match(feeder_index):
    assert feeder_index.search("zzzzqqq") == []
