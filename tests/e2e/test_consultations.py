"""Consultation booking in the real web client: find 子育て相談 by typing a need, book the first
free time, see it under my bookings, cancel it; the telemedicine questionnaire typed at a
person's pace; a service found and opened with the keyboard alone."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import TIMEOUT, clear_field, open_page, type_keys, wait_for_words
from tests.e2e.test_login import log_in
from tests.e2e.test_typing import tab_to

pytestmark = pytest.mark.e2e
NEED = "どのようなことでお困りですか？"


def button(page, name):
    return page.get_by_role("button", name=name)


def test_book_a_childcare_consultation_see_it_and_cancel_it(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/consultations", height=1400)
    type_keys(clear_field(page, NEED), "kosodate", 170)
    button(page, re.compile("^子育て相談（ビデオ）")).first.click(timeout=TIMEOUT)
    page.wait_for_url(re.compile(r"/consultations/childcare_toyama_video$"), timeout=TIMEOUT)
    button(page, re.compile("残り[0-9]+枠")).first.click(timeout=TIMEOUT)  # the first free time
    page.wait_for_url(re.compile(r"/confirm$"), timeout=TIMEOUT)
    button(page, "ログインして予約").click(timeout=TIMEOUT)
    log_in(page, "立山 花子（富山市）", "1234")
    page.wait_for_url(re.compile(r"/confirm$"), timeout=TIMEOUT)  # back where the resident was
    button(page, "予約する").click(timeout=TIMEOUT)
    page.wait_for_url(re.compile(r"/consultations/bookings$"), timeout=TIMEOUT)
    booking = button(page, re.compile("子育て相談（ビデオ）.*予約確定")).first
    booking.click(timeout=TIMEOUT)
    page.wait_for_url(re.compile(r"/consultations/bookings/[0-9a-f]{32}$"), timeout=TIMEOUT)
    button(page, "この予約をキャンセル").click(timeout=TIMEOUT)
    wait_for_words(page, "キャンセル済み")
    page.context.close()


def test_the_telemedicine_questionnaire_takes_typing_at_a_persons_pace(
        browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/consultations/telemed_kodomo_night",
                     height=1400)
    button(page, re.compile("残り[0-9]+枠")).first.click(timeout=TIMEOUT)
    page.wait_for_url(re.compile(r"/confirm$"), timeout=TIMEOUT)
    answers = {"症状": "38度の熱、せき 2日前から", "服用中の薬": "なし", "アレルギー": "卵",
               "保険証の記号・番号": "12-345 6789", "予約先への連絡事項（任意）": "夜9時以降"}
    for name, text in answers.items():
        type_keys(clear_field(page, name), text, 200)
    for name, text in answers.items():
        assert page.get_by_role("textbox", name=name).input_value() == text, name
    page.context.close()


def test_a_consultation_found_and_opened_with_the_keyboard_alone(browser, running_app) -> None:
    page = open_page(browser, running_app.url + "/consultations", height=1400)
    tab_to(page, f"^{re.escape(NEED)}$")
    type_keys(page.get_by_role("textbox", name=NEED), "ijuu", 160)
    tab_to(page, "^移住相談")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/consultations/relocation_"), timeout=TIMEOUT)
    wait_for_words(page, "日付を選択")
    page.context.close()
