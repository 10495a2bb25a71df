"""The resident's display preferences, persisted on their device.

Storage is a small key/value Protocol: the app implements it with the Flet client's
SharedPreferences (the browser's localStorage in web mode), tests with a dict. Values read back
are validated: anything unknown or damaged falls back to the default instead of failing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Protocol

from services.i18n import DEFAULT_LANGUAGE, is_supported

STORAGE_KEY = "kitokito.preferences.v1"


class TextSize(StrEnum):
    standard = "standard"
    large = "large"
    extra_large = "extra_large"

    @property
    def scale(self) -> float:
        return {"standard": 1.0, "large": 1.5, "extra_large": 2.0}[self.value]


@dataclass(frozen=True)
class Preferences:
    language: str = DEFAULT_LANGUAGE
    text_size: TextSize = TextSize.standard
    simplified: bool = False
    high_contrast: bool = False
    # The town whose warnings and nearest places to show when the device gives no location
    # and nobody is logged in (6-digit municipality code), chosen by the resident.
    town: str | None = None

    def with_language(self, code: str) -> Preferences:
        return replace(self, language=code if is_supported(code) else self.language)

    def with_text_size(self, size: TextSize) -> Preferences:
        return replace(self, text_size=size)

    def with_simplified(self, on: bool) -> Preferences:
        return replace(self, simplified=on)

    def with_high_contrast(self, on: bool) -> Preferences:
        return replace(self, high_contrast=on)

    def with_town(self, code: str | None) -> Preferences:
        return replace(self, town=code if code is None or _is_town_code(code) else self.town)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str | None) -> Preferences:
        default = cls()
        if not raw:
            return default
        try:
            data = json.loads(raw)
        except ValueError:
            return default
        if not isinstance(data, dict):
            return default
        language = data.get("language")
        text_size = data.get("text_size")
        return cls(
            language=language if isinstance(language, str) and is_supported(language)
            else default.language,
            text_size=TextSize(text_size)
            if isinstance(text_size, str) and text_size in TextSize._value2member_map_
            else default.text_size,
            simplified=data.get("simplified") is True,
            high_contrast=data.get("high_contrast") is True,
            town=town if isinstance(town := data.get("town"), str) and _is_town_code(town)
            else None,
        )


def _is_town_code(code: str) -> bool:
    """A Toyama municipality code as stored: six digits of prefecture 16 (the towns' own list
    is services/info's; a stale or odd value is simply dropped)."""
    return len(code) == 6 and code.isascii() and code.isdigit() and code.startswith("16")


class KeyValueStore(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str) -> None: ...


class PreferencesRepository:
    def __init__(self, storage: KeyValueStore) -> None:
        self._storage = storage

    async def load(self) -> Preferences:
        raw = await self._storage.get(STORAGE_KEY)
        return Preferences.from_json(raw if isinstance(raw, str) else None)

    async def save(self, preferences: Preferences) -> None:
        await self._storage.set(STORAGE_KEY, preferences.to_json())
