"""Settings: applied at once, saved on the device."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.commands import Command
from app.state import AppState
from services.preferences import Preferences, PreferencesRepository, TextSize


class SettingsController:
    def __init__(self, state: AppState, repository: PreferencesRepository,
                 language_changed: Callable[[], Awaitable[None]]) -> None:
        self.state = state
        self._repository = repository
        self._language_changed = language_changed  # notices come in the new language
        # No running topic: the change itself redraws everything (Topic.look), once.
        self.set_language = Command(self._set_language, state)
        self.set_text_size = Command(self._set_text_size, state)
        self.set_simplified = Command(self._set_simplified, state)
        self.set_high_contrast = Command(self._set_high_contrast, state)
        self.set_town = Command(self._set_town, state)

    async def load(self) -> None:
        self.state.set_preferences(await self._repository.load())

    async def _apply(self, after: Preferences) -> None:
        before = self.state.preferences
        self.state.set_preferences(after)
        await self._repository.save(after)
        if after.language != before.language:
            await self._language_changed()

    async def _set_language(self, code: str, /) -> None:
        await self._apply(self.state.preferences.with_language(code))

    async def _set_text_size(self, size: TextSize, /) -> None:
        await self._apply(self.state.preferences.with_text_size(size))

    async def _set_simplified(self, on: bool, /) -> None:
        await self._apply(self.state.preferences.with_simplified(on))

    async def _set_high_contrast(self, on: bool, /) -> None:
        await self._apply(self.state.preferences.with_high_contrast(on))

    async def _set_town(self, code: str | None, /) -> None:
        await self._apply(self.state.preferences.with_town(code))
