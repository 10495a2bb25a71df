"""The trip screens as control trees: what a keystroke redraws (only the matches under the
field), what the app may write into a field, problems, results, live delays, one journey."""

from __future__ import annotations

import flet as ft
import pytest

from app.state import Topic, TripField
from services.transit import PlanResult, StopMatch
from services.trips import JourneySource, TripEnd, TripPlan, TripProblem, TripRequest
from tests.views.conftest import DAY, controllers, journey, screen, state_in
from tests.views.tree import buttons, label_of, texts, walk
from views.trips import JourneyScreen, TripsScreen

IWASEHAMA = StopMatch("toyama_city_2019:portram:1", "岩瀬浜", "Iwasehama", "いわせはま", 3,
                      "toyama_city_2019")


def plan_with(delay_s: int | None) -> TripPlan:
    found = journey(delay_s)
    request = TripRequest("a", "b", DAY, 6 * 3600)
    return TripPlan(request, PlanResult(True, found, (found,)), None)


def trips_screen(language: str = "ja") -> tuple[TripsScreen, object]:
    state = state_in(language)
    actions = controllers(state)
    built = screen("/trips", state, actions)
    assert isinstance(built, TripsScreen)
    built.controls  # noqa: B018 - built as the shell builds it
    return built, actions


def field(page: TripsScreen, label: str) -> ft.TextField:
    return next(c for c in walk(page.controls) if isinstance(c, ft.TextField) and c.label == label)


def test_the_form_has_a_labelled_field_for_each_input() -> None:
    page, _ = trips_screen("ja")
    labels = [c.label for c in walk(page.controls) if isinstance(c, ft.TextField)]
    assert labels == ["出発地", "目的地", "日付", "時刻"]
    page_en, _ = trips_screen("en")
    assert [c.label for c in walk(page_en.controls)
            if isinstance(c, ft.TextField)] == ["From", "To", "Date", "Time"]


async def test_typing_redraws_only_the_matches_under_that_field() -> None:
    page, actions = trips_screen()
    origin = field(page, "出発地")
    origin.value = "iwase"  # what Flet copies in from the browser as the resident types
    await origin.on_change(type("E", (), {"control": origin})())
    assert actions.calls == [("search", TripEnd.origin, "iwase")]
    state = page.state
    state.trips.origin.query = "iwase"
    state.trips.origin.matches = [IWASEHAMA]
    changed = page.on_change(frozenset({Topic.trip_origin}))
    assert len(changed) == 1 and isinstance(changed[0], ft.Column)  # one region, no field
    assert "岩瀬浜 (いわせはま)" in [label_of(b) for b in buttons(changed[0])]
    assert origin.value == "iwase" and field(page, "出発地") is origin  # same object, untouched


def test_only_the_app_setting_a_text_replaces_what_is_in_a_field() -> None:
    page, _ = trips_screen()
    origin = field(page, "出発地")
    origin.value = "iwaseh"  # typed, not yet in the state
    page.on_change(frozenset({Topic.trip_form, Topic.trip_destination}))
    assert origin.value == "iwaseh"
    destination = field(page, "目的地")
    destination.value = "hasu"  # typed in the other field meanwhile
    page.state.trips.origin.query = "岩瀬浜"  # a stop was chosen for the origin
    page.state.trips.replaced = frozenset({TripField.origin})
    changed = page.on_change(frozenset({Topic.trip_text}))
    assert origin.value == "岩瀬浜" and origin in changed
    assert destination.value == "hasu" and destination not in changed


def test_problems_show_in_a_banner_and_under_their_fields() -> None:
    page, _ = trips_screen()
    page.state.trips.problems = [TripProblem.no_origin, TripProblem.bad_time]
    changed = page.on_change(frozenset({Topic.trip_form}))
    shown = texts(changed)
    assert "入力内容を確認してください" in shown
    assert field(page, "出発地").error.startswith("出発地を選んでください")
    assert field(page, "時刻").error.startswith("時刻は「時:分」で入力してください")
    assert field(page, "目的地").error is None and field(page, "日付").error is None


async def test_search_is_one_command_and_says_when_it_runs() -> None:
    page, actions = trips_screen()
    search = next(b for b in buttons(page.controls) if label_of(b) == "検索")
    await search.on_click(None)
    assert actions.calls == [("plan",)]
    actions.trips.plan.running = True
    region = page.on_change(frozenset({Topic.trip_form}))
    busy = next(b for b in buttons(region) if label_of(b) == "検索中…")
    assert busy.on_click is None


@pytest.mark.parametrize(("delay_s", "summary", "leg"), [
    (-120, "2分早い", "2分早い"), (0, "定刻", "定刻"), (180, "3分遅れ", "3分遅れ")])
def test_a_live_delay_reads_the_same_on_the_summary_and_on_the_leg(delay_s, summary,
                                                                     leg) -> None:
    state = state_in("ja")
    state.trips.plan = plan_with(delay_s)
    state.trips.realtime_checked = True
    results = screen("/trips", state)
    row = next(b for b in buttons(results.controls) if "→" in label_of(b))
    assert label_of(row).split()[-1].startswith(summary) or summary in label_of(row)
    detail = screen("/trips/journeys/0", state)
    assert leg in texts(detail.controls)
    assert f"{summary} ・" in " ".join(texts(detail.controls))


def test_results_say_when_live_delays_were_not_available() -> None:
    state = state_in("en")
    state.trips.plan = plan_with(None)
    shown = texts(screen("/trips", state).controls)
    assert "Live delay information is not available: times are as timetabled." in shown
    assert any("¥210" in text for text in shown)


async def test_a_journey_offers_save_share_and_login_for_a_ticket() -> None:
    state = state_in("en")
    state.trips.plan = plan_with(None)
    actions = controllers(state)
    page = screen("/trips/journeys/0", state, actions)
    assert isinstance(page, JourneyScreen)
    by_label = {label_of(b): b for b in buttons(page.controls)}
    await by_label["Save"].on_click(None)
    await by_label["Share"].on_click(None)
    by_label["Log in to get a digital ticket"].on_click(None)
    assert actions.calls[0] == ("save", 0, "Araya (荒屋) → 蓮町電停")
    assert actions.calls[1][0] == "share" and "Araya (荒屋)" in actions.calls[1][1]
    assert actions.logins == ["/trips/journeys/0"]  # login, then back to this journey


async def test_a_ticket_button_is_disabled_while_the_ticket_is_issued() -> None:
    from app.state import Resident

    state = state_in("ja")
    state.auth.resident = Resident("立山 花子", "富山市")
    state.trips.plan = plan_with(None)
    actions = controllers(state)
    page = screen("/trips/journeys/0", state, actions)
    button = next(b for b in buttons(page.controls) if label_of(b) == "デジタル乗車券を発行")
    await button.on_click(None)
    assert actions.calls == [("issue_ticket", JourneySource.result, 0)]
    actions.trips.issue_ticket.running = True
    region = page.on_change(frozenset({Topic.trip_journey}))
    busy = next(b for b in buttons(region) if label_of(b) == "乗車券を発行しています…")
    assert busy.on_click is None


def test_a_journey_that_is_gone_says_so() -> None:
    page = screen("/trips/journeys/5", state_in("en"))
    assert "This journey is no longer available" in texts(page.controls)
