"""Live delays on a planned trip, saving it for offline, sharing it, and a digital ticket."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import open_page
from tests.e2e.test_login import log_in
from tests.e2e.test_trips import fill

pytestmark = pytest.mark.e2e
TIMEOUT = 30_000


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
    page.get_by_text("こんにちは、立山 花子さん").wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="交通").first.click(timeout=TIMEOUT)
    plan_arai_to_hasumachi(page)

    # The sample live feed has this bus two minutes late.
    journey = page.get_by_role("button", name=re.compile("06:14 → 06:24.*2分遅れ"))
    journey.first.click(timeout=TIMEOUT)
    page.get_by_text("2分遅れ").first.wait_for(timeout=TIMEOUT)

    page.get_by_role("button", name="保存").click(timeout=TIMEOUT)
    page.get_by_text(re.compile("^この端末に保存しました")).wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="共有").click(timeout=TIMEOUT)
    page.get_by_text(re.compile("^(コピーしました|共有しました)")).wait_for(timeout=TIMEOUT)

    page.get_by_role("button", name="デジタル乗車券を発行").click(timeout=TIMEOUT)
    page.get_by_role("img", name="この経路の乗車券のQRコード").wait_for(timeout=TIMEOUT)
    page.get_by_text(re.compile("有効")).first.wait_for(timeout=TIMEOUT)

    page.get_by_role("button", name="戻る").click(timeout=TIMEOUT)
    page.get_by_role("button", name=re.compile("06:14 → 06:24.*荒屋")).first.wait_for(
        timeout=TIMEOUT)  # the saved journey, listed on the trips screen
    page.context.close()
