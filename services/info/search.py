"""Forgiving search over one dataset's records, fast enough to run on every keystroke.

A record matches when every word of the query is found in its name, name reading, English name
or address, in any of these forms:
- Japanese folded: NFKC width folding, case, katakana -> hiragana, spaces and dots dropped
  (「ＴＯＹＡＭＡ」→ "toyama", 「トヤマ」→「とやま」), as a substring (so prefixes too);
- romaji, canonical (services/transit/kana.py: Hepburn and its common variants collapse: shi/si,
  chi/ti, tsu/tu, ju/zyu, long vowels juu/jū/ju, hyphens): typed latin letters or kana meet the
  pykakasi reading of names and addresses ("toyama", "toyama-shi", "takaoka", 「とやま」 all find
  富山);
- with one typo (an edit: a letter left out, added or changed) for romaji words of 4+ letters,
  at the start of a word of the reading ("takoka" finds 高岡, "toyana" finds 富山). Records
  that needed a typo forgiven come after those matching as typed.

The index is built once per dataset snapshot (readings cost ~0.3 ms a string in pykakasi, cached
per text chunk); a query is then a scan of two strings per record plus a few hundred dictionary
lookups: a few milliseconds over ~3,000 records.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from services.info.towns import TOWNS
from services.transit.kana import canonical_japanese, canonical_romaji, kana_to_romaji, to_hiragana

MIN_PREFIX = 3  # typo matching looks at reading words from this length
MAX_TOKEN = 14  # and at most this much of each
TYPO_MIN_LETTERS = 4
_SEPARATORS = re.compile(r"[\s0-9\-‐–―()（）「」、,.・/]+")
_PREFECTURE = "富山県"


@dataclass(frozen=True)
class SearchText:
    """What is searchable of one record."""

    name: str
    kana: str = ""  # the published reading (katakana or hiragana), if any
    name_en: str | None = None
    address: str = ""


_kakasi: Any = None  # pykakasi.kakasi, made on first use (its dictionary takes ~0.5 s)
_kakasi_lock = threading.Lock()


def _convert(chunk: str) -> list[dict[str, str]]:
    global _kakasi
    with _kakasi_lock:
        if _kakasi is None:
            import pykakasi

            _kakasi = pykakasi.kakasi()
        return _kakasi.convert(chunk)


@lru_cache(maxsize=50_000)
def _chunk_reading(chunk: str) -> tuple[str, ...]:
    """Hiragana readings of the words pykakasi finds in a chunk of Japanese text."""
    return tuple(p["hira"] for p in _convert(chunk) if p["hira"].strip())


@lru_cache(maxsize=5_000)
def segments(chunk: str) -> tuple[str, ...]:
    """The words (as written) pykakasi cuts a chunk of Japanese text into:
    「こどもが夜に熱」 -> こどもが, 夜, に, 熱 (services/consultations/search.py)."""
    return tuple(text for p in _convert(chunk) if (text := p["orig"].strip()))


def reading_words(text: str) -> list[str]:
    """Hiragana readings of the words of `text` (kanji read by pykakasi; latin passes)."""
    text = unicodedata.normalize("NFKC", text)
    words: list[str] = []
    for chunk in _SEPARATORS.split(text):
        if chunk and not chunk.isascii():
            words += _chunk_reading(chunk)
        elif chunk:
            words.append(chunk.lower())
    return words


def address_words(address: str) -> list[str]:
    """Readings of an address; the prefecture and the town come from the towns table (and
    the rest repeats more, so the chunk cache serves it more often)."""
    text = unicodedata.normalize("NFKC", address).strip().removeprefix(_PREFECTURE)
    for town in TOWNS:
        if text.startswith(town.name):
            return [town.kana, *reading_words(text[len(town.name):])]
    return reading_words(text)


def _roman(hiragana: str) -> str:
    return canonical_romaji(kana_to_romaji(hiragana))


@dataclass(frozen=True)
class _Word:
    japanese: str
    roman: str | None


def _query_words(query: str) -> list[_Word]:
    words = []
    for raw in unicodedata.normalize("NFKC", query).split():
        japanese = canonical_japanese(raw)
        plain = "".join(c for c in unicodedata.normalize("NFKD", raw)
                        if not unicodedata.combining(c))  # jū -> ju
        bare = re.sub(r"[\-'.・ー]", "", plain)
        roman: str | None = None
        if bare.isascii() and bare.isalnum():
            roman = canonical_romaji(plain)
        elif bare and all("ぁ" <= c <= "ゖ" for c in to_hiragana(bare)):
            roman = _roman(to_hiragana(raw))
        if japanese or roman:
            words.append(_Word(japanese, roman or None))
    return words


def _one_edit(word: str, alphabet: str) -> set[str]:
    """`word` and every string one deletion, substitution or insertion away from it."""
    out = {word}
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            out.add(head + tail[1:])
        for c in alphabet:
            out.add(head + c + tail)
            if tail:
                out.add(head + c + tail[1:])
    return out


class SearchIndex:
    """Search over a fixed list of records (build a new one when the dataset changes)."""

    def __init__(self, texts: Sequence[SearchText]) -> None:
        self._japanese: list[str] = []
        self._roman: list[str] = []
        self._readings: list[str] = []
        token_docs: dict[str, set[int]] = {}
        for i, text in enumerate(texts):
            name_words = reading_words(text.name)
            where = address_words(text.address)
            kana = to_hiragana(text.kana) if text.kana else ""
            reading = canonical_japanese(kana) or "".join(name_words)
            self._readings.append(reading)
            self._japanese.append("\0".join(canonical_japanese(t) for t in (
                text.name, kana, reading, text.address, "".join(where)) if t))
            roman_words = [_roman(w) for w in (*name_words, *where)]
            roman_whole = [_roman(reading), _roman("".join(where))]
            if text.name_en:
                roman_words += [canonical_romaji(w) for w in text.name_en.split()]
                roman_whole.append(canonical_romaji(text.name_en))
            self._roman.append(" ".join(w for w in roman_whole if w))
            for token in {*roman_words, roman_whole[0]}:
                if len(token) >= MIN_PREFIX:
                    token_docs.setdefault(token[:MAX_TOKEN], set()).add(i)
        # prefix (of a reading word) -> the records that have it
        self._prefixes: dict[str, set[int]] = {}
        for token, docs in token_docs.items():
            for end in range(MIN_PREFIX, len(token) + 1):
                self._prefixes.setdefault(token[:end], set()).update(docs)
        self._alphabet = "".join(sorted({c for token in token_docs for c in token}))

    def __len__(self) -> int:
        return len(self._readings)

    def reading(self, i: int) -> str:
        """The name's reading in hiragana (published, else pykakasi's): for ordering by name."""
        return self._readings[i]

    def matches(self, query: str) -> list[int] | None:
        """Records (their positions) matching every word: those matching as typed first, then
        those that needed a typo forgiven, each group in record order. None for an empty query
        (everything matches)."""
        ranked = self.ranked(query)
        return None if ranked is None else [i for i, _typo in ranked]

    def ranked(self, query: str) -> list[tuple[int, bool]] | None:
        """(position, needed a typo) of each match, as `matches` orders them."""
        words = _query_words(query)
        if not words:
            return None
        japanese, roman = self._japanese, self._roman
        found: dict[int, bool] = dict.fromkeys(range(len(self._readings)), False)
        for word in words:
            q_ja, q_ro = word.japanese, word.roman
            typos = self._typo_docs(q_ro)
            kept: dict[int, bool] = {}
            for i, typo in found.items():
                if (q_ja and q_ja in japanese[i]) or (q_ro and q_ro in roman[i]):
                    kept[i] = typo
                elif i in typos:
                    kept[i] = True
            found = kept
            if not found:
                break
        return sorted(found.items(), key=lambda item: (item[1], item[0]))

    def _typo_docs(self, word: str | None) -> set[int]:
        if not word or len(word) < TYPO_MIN_LETTERS:
            return set()
        docs: set[int] = set()
        for variant in _one_edit(word[:MAX_TOKEN], self._alphabet):
            hit = self._prefixes.get(variant)
            if hit:
                docs |= hit
        return docs
