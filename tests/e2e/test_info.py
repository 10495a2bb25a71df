"""Medical and disaster information in the real web client: a paediatrician open on a Sunday,
nearest first, its details and a route there; alerts for the resident's town on the home; all
typed key by key and chosen by accessible name."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from server.ingest.bundle import alert_files
from tests.e2e.conftest import (
    ROOT,
    TIMEOUT,
    caret_at_end,
    clear_field,
    fill,
    open_page,
    set_text_size,
    start_app,
    stop_app,
    type_keys,
    wait_for_words,
)
from tests.e2e.test_typing import tab_to

pytestmark = pytest.mark.e2e


def button(page, name: str | re.Pattern[str]):
    return page.get_by_role("button", name=name)


def choose(page, picker: str, choice: str) -> None:
    """Open a "label: value" picker and tap one of its choices."""
    button(page, re.compile(f"^{picker}:")).first.click(timeout=TIMEOUT)
    page.get_by_role("button", name=choice, exact=True).first.click(timeout=TIMEOUT)
    wait_for_words(page, f"^{picker}: {re.escape(choice)}")


def test_a_paediatrician_open_on_sunday_morning_and_its_details(browser, running_app) -> None:
    page = open_page(browser, running_app.url)
    button(page, "医療").first.click(timeout=TIMEOUT)
    page.get_by_role("textbox", name=re.compile("病院・診療所を検索")).wait_for(timeout=TIMEOUT)
    choose(page, "市町村", "富山市")
    choose(page, "診療科", "小児科")
    button(page, "日時を指定").click(timeout=TIMEOUT)
    sunday = button(page, re.compile(r"\(日\)")).first
    sunday.click(timeout=TIMEOUT)
    fill(page, "時刻", "10:30", delay_ms=180)
    wait_for_words(page, "^[0-9]+件")  # the count of places, read out as it changes
    first = button(page, re.compile("その時間は開いています")).first
    first.wait_for(timeout=TIMEOUT)
    name = (first.get_attribute("aria-label") or first.inner_text()).split(" ")[0]
    assert "小児科" in (first.get_attribute("aria-label") or first.inner_text())
    first.click(timeout=TIMEOUT)
    page.wait_for_url(re.compile(r"/medical/[A-Za-z0-9_-]+$"), timeout=TIMEOUT)
    wait_for_words(page, f"^{re.escape(name)}$")
    wait_for_words(page, "^診療時間$")
    wait_for_words(page, "^日曜日$")
    button(page, "ここへの経路を検索").click(timeout=TIMEOUT)
    page.wait_for_url(re.compile(r"/trips\?to_lat="), timeout=TIMEOUT)
    page.context.close()


def test_alerts_for_my_town_come_first_on_the_home(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/disaster")
    choose(page, "市町村", "富山市")
    wait_for_words(page, "富山市に発表中の警報・避難情報はありません")  # said plainly
    env = {**os.environ, "KITOKITO_DATA_DIR": str(running_app.data_dir)}
    for path in alert_files()[:4]:  # heavy rain, 土砂災害警戒情報, an evacuation order
        kind = "evacuation" if "evacuation" in path.name else "jma"
        subprocess.run([sys.executable, "-m", "server.ingest", kind, str(path)], cwd=ROOT,
                       env=env, check=True, capture_output=True, timeout=120)
    home = open_page(None, running_app.url, context=page.context)  # a new visit syncs
    wait_for_words(home, "警戒レベル4：避難指示")
    button(home, "避難場所を探す").first.click(timeout=TIMEOUT)
    home.wait_for_url(re.compile(r"/disaster$"), timeout=TIMEOUT)
    wait_for_words(home, "に対応する指定場所：[0-9]+件")  # shelters for the hazard, nearest first
    page.context.close()


FORTY = "iwasehama こどもクリニック toyama-shi naika 1234"
assert len(FORTY) == 40


@pytest.mark.parametrize(("width", "size"), [
    pytest.param(390, "standard", id="phone-standard"),
    pytest.param(1280, "extra_large", id="desktop-200pct"),
])
def test_the_clinic_search_keeps_every_letter_while_results_redraw(
        browser, running_app, width, size) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    if size == "extra_large":
        set_text_size(context, "特大", running_app.url)
    page = open_page(browser, running_app.url + "/medical", context=context)
    for delay_ms in (40, 250):
        box = clear_field(page, "病院・診療所を検索")
        type_keys(box, FORTY, delay_ms)
        assert box.input_value() == FORTY, f"at {delay_ms} ms a key"
        assert caret_at_end(page), "the caret moved while the results redrew"
    context.close()


def test_every_info_field_takes_typing_at_a_persons_pace(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/medical", height=1400)
    button(page, "日時を指定").click(timeout=TIMEOUT)
    fill(page, "時刻", "21:30", delay_ms=200)
    assert page.get_by_role("textbox", name="時刻").input_value() == "21:30"

    page = open_page(None, running_app.url + "/childcare", context=page.context)
    search = clear_field(page, "子育て施設を検索")
    type_keys(search, "hoikuen 保育園", 170)
    assert search.input_value() == "hoikuen 保育園"

    page = open_page(None, running_app.url + "/childcare/checkups", context=page.context)
    birth = clear_field(page, "お子さんの生年月日")
    type_keys(birth, "令和7年4月1日", 230)
    assert birth.input_value() == "令和7年4月1日"
    wait_for_words(page, "4か月児健診")

    page = open_page(None, running_app.url + "/disaster/plan", context=page.context)
    meeting = clear_field(page, "家族の集合場所")
    type_keys(meeting, "みずほ小学校の正門", 150)
    assert meeting.input_value() == "みずほ小学校の正門"
    name = clear_field(page, "氏名")
    type_keys(name, "母", 250)
    phone = clear_field(page, "電話番号")
    type_keys(phone, "090-1234-567", 190)  # one digit short: refused, with the reason
    button(page, "連絡先を追加").click(timeout=TIMEOUT)
    wait_for_words(page, "10桁または11桁")  # what is wrong, and how to fix it
    assert page.get_by_role("textbox", name="電話番号").input_value() == "090-1234-567"
    phone.focus()
    page.keyboard.press("End")  # the number typed is still there: add the missing digit
    page.keyboard.type("8", delay=190)
    assert phone.input_value() == "090-1234-5678"
    button(page, "連絡先を追加").click(timeout=TIMEOUT)
    button(page, "母に電話（090-1234-5678）").wait_for(timeout=TIMEOUT)
    page.context.close()


def test_a_clinic_found_and_opened_with_the_keyboard_alone(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/medical", height=1400)
    tab_to(page, "^病院・診療所を検索$")
    type_keys(page.get_by_role("textbox", name="病院・診療所を検索"), "kodomo", 160)
    tab_to(page, "こどもクリニック")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/medical/[A-Za-z0-9_-]+$"), timeout=TIMEOUT)
    wait_for_words(page, "^診療時間$")
    page.context.close()


def test_clinics_stay_searchable_when_the_backend_stops(browser, tmp_path) -> None:
    app = start_app(tmp_path / "data")
    try:
        page = open_page(browser, app.url + "/medical")
        wait_for_words(page, "^最終更新")  # one sync brought everything to the device
        app.stop_backend()
        fresh = open_page(browser, app.url + "/medical")  # a new visit, no signal
        wait_for_words(fresh, "^オフライン — 最終更新")
        type_keys(clear_field(fresh, "病院・診療所を検索"), "しょうにか", 180)
        button(fresh, re.compile("小児科")).first.wait_for(timeout=TIMEOUT)
        fresh.context.close()
        page.context.close()
    finally:
        stop_app(app)
