"""Tourism, relocation and the one search in the real web client, typed key by key:
- a visitor in English opens a spot, sees its crowd chart (with the text table beside it) and
  picks the quieter place next door that the app suggests;
- a family compares two towns, works out a budget and keeps notes in its relocation plan,
  which survive a reload (kept on the device);
- the home's search finds a procedure by its romaji, a stop for the trip planner, and a place
  with the keyboard alone."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from datetime import datetime

import pytest

from services.i18n import JAPAN_TZ
from tests.e2e.conftest import ROOT, TIMEOUT, clear_field, open_page, type_keys, wait_for_words
from tests.e2e.test_typing import tab_to

pytestmark = pytest.mark.e2e
KANSUI, MUSEUM = "162019-2", "162019-3"  # 富岩運河環水公園 and 富山県美術館, 250 m apart


def button(page, name):
    return page.get_by_role("button", name=name)


def in_english(context, url: str) -> None:
    page = open_page(None, url + "/settings", context=context)
    button(page, "English").click(timeout=TIMEOUT)
    wait_for_words(page, "^Text size$")  # the choice is made and saved on the device
    page.wait_for_timeout(300)
    page.close()


def record_readings(app, tmp_path) -> None:
    """Sensors say the park is full today and the museum next door nearly empty, through the
    staff's ingestion command (the same path as POST /v1/tourism/readings)."""
    today = datetime.now(JAPAN_TZ).date().isoformat()
    path = tmp_path / "readings.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["spot_id", "date", "hour", "occupancy"])
        for hour in range(24):
            writer.writerow([KANSUI, today, hour, 0.95])
            writer.writerow([MUSEUM, today, hour, 0.05])
    env = {**os.environ, "KITOKITO_DATA_DIR": str(app.data_dir)}
    subprocess.run([sys.executable, "-m", "server.ingest", "crowds", str(path)], cwd=ROOT,
                   env=env, check=True, capture_output=True, timeout=120)


def test_a_visitor_sees_the_crowd_chart_and_picks_a_quieter_place(browser, running_app,
                                                                  tmp_path) -> None:
    record_readings(running_app, tmp_path)
    context = browser.new_context(viewport={"width": 412, "height": 1600}, locale="en-US")
    in_english(context, running_app.url)
    page = open_page(None, running_app.url, context=context)
    button(page, "Tourism").first.click(timeout=TIMEOUT)
    type_keys(clear_field(page, "Search places to visit"), "kansui", 150)
    button(page, re.compile("^Fugan Canal Kansui Park")).first.click(timeout=TIMEOUT)
    page.wait_for_url(re.compile(f"/tourism/{KANSUI}$"), timeout=TIMEOUT)
    wait_for_words(page, "^How crowded$")
    wait_for_words(page, "^Bar chart of how crowded it is by hour")  # the chart, named
    wait_for_words(page, r"^Crowded \(measured\)$")  # the same figures as words
    wait_for_words(page, "^Now: Crowded$")
    wait_for_words(page, "is usually: Crowded\\.$")
    quieter = button(page, re.compile("^Toyama Prefectural Museum of Art and Design"))
    label = quieter.first.get_attribute("aria-label") or quieter.first.inner_text()
    assert "Quiet at" in label
    quieter.first.click(timeout=TIMEOUT)
    page.wait_for_url(re.compile(f"/tourism/{MUSEUM}$"), timeout=TIMEOUT)
    wait_for_words(page, "^Now: Quiet$")
    context.close()


def test_a_family_compares_towns_budgets_and_keeps_notes(browser, running_app) -> None:
    context = browser.new_context(viewport={"width": 412, "height": 1600}, locale="en-US")
    in_english(context, running_app.url)
    page = open_page(None, running_app.url + "/relocation/compare", context=context)
    button(page, "Toyama City").first.click(timeout=TIMEOUT)
    wait_for_words(page, "^Added to your plan\\.$")
    button(page, "Nanto City").first.click(timeout=TIMEOUT)
    wait_for_words(page, "^Population$")
    wait_for_words(page, "— best$")  # one town marked best on a figure, in words
    wait_for_words(page, "^Source: ")  # every figure names its source (or says it is a sample)

    page = open_page(None, running_app.url + "/relocation/budget", context=context)
    button(page, re.compile("^Town:")).first.click(timeout=TIMEOUT)
    button(page, "Nanto City").first.click(timeout=TIMEOUT)
    type_keys(clear_field(page, "Children's ages"), "3, x", 150)
    button(page, "Calculate").click(timeout=TIMEOUT)
    wait_for_words(page, "Write each child's age in years")  # how to fix it, under the field
    type_keys(clear_field(page, "Children's ages"), "3, 7", 150)
    button(page, "Calculate").click(timeout=TIMEOUT)
    wait_for_words(page, "^In all: about ")
    wait_for_words(page, "^Winter heating")

    page = open_page(None, running_app.url + "/relocation/plan", context=context)
    wait_for_words(page, "^Towns of interest$")
    type_keys(clear_field(page, "Notes"), "Visit Inami in May", 120)
    button(page, "Save notes").click(timeout=TIMEOUT)
    wait_for_words(page, "^Notes saved on this device\\.$")
    page = open_page(None, running_app.url + "/relocation/plan", context=context)  # again
    box = page.get_by_role("textbox", name="Notes")
    box.wait_for(timeout=TIMEOUT)
    box.focus()  # Flutter fills the input element behind a field once it has the focus
    page.wait_for_timeout(300)
    assert box.input_value() == "Visit Inami in May"
    assert button(page, re.compile("^Nanto City")).count() >= 1  # a town of interest
    context.close()


def test_the_home_search_finds_a_procedure_and_a_place(browser, running_app) -> None:
    page = open_page(browser, running_app.url, height=1400)
    box = clear_field(page, "まとめて検索")
    type_keys(box, "juminhyo", 150)
    button(page, re.compile("^住民票の写しの交付請求")).first.click(timeout=TIMEOUT)
    page.wait_for_url(re.compile("/procedures/juminhyo_copy$"), timeout=TIMEOUT)

    # A stop opens the trip planner with it as the destination.
    stop = open_page(None, running_app.url, context=page.context)
    type_keys(clear_field(stop, "まとめて検索"), "iwasehama", 150)
    button(stop, re.compile("^岩瀬浜.*停留所")).first.click(timeout=TIMEOUT)
    stop.wait_for_url(re.compile(r"/trips\?to_stop="), timeout=TIMEOUT)
    wait_for_words(stop, "選択中：岩瀬浜")

    # With the keyboard alone: type, Tab to the first place, Enter.
    home = open_page(None, running_app.url, context=page.context)
    type_keys(clear_field(home, "まとめて検索"), "ainokura", 150)
    wait_for_words(home, "^五箇山合掌造り集落（相倉）")
    tab_to(home, "^五箇山合掌造り集落（相倉）")
    home.keyboard.press("Enter")
    home.wait_for_url(re.compile("/tourism/162108-[0-9]+$"), timeout=TIMEOUT)
    wait_for_words(home, "^混雑状況$")
    page.context.close()
