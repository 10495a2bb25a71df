"""Search consultation services by need, the way a worried resident types it.

"child has a fever at night", 「こどもが夜に熱」, "kosodate", "moving to toyama",
「気分が落ち込む」: sentences, in any language, in kana or romaji, with a typo. The query is cut
into words (spaces; Japanese without spaces is cut by pykakasi, and particles such as が, に, の
dropped), and each word is looked up in services.info.search.SearchIndex over each service's
name, description, needs words (every language), provider and department — with its width,
kana, romaji and one-typo forgiveness. A Japanese word also counts when it holds one of the
service's needs words or their readings (「こどもが」 holds 「こども」).

A service scores the rarity of the words it matched (a word every service matches, like
"toyama", weighs little); those scoring at least half the best are kept, best first. So one
specific word decides, a stray common word does not, and a sentence about something no service
covers finds nothing.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from services.consultations.models import Service
from services.info.search import SearchIndex, SearchText, reading_words, segments
from services.transit.kana import canonical_japanese, to_hiragana

# Words that carry no need. English only: other languages' needs words are matched whole.
_STOP = frozenset("""a an and are at be can do for from get have has i im in is it me my need
needs of on or our please some the to want we what where who with would you your""".split())
_PARTICLES = ("から", "まで", "より", "など", "が", "に", "を", "は", "の", "で", "と", "も", "へ",
              "や", "か", "ね", "よ")
_CUT = re.compile(r"[\s,.!?;:()「」『』、。！？・/]+")
TYPO_WEIGHT = 0.5  # a word that matched only with a typo forgiven counts half
CORE_WEIGHT = 1.5  # a word in the service's name or needs counts more than in its description


def query_words(query: str) -> list[str]:
    """The words of a query that can say something about a need."""
    words: list[str] = []
    for chunk in _CUT.split(unicodedata.normalize("NFKC", query)):
        if not chunk:
            continue
        if chunk.isascii():
            word = chunk.lower().strip("'-")
            if len(word) >= 2 and word not in _STOP:
                words.append(word)
            continue
        for part in segments(chunk):
            word = _strip_particle(part)
            if word:
                words.append(word)
    return words


def _strip_particle(word: str) -> str:
    if word in _PARTICLES:
        return ""
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


class NeedSearch:
    """Over one catalogue's services (make a new one when the catalogue changes)."""

    def __init__(self, services: Sequence[Service]) -> None:
        self._services = list(services)
        self._index = SearchIndex([_search_text(s) for s in self._services])
        # Names and needs words alone: "kosodate" is the childcare service's name, and only
        # a word in the relocation service's description.
        self._core = SearchIndex([_core_text(s) for s in self._services])
        self._needs: list[set[str]] = [_need_forms(s) for s in self._services]

    def search(self, query: str) -> list[Service] | None:
        """Matching services, best first; None for a query with no words (show them all)."""
        scored = self.scored(query)
        return None if scored is None else [service for service, _score in scored]

    def scored(self, query: str) -> list[tuple[Service, float]] | None:
        """(service, score) of each match, best first (`search`)."""
        words = query_words(query)
        if not words:
            return None
        count = len(self._services)
        scores = [0.0] * count
        for word in words:
            hits = self._hits(word)
            if not hits:
                continue
            weight = math.log(1 + count / len(hits))
            core = dict(self._core.ranked(word) or [])
            for i, typo in hits.items():
                boost = CORE_WEIGHT if core.get(i) is False else 1.0
                scores[i] += weight * (TYPO_WEIGHT if typo else boost)
        best = max(scores, default=0.0)
        if best <= 0:
            return []
        kept = [i for i in range(count) if scores[i] > 0 and scores[i] * 2 >= best]
        kept.sort(key=lambda i: (-scores[i], i))
        return [(self._services[i], scores[i]) for i in kept]

    def _hits(self, word: str) -> dict[int, bool]:
        """Services this word matches, and whether only with a typo forgiven."""
        hits = dict(self._index.ranked(word) or [])
        if not word.isascii():
            folded = canonical_japanese(word)
            for i, forms in enumerate(self._needs):
                if i not in hits or hits[i]:
                    if any(form in folded for form in forms):
                        hits[i] = False
        return hits


def _search_text(service: Service) -> SearchText:
    texts = [*service.name.values(), *service.description.values(), service.provider,
             service.department or ""]
    for words in service.needs.values():
        texts += words
    english = " ".join([service.name.get("en", ""), *service.needs.get("en", [])])
    return SearchText(name=" ".join(t for t in texts if t), name_en=english or None)


def _core_text(service: Service) -> SearchText:
    texts = [*service.name.values()]
    for words in service.needs.values():
        texts += words
    english = " ".join([service.name.get("en", ""), *service.needs.get("en", [])])
    return SearchText(name=" ".join(t for t in texts if t), name_en=english or None)


def _need_forms(service: Service) -> set[str]:
    """Japanese needs words and names, folded, with their readings: looked for inside a
    query word that pykakasi did not cut (「こどもがよるにねつ」)."""
    forms: set[str] = set()
    for language, words in service.needs.items():
        if not language.startswith("ja"):
            continue
        for word in words:
            folded = canonical_japanese(word)
            if folded:
                forms.add(folded)
                reading = canonical_japanese(to_hiragana("".join(reading_words(word))))
                if reading:
                    forms.add(reading)
    return forms
