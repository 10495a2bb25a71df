"""An e-application in the real web client (issue 9): find the procedure by its reading, log
in, fill it in with one wrong value (told how to fix it), fix it, confirm, sign with the
card's signature password, pay, submit; the counter approves; the app shows it approved."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.e2e.conftest import (
    ROOT,
    TIMEOUT,
    clear_field,
    fill,
    open_page,
    type_keys,
    wait_for_words,
)
from tests.e2e.test_login import log_in
from tests.e2e.test_typing import tab_to

pytestmark = pytest.mark.e2e


def staff_cli(app, *args: str) -> object:
    """The counter's side, on the same backend database (python -m server.staff_cli)."""
    env = {**os.environ, "KITOKITO_DATA_DIR": str(app.data_dir)}
    done = subprocess.run([sys.executable, "-m", "server.staff_cli", "--staff", "e2e", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
                          check=True)
    return json.loads(done.stdout)


def test_apply_pay_submit_and_see_it_approved(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/procedures")
    search = clear_field(page, "手続きを検索")
    type_keys(search, "じゅうみんひょう", 150)
    assert search.input_value() == "じゅうみんひょう"
    page.get_by_role("button", name="住民票の写しの交付請求").first.click(timeout=TIMEOUT)
    page.get_by_role("button", name="ログインして始める").click(timeout=TIMEOUT)
    log_in(page, "立山 花子（富山市）", "1234")
    page.get_by_role("button", name="申請を始める").click(timeout=TIMEOUT)

    # The card's facts are filled in (read back on the confirm screen); the rest typed.
    fill(page, "フリガナ（必須）", "たてやま はなこ")
    fill(page, "電話番号（必須）", "12")
    page.keyboard.press("Tab")  # leaving the field shows what is wrong and how to fix it
    wait_for_words(page, "電話番号を10桁または11桁で入力してください")
    fill(page, "電話番号（必須）", "076-444-3300")
    page.keyboard.press("Tab")
    page.wait_for_function(
        """() => ![...document.querySelectorAll('flt-semantics, flt-semantics *')].some(
            (n) => /電話番号を10桁/.test(n.getAttribute('aria-label') || n.textContent || ''))""",
        timeout=TIMEOUT)
    page.get_by_role("radio", name="本人").click(timeout=TIMEOUT)
    page.get_by_role("radio", name="世帯全員").click(timeout=TIMEOUT)
    page.get_by_role("radio", name="省略する").nth(0).click(timeout=TIMEOUT)
    page.get_by_role("radio", name="省略する").nth(1).click(timeout=TIMEOUT)
    page.get_by_role("radio", name="勤務先・就職").click(timeout=TIMEOUT)
    fill(page, "提出先（必須）", "勤務先")
    fill(page, "必要な通数（必須）", "2")
    page.get_by_role("button", name="確認して次へ").click(timeout=TIMEOUT)

    wait_for_words(page, "タテヤマ ハナコ")  # read back as it will be signed: katakana
    wait_for_words(page, "^立山 花子$")  # from the card
    wait_for_words(page, "^1948-04-10$")
    fill(page, "署名用パスワード", "HANAKO1948")
    page.get_by_role("button", name="署名して次へ").click(timeout=TIMEOUT)
    fill(page, "カード番号", "4242 4242 4242 4242")
    page.get_by_role("button", name="600円を支払う").click(timeout=TIMEOUT)
    wait_for_words(page, "お支払い済み")
    page.get_by_role("button", name="申請する").click(timeout=TIMEOUT)
    wait_for_words(page, "申請一覧")

    [application] = staff_cli(running_app, "list")
    assert application["procedure_id"] == "juminhyo_copy" and application["fee_yen"] == 600
    for step in ("received", "under_review", "approved"):
        staff_cli(running_app, "advance", application["id"], step)
    page.get_by_role("button", name="更新", exact=True).click(timeout=TIMEOUT)
    wait_for_words(page, "承認")
    page.get_by_role("button", name="住民票の写しの交付請求").first.click(timeout=TIMEOUT)
    wait_for_words(page, "状況：承認")
    page.context.close()


def test_a_form_filled_in_and_submitted_with_the_keyboard_alone(browser, running_app) -> None:
    """Tab to an item, type; Space for a choice or the declaration; Enter to go on."""
    page = open_page(browser, running_app.url + "/procedures/bosai_receiver", height=1400)
    page.get_by_role("button", name="ログインして始める").click(timeout=TIMEOUT)
    log_in(page, "高岡 健太（高岡市）", "2345")
    page.get_by_role("button", name="申請を始める").click(timeout=TIMEOUT)
    wait_for_words(page, "フリガナ（必須）")
    keys = page.keyboard
    for label, text in (("^フリガナ（必須）$", "たかおか けんた"),
                        ("^電話番号（必須）$", "0766-20-1111"),
                        ("^世帯の人数（必須）$", "2")):
        tab_to(page, label)
        keys.type(text, delay=120)
    for choice in ("^全員が65歳以上", "^聞こえに支障のある人はいない"):
        tab_to(page, choice)
        keys.press("Space")
    tab_to(page, "^貸与を希望する理由（必須）$")
    keys.type("外のスピーカーが聞き取りにくいため", delay=120)
    tab_to(page, "^転出するときや不要になったときは")
    keys.press("Space")  # the declaration
    tab_to(page, "^確認して次へ$")
    keys.press("Enter")
    wait_for_words(page, "^タカオカ ケンタ$")
    wait_for_words(page, "^0766-20-1111$")
    wait_for_words(page, "^外のスピーカーが聞き取りにくいため$")
    tab_to(page, "^署名用パスワード$")
    keys.type("KENTA1990", delay=120)
    keys.press("Enter")  # signs; no fee: handed over at once
    wait_for_words(page, "申請一覧")
    wait_for_words(page, "防災行政無線 戸別受信機の貸与申請")
    page.context.close()
