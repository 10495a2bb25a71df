"""Pulling server changes into the local store.

A pull asks for everything after the stored cursor, page by page; each page and the cursor move
are committed together. With nothing new, it is one request: the server answers 304 to our ETag
(or an empty page when we have none).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from services.api import ApiClient, ApiError, NotModified, Offline, ServerError
from services.store import NOTICES_CURSOR as NOTICES
from services.store import LocalStore


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


class NoticeSync:
    """Pulls notices. One instance per store: a lock folds concurrent pulls into one."""

    def __init__(
        self,
        store: LocalStore,
        *,
        page_size: int = 100,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._page_size = page_size
        self._clock = clock
        self._lock = asyncio.Lock()

    async def pull(self, api: ApiClient) -> PullResult:
        async with self._lock:
            return await self._pull(api)

    async def _pull(self, api: ApiClient) -> PullResult:
        requests = 0
        changed = 0
        state = await asyncio.to_thread(self._store.cursor, NOTICES)
        cursor, etag = state.cursor, state.etag
        try:
            while True:
                requests += 1
                answer = await api.notices(since=cursor, limit=self._page_size, etag=etag)
                if isinstance(answer, NotModified):
                    await asyncio.to_thread(
                        self._store.mark_checked, NOTICES, etag=answer.etag, at=self._clock()
                    )
                    break
                page = answer.page
                changed += await asyncio.to_thread(
                    self._store.apply_notices,
                    page.data,
                    cursor_name=NOTICES,
                    next_cursor=page.next_cursor,
                    # The ETag describes the page we asked for; only keep it for a final page,
                    # where asking again from the new cursor would get the same answer.
                    etag=None if page.has_more or page.data else answer.etag,
                    at=self._clock(),
                )
                cursor, etag = page.next_cursor, None
                if not page.has_more:
                    break
        except Offline as exc:
            return PullResult(PullOutcome.offline, changed, requests, str(exc))
        except (ServerError, ApiError) as exc:
            return PullResult(PullOutcome.failed, changed, requests, str(exc))
        outcome = PullOutcome.updated if changed else PullOutcome.unchanged
        return PullResult(outcome, changed, requests)
