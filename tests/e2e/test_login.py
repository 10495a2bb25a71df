"""My Number card login in the real web client, and two residents served by one process."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import TIMEOUT, fill, open_page, wait_for_words

pytestmark = pytest.mark.e2e


def log_in(page, card: str, pin: str) -> None:
    page.get_by_role("button", name=card).click(timeout=TIMEOUT)
    fill(page, "暗証番号（数字4桁）", pin)
    page.get_by_role("button", name="ログイン", exact=True).click(timeout=TIMEOUT)


def test_wrong_pin_shows_remaining_tries_then_the_right_pin_greets(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/login")
    log_in(page, "立山 花子（富山市）", "9999")
    wait_for_words(page, "PINが違います。あと2回間違えるとロックされます")
    fill(page, "暗証番号（数字4桁）", "1234")
    page.get_by_role("button", name="ログイン", exact=True).click(timeout=TIMEOUT)
    wait_for_words(page, "こんにちは、立山 花子さん")
    page.get_by_role("button", name=re.compile("【富山市】")).first.wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="ログアウト").first.click(timeout=TIMEOUT)
    wait_for_words(page, "ログアウトしました。この端末の個人データは削除されました。")
    page.context.close()


def test_two_residents_at_once_see_only_their_own_session(browser, running_app) -> None:
    hanako = open_page(browser, running_app.url + "/login")
    kenta = open_page(browser, running_app.url + "/login")
    log_in(hanako, "立山 花子（富山市）", "1234")
    log_in(kenta, "高岡 健太（高岡市）", "2345")
    wait_for_words(hanako, "こんにちは、立山 花子さん")
    wait_for_words(kenta, "こんにちは、高岡 健太さん")
    kenta.get_by_role("button", name=re.compile("【高岡市】")).first.wait_for(timeout=TIMEOUT)
    assert hanako.get_by_text(re.compile("高岡 健太")).count() == 0
    assert kenta.get_by_text(re.compile("立山 花子")).count() == 0

    hanako.get_by_role("button", name="ログアウト").first.click(timeout=TIMEOUT)
    wait_for_words(hanako, "^ログアウトしました")

    # The other resident is still logged in: a round trip through another screen shows it.
    kenta.get_by_role("button", name="お知らせ").first.click(timeout=TIMEOUT)
    kenta.get_by_role("button", name=re.compile("【高岡市】")).first.wait_for(timeout=TIMEOUT)
    kenta.get_by_role("button", name="戻る").click(timeout=TIMEOUT)
    wait_for_words(kenta, "こんにちは、高岡 健太さん")
    hanako.context.close()
    kenta.context.close()


def test_a_visitor_cannot_lock_another_visitors_card(browser, running_app) -> None:
    """One process serves every browser: each gets its own demo cards (issue 8, #4)."""
    mallory = open_page(browser, running_app.url + "/login")
    log_in(mallory, "高岡 健太（高岡市）", "0000")
    for remaining in (2, 1):
        wait_for_words(mallory, f"あと{remaining}回間違えるとロックされます")
        fill(mallory, "暗証番号（数字4桁）", "0000")
        mallory.get_by_role("button", name="ログイン", exact=True).click(timeout=TIMEOUT)
    wait_for_words(mallory, "このカードはロックされています")

    resident = open_page(browser, running_app.url + "/login")
    log_in(resident, "高岡 健太（高岡市）", "2345")
    wait_for_words(resident, "こんにちは、高岡 健太さん")
    mallory.context.close()
    resident.context.close()


def test_logged_in_devices_ask_for_login_first_and_list_this_browser(browser,
                                                                     running_app) -> None:
    page = open_page(browser, running_app.url + "/account/devices")
    log_in(page, "立山 花子（富山市）", "1234")  # the guard sent us to login first
    wait_for_words(page, "ログイン中の端末")  # and back to the devices afterwards
    wait_for_words(page, "HeadlessChrome on Linux ・ この端末")
    wait_for_words(page, "1台の端末")
    page.context.close()
