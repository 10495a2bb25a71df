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


class ClientSharing:
    """Share a text through the platform's share sheet; where there is none (most desktop
    browsers), copy it to the clipboard instead. Returns "shared" or "copied"."""

    async def share_text(self, text: str, subject: str) -> str:
        try:
            result = await ft.Share().share_text(
                text, subject=subject, download_fallback_enabled=False,
                mail_to_fallback_enabled=False)
        except Exception:  # noqa: BLE001 - no share sheet here: the clipboard still works
            result = None
        if result is not None and getattr(result, "status", None) is not None and str(
            result.status.value).lower() == "success":
            return "shared"
        await ft.Clipboard().set(text)
        return "copied"
