"""The medical, childcare and disaster screens as control trees, built through the registry."""

from __future__ import annotations

from datetime import date, timedelta

import flet as ft
import pytest

from app.paths import trip_to
from app.state import AppState, OpenWhen, Resident
from forms.problems import Problem, ProblemCode
from services.info.models import (
    Aed,
    Alert,
    AlertStatus,
    AlertType,
    DayCode,
    DutyDay,
    Hazard,
    MedicalFacility,
    MedicalType,
    Shelter,
    ShelterSource,
    Slot,
)
from services.info.plan import Contact, EvacuationPlan
from services.info.schedules import timetable
from services.info.service import Found
from services.preferences import TextSize
from tests.views.conftest import NOW, controllers, screen, state_in
from tests.views.tree import buttons, label_of, texts, walk

WEEKDAYS = frozenset({DayCode.mon, DayCode.tue, DayCode.wed, DayCode.thu, DayCode.fri})
CLINIC = MedicalFacility(
    id="1600000001", municipality="162019", lat=36.70, lon=137.21, name="岩瀬浜こどもクリニック",
    name_kana="イワセハマコドモクリニック", name_en=None, type=MedicalType.clinic,
    address="富山県富山市岩瀬浜町1", address_detail="2階", phone="076-437-0001", url="",
    departments=("小児科", "内科"),
    hours=(Slot(WEEKDAYS, 9 * 60, 12 * 60 + 30), Slot(frozenset({DayCode.sat}), 540, 720)),
    hours_note="木曜午後休診", after_hours="時間外は急患センターへ", beds=None,
    duty=(DutyDay(NOW.date(), 9 * 60, 17 * 60, ("小児科",)),))
SHELTER = Shelter(
    id="gsi-e-E1620100001201", municipality="162019", lat=36.685, lon=137.227,
    name="清水保育所　洪水時２階以上", name_kana="", address="富山県富山市旭町10-17",
    emergency_site=True, evacuation_shelter=False, hazards=frozenset({Hazard.flood}),
    capacity=None, accepts="", notes="", source=ShelterSource.gsi)
AED = Aed(id="aed-1", municipality="162019", lat=36.69, lon=137.21, name="富山市役所",
          address="富山県富山市新桜町7-38", address_detail="", location="1階正面玄関",
          phone="", operator="富山市", hours=(Slot(WEEKDAYS, 510, 1035),), hours_note="",
          pediatric=True, url="")


def alert(level: int | None = 4, **extra) -> Alert:
    values = dict(id="ev-162019-1", municipality="162019", lat=None, lon=None,
                  type=AlertType.evacuation, code="ev", name="避難指示", level=level,
                  status=AlertStatus.issued, issued_at=NOW - timedelta(minutes=20),
                  headline="神通川の水位が上がっています", area="富山市 水橋地区", intensity=None,
                  event_id="1")
    return Alert(**(values | extra))


def in_town(language: str, town: str | None = "162019") -> AppState:
    return state_in(language, town=town)


def test_medical_results_show_department_opening_and_distance_and_open_details() -> None:
    state = in_town("ja")
    state.medical.results = [Found(CLINIC, 1234.0)]
    state.medical.total, state.medical.loaded = 1, True
    c = controllers(state)
    page = screen("/medical", state, c)
    shown = texts(page.controls)
    assert "岩瀬浜こどもクリニック" in shown
    assert "診療所 ・ 小児科・内科" in shown
    assert "1.2 km先" in shown or any("1.2" in t for t in shown)
    # Sunday 10:30 is a duty day for this clinic: open now although Sundays are closed.
    assert any(t.startswith("診療中") or "開いています" in t for t in shown), shown
    row = next(b for b in buttons(page.controls) if b.key == "medical-1600000001")
    row.on_click(None)
    assert c.went == ["/medical/1600000001"]


def test_medical_search_in_english_labels_departments_in_english() -> None:
    state = in_town("en")
    state.medical.results = [Found(CLINIC, None)]
    state.medical.total, state.medical.loaded = 1, True
    shown = texts(screen("/medical", state).controls)
    assert "Clinic ・ Pediatrics・Internal medicine" in shown
    assert "Nearest to Toyama City first." in shown


def test_choosing_a_day_and_time_offers_a_week_of_days_with_holidays_marked() -> None:
    state = in_town("en")
    state.medical.when = OpenWhen.at
    state.medical.day_text = NOW.date().isoformat()
    labels = [label_of(b) for b in buttons(screen("/medical", state).controls)]
    days = [label for label in labels if label.startswith(("Today", "Tomorrow", "Mon", "Tue",
                                                           "Wed", "Thu", "Fri", "Sat", "Sun"))]
    assert len(days) == 8 and days[0].startswith("Today, Sun 6 Dec")


def test_no_match_says_how_to_widen_the_search() -> None:
    state = in_town("en")
    state.medical.loaded = True
    state.info_status.last_updated = NOW
    assert "No clinic or hospital matches" in texts(screen("/medical", state).controls)


def test_nothing_downloaded_yet_is_said_rather_than_no_match() -> None:
    state = in_town("en")
    state.medical.loaded = state.info_status.synced = True
    shown = texts(screen("/medical", state).controls)
    assert "No clinic or hospital matches" not in shown
    assert shown.count("Not downloaded yet. Connect to the internet once to download it.") == 1


def test_facility_details_have_hours_a_call_link_and_a_route_there() -> None:
    state = in_town("en")
    state.place.record, state.place.loaded = CLINIC, True
    c = controllers(state)
    page = screen("/medical/1600000001", state, c)
    shown = texts(page.controls)
    assert "Thursday" in shown and "09:00–12:30" in shown and "Closed" in shown
    assert "Consultation hours" in shown and "時間外は急患センターへ" in shown
    assert "富山県富山市岩瀬浜町1 2階" in shown
    call = next(b for b in walk(page.controls) if isinstance(b, ft.Button) and b.key == "call")
    assert call.url == "tel:0764370001"
    route = next(b for b in buttons(page.controls) if b.key == "route-there")
    route.on_click(None)
    assert c.went == [trip_to(36.70, 137.21, "岩瀬浜こどもクリニック")]
    # Addresses and hours can be selected and copied.
    address = next(t for t in walk(page.controls)
                   if isinstance(t, ft.Text) and t.value == "富山県富山市岩瀬浜町1 2階")
    assert address.selectable


def test_a_record_gone_from_the_store_says_so() -> None:
    state = in_town("en")
    state.place.loaded = True
    assert "This place is not in the list any more" in texts(
        screen("/medical/1600000009", state).controls)


def test_alerts_show_on_the_home_above_everything_in_the_levels_colour() -> None:
    state = in_town("ja")
    state.disaster.alerts = [alert(4)]
    page = screen("/", state)
    shown = texts(page.controls)
    assert shown.index("警戒レベル4：避難指示") < shown.index("何をしますか？")
    card = next(c for c in walk(page.controls)
                if isinstance(c, ft.Container) and c.key == "alert-ev-162019-1")
    assert card.bgcolor == "#AA00AA"


def test_the_home_stays_calm_with_nothing_in_force() -> None:
    shown = texts(screen("/", in_town("ja")).controls)
    assert not any("警戒レベル" in t for t in shown)


def test_an_earthquake_says_what_the_intensity_means() -> None:
    state = in_town("en")
    state.disaster.alerts = [alert(None, type=AlertType.earthquake, name="震度速報",
                                   intensity="5-", area="富山県東部", id="eq-1-1")]
    shown = texts(screen("/disaster", state).controls)
    assert "Seismic intensity 5 lower — 富山県東部" in shown
    assert any(t.startswith("Protect your head") for t in shown)


def test_disaster_without_a_town_asks_for_one_and_never_dead_ends() -> None:
    state = in_town("en", town=None)
    page = screen("/disaster", state)
    shown = texts(page.controls)
    assert "Choose your town to see its warnings" in shown
    towns = next(c for c in walk(page.controls)
                 if isinstance(c, ft.ExpansionTile) and c.key == "town-picker")
    assert len(buttons(towns.controls)) == 15


def test_a_logged_in_residents_town_comes_from_the_profile() -> None:
    state = in_town("en", town="162027")  # chosen on the device: 高岡
    state.auth.resident = Resident("立山 花子", "富山市")
    assert state.town == "162019"


def test_shelters_say_capacity_is_not_published_rather_than_invent_it() -> None:
    state = in_town("en")
    state.disaster.shelters = [Found(SHELTER, 420.0)]
    state.disaster.shelter_total, state.disaster.loaded = 1, True
    shown = texts(screen("/disaster", state).controls)
    assert "清水保育所　洪水時２階以上" in shown
    assert "Capacity: not published" in shown
    assert "420 m from Toyama City office" in shown
    assert "1 place designated for: Flood" in shown


async def test_a_shelter_can_become_my_shelter_for_the_hazard() -> None:
    state = in_town("en")
    state.place.record, state.place.loaded = SHELTER, True
    c = controllers(state)
    page = screen("/disaster/shelters/gsi-e-E1620100001201", state, c)
    keep = next(b for b in buttons(page.controls) if b.key == "make-my-shelter")
    await keep.on_click(None)
    assert ("set_shelter", Hazard.flood, SHELTER.id, SHELTER.name) in c.calls


def test_the_plan_shows_a_problem_in_words_and_the_contacts_to_call() -> None:
    state = in_town("en")
    state.disaster.plan = EvacuationPlan(contacts=(Contact("母", "090-1234-5678"),))
    state.disaster.plan_problem = Problem(("phone",), ProblemCode.not_a_phone)
    page = screen("/disaster/plan", state)
    shown = texts(page.controls)
    assert any("phone" in t.lower() for t in shown if t not in ("Phone number",))
    call = next(b for b in walk(page.controls)
                if isinstance(b, ft.Button) and b.url == "tel:09012345678")
    assert label_of(call) == "Call 母 (090-1234-5678)"


def test_aeds_list_calls_119_first() -> None:
    state = in_town("ja")
    state.disaster.aeds = [Found(AED, 80.0)]
    page = screen("/disaster/aeds", state)
    call = next(b for b in walk(page.controls) if isinstance(b, ft.Button) and b.key == "call-119")
    assert call.url == "tel:119"
    assert "1階正面玄関" in texts(page.controls)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_checkups_list_what_is_due_for_a_child(language) -> None:
    state = in_town(language)
    state.checkups.birth = date(2026, 8, 1)
    state.checkups.items = timetable(state.checkups.birth)
    shown = texts(screen("/childcare/checkups", state).controls)
    due = "Due now" if language == "en" else "今の時期"
    assert due in shown or any(due in t for t in shown), shown


def test_every_info_screen_builds_at_200_percent_in_simplified_mode() -> None:
    for path in ("/medical", "/childcare", "/childcare/checkups", "/disaster",
                 "/disaster/plan", "/disaster/aeds", "/about"):
        state = state_in("ja", text_size=TextSize.extra_large, simplified=True, town="162019")
        assert screen(path, state).controls


def test_about_marks_the_sample_data_and_credits_the_shelter_source() -> None:
    shown = texts(screen("/about", state_in("en")).controls)
    assert "Some data here is sample data" in shown
    assert "出典：国土地理院 指定緊急避難場所・指定避難所データ" in shown

