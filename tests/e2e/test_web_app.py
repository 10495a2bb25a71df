"""The real Flet web client in Chromium, against the app started as `make run` does."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import open_page, pid_alive, start_app, stop_app, wait_for_words

pytestmark = pytest.mark.e2e

HOME_JA = ["申請・手続き", "医療", "子育て", "防災", "交通", "相談予約", "観光", "移住",
           "お知らせ", "設定", "ログイン"]
HOME_EN = ["Applications & procedures", "Medical care", "Childcare", "Disaster prevention",
           "Trips", "Consultations", "Tourism", "Moving to Toyama", "Notices", "Settings",
           "Log in"]
TIMEOUT = 60_000  # see tests/e2e/conftest.py


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def height_of(locator) -> float:
    """The element's CSS height; retried, since a redraw can replace the node in between."""
    for _ in range(50):
        locator.wait_for(timeout=TIMEOUT)
        box = locator.bounding_box()
        if box is not None:
            return box["height"]
        locator.page.wait_for_timeout(100)
    raise AssertionError("the element never settled")


def test_home_shows_the_japanese_entries_by_accessible_name(browser, running_app) -> None:
    page = open_page(browser, running_app.url)
    for label in HOME_JA:
        button(page, label).first.wait_for(timeout=TIMEOUT)
    page.context.close()


def test_english_in_settings_changes_the_home_and_is_remembered(browser, running_app) -> None:
    page = open_page(browser, running_app.url)
    button(page, "設定").first.click(timeout=TIMEOUT)
    button(page, "English").click(timeout=TIMEOUT)
    page.get_by_text("Text size").wait_for(timeout=TIMEOUT)
    assert page.url.endswith("/settings")
    button(page, "Back").click(timeout=TIMEOUT)  # the app bar's back button, now in English
    for label in HOME_EN:
        button(page, label).first.wait_for(timeout=TIMEOUT)
    # A new tab of the same browser is a new session: the choice comes from the device.
    again = open_page(browser, running_app.url, context=page.context)
    button(again, "Medical care").wait_for(timeout=TIMEOUT)
    page.context.close()


def test_no_request_leaves_the_apps_own_server(browser, running_app) -> None:
    """Opening the app asks nothing of a third party (Flet's client would fetch the Rive
    runtime from a CDN: app/web_client.py serves it with that address made local)."""
    context = browser.new_context(viewport={"width": 412, "height": 900}, locale="ja-JP")
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    page = open_page(browser, running_app.url, context=context)
    button(page, "交通").first.click(timeout=TIMEOUT)
    page.get_by_role("textbox", name=re.compile("出発地")).first.wait_for(timeout=TIMEOUT)
    for area, field in (("医療", "病院・診療所を検索"),
                        ("相談予約", "どのようなことでお困りですか？")):
        page.go_back()
        button(page, area).first.click(timeout=TIMEOUT)
        page.get_by_role("textbox", name=field).wait_for(timeout=TIMEOUT)
    page.go_back()
    button(page, "観光").first.click(timeout=TIMEOUT)  # a spot's crowd chart (flet-charts)
    button(page, re.compile("^富岩運河環水公園")).first.click(timeout=TIMEOUT)
    wait_for_words(page, "^混雑状況$")
    page.wait_for_timeout(1500)  # late loaders (fonts, runtimes) have had their chance
    own = urlsplit(running_app.url).netloc
    outside = sorted({url for url in asked if urlsplit(url).netloc not in (own, "")})
    assert asked and not outside, outside
    context.close()


def test_extra_large_text_makes_entries_at_least_44px_tall(browser, running_app) -> None:
    # Tall enough that the entry is on screen at extra large text (below the search box):
    # Flutter clips an accessibility node to its visible part.
    page = open_page(browser, running_app.url, height=1600)
    standard_height = height_of(button(page, "医療"))
    button(page, "設定").click(timeout=TIMEOUT)
    button(page, "特大").click(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    page.go_back()  # the browser's back button returns within the app
    page.wait_for_timeout(500)
    large_height = height_of(button(page, "医療"))
    assert large_height >= 44
    assert large_height > standard_height * 1.5
    page.context.close()


def test_a_deep_link_opens_its_screen_after_a_reload(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/settings")
    page.get_by_text("文字の大きさ").wait_for(timeout=TIMEOUT)
    page.reload()
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=TIMEOUT)
    page.locator("flt-semantics-placeholder").dispatch_event("click")
    page.get_by_text("文字の大きさ").wait_for(timeout=TIMEOUT)
    page.context.close()


def test_notices_show_and_stay_readable_when_the_backend_stops(browser, tmp_path) -> None:
    app = start_app(tmp_path / "data")
    try:
        page = open_page(browser, app.url + "/notices")
        notice = page.get_by_role("button", name=re.compile("大雪に備えましょう"))
        notice.wait_for(timeout=TIMEOUT)
        wait_for_words(page, "^最終更新")

        app.stop_backend()
        button(page, "更新").click(timeout=TIMEOUT)
        page.get_by_text(re.compile("^オフライン — 最終更新")).first.wait_for(timeout=TIMEOUT)
        notice.wait_for(timeout=TIMEOUT)

        # A brand-new visit while offline still shows them, from the device's store.
        fresh = open_page(browser, app.url + "/notices")
        fresh.get_by_role("button", name=re.compile("大雪に備えましょう")).wait_for(
            timeout=TIMEOUT)
        fresh.get_by_role("button", name=re.compile("大雪に備えましょう")).click()
        fresh.get_by_text(re.compile("食料や飲料水")).wait_for(timeout=TIMEOUT)
        fresh.context.close()
        page.context.close()
    finally:
        stop_app(app)
    assert app.process.returncode == 0


def test_stopping_the_app_leaves_no_process_behind(tmp_path) -> None:
    app = start_app(tmp_path / "data")
    assert pid_alive(app.backend_pid)
    stop_app(app)
    assert app.process.returncode == 0
    assert not pid_alive(app.backend_pid)
