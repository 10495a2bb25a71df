"""Notices: read from the device at once, refreshed from the backend in the background."""

from __future__ import annotations

import logging

from app.commands import Command
from app.state import AppState, Topic
from services.notices import NoticeService

log = logging.getLogger(__name__)


class NoticesController:
    def __init__(self, state: AppState, notices: NoticeService) -> None:
        self.state = state
        self._notices = notices
        self.refresh = Command(self._refresh, state, Topic.notices)

    async def load(self) -> None:
        items = await self._notices.list(self.state.preferences.language)
        status = await self._notices.status()
        self.state.set_notices(items, last_updated=status.last_updated, offline=status.offline)

    async def _refresh(self) -> None:
        try:
            result = await self._notices.refresh()
            log.info("notices pull: %s (%d changed)", result.outcome, result.changed)
        finally:
            await self.load()
