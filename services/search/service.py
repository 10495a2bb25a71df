"""The one search as the home calls it: a query and a language in, hits out, as you type.

Before a search every source is asked (cheaply) for its version, at most once a `recheck_s`
(typing a word is a burst of searches; data moves at sync time, a second's delay is unseen); a
kind is indexed again only when its version moved since it was indexed for that language.
Titles are in the resident's language, so there is one index per language asked for (the texts
in each are the same: every language the data has); two sessions in two languages do not undo
each other's index.

Process-wide and shared by every session: the index holds public data only, nothing per user.
Blocking work (the sources' reading, pykakasi readings, SQLite) runs in worker threads; one
reindex at a time per language (a session that searches meanwhile waits for it, then searches
the new index). A source that fails keeps its previous documents (one log line per check), so
one broken dataset never takes the search box down.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Hashable, Sequence

from services.i18n import language as language_of
from services.search.index import SearchIndex
from services.search.models import Hit, HitKind, Source

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 20
MAX_QUERY = 200  # characters of a query looked at (a paste of a whole page is cut)
RECHECK_S = 1.0


def printable(text: str) -> str:
    return "".join(ch for ch in text[:MAX_QUERY]
                   if ch.isprintable() and not "\ud800" <= ch <= "\udfff" or ch == " ")


class SearchService:
    def __init__(self, sources: Sequence[Source], *, recheck_s: float = RECHECK_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        kinds = [s.kind for s in sources]
        if len(kinds) != len(set(kinds)):
            raise ValueError("one source per kind")
        self._sources = tuple(sources)
        self._recheck_s = recheck_s
        self._clock = clock
        self._indexes: dict[str, SearchIndex] = {}
        self._indexed: dict[tuple[str, HitKind], Hashable] = {}
        self._checked: dict[str, float] = {}  # language -> when every version was current
        self._locks: dict[str, asyncio.Lock] = {}

    async def search(self, query: str, language: str,
                     limit: int = DEFAULT_LIMIT) -> list[Hit]:
        """The best hits for what was typed so far; [] for an empty query. Whatever was typed
        or pasted is searchable: control characters and lone surrogates (which SQLite cannot
        take) are dropped first."""
        query = printable(query)
        if not query.strip():
            return []
        index = await self._ready(language_of(language).code)
        return await asyncio.to_thread(index.search, query, limit)

    async def prepare(self, language: str) -> None:
        """Index now (e.g. when the home opens), so the first keystroke does not wait."""
        await self._ready(language_of(language).code)

    async def _ready(self, language: str) -> SearchIndex:
        index = self._indexes.get(language)
        if index is None:
            index = self._indexes.setdefault(language, SearchIndex())
        checked = self._checked.get(language)
        now = self._clock()
        if checked is not None and now - checked < self._recheck_s:
            return index
        stale = await self._stale(language)
        if stale:
            lock = self._locks.setdefault(language, asyncio.Lock())
            async with lock:
                for source, version in stale:
                    if self._indexed.get((language, source.kind), _NEVER) == version:
                        continue  # another session did it while this one waited
                    try:
                        documents = await source.documents(language)
                        await asyncio.to_thread(index.replace, source.kind, documents)
                    except Exception:  # one broken source keeps its old documents
                        log.exception("search: the %s documents could not be read",
                                      source.kind)
                        continue  # and is asked again at the next check
                    self._indexed[(language, source.kind)] = version
        self._checked[language] = now
        return index

    async def _stale(self, language: str) -> list[tuple[Source, Hashable]]:
        versions = await asyncio.gather(*(s.version() for s in self._sources),
                                        return_exceptions=True)
        stale = []
        for source, version in zip(self._sources, versions, strict=True):
            if isinstance(version, BaseException):
                if not isinstance(version, Exception):
                    raise version  # cancelled: not a broken source
                log.warning("search: the %s version could not be read: %r", source.kind,
                            version)
                continue
            if self._indexed.get((language, source.kind), _NEVER) != version:
                stale.append((source, version))
        return stale


class _Never:
    """A version no source has."""


_NEVER = _Never()
