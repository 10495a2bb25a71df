"""The tourism, relocation and home-search screens as control trees, built through the
registry: what a visitor reads (in English), the crowd chart with its text table, quieter
places, the comparison's best marks and the budget's lines."""

from __future__ import annotations

import flet as ft
import flet_charts as fch

from app.paths import stop_trip
from services.info.models import DayCode, Slot
from services.relocation.budget import Household, check
from services.relocation.models import (
    UNITS,
    Figure,
    FigureKey,
    Programme,
    ProgrammeKind,
    TownProfile,
)
from services.relocation.plan import RelocationPlan
from services.search.models import Hit, HitKind
from services.tourism.crowds import (
    Alternative,
    CrowdBasis,
    CrowdLevel,
    DayCrowds,
    HourCrowd,
    Quieter,
)
from services.tourism.filters import Found
from services.tourism.models import Spot, Wheelchair
from tests.views.conftest import NOW, controllers, screen, state_in
from tests.views.tree import buttons, label_of, texts, walk

EVERY_DAY = frozenset(DayCode) - {DayCode.hol}
KANSUI = Spot(
    id="162019-2", municipality="162019", lat=36.7085, lon=137.2135, name="富岩運河環水公園",
    name_kana="フガンウンガカンスイコウエン", name_en="Fugan Canal Kansui Park", category="公園",
    address="富山県富山市湊入船町", hours=(), hours_note="見学自由（屋外）", fee_yen=0,
    fee_text="無料", description={"ja": "水辺の公園です。", "en": "A waterside park."},
    access={"ja": "富山駅から徒歩10分", "en": "10 minutes' walk from Toyama Station"},
    barrier_free={"en": "Paved paths"}, wheelchair=Wheelchair.yes,
    support_languages=("ja", "en"), sample=True)
MUSEUM = Spot(
    id="162019-3", municipality="162019", lat=36.7095, lon=137.2110, name="富山県美術館",
    name_kana="トヤマケンビジュツカン", name_en="Toyama Prefectural Museum of Art and Design",
    category="美術館", address="富山県富山市木場町3-20",
    hours=(Slot(EVERY_DAY, 9 * 60 + 30, 18 * 60),), hours_note="", fee_yen=300,
    fee_text="300円", description={"en": "Art and design."})


def day_crowds(offline: bool = False) -> DayCrowds:
    levels = {9: CrowdLevel.quiet, 12: CrowdLevel.moderate, 14: CrowdLevel.busy,
              17: CrowdLevel.quiet}
    hours = tuple(HourCrowd(h, level, {"quiet": .2, "moderate": .5, "busy": .9}[level], h == 9)
                  for h, level in levels.items())
    return DayCrowds("162019-2", NOW.date(), CrowdBasis.sensor, hours, hours[1], NOW, offline)


def quieter() -> Quieter:
    return Quieter("162019-2", NOW.date(), 14, CrowdLevel.busy,
                   (Alternative("162019-3", "富山県美術館", 0.25, CrowdLevel.quiet),),
                   (9, 17), NOW)


def spot_state(language: str = "en"):
    state = state_in(language)
    view = state.tourism
    view.spot_id, view.spot, view.spot_loaded = KANSUI.id, KANSUI, True
    view.day, view.hour = NOW.date(), 14
    view.crowds, view.crowds_loaded, view.quieter = day_crowds(), True, quieter()
    view.nearby = {MUSEUM.id: MUSEUM}
    return state


def test_a_spot_in_english_has_its_chart_a_text_table_and_a_quieter_place() -> None:
    state = spot_state()
    actions = controllers(state)
    page = screen("/tourism/162019-2", state, actions)
    shown = texts(page.controls)
    assert page.title == "Fugan Canal Kansui Park"
    assert "A waterside park." in shown
    charts = [c for c in walk(page.controls) if isinstance(c, fch.BarChart)]
    assert len(charts) == 1 and [g.x for g in charts[0].groups] == [9, 12, 14, 17]
    # The chart is one named image; the same figures are words in the table beside it.
    named = [s for s in walk(page.controls) if isinstance(s, ft.Semantics) and s.image]
    assert named and "Bar chart" in named[0].label
    assert {"9:00", "14:00", "Crowded", "Quiet (measured)"} <= set(shown)
    assert "Now: Somewhat crowded" in shown
    assert "At 14:00, Fugan Canal Kansui Park is usually: Crowded." in shown
    assert "Quieter here at: 9:00, 17:00" in shown
    # The quieter place is named in English (read from the device), and opens.
    row = next(b for b in buttons(page.controls)
               if "Toyama Prefectural Museum of Art and Design" in label_of(b))
    row.on_click(None)
    assert actions.went[-1] == "/tourism/162019-3"
    assert "Wheelchair accessible\nPaved paths" in shown
    assert "10 minutes' walk from Toyama Station" in shown


def test_crowds_kept_from_an_earlier_visit_say_they_are_offline() -> None:
    state = spot_state()
    state.tourism.crowds = day_crowds(offline=True)
    shown = texts(screen("/tourism/162019-2", state).controls)
    assert any(s.startswith("Offline — crowd levels as of") for s in shown)


def test_no_crowds_yet_and_offline_says_a_connection_is_needed() -> None:
    state = spot_state("en")
    state.tourism.crowds, state.tourism.quieter = None, None
    page = screen("/tourism/162019-2", state)
    assert not any(isinstance(c, fch.BarChart) for c in walk(page.controls))
    assert ("Crowd levels need a connection the first time. Try again when you are online."
            in texts(page.controls))


def test_the_spot_list_shows_free_entry_and_opens_the_spot() -> None:
    state = state_in("en")
    view = state.tourism
    view.results, view.total, view.loaded = [Found(KANSUI, None), Found(MUSEUM, 250.0)], 2, True
    state.info_status.last_updated = NOW
    actions = controllers(state)
    page = screen("/tourism", state, actions)
    labels = [label_of(b) for b in buttons(page.controls)]
    kansui = next(label for label in labels if label.startswith("Fugan Canal Kansui Park"))
    assert "Parks" in kansui and "Free entry" in kansui
    museum = next(label for label in labels if label.startswith("Toyama Prefectural Museum"))
    assert "Admission" in museum and "300" in museum
    next(b for b in buttons(page.controls)
         if label_of(b).startswith("Fugan")).on_click(None)
    assert actions.went == ["/tourism/162019-2"]


def test_filters_ask_the_controller() -> None:
    state = state_in("en")
    actions = controllers(state)
    page = screen("/tourism", state, actions)
    boxes = {c.semantics_label: c for c in walk(page.controls) if isinstance(c, ft.Checkbox)}
    assert set(boxes) == {"Step-free (wheelchair) access", "Free entry", "Open now"}


# --- relocation -----------------------------------------------------------------------------
def town(code: str, name: str, rent: float | None, snow: float) -> TownProfile:
    def figure(key: FigureKey, value: float | None) -> Figure:
        return Figure(key, value, UNITS[key], 2020, "国勢調査", "", key == FigureKey.rent_2ldk_yen,
                      {})

    return TownProfile(code, name, name, {"en": f"{name} summary"}, (
        figure(FigureKey.population, 100_000), figure(FigureKey.rent_2ldk_yen, rent),
        figure(FigureKey.snow_cm, snow)), True)


TOYAMA = town("162019", "富山市", 70_000, 253)
NANTO = town("162108", "南砺市", 52_000, 374)


def test_compare_marks_the_best_town_per_figure_and_names_sources() -> None:
    state = state_in("en")
    view = state.relocation
    view.towns, view.loaded = [TOYAMA, NANTO], True
    view.plan = RelocationPlan(towns=("162019", "162108"))
    shown = texts(screen("/relocation/compare", state).controls)
    assert any(s.startswith("Nanto City: ") and s.endswith("— best") and "52,000" in s
               for s in shown), shown
    assert any(s.startswith("Toyama City: ") and "253" in s and s.endswith("— best")
               for s in shown), shown
    assert "Sample figure, not from a source: check with the town." in shown
    assert "Source: 国勢調査, 2020" in shown


def test_one_town_chosen_asks_for_another() -> None:
    state = state_in("en")
    state.relocation.towns, state.relocation.plan = [TOYAMA], RelocationPlan(towns=("162019",))
    assert "Choose at least two towns to compare." in texts(
        screen("/relocation/compare", state).controls)


def test_the_budget_lists_each_line_with_its_basis() -> None:
    state = state_in("en")
    household = Household(adults=2, children=(3, 7), cars=2, rent_yen=None, income_yen=None,
                          town="162108")
    grant = Programme("p1", ProgrammeKind.relocation_grant, None, {"en": "Grant"}, {}, {},
                      1_000_000, "", "", None, None, "県", 2025, False)
    state.relocation.household = household
    state.relocation.budget = check(household, NANTO, [grant])
    shown = texts(screen("/relocation/budget", state).controls)
    assert "Each month" in shown and "Rent" in shown
    assert any(s.startswith("In all: about") for s in shown)
    assert any("(a sample figure)" in s for s in shown)  # the rent rests on a sample


# --- the home's one search ------------------------------------------------------------------
def test_search_hits_on_the_home_open_their_screens() -> None:
    state = state_in("en")
    state.search.query = state.search.asked = "gokayama"
    state.search.hits = [Hit(HitKind.spot, "162108-1", "Gokayama", "Nanto City", 1.0),
                         Hit(HitKind.stop, "富山駅", "Toyama Station", "", 0.5)]
    actions = controllers(state)
    home = screen("/", state, actions)
    rows = [b for b in buttons(home.controls) if label_of(b).startswith(("Gokayama", "Toyama S"))]
    assert "Place to visit" in label_of(rows[0]) and "Bus or tram stop" in label_of(rows[1])
    for row in rows:
        row.on_click(None)
    assert actions.went == ["/tourism/162108-1", stop_trip("富山駅")]


def test_a_search_with_no_hit_says_what_to_try() -> None:
    state = state_in("ja")
    state.search.query = state.search.asked = "zzzz"
    shown = texts(screen("/", state).controls)
    assert any("zzzz" in s for s in shown)



async def test_a_checklist_step_leads_to_its_support_programmes() -> None:
    state = state_in("en")
    state.relocation.plan_loaded = True
    actions = controllers(state)
    page = screen("/relocation/plan", state, actions)
    boxes = [c for c in walk(page.controls) if isinstance(c, ft.Checkbox)]
    assert boxes[0].semantics_label == "Try living there: a trial stay"
    link = next(c for c in walk(page.controls)
                if isinstance(c, ft.TextButton) and "Support: Trial stay" in texts(c.content))
    await link.on_click(None)
    assert ("set_programme_kind", ProgrammeKind.trial_stay) in actions.calls
    assert actions.went == ["/relocation/programmes"]
