"""Live delays on a planned trip, saving it for offline, sharing it, and a digital ticket."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import TIMEOUT, fill, open_page, wait_for_words
from tests.e2e.test_login import log_in

pytestmark = pytest.mark.e2e


def plan_arai_to_hasumachi(page) -> None:
    fill(page, "出発地", "荒屋")
    page.get_by_role("button", name="荒屋 (あらや)", exact=True).click(timeout=TIMEOUT)
    fill(page, "目的地", "はすまち")
    page.get_by_role("button", name="蓮町 (はすまち)", exact=True).click(timeout=TIMEOUT)
    fill(page, "日付", "2019-06-12")
    fill(page, "時刻", "06:10")
    page.get_by_role("button", name="検索").click(timeout=TIMEOUT)


def test_live_delay_save_share_and_ticket(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/login", height=1400)
    log_in(page, "立山 花子（富山市）", "1234")
    wait_for_words(page, "こんにちは、立山 花子さん")
    page.get_by_role("button", name="交通").first.click(timeout=TIMEOUT)
    plan_arai_to_hasumachi(page)

    # The sample live feed has this bus two minutes late.
    journey = page.get_by_role("button", name=re.compile("06:14 → 06:24"))
    journey.first.wait_for(timeout=TIMEOUT)
    name = (journey.first.get_attribute("aria-label") or "") + journey.first.inner_text()
    assert "2分遅れ" in name
    journey.first.click(timeout=TIMEOUT)
    page.get_by_text("2分遅れ").first.wait_for(timeout=TIMEOUT)

    page.get_by_role("button", name="保存").click(timeout=TIMEOUT)
    wait_for_words(page, "^この端末に保存しました")
    page.get_by_role("button", name="共有").click(timeout=TIMEOUT)
    wait_for_words(page, "^(コピーしました|共有しました)")

    page.get_by_role("button", name="デジタル乗車券を発行").click(timeout=TIMEOUT)
    page.get_by_role("img", name="この経路の乗車券のQRコード").wait_for(timeout=TIMEOUT)
    wait_for_words(page, "有効")

    page.get_by_role("button", name="戻る").click(timeout=TIMEOUT)
    page.get_by_role("button", name=re.compile("06:14 → 06:24.*荒屋")).first.wait_for(
        timeout=TIMEOUT)  # the saved journey, listed on the trips screen
    page.context.close()


def test_current_location_picks_the_nearest_stop(browser, running_app) -> None:
    context = browser.new_context(
        viewport={"width": 412, "height": 1400}, locale="ja-JP",
        geolocation={"latitude": 36.7013, "longitude": 137.2133},  # in front of Toyama Station
        permissions=["geolocation"],
    )
    page = open_page(browser, running_app.url + "/trips", context=context)
    page.get_by_role("button", name="現在地から").click(timeout=TIMEOUT)
    wait_for_words(page, "選択中：富山駅前（中央ルート）")
    wait_for_words(page, "^現在地に最も近い停留所（約1[0-9]{2} m）")
    context.close()


def test_a_refused_location_says_what_to_do(browser, running_app) -> None:
    context = browser.new_context(viewport={"width": 412, "height": 1400}, locale="ja-JP")
    page = open_page(browser, running_app.url + "/trips", context=context)
    page.get_by_role("button", name="現在地から").click(timeout=TIMEOUT)
    # Headless Chromium neither grants nor refuses: the answer comes when the app's own 15 s
    # wait for a position ends, later still on a loaded machine.
    wait_for_words(page, "^(位置情報の利用が許可されていません|この端末では現在地を取得できません)",
                   timeout_ms=60_000)
    context.close()


def test_another_screen_can_ask_for_a_trip_to_a_place(browser, running_app) -> None:
    page = open_page(browser, running_app.url
                     + "/trips?to_lat=36.7013&to_lon=137.2133&to_name=%E5%AF%8C%E5%B1%B1%E9%A7%85")
    wait_for_words(page, "選択中：富山駅前（中央ルート）")
    wait_for_words(page, "^富山駅に最も近い停留所")
    page.context.close()
