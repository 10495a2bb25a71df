"""The one search's index: SQLite FTS5 with the trigram tokenizer, in memory.

Trigrams suit Japanese (no spaces between words to cut on) and make every query a substring
search, so what was typed so far already matches. Each document is stored in the forms of
text.py (folded; reading and romaji of Japanese; canonical romaji of latin names) in three
columns: `names` (the title's forms), `terms` (short texts: other names, readings, English
names, departments, keywords) and `body` (long texts: descriptions, summaries), so a title
match weighs more than a term, and a term more than a mention.

A query is folded the same way, word by word; every word must match in one of its forms.
- 3 characters and more: FTS5 MATCH, ranked by bm25 (names 10, terms 5, body 1) plus a bonus
  when a title form starts with the query, the larger the more of the title it covers (an
  exact title scores the most). Title forms are also kept in a plain indexed table, so the
  bonus is a range of that index rather than string functions over every matched row;
- 1 or 2 characters (or a form that short, such as "si" for "shi"): the trigram index cannot
  answer, so names and terms (not the long texts: a letter is in every description) are
  scanned with instr() in SQLite, a few ms over every bundled record (bench/search.py); the
  same title bonus puts titles that start with what was typed first. (A prefix table alone
  would not find 「駅」 inside 「富山駅」.)
- a small typo: when the exact search finds fewer than `FEW` hits and the query is long enough
  (6 latin letters, 5 kana or kanji), an OR over the query's trigrams in names and terms gives
  the candidates, most trigrams held first; a candidate is kept when its names or terms hold
  the query within one edit (a letter changed, left out, added, or two neighbours swapped),
  checked in Python. So "pediatircs", "toyamma" and 「じゅうみんひよう」 find their words (in
  a word of 6 or 7 letters, only an edit in its first or last two: see `_typos`). Typo hits
  come after the exact ones, by the share of trigrams held, and score below zero. Long texts
  forgive no typo (a misspelt word would meet too many of them by chance).

Order is deterministic: score (plus its kind's boost, models.KIND_BOOST), then the kind's
order (models.HitKind), then the title, then id.
One connection, guarded by a lock: searches come from worker threads of many sessions. The
normalisation of a `replace` (pykakasi readings) runs outside the lock, only the swap inside.
The index holds public data only.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.search.models import KIND_BOOST, KIND_ORDER, Document, Hit, HitKind
from services.search.text import forms, query_words, whole_forms, word_forms

NAMES_WEIGHT, TERMS_WEIGHT, BODY_WEIGHT = 10.0, 5.0, 1.0  # bm25 weights of the columns
TERM_MAX = 40  # a text this long or shorter, and not a sentence, is a term; else body
_SENTENCE = re.compile(r"[。！？!?]|\. ")
TITLE_BONUS = 40.0  # times the share of a title form the query covers from its start
SCAN_NAMES, SCAN_TERMS = 10.0, 5.0  # short queries: found in the title / in a term
FEW = 3  # fewer exact hits than this: look for typos too
TYPO_MIN_LATIN = 6  # a typo is forgiven in a query of 6+ latin letters
TYPO_MIN_OTHER = 5  # or of 5+ kana or kanji
TYPO_LEAST = 2  # trigrams a typo candidate holds at least
TYPO_CANDIDATES = 500  # at most this many candidates (most trigrams held first) are checked
TRIGRAM = 3
_SEP = "\n"

_SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(names, terms, body, tokenize='trigram');
CREATE TABLE meta (
    rowid INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ord INTEGER NOT NULL,
    boost REAL NOT NULL,  -- models.KIND_BOOST of its kind
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    subtitle TEXT NOT NULL,
    names TEXT NOT NULL,  -- the title's forms, one a line, with a line break before and after
    terms TEXT NOT NULL   -- (the body is in docs only: short queries do not scan it)
);
CREATE INDEX meta_kind ON meta(kind);
-- Each title form once, for the bonus of a title that starts with the query: a range of this
-- index instead of string functions over every matched row.
CREATE TABLE titles (form TEXT NOT NULL, doc INTEGER NOT NULL, length INTEGER NOT NULL);
CREATE INDEX titles_form ON titles(form);
"""
_LAST = "\U0010ffff"  # sorts after every character: form < prefix + _LAST for a range


@dataclass(frozen=True)
class _Row:
    document: Document
    title_forms: tuple[str, ...]
    names: str
    terms: str
    body: str


def _prepared(document: Document) -> _Row:
    title_forms = forms(document.title) if document.title.strip() else ()
    seen = set(title_forms)
    terms: list[str] = []
    body: list[str] = []
    for text in document.texts:
        text_forms = forms(text) if text.strip() else ()
        column = terms if is_term(text_forms[0] if text_forms else "") else body
        for form in text_forms:
            if form not in seen:
                seen.add(form)
                column.append(form)
    return _Row(document, title_forms, _SEP + _SEP.join(title_forms) + _SEP, _SEP.join(terms),
                _SEP.join(body))


def is_term(folded: str) -> bool:
    """A name, reading, keyword or department, rather than a description."""
    return len(folded) <= TERM_MAX and not _SENTENCE.search(folded)


def _phrase(text: str) -> str:
    """An FTS5 string (a phrase: with trigrams, a substring)."""
    return '"' + text.replace('"', '""') + '"'


def _trigrams(text: str) -> list[str]:
    return list(dict.fromkeys(text[i:i + TRIGRAM] for i in range(len(text) - TRIGRAM + 1)))


def _starts_within_one_edit(part: str, text: str) -> bool:
    """Does `text` start with `part`, or with a string one edit away from it (a letter
    changed, added or left out, or two neighbours swapped)?"""
    m, i = len(part), 0
    while i < m and i < len(text) and part[i] == text[i]:
        i += 1
    if i == m:
        return True
    rest = part[i + 1:]
    return (text[i + 1:m] == rest and len(text) >= m  # changed
            or text[i + 1:m + 1] == part[i:]  # a letter the query lacks
            or text[i:m - 1] == rest  # a letter the query has too many
            or (i + 1 < m and text[i:i + 2] == part[i + 1] + part[i]
                and text[i + 2:m] == part[i + 2:]))  # swapped


def within_one_edit(query: str, text: str) -> bool:
    """Does `text` hold `query`, or a string one edit away from it? One edit leaves the first
    or the second half of the query whole (but for a swap across the middle, tried as such):
    around each place a half occurs, the other half is compared allowing one edit."""
    if query in text:
        return True
    h = len(query) // 2
    head, tail = query[:h], query[h:]
    if h >= 1 and head[:-1] + tail[0] + head[-1] + tail[1:] in text:
        return True
    at = text.find(head) if head else -1
    while at != -1:
        if _starts_within_one_edit(tail, text[at + h:at + len(query) + 1]):
            return True
        at = text.find(head, at + 1)
    head_back = head[::-1]
    at = text.find(tail)
    while at != -1:
        before = text[max(0, at - h - 1):at][::-1]
        if _starts_within_one_edit(head_back, before):
            return True
        at = text.find(tail, at + 1)
    return False


class SearchIndex:
    """Documents of every kind, searchable as you type. Thread-safe."""

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._texts: dict[int, tuple[str, str]] = {}  # rowid -> names, terms (typo checks)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __len__(self) -> int:
        with self._lock:
            return len(self._texts)

    def count(self, kind: HitKind) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM meta WHERE kind = ?",
                                        (kind.value,)).fetchone()[0])

    def replace(self, kind: HitKind, documents: Iterable[Document]) -> None:
        """Swap every document of `kind` for these, in one transaction (a search sees the old
        set or the new one). Documents of another kind are refused."""
        rows = [_prepared(d) for d in documents]  # readings: outside the lock
        if any(r.document.kind is not kind for r in rows):
            raise ValueError(f"replace({kind.value}) was given documents of another kind")
        order = KIND_ORDER[kind]
        with self._lock:
            db = self._db
            db.execute("BEGIN")
            try:
                old = [r for (r,) in db.execute("SELECT rowid FROM meta WHERE kind = ?",
                                                (kind.value,))]
                db.execute("DELETE FROM docs WHERE rowid IN (SELECT rowid FROM meta "
                           "WHERE kind = ?)", (kind.value,))
                db.execute("DELETE FROM titles WHERE doc IN (SELECT rowid FROM meta "
                           "WHERE kind = ?)", (kind.value,))
                db.execute("DELETE FROM meta WHERE kind = ?", (kind.value,))
                added: dict[int, tuple[str, str]] = {}
                for row in rows:
                    d = row.document
                    rowid = db.execute(
                        "INSERT INTO meta (kind, ord, boost, id, title, subtitle, names, terms) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (kind.value, order, KIND_BOOST[kind], d.id, d.title, d.subtitle,
                         row.names, row.terms),
                    ).lastrowid
                    db.execute("INSERT INTO docs (rowid, names, terms, body) "
                               "VALUES (?, ?, ?, ?)", (rowid, row.names, row.terms, row.body))
                    db.executemany("INSERT INTO titles (form, doc, length) VALUES (?, ?, ?)",
                                   [(f, rowid, len(f)) for f in row.title_forms])
                    added[int(rowid or 0)] = (row.names, row.terms)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            for rowid in old:
                self._texts.pop(rowid, None)
            self._texts.update(added)

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The best `limit` hits for what was typed so far (none for an empty query)."""
        words = [word_forms(w) for w in query_words(query)]
        if not words or limit <= 0:
            return []
        whole = whole_forms(query)
        with self._lock:
            if all(len(f) >= TRIGRAM for w in words for f in w):
                hits = self._match(words, whole, limit)
            else:
                hits = self._scan(words, whole, limit)
            if len(hits) < FEW and _typo_allowed(whole[0]):
                seen = {(h.kind, h.id) for h in hits}
                hits += [h for h in self._typos(whole, limit)
                         if (h.kind, h.id) not in seen][:limit - len(hits)]
        return hits

    # --- inside (under the lock) --------------------------------------------------------------
    @staticmethod
    def _cover(whole: Sequence[str]) -> tuple[str, dict[str, object]]:
        """A subquery: per document whose title has a form starting with a form of the query,
        the largest share of that title form the query covers (1.0: the title is the query)."""
        parts: list[str] = []
        params: dict[str, object] = {}
        for i, form in enumerate(whole):
            parts.append(f"SELECT doc, {len(form)}.0 / length AS cover FROM titles "
                         f"WHERE form >= :p{i} AND form < :e{i}")
            params.update({f"p{i}": form, f"e{i}": form + _LAST})
        return (f"(SELECT doc, max(cover) AS cover FROM ({' UNION ALL '.join(parts)}) "
                "GROUP BY doc)"), params

    def _match(self, words: list[tuple[str, ...]], whole: Sequence[str], limit: int,
               ) -> list[Hit]:
        expression = " AND ".join(
            "(" + " OR ".join(_phrase(f) for f in word) + ")" for word in words)
        cover, params = self._cover(whole)
        sql = (f"SELECT m.kind, m.id, m.title, m.subtitle, "
               f"m.boost + {TITLE_BONUS} * coalesce(c.cover, 0) "
               f"- bm25(docs, {NAMES_WEIGHT}, {TERMS_WEIGHT}, {BODY_WEIGHT}) AS score "
               f"FROM docs JOIN meta m ON m.rowid = docs.rowid "
               f"LEFT JOIN {cover} c ON c.doc = docs.rowid WHERE docs MATCH :q "
               "ORDER BY score DESC, m.ord, m.title, m.id LIMIT :limit")
        return self._hits(sql, {**params, "q": expression, "limit": limit})

    def _scan(self, words: list[tuple[str, ...]], whole: Sequence[str], limit: int,
              ) -> list[Hit]:
        cover, params = self._cover(whole)
        where = []
        for i, word in enumerate(words):
            where.append("(" + " OR ".join(
                f"instr(m.names, :w{i}_{j}) OR instr(m.terms, :w{i}_{j})"
                for j in range(len(word))) + ")")
            params.update({f"w{i}_{j}": form for j, form in enumerate(word)})
        in_names = " OR ".join(f"instr(m.names, :w0_{j})" for j in range(len(words[0])))
        sql = (f"SELECT m.kind, m.id, m.title, m.subtitle, "
               f"m.boost + {TITLE_BONUS} * coalesce(c.cover, 0) + (CASE WHEN c.doc IS NOT NULL "
               f"OR {in_names} THEN {SCAN_NAMES} ELSE {SCAN_TERMS} END) AS score "
               f"FROM meta m LEFT JOIN {cover} c ON c.doc = m.rowid "
               f"WHERE {' AND '.join(where)} "
               "ORDER BY score DESC, m.ord, m.title, m.id LIMIT :limit")
        return self._hits(sql, {**params, "limit": limit})

    def _typos(self, whole: Sequence[str], limit: int) -> list[Hit]:
        """Documents whose names or terms hold a form of the query within one edit. Score: the
        share of the form's trigrams they hold, minus 1, minus 1 more when not in the title."""
        scores: dict[int, float] = {}
        for form in dict.fromkeys(f.replace(" ", "") for f in whole):
            grams = _trigrams(form)
            if len(grams) < 2:
                continue
            held: Counter[int] = Counter()
            for gram in grams:
                held.update(r for (r,) in self._db.execute(
                    "SELECT rowid FROM docs WHERE docs MATCH ?",
                    ("{names terms}: " + _phrase(gram),)))
            # One edit spoils at most 4 trigrams (a swap), so holding k - 4 of k misses none
            # from 6 trigrams (8 letters) up; shorter forms need 2 (the brief's share of a
            # half): an edit in their first or last two letters is found, one in the middle
            # ("tozama") is not, which would make every document sharing a trigram a candidate.
            least = max(TYPO_LEAST, len(grams) - 4)
            for rowid, n in held.most_common(TYPO_CANDIDATES):
                if n < least:
                    break
                share = n / len(grams)
                if scores.get(rowid, -3.0) >= share - 1:
                    continue
                names, terms = self._texts.get(rowid, ("", ""))
                if within_one_edit(form, names):
                    scores[rowid] = share - 1
                elif within_one_edit(form, terms):
                    scores[rowid] = max(scores.get(rowid, -3.0), share - 2)
        if not scores:
            return []
        rows = self._db.execute(
            "SELECT rowid, kind, id, title, subtitle, ord FROM meta WHERE rowid IN "
            f"({','.join(str(r) for r in scores)})").fetchall()  # integers of the index
        rows.sort(key=lambda r: (-scores[r[0]], r[5], r[3], r[2]))
        return [Hit(HitKind(kind), id_, title, subtitle, round(scores[rowid], 6))
                for rowid, kind, id_, title, subtitle, _order in rows[:limit]]

    def _hits(self, sql: str, params: dict[str, object]) -> list[Hit]:
        return [Hit(HitKind(kind), id_, title, subtitle, round(float(score), 6))
                for kind, id_, title, subtitle, score in self._db.execute(sql, params)]


def _typo_allowed(folded: str) -> bool:
    letters = folded.replace(" ", "")
    return len(letters) >= (TYPO_MIN_LATIN if letters.isascii() else TYPO_MIN_OTHER)
