"""The forms a text is searched in, so that whatever script or width a resident types meets it.

Every text is folded: NFKC (half-width katakana and full-width latin to their normal width),
case-folded, katakana to hiragana, runs of spaces to one. Japanese text is also searched by its
reading (hiragana, kanji read by pykakasi through services/info/search.py's cached readings) and
by the romaji of that reading in the canonical form of services/transit/kana.py, where Hepburn
variants and long vowels collapse (juminhyo, juuminhyou, zyuminhyo and じゅうみんひょう meet).
A latin name is also kept in that canonical romaji ("Toyama-shi", "toyama shi" meet).

A query is folded the same way, word by word: each word has a few forms, and a text matches a
word when it contains any of them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from services.info.search import reading_words
from services.transit.kana import canonical_japanese, canonical_romaji, kana_to_romaji, to_hiragana

_SPACES = re.compile(r"\s+")
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_WORD = re.compile(r"^[\u3041-\u309fー]+$")
_KANA_TEXT = re.compile(r"^[\u3041-\u309fー・\s]+$")
_LATIN_WORD = re.compile(r"^[0-9a-z'’.\-]+$")
# A text of kanji only this long or shorter is read as Japanese (a name: 小児科, 富山駅); a longer
# one with no kana is likely Chinese (zh-Hans / zh-Hant descriptions) and is not read.
KANJI_NAME_MAX = 24
# Latin text this long or shorter is a name, kept in canonical romaji too; a sentence is not.
LATIN_NAME_MAX = 40


def fold(text: str) -> str:
    """NFKC, case-folded, katakana -> hiragana, spaces collapsed."""
    return _SPACES.sub(" ", to_hiragana(text).casefold()).strip()


def is_japanese(text: str) -> bool:
    """Has kana, or is a short text of kanji (a name). Chinese descriptions are not read."""
    if _KANA.search(text):
        return True
    return bool(_CJK.search(text)) and len(text) <= KANJI_NAME_MAX


@lru_cache(maxsize=50_000)
def reading(text: str) -> str:
    """The hiragana reading of a Japanese text, without spaces or long-vowel marks."""
    if _KANA_TEXT.match(text):
        return canonical_japanese(text)  # already a reading: pykakasi would return it
    return canonical_japanese("".join(reading_words(text)))


def romaji(kana: str) -> str:
    """Canonical romaji of a kana text (services/transit/kana.py)."""
    return canonical_romaji(kana_to_romaji(kana))


@lru_cache(maxsize=50_000)
def forms(text: str) -> tuple[str, ...]:
    """The forms a text is indexed in: folded; for Japanese text its reading and romaji; for
    a latin name its canonical romaji. Distinct, non-empty, the folded text first."""
    folded = fold(text)
    found = [folded]
    if is_japanese(folded):
        read = reading(folded)
        found += [canonical_japanese(folded), read, romaji(read)]
    elif folded.isascii() and len(folded) <= LATIN_NAME_MAX:
        found.append(canonical_romaji(folded))  # a name: "Toyama-shi", "Sta. Mae"
    return tuple(dict.fromkeys(f for f in found if f))


def word_forms(word: str) -> tuple[str, ...]:
    """The forms one folded query word is looked for in: as typed; without spaces, dots and
    long-vowel marks; kana and latin letters also as canonical romaji."""
    found = [word, canonical_japanese(word)]
    if _KANA_WORD.match(word):
        found.append(romaji(word))
    elif _LATIN_WORD.match(_without_marks(word)):
        found.append(canonical_romaji(word))  # jūminhyō -> zyuminhyo
    return tuple(dict.fromkeys(f for f in found if f))


def _without_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def query_words(query: str) -> list[str]:
    """The folded words of a query (diacritics kept: "são" is not "sao")."""
    return fold(query).split()


def whole_forms(query: str) -> tuple[str, ...]:
    """The forms of the whole query, for the bonus of a title that is, or starts with, it."""
    folded = fold(query)
    found = [folded, *word_forms(folded.replace(" ", ""))] if folded else []
    if folded.isascii():
        found.append(canonical_romaji(folded))
    return tuple(dict.fromkeys(f for f in found if f))
