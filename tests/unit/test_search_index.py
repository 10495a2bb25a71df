"""The one search's index (services/search/index.py): scripts, widths, romaji, typos, short
queries, ranking, replacing a kind, and searches from several threads at once."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.search.index import SearchIndex, within_one_edit
from services.search.models import Document, Hit, HitKind

JUMINHYO = Document(HitKind.procedure, "juminhyo_copy", "住民票の写しの交付請求", "市民課",
                    ("じゅうみんひょう", "juminhyo", "Copy of the residence certificate"))
CENTRAL = Document(HitKind.clinic, "162019-7", "富山県立中央病院", "富山市",
                   ("トヤマケンリツチュウオウビョウイン", "Toyama Prefectural Central Hospital",
                    "小児科", "Pediatrics", "소아과"))
STATION = Document(HitKind.stop, "富山駅", "富山駅", "Toyama Station",
                   ("とやまえき", "Toyama Station"))
GOKAYAMA = Document(HitKind.spot, "162108-3", "五箇山", "南砺市",
                    ("ゴカヤマ", "Gokayama", "合掌造りの集落が残る山あいの里です。世界遺産。",
                     "A mountain valley of thatched gassho-style farmhouses, a World Heritage "
                     "site."))
KANSUI = Document(HitKind.spot, "162019-2", "富岩運河環水公園", "富山市",
                  ("フガンウンガカンスイコウエン", "Fugan Canal Kansui Park",
                   "富山駅の北口から歩いて約10分の水辺の公園です。",
                   "A canal-side park about ten minutes on foot from the north exit of "
                   "Toyama Station."))
TOWN = Document(HitKind.town, "162019", "富山市", "とやまし", ("とやまし", "Toyama City"))
SHELTER = Document(HitKind.shelter, "162027-12", "高岡市民会館", "高岡市",
                   ("たかおかしみんかいかん",))
ALL = [JUMINHYO, CENTRAL, STATION, GOKAYAMA, KANSUI, TOWN, SHELTER]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    built = SearchIndex()
    for kind in HitKind:
        built.replace(kind, [d for d in ALL if d.kind is kind])
    return built


def ids(hits: list[Hit]) -> list[str]:
    return [h.id for h in hits]


@pytest.mark.parametrize("query", [
    "富山駅",  # kanji
    "とやまえき",  # kana
    "トヤマエキ",  # katakana
    "ﾄﾔﾏｴｷ",  # half-width katakana
    "toyamaeki",  # romaji of the reading
    "toyama station",  # English, two words
    "ＴＯＹＡＭＡ　ＳＴＡＴＩＯＮ",  # full-width latin and a full-width space
])
def test_a_stop_is_found_first_in_any_script_and_width(index: SearchIndex, query: str) -> None:
    assert ids(index.search(query))[0] == "富山駅"


@pytest.mark.parametrize("query", ["juminhyo", "juuminhyou", "jūminhyō", "zyuminhyo",
                                   "じゅうみんひょう", "ジュウミンヒョウ", "住民票",
                                   "residence certificate"])
def test_a_procedure_is_found_by_its_name_reading_romaji_or_translation(
        index: SearchIndex, query: str) -> None:
    assert ids(index.search(query))[0] == "juminhyo_copy"


def test_a_department_in_any_language_finds_the_clinic(index: SearchIndex) -> None:
    for query in ("小児科", "しょうにか", "shonika", "pediatrics", "PEDIATRICS", "소아과"):
        assert ids(index.search(query)) == ["162019-7"], query


def test_one_typo_is_forgiven_in_a_longer_word_and_ranks_after_exact_hits(
        index: SearchIndex) -> None:
    for query, wanted in (("pediatircs", "162019-7"),  # two letters swapped
                          ("pediatics", "162019-7"),  # a letter left out
                          ("toyamma", "162019"),  # a letter added
                          ("gokayana", "162108-3"),  # a letter changed
                          ("じゅうみんひよう", "juminhyo_copy")):  # ょ typed as よ
        hits = index.search(query)
        assert wanted in ids(hits), query
        assert all(h.score < 0 for h in hits if h.id == wanted), query
    exact_then_typo = index.search("toyamma")
    assert [h.score for h in exact_then_typo] == sorted(
        (h.score for h in exact_then_typo), reverse=True)


def test_no_typo_allowance_for_short_words_and_nothing_for_unrelated_words(
        index: SearchIndex) -> None:
    assert index.search("gkayama") != []  # 7 letters: forgiven
    assert index.search("tkyo") == []  # 4 letters: not
    assert index.search("sapporo") == []
    assert index.search("札幌") == []
    assert index.search("toyama sapporo") == []  # every word must match
    assert index.search("") == [] and index.search("   ") == []


def test_one_and_two_character_queries(index: SearchIndex) -> None:
    assert "162108-3" in ids(index.search("五"))  # a kanji inside no trigram
    assert "162108-3" in ids(index.search("ご"))  # the start of the reading ごかやま
    assert "162108-3" in ids(index.search("go"))
    two = ids(index.search("to"))
    assert {"富山駅", "162019", "162019-7"} <= set(two)
    assert ids(index.search("駅")) == ["富山駅"]  # a title, not the park mentioning 富山駅
    # A title that starts with what was typed comes first, the shorter the earlier.
    assert ids(index.search("と"))[:2] == ["162019", "富山駅"]


def test_an_exact_title_beats_a_mention_and_a_closer_title_beats_a_longer_one(
        index: SearchIndex) -> None:
    hits = index.search("富山駅")
    assert ids(hits)[:2] == ["富山駅", "162019-2"]  # the stop, then the park's description
    assert hits[0].score > hits[1].score
    toyama = ids(index.search("toyama"))
    assert toyama.index("162019") < toyama.index("富山駅") < toyama.index("162019-7")


def test_equal_matches_are_ordered_by_kind_boost_then_kind_then_title() -> None:
    index = SearchIndex()
    index.replace(HitKind.shelter, [Document(HitKind.shelter, "s", "中央公園", "", ())])
    index.replace(HitKind.aed, [Document(HitKind.aed, "e", "中央公園", "", ())])
    index.replace(HitKind.spot, [Document(HitKind.spot, "b", "中央公園", "", ()),
                                 Document(HitKind.spot, "a", "中央公園", "", ())])
    # The place to visit before the facilities of the same name (KIND_BOOST); shelter before
    # AED (equal boost: the kinds' order); then id.
    assert ids(index.search("中央公園")) == ["a", "b", "s", "e"]
    assert ids(index.search("中央")) == ["a", "b", "s", "e"]


def test_replace_swaps_one_kind_only(index: SearchIndex) -> None:
    fresh = SearchIndex()
    fresh.replace(HitKind.spot, [GOKAYAMA, KANSUI])
    fresh.replace(HitKind.stop, [STATION])
    assert len(fresh) == 3 and fresh.count(HitKind.spot) == 2
    moved = Document(HitKind.spot, "162108-9", "菅沼合掌造り集落", "南砺市", ("すがぬま",))
    fresh.replace(HitKind.spot, [moved])
    assert ids(fresh.search("gokayama")) == []
    assert ids(fresh.search("sugan")) == ["162108-9"]
    assert ids(fresh.search("富山駅")) == ["富山駅"]  # the stops stay
    assert len(fresh) == 2
    with pytest.raises(ValueError):
        fresh.replace(HitKind.stop, [moved])
    assert ids(fresh.search("sugan")) == ["162108-9"]  # a refused replace changes nothing


def test_query_syntax_characters_are_searched_as_text(index: SearchIndex) -> None:
    for query in ('"富山', "toyama*", "NEAR(a b)", "%", "_", "a OR b", "'", "\\", "(", "-"):
        index.search(query)  # no FTS5 syntax error
    quoted = SearchIndex()
    quoted.replace(HitKind.spot, [Document(HitKind.spot, "q", 'Café "Kitokito" 100%', "", ())])
    assert ids(quoted.search('"kitokito"')) == ["q"]
    assert ids(quoted.search("100%")) == ["q"]
    assert ids(quoted.search("%")) == ["q"]


def test_searches_from_threads_while_a_kind_is_replaced() -> None:
    index = SearchIndex()
    index.replace(HitKind.stop, [STATION])
    index.replace(HitKind.spot, [GOKAYAMA])
    many = [Document(HitKind.shelter, f"s{i}", f"第{i}避難所", "", (f"だい{i}ひなんじょ",))
            for i in range(300)]
    errors: list[BaseException] = []
    seen: list[int] = []

    def search() -> None:
        try:
            for _ in range(30):
                assert ids(index.search("富山駅")) == ["富山駅"]
                seen.append(len(index.search("ひなんじょ", limit=1000)))
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    def replace() -> None:
        try:
            for round_ in range(10):
                index.replace(HitKind.shelter, many if round_ % 2 == 0 else many[:100])
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(2)]
    threads.append(threading.Thread(target=replace))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(seen) <= {0, 100, 300}  # one whole set or the other, never a half-swapped one


def brute_force(query: str, text: str) -> bool:
    def one_edit(a: str, b: str) -> bool:
        if a == b:
            return True
        if len(a) == len(b):
            diff = [i for i in range(len(a)) if a[i] != b[i]]
            return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                      and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
        short, long_ = sorted((a, b), key=len)
        return len(long_) - len(short) == 1 and any(
            short == long_[:i] + long_[i + 1:] for i in range(len(long_)))

    n = len(query)
    return any(one_edit(query, text[s:s + length]) for s in range(len(text) + 1)
               for length in (n - 1, n, n + 1) if length >= 0 and s + length <= len(text))


@settings(max_examples=200, deadline=None)
@given(st.text("abc", min_size=2, max_size=8), st.text("abcd", max_size=14))
def test_within_one_edit_agrees_with_brute_force(query: str, text: str) -> None:
    assert within_one_edit(query, text) == brute_force(query, text)
