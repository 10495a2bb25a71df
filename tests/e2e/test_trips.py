"""Planning a trip in the real web client: stop search by romaji and kanji, a date outside the
2019 timetables, the suggested weekday inside them, a journey with times and its legs."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import TIMEOUT, fill, open_page, wait_for_words

pytestmark = pytest.mark.e2e


def test_plan_from_one_named_stop_to_another(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/trips", height=1400)
    fill(page, "出発地", "iwasehama")
    page.get_by_role("button", name="岩瀬浜 (いわせはま)").click(timeout=TIMEOUT)
    wait_for_words(page, "選択中：岩瀬浜")
    fill(page, "目的地", "浜黒崎浜通り")
    page.get_by_role("button", name=re.compile("^浜黒崎浜通り")).click(timeout=TIMEOUT)
    fill(page, "日付", "2026-06-10")  # a Wednesday, long after the 2019 timetables
    fill(page, "時刻", "08:00")
    page.get_by_role("button", name="検索").click(timeout=TIMEOUT)

    wait_for_words(page, "この日付の時刻表はありません")
    page.get_by_role("button", name=re.compile("2019年6月12日水曜日")).click(timeout=TIMEOUT)

    journey = page.get_by_role("button", name=re.compile("08:01 → 08:09"))
    journey.first.wait_for(timeout=TIMEOUT)
    journey.first.click()
    wait_for_words(page, "08:01 岩瀬浜 発")
    wait_for_words(page, "08:09 浜黒崎浜通り 着")
    page.context.close()


def test_missing_choices_are_explained_not_ignored(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/trips")
    fill(page, "時刻", "25:99")
    page.get_by_role("button", name="検索").click(timeout=TIMEOUT)
    wait_for_words(page, "入力内容を確認してください")
    wait_for_words(page, "出発地を選んでください")
    wait_for_words(page, "時刻は「時:分」で入力してください")
    page.context.close()
