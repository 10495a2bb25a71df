"""Forgiving search (services/info/search.py): scripts, width, romaji variants, one typo."""

from __future__ import annotations

from services.info.search import SearchIndex, SearchText

RECORDS = [
    SearchText("富山市民病院", "トヤマシミンビョウイン", "Toyama City Hospital",
               "富山県富山市今泉北部町2-1"),
    SearchText("高岡駅前クリニック", "", None, "富山県高岡市下関町1-1"),
    SearchText("十二町診療所", "", None, "富山県氷見市十二町399-1"),
    SearchText("立山こども園", "タテヤマコドモエン", None, "富山県中新川郡立山町前沢2440"),
    SearchText("黒部歯科医院", "クロベシカイイン", None, "富山県黒部市三日市1301"),
]


def names(index: SearchIndex, query: str) -> list[str]:
    found = index.matches(query)
    assert found is not None
    return [RECORDS[i].name for i in found]


def test_toyama_is_found_in_any_script_and_width() -> None:
    index = SearchIndex(RECORDS)
    for query in ("富山", "とやま", "トヤマ", "toyama", "ＴＯＹＡＭＡ", "Toyama", "toyama-shi",
                  "ﾄﾔﾏ"):
        assert "富山市民病院" in names(index, query), query
    assert names(index, "とやましみん") == ["富山市民病院"]  # a prefix of the reading
    assert names(index, "city hospital") == ["富山市民病院"]  # English name, two words


def test_romaji_variants_and_long_vowels_meet() -> None:
    index = SearchIndex(RECORDS)
    for query in ("juunichou", "junicho", "jūnichō", "zyunityo", "じゅうにちょう", "十二町"):
        assert names(index, query) == ["十二町診療所"], query
    assert names(index, "takaoka") == ["高岡駅前クリニック"]
    assert names(index, "tateyama kodomo") == ["立山こども園"]
    assert names(index, "kurobe shika") == ["黒部歯科医院"]


def test_one_typo_is_forgiven_for_longer_words_and_ranks_after_exact_matches() -> None:
    index = SearchIndex(RECORDS)
    assert names(index, "takoka") == ["高岡駅前クリニック"]  # a letter left out
    assert names(index, "tateyana") == ["立山こども園"]  # a letter changed
    assert names(index, "kurrobe") == ["黒部歯科医院"]  # a letter added
    assert names(index, "kuroe") == ["黒部歯科医院"]
    assert index.ranked("takoka") == [(1, True)]
    assert names(index, "tko") == []  # 3 letters: no typo allowance


def test_queries_that_should_not_match() -> None:
    index = SearchIndex(RECORDS)
    assert names(index, "sapporo") == []
    assert names(index, "札幌") == []
    assert names(index, "toyama sapporo") == []  # every word must match
    assert names(index, "xyz") == []
    assert index.matches("   ") is None  # no words: everything


def test_a_keystroke_over_thousands_of_records_reuses_the_index() -> None:
    many = [SearchText(f"第{i}避難所", "", None, f"富山県富山市新桜町{i}") for i in range(3000)]
    index = SearchIndex(many + RECORDS)
    for typed in ("t", "to", "toy", "toya", "toyam", "toyama"):
        assert index.matches(typed)
    assert len(index.matches("kurobe") or []) == 1
