"""Notices for the screens: read from the local store at once, refreshed in the background."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from services.api import ApiClient
from services.i18n import fallback_chain
from services.models import Notice
from services.store import NOTICES_CURSOR, LocalStore, StoredNotice
from services.sync import NoticeSync, PullOutcome, PullResult


@dataclass(frozen=True)
class FeedStatus:
    """What the notices screen says about freshness."""

    last_updated: datetime | None
    offline: bool


class NoticeService:
    def __init__(self, store: LocalStore, sync: NoticeSync, api: ApiClient) -> None:
        self._store = store
        self._sync = sync
        self._api = api
        self._offline = False

    async def list(self, lang: str) -> list[Notice]:
        stored = await asyncio.to_thread(self._store.notices)
        return [n for n in (_localize(s, lang) for s in stored) if n is not None]

    async def get(self, notice_id: int, lang: str) -> Notice | None:
        stored = await asyncio.to_thread(self._store.notice, notice_id)
        return _localize(stored, lang) if stored else None

    async def refresh(self) -> PullResult:
        result = await self._sync.pull(self._api)
        self._offline = result.outcome in (PullOutcome.offline, PullOutcome.failed)
        return result

    async def status(self) -> FeedStatus:
        state = await asyncio.to_thread(self._store.cursor, NOTICES_CURSOR)
        return FeedStatus(last_updated=state.last_success_at, offline=self._offline)


def _localize(stored: StoredNotice, lang: str) -> Notice | None:
    for candidate in fallback_chain(lang):
        text = stored.texts.get(candidate)
        if text:
            return Notice(
                id=stored.id,
                category=stored.category,
                published_at=stored.published_at,
                title=text["title"],
                body=text["body"],
                lang=candidate,
                municipality=stored.municipality,
            )
    return None
