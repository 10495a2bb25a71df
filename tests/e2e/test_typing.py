"""Typing as people type: one key at a time, quickly and slowly, on a phone and a desktop, at
standard and 200 % text. Every letter stays, and so do the caret and the focus, while the
matches under a stop field redraw after each key."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import (
    TIMEOUT,
    caret_at_end,
    clear_field,
    open_page,
    set_text_size,
    type_keys,
    wait_for_words,
)

pytestmark = pytest.mark.e2e

# 40 characters: romaji that keeps matching stops for a while, kanji, spaces and digits.
FORTY = "iwasehama 富山駅前 toyama eki nishi-cho 1234"
assert len(FORTY) == 40

LAYOUTS = [
    pytest.param(390, "standard", id="phone-standard"),
    pytest.param(390, "extra_large", id="phone-200pct"),
    pytest.param(1280, "standard", id="desktop-standard"),
    pytest.param(1280, "extra_large", id="desktop-200pct"),
]


@pytest.mark.parametrize(("width", "size"), LAYOUTS)
def test_a_stop_name_typed_key_by_key_keeps_every_letter(browser, running_app, width,
                                                          size) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    if size == "extra_large":
        set_text_size(context, "特大", running_app.url)
    page = open_page(browser, running_app.url + "/trips", context=context)
    wait_for_words(page, "出発地")
    for delay_ms in (40, 250):
        box = clear_field(page, "出発地")
        type_keys(box, FORTY, delay_ms)
        assert box.input_value() == FORTY, f"at {delay_ms} ms a key"
        assert caret_at_end(page), "the caret moved while the matches redrew"
    page.context.close()


def test_matches_follow_the_typing_and_every_trip_field_takes_slow_typing(
        browser, running_app) -> None:
    """Each field of the trip form, at a person's pace (150-250 ms a key)."""
    page = open_page(browser, running_app.url + "/trips", height=1400)
    wait_for_words(page, "出発地")
    origin = clear_field(page, "出発地")
    type_keys(origin, "iwaseha", 180)
    assert origin.input_value() == "iwaseha"
    page.get_by_role("button", name="岩瀬浜 (いわせはま)").click(timeout=TIMEOUT)
    wait_for_words(page, "選択中：岩瀬浜")

    destination = clear_field(page, "目的地")
    type_keys(destination, "浜黒崎浜通り", 220)
    assert destination.input_value() == "浜黒崎浜通り"
    page.get_by_role("button", name=re.compile("^浜黒崎浜通り")).click(timeout=TIMEOUT)

    day = clear_field(page, "日付")
    type_keys(day, "2019-06-12", 150)
    assert day.input_value() == "2019-06-12"
    time = clear_field(page, "時刻")
    type_keys(time, "08:00", 250)
    assert time.input_value() == "08:00"
    page.get_by_role("button", name="検索").click(timeout=TIMEOUT)
    page.get_by_role("button", name=re.compile("08:01 → 08:09")).first.wait_for(
        timeout=TIMEOUT)
    page.context.close()


def test_the_pin_field_takes_slow_typing(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/login")
    page.get_by_role("button", name="立山 花子（富山市）").click(timeout=TIMEOUT)
    pin = clear_field(page, "暗証番号（数字4桁）")
    type_keys(pin, "1234", 230)
    assert pin.input_value() == "1234"
    page.get_by_role("button", name="ログイン", exact=True).click(timeout=TIMEOUT)
    wait_for_words(page, "こんにちは、立山 花子さん")
    page.context.close()


def tab_to(page, label: str, limit: int = 40) -> None:
    """Press Tab until the focus is on the control named `label` (a keyboard-only user)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        page.wait_for_timeout(120)
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? (e.getAttribute('aria-label') || e.textContent || '') : ''; }")
        if re.search(label, focused):
            return
    raise AssertionError(f"Tab never reached {label!r}")


def test_a_trip_planned_with_the_keyboard_alone(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/trips", height=1400)
    wait_for_words(page, "出発地")
    tab_to(page, "^出発地$")
    type_keys(page.get_by_role("textbox", name="出発地"), "iwasehama", 150)
    tab_to(page, "^岩瀬浜 \\(いわせはま\\)$")
    page.keyboard.press("Enter")
    wait_for_words(page, "選択中：岩瀬浜")
    tab_to(page, "^目的地$")
    type_keys(page.get_by_role("textbox", name="目的地"), "浜黒崎浜通り", 150)
    tab_to(page, "^浜黒崎浜通り")
    page.keyboard.press("Enter")
    wait_for_words(page, "選択中：浜黒崎浜通り")
    tab_to(page, "^日付$")
    page.keyboard.press("Control+A")
    type_keys(page.get_by_role("textbox", name="日付"), "2019-06-12", 150)
    tab_to(page, "^時刻$")
    page.keyboard.press("Control+A")
    type_keys(page.get_by_role("textbox", name="時刻"), "08:00", 150)
    tab_to(page, "^検索$")
    page.keyboard.press("Enter")
    page.get_by_role("button", name=re.compile("08:01 → 08:09")).first.wait_for(
        timeout=TIMEOUT)
    page.context.close()


def test_logging_in_with_the_keyboard_alone(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/login")
    wait_for_words(page, "立山 花子（富山市）")
    tab_to(page, "^立山 花子（富山市）$")
    page.keyboard.press("Enter")
    tab_to(page, "^暗証番号（数字4桁）$")
    type_keys(page.get_by_role("textbox", name="暗証番号（数字4桁）"), "1234", 200)
    page.keyboard.press("Enter")  # submits, like the Log in button
    wait_for_words(page, "こんにちは、立山 花子さん")
    page.context.close()
