"""Pulling server changes into the local store: ONE path for every public feed.

A feed (notices, each info dataset) is described by a small `Feed`: the name of its cursor, how
to fetch a page after a revision, and how to write a page into the store. `FeedSync` pulls any
feed the same way: it asks for everything after the stored cursor, page by page; each page and
the cursor move are committed together (the feed's `apply` does both in one transaction). With
nothing new, it is one request: the server answers 304 to our ETag (or an empty page when we
have none). One `FeedSync` per feed and store: its lock folds concurrent pulls into one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from services.api import ApiClient, ApiError, NotModified, Offline, ServerError
from services.models import InfoDataset, InfoRecordWire, NoticeWire
from services.store import NOTICES_CURSOR, LocalStore, info_cursor

Item = TypeVar("Item")
Item_co = TypeVar("Item_co", covariant=True)


class PullOutcome(StrEnum):
    updated = "updated"
    unchanged = "unchanged"
    offline = "offline"
    failed = "failed"


@dataclass(frozen=True)
class PullResult:
    outcome: PullOutcome
    changed: int = 0
    requests: int = 0
    error: str | None = None


def utc_now() -> datetime:
    return datetime.now(UTC)


class Page(Protocol[Item_co]):
    """What every feed's page has (NoticesPage, InfoPage)."""

    @property
    def data(self) -> Sequence[Item_co]: ...

    @property
    def next_cursor(self) -> int: ...

    @property
    def has_more(self) -> bool: ...


class Fetched(Protocol[Item_co]):
    """A page and the ETag it came with (NoticesResponse, InfoResponse)."""

    @property
    def page(self) -> Page[Item_co]: ...

    @property
    def etag(self) -> str | None: ...


@dataclass(frozen=True)
class PageWrite(Generic[Item]):
    """One page to commit with its cursor move, in one transaction."""

    items: Sequence[Item]
    cursor_name: str
    next_cursor: int
    etag: str | None
    at: datetime


@dataclass(frozen=True)
class Feed(Generic[Item]):
    """How one feed is pulled: the cursor's name, one page's fetch, one page's write."""

    cursor: str
    # (api, since, limit, etag) -> a page with its ETag, or NotModified
    fetch: Callable[[ApiClient, int, int, str | None], Awaitable[Fetched[Item] | NotModified]]
    # (store, page) -> how many records changed; the page and the cursor in ONE transaction
    apply: Callable[[LocalStore, PageWrite[Item]], int]


# --- the feeds -------------------------------------------------------------------------------
def _fetch_notices(api: ApiClient, since: int, limit: int,
                   etag: str | None) -> Awaitable[Fetched[NoticeWire] | NotModified]:
    return api.notices(since=since, limit=limit, etag=etag)


def _apply_notices(store: LocalStore, write: PageWrite[NoticeWire]) -> int:
    return store.apply_notices(write.items, cursor_name=write.cursor_name,
                               next_cursor=write.next_cursor, etag=write.etag, at=write.at)


NOTICES_FEED: Feed[NoticeWire] = Feed(NOTICES_CURSOR, _fetch_notices, _apply_notices)


def info_feed(dataset: InfoDataset) -> Feed[InfoRecordWire]:
    """The feed of one info dataset (GET /v1/info/{dataset}), cursor `info.<dataset>`."""

    def fetch(api: ApiClient, since: int, limit: int,
              etag: str | None) -> Awaitable[Fetched[InfoRecordWire] | NotModified]:
        return api.info(dataset, since=since, limit=limit, etag=etag)

    def apply(store: LocalStore, write: PageWrite[InfoRecordWire]) -> int:
        return store.apply_info(dataset, write.items, cursor_name=write.cursor_name,
                                next_cursor=write.next_cursor, etag=write.etag, at=write.at)

    return Feed(info_cursor(dataset), fetch, apply)


# --- pulling -----------------------------------------------------------------------------------
class FeedSync(Generic[Item]):
    """Pulls one feed into one store. A lock folds concurrent pulls into one."""

    def __init__(
        self,
        store: LocalStore,
        feed: Feed[Item],
        *,
        page_size: int = 100,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._feed = feed
        self._page_size = page_size
        self._clock = clock
        self._lock = asyncio.Lock()

    @property
    def cursor_name(self) -> str:
        return self._feed.cursor

    async def pull(self, api: ApiClient) -> PullResult:
        async with self._lock:
            return await self._pull(api)

    async def _pull(self, api: ApiClient) -> PullResult:
        feed = self._feed
        requests = 0
        changed = 0
        state = await asyncio.to_thread(self._store.cursor, feed.cursor)
        cursor, etag = state.cursor, state.etag
        try:
            while True:
                requests += 1
                answer = await feed.fetch(api, cursor, self._page_size, etag)
                if isinstance(answer, NotModified):
                    await asyncio.to_thread(
                        self._store.mark_checked, feed.cursor, etag=answer.etag, at=self._clock()
                    )
                    break
                page = answer.page
                write = PageWrite(
                    items=page.data, cursor_name=feed.cursor, next_cursor=page.next_cursor,
                    # The ETag describes the page we asked for; only keep it for a final page,
                    # where asking again from the new cursor would get the same answer.
                    etag=None if page.has_more or page.data else answer.etag,
                    at=self._clock())
                changed += await asyncio.to_thread(feed.apply, self._store, write)
                cursor, etag = page.next_cursor, None
                if not page.has_more:
                    break
        except Offline as exc:
            return PullResult(PullOutcome.offline, changed, requests, str(exc))
        except (ServerError, ApiError) as exc:
            return PullResult(PullOutcome.failed, changed, requests, str(exc))
        outcome = PullOutcome.updated if changed else PullOutcome.unchanged
        return PullResult(outcome, changed, requests)


class NoticeSync(FeedSync[NoticeWire]):
    """Pulls notices (the first feed; kept by name for its callers)."""

    def __init__(
        self,
        store: LocalStore,
        *,
        page_size: int = 100,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(store, NOTICES_FEED, page_size=page_size, clock=clock)


def info_syncs(
    store: LocalStore, *, page_size: int = 200, clock: Callable[[], datetime] = utc_now,
) -> dict[InfoDataset, FeedSync[InfoRecordWire]]:
    """One sync per info dataset over `store` (build once per store: each holds its lock)."""
    return {dataset: FeedSync(store, info_feed(dataset), page_size=page_size, clock=clock)
            for dataset in InfoDataset}
