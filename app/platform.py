"""Platform features behind the services' small Protocols, implemented with Flet."""

from __future__ import annotations

import flet as ft


class ClientPreferencesStorage:
    """KeyValueStore on the Flet client's SharedPreferences.

    In web mode that is the browser's localStorage: per browser, readable by anyone with the
    browser, so it only ever holds display preferences, never personal data.
    """

    def __init__(self) -> None:
        self._prefs = ft.SharedPreferences()

    async def get(self, key: str) -> str | None:
        value = await self._prefs.get(key)
        return value if isinstance(value, str) else None

    async def set(self, key: str, value: str) -> None:
        await self._prefs.set(key, value)
