from __future__ import annotations

import pytest

from services.preferences import STORAGE_KEY, Preferences, PreferencesRepository, TextSize
from tests.unit.conftest import DictStorage


async def test_preferences_round_trip_through_device_storage() -> None:
    storage = DictStorage()
    repo = PreferencesRepository(storage)
    assert await repo.load() == Preferences()
    chosen = Preferences(language="en", text_size=TextSize.extra_large, simplified=True,
                         high_contrast=True)
    await repo.save(chosen)
    assert await PreferencesRepository(storage).load() == chosen


@pytest.mark.parametrize(
    "raw",
    ["", "not json", "[]", '{"language": "klingon"}', '{"text_size": "huge"}',
     '{"simplified": "yes"}'],
)
def test_damaged_or_unknown_values_fall_back_to_defaults(raw: str) -> None:
    prefs = Preferences.from_json(raw)
    assert prefs.language == "ja"
    assert prefs.text_size == TextSize.standard
    assert prefs.simplified is False


def test_valid_fields_survive_next_to_damaged_ones() -> None:
    prefs = Preferences.from_json('{"language": "en", "text_size": "huge", "high_contrast": true}')
    assert (prefs.language, prefs.text_size, prefs.high_contrast) == (
        "en", TextSize.standard, True)


def test_extra_large_is_200_percent() -> None:
    assert TextSize.extra_large.scale == 2.0
    assert STORAGE_KEY.endswith(".v1")
