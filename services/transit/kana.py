"""Kana -> romaji and the normal forms used to match stop names typed in any script.

Matching is done on a canonical romaji where spelling variants collapse: shi/si, chi/ti,
tsu/tu, fu/hu, ji/zi/di, sha/sya, mb/nb, and long vowels (ou, oo, ō, uu ...) -> one vowel.
So 「いわせはま」, "iwasehama", "Iwasehama" and "IWASEHAMA" all meet.
"""

from __future__ import annotations

import re
import unicodedata

_BASE = {
    "あ": "a", "い": "i", "う": "u", "え": "e", "お": "o",
    "か": "ka", "き": "ki", "く": "ku", "け": "ke", "こ": "ko",
    "さ": "sa", "し": "shi", "す": "su", "せ": "se", "そ": "so",
    "た": "ta", "ち": "chi", "つ": "tsu", "て": "te", "と": "to",
    "な": "na", "に": "ni", "ぬ": "nu", "ね": "ne", "の": "no",
    "は": "ha", "ひ": "hi", "ふ": "fu", "へ": "he", "ほ": "ho",
    "ま": "ma", "み": "mi", "む": "mu", "め": "me", "も": "mo",
    "や": "ya", "ゆ": "yu", "よ": "yo",
    "ら": "ra", "り": "ri", "る": "ru", "れ": "re", "ろ": "ro",
    "わ": "wa", "ゐ": "i", "ゑ": "e", "を": "o", "ん": "n",
    "が": "ga", "ぎ": "gi", "ぐ": "gu", "げ": "ge", "ご": "go",
    "ざ": "za", "じ": "ji", "ず": "zu", "ぜ": "ze", "ぞ": "zo",
    "だ": "da", "ぢ": "ji", "づ": "zu", "で": "de", "ど": "do",
    "ば": "ba", "び": "bi", "ぶ": "bu", "べ": "be", "ぼ": "bo",
    "ぱ": "pa", "ぴ": "pi", "ぷ": "pu", "ぺ": "pe", "ぽ": "po",
    "ゔ": "vu", "ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o",
    "ゃ": "ya", "ゅ": "yu", "ょ": "yo", "ゎ": "wa",
}
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_SMALL_VOWEL = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o"}


def to_hiragana(text: str) -> str:
    """NFKC (full-width -> normal width), lower case, katakana -> hiragana."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def is_kana(text: str) -> bool:
    return any("ぁ" <= c <= "ゖ" or c == "ー" for c in to_hiragana(text))


def kana_to_romaji(text: str) -> str:
    """Hepburn-style romaji of the kana in `text`; other characters pass through."""
    hira = to_hiragana(text)
    out: list[str] = []
    double_next = False
    for i, c in enumerate(hira):
        nxt = hira[i + 1] if i + 1 < len(hira) else ""
        if c == "っ":
            double_next = True
            continue
        if c == "ー":
            out.append(out[-1][-1] if out and out[-1] else "")
            continue
        rom = _BASE.get(c, c)
        if c in _SMALL_Y and out and out[-1].endswith("i") and len(out[-1]) > 1:
            prev = out.pop()
            # しゃ sha, ちゃ cha, じゃ ja; but ひゃ hya, not "ha"
            stem = prev[:-1] if prev.endswith(("shi", "chi", "ji")) else prev[:-1] + "y"
            rom = stem + _SMALL_Y[c]
        elif c in _SMALL_VOWEL and out and len(out[-1]) > 1:
            prev = out.pop()
            rom = prev[:-1] + _SMALL_VOWEL[c]  # てぃ -> ti, ふぁ -> fa
        if double_next and rom:
            rom = ("t" if rom.startswith("ch") else rom[0]) + rom
            double_next = False
        if c == "ん" and nxt and nxt in "あいうえおやゆよ":
            rom = "n'"
        out.append(rom)
    return "".join(out)


_VARIANTS = [
    ("tch", "tty"), ("sh", "sy"), ("ch", "ty"), ("ts", "t"), ("j", "zy"), ("f", "h"),
    ("di", "zi"), ("du", "zu"), ("dy", "zy"), ("syi", "si"), ("tyi", "ti"), ("zyi", "zi"),
    ("mb", "nb"), ("mp", "np"), ("mm", "nm"),
]
_LONG = re.compile(r"(ou|oo|uu|aa|ii|ee|oh(?![aiueo]))")


def canonical_romaji(text: str) -> str:
    """Fold a romaji (or English) string into the matching form described above."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))  # ō -> o (long: folded)
    # Feeds abbreviate ("Toyama Sta. Mae"); visitors type the word ("Toyama Station").
    text = re.sub(r"\b(station|stn)\b", "sta", text)
    text = re.sub(r"[^a-z0-9]", "", text)
    for a, b in _VARIANTS:
        text = text.replace(a, b)
    text = text.replace("nn", "n")
    return _LONG.sub(lambda m: m.group(0)[0], text)


def canonical_japanese(text: str) -> str:
    """Japanese name folded for matching: width, case, katakana, spaces and dots removed."""
    return re.sub(r"[\s・･.\-－ー]", "", to_hiragana(text))
