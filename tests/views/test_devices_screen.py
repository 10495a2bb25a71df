"""The logged-in devices screen as a control tree, in Japanese and English."""

from __future__ import annotations

from datetime import UTC, datetime

from services.devices import Device
from tests.views.conftest import controllers, logged_in, screen
from tests.views.tree import buttons, label_of, texts

WHEN = datetime(2026, 11, 30, 0, 5, tzinfo=UTC)


def with_devices(language: str):
    state = logged_in(language)
    state.devices.items = [
        Device(id="a" * 32, device_name="Chrome on Android (Pixel 8)", place="local_network",
               first_used_at=WHEN, last_used_at=WHEN, current=True),
        Device(id="b" * 32, device_name=None, place="富山市", first_used_at=WHEN,
               last_used_at=WHEN, current=False),
    ]
    state.devices.loaded = True
    return state


def test_each_device_says_what_it_is_and_when_it_was_used() -> None:
    shown = texts(screen("/account/devices", with_devices("ja")).controls)
    assert "Chrome on Android (Pixel 8) ・ この端末" in shown
    assert "不明な端末" in shown and "富山市付近" in shown
    assert "家庭や職場のネットワーク内" in shown  # a network code, said in words
    assert "2台の端末" in shown
    assert any(text.startswith("最終利用 2026/11/30") for text in shown)
    english = texts(screen("/account/devices", with_devices("en")).controls)
    assert "Unknown device" in english and "2 devices" in english


async def test_the_buttons_log_out_one_device_or_every_other() -> None:
    state = with_devices("en")
    actions = controllers(state)
    page = screen("/account/devices", state, actions)
    labels = [label_of(b) for b in buttons(page.controls)]
    assert labels == ["Log out", "Log out this device", "Log out everywhere else", "Refresh"]
    by_label = {label_of(b): b for b in buttons(page.controls)}
    await by_label["Log out this device"].on_click(None)
    await by_label["Log out everywhere else"].on_click(None)
    assert actions.calls == [("log_out_device", "b" * 32), ("log_out_others",)]


def test_a_single_device_offers_no_log_out_elsewhere() -> None:
    state = with_devices("en")
    state.devices.items = state.devices.items[:1]
    labels = [label_of(b) for b in buttons(screen("/account/devices", state).controls)]
    assert "Log out everywhere else" not in labels
