"""Carries out what the resident asks for: updates the session state and calls services."""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.container import SessionServices
from app.state import AppState
from services.preferences import TextSize

log = logging.getLogger(__name__)


class Controller:
    def __init__(
        self, state: AppState, services: SessionServices, navigate: Callable[[str], None]
    ) -> None:
        self.state = state
        self.services = services
        self._navigate = navigate

    # --- navigation ---------------------------------------------------------------------
    def go(self, route: str) -> None:
        self._navigate(route)

    # --- preferences --------------------------------------------------------------------
    async def _update(self, **changes: object) -> None:
        before = self.state.preferences
        after = before.with_changes(**changes)
        self.state.set_preferences(after)
        await self.services.preferences.save(after)
        if after.language != before.language:
            await self.load_notices()

    async def set_language(self, code: str) -> None:
        await self._update(language=code)

    async def set_text_size(self, size: TextSize) -> None:
        await self._update(text_size=size)

    async def set_simplified(self, on: bool) -> None:
        await self._update(simplified=on)

    async def set_high_contrast(self, on: bool) -> None:
        await self._update(high_contrast=on)

    # --- notices ------------------------------------------------------------------------
    async def load_notices(self) -> None:
        notices = self.services.notices
        items = await notices.list(self.state.preferences.language)
        status = await notices.status()
        self.state.set_notices(items, last_updated=status.last_updated, offline=status.offline)

    async def refresh_notices(self) -> None:
        if self.state.notices.refreshing:
            return  # one refresh at a time: a double tap does not send two
        self.state.set_refreshing(True)
        try:
            result = await self.services.notices.refresh()
            log.info("notices pull: %s (%d changed)", result.outcome, result.changed)
        finally:
            await self.load_notices()
