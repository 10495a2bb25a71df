"""Find stops by name in Japanese (kanji or kana), romaji or English. exact > prefix > substring.

Readings come from translations.txt (ja-Hrkt); stops without one get a pykakasi reading of
the kanji name (loaded lazily: its dictionary takes ~0.5 s to open).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .geo import distance_m
from .kana import canonical_japanese, canonical_romaji, is_kana, kana_to_romaji, to_hiragana
from .network import Network

EXACT, PREFIX, SUBSTRING = 3, 2, 1


@dataclass(frozen=True)
class StopMatch:
    stop_id: str  # station id where the stop has one, else the stop id: plan with this
    name: str
    name_en: str | None
    name_kana: str | None
    score: int  # 3 exact, 2 prefix, 1 substring
    feed: str


@dataclass(frozen=True)
class _Entry:
    match: StopMatch
    japanese: tuple[str, ...]  # canonical Japanese forms (name, reading)
    romaji: tuple[str, ...]  # canonical romaji forms (reading, English)


def _kakasi_reading(text: str) -> str:
    import pykakasi  # optional: only for names with no ja-Hrkt translation

    global _KAKASI
    if _KAKASI is None:
        _KAKASI = pykakasi.kakasi()
    return "".join(part["hira"] for part in _KAKASI.convert(text))


_KAKASI: Any = None  # pykakasi.kakasi, made on first use


def _score(query: str, keys: tuple[str, ...]) -> int:
    best = 0
    for key in keys:
        if not key or not query:
            continue
        if key == query:
            return EXACT
        if key.startswith(query):
            best = max(best, PREFIX)
        elif query in key:
            best = max(best, SUBSTRING)
    return best


@dataclass(frozen=True)
class NearbyStop:
    match: StopMatch
    metres: float


class StopIndex:
    def __init__(self, network: Network, guess_readings: bool = True) -> None:
        self.entries: list[_Entry] = []
        self._where: list[tuple[float, float] | None] = []  # per entry: the stop's position
        seen: set[str] = set()
        for idx, stop in enumerate(network.stops):
            rep = network.stops[stop.parent] if stop.parent >= 0 else stop
            if rep.id in seen:
                continue
            seen.add(rep.id)
            rep_idx = network.stop_index[rep.id]
            name_en = network.stop_translation(rep_idx, "en") or network.stop_translation(
                idx, "en")
            kana = network.stop_translation(rep_idx, "ja-Hrkt") or network.stop_translation(
                idx, "ja-Hrkt")
            reading = kana
            if not reading and guess_readings and not rep.name.isascii():
                reading = _kakasi_reading(rep.name)
            japanese = tuple(canonical_japanese(t) for t in (rep.name, reading or "") if t)
            romaji = [canonical_romaji(kana_to_romaji(reading))] if reading else []
            if name_en:
                romaji.append(canonical_romaji(name_en))
            if rep.name.isascii():
                romaji.append(canonical_romaji(rep.name))
            self.entries.append(_Entry(
                StopMatch(rep.id, rep.name, name_en, kana, 0, rep.feed),
                japanese, tuple(romaji),
            ))
            where = rep if rep.lat is not None and rep.lon is not None else stop
            self._where.append(
                (where.lat, where.lon) if where.lat is not None and where.lon is not None
                else None)

    def nearest(self, lat: float, lon: float, limit: int = 3,
                within_m: float = 1500.0) -> list[NearbyStop]:
        """Stops closest to a point ("current location", a clinic, a shelter), nearest first."""
        found = [
            NearbyStop(entry.match, distance_m(lat, lon, *where))
            for entry, where in zip(self.entries, self._where, strict=True) if where
        ]
        found = [near for near in found if near.metres <= within_m]
        found.sort(key=lambda near: near.metres)
        return found[:limit]

    def search(self, query: str, limit: int = 20) -> list[StopMatch]:
        japanese_q = canonical_japanese(query)
        romaji_q = canonical_romaji(kana_to_romaji(to_hiragana(query)) if is_kana(query) else query)
        hits: list[tuple[int, int, str, StopMatch]] = []
        for entry in self.entries:
            score = max(_score(japanese_q, entry.japanese), _score(romaji_q, entry.romaji))
            if score:
                m = entry.match
                hits.append((-score, len(m.name), m.stop_id, m))
        hits.sort(key=lambda h: h[:3])
        return [
            StopMatch(m.stop_id, m.name, m.name_en, m.name_kana, -neg, m.feed)
            for neg, _, _, m in hits[:limit]
        ]
