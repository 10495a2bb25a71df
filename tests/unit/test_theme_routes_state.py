"""Design tokens (contrast, scale maths), the route table and the session state."""

from __future__ import annotations

import dataclasses

import flet as ft
import pytest

from app import paths, routes
from app.paths import RoutePath
from app.state import AppState, Topic
from app.theme import (
    HIGH_CONTRAST,
    SIMPLIFIED,
    STANDARD,
    TYPE_SCALE,
    Tokens,
    contrast_ratio,
)
from services.preferences import Preferences, TextSize

TEXT_ROLES = ("text", "text_strong", "text_support", "primary", "error", "success", "warning",
              "info")


@pytest.mark.parametrize(("palette", "minimum"),
                         [(STANDARD, 4.5), (SIMPLIFIED, 7.0), (HIGH_CONTRAST, 7.0)],
                         ids=["standard", "simplified", "high-contrast"])
def test_text_colours_meet_the_contrast_figure(palette, minimum) -> None:
    for role in TEXT_ROLES:
        ratio = contrast_ratio(getattr(palette, role), palette.background)
        assert ratio >= minimum, f"{role}: {ratio:.2f}"
    assert contrast_ratio(palette.on_primary, palette.primary) >= minimum


@pytest.mark.parametrize("palette", [STANDARD, SIMPLIFIED, HIGH_CONTRAST])
def test_non_text_ui_meets_3_to_1(palette) -> None:
    assert contrast_ratio(palette.border, palette.background) >= 3.0
    assert contrast_ratio(palette.focus_outline, palette.focus_ring) >= 3.0


def test_contrast_maths_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("size", "scale"),
                         [(TextSize.standard, 1.0), (TextSize.large, 1.5),
                          (TextSize.extra_large, 2.0)])
def test_every_size_comes_from_one_scale(size, scale) -> None:
    tokens = Tokens.from_preferences(Preferences(text_size=size))
    assert tokens.scale == scale
    assert tokens.font_size("body") == pytest.approx(16 * scale)
    assert tokens.min_target == pytest.approx(44 * scale)
    assert tokens.icon == pytest.approx(24 * scale)
    assert tokens.space(4) == pytest.approx(16 * scale)
    assert tokens.theme.text_theme.body_medium.size == pytest.approx(16 * scale)


def test_simplified_mode_is_large_and_high_contrast_text() -> None:
    tokens = Tokens.from_preferences(Preferences(simplified=True))
    assert tokens.scale == 1.5
    assert tokens.palette is SIMPLIFIED
    assert Tokens.from_preferences(
        Preferences(simplified=True, text_size=TextSize.extra_large)).scale == 2.0


def test_every_text_theme_slot_uses_the_bundled_font() -> None:
    theme = Tokens.from_preferences(Preferences()).theme
    slots = [getattr(theme.text_theme, f.name) for f in dataclasses.fields(theme.text_theme)]
    styles = [s for s in slots if isinstance(s, ft.TextStyle)]
    assert len(styles) >= 12
    assert all(style.font_family == "KitokitoSans" for style in styles)


def test_body_text_never_goes_below_16px() -> None:
    for name, style in TYPE_SCALE.items():
        if name != "caption":
            assert style.size >= 16, name


@pytest.mark.parametrize(
    ("route", "path", "params"),
    [("/", RoutePath.home, {}), ("/settings/", RoutePath.settings, {}),
     ("/notices/12?utm=x", RoutePath.notice, {"id": 12}), ("/trips", RoutePath.trips, {}),
     ("/notices/abc", RoutePath.not_found, {}), ("/nowhere", RoutePath.not_found, {}),
     ("/notices/99999999999999999999", RoutePath.not_found, {}),
     ("", RoutePath.home, {})],
)
def test_routes_match_real_paths(route, path, params) -> None:
    found = paths.match(route)
    assert (found.path, found.params) == (path, params)


def test_the_back_stack_of_a_deep_link() -> None:
    assert [m.url for m in routes.stack("/notices/3")] == ["/", "/notices", "/notices/3"]
    assert [m.url for m in routes.stack("/trips/saved/0")] == ["/", "/trips", "/trips/saved/0"]
    assert [m.url for m in routes.stack("/settings")] == ["/", "/settings"]
    assert [m.url for m in routes.stack("/")] == ["/"]


def test_every_path_has_one_registry_entry_and_parents_are_registered() -> None:
    assert {route.path for route in routes.ROUTES} == set(RoutePath)
    assert len(routes.ROUTES) == len(RoutePath)
    for route in routes.ROUTES:
        assert route.parent is None or route.parent in routes.BY_PATH


def test_a_deep_route_selects_its_section_in_the_bar() -> None:
    labels = [r.nav.label for r in routes.nav_routes() if r.nav]
    assert labels == ["Home", "Notices", "Trips", "Settings"]
    assert routes.selected_nav(paths.match("/notices/3")) == 1
    assert routes.selected_nav(paths.match("/trips/journeys/0")) == 2
    assert routes.selected_nav(paths.match("/")) == 0
    assert routes.selected_nav(paths.match("/medical")) is None


def test_state_tells_which_part_changed() -> None:
    state = AppState()
    calls: list[frozenset[Topic]] = []
    unsubscribe = state.subscribe(calls.append)
    assert state.t("Settings") == "設定"
    state.set_preferences(state.preferences.with_language("en"))
    assert state.t("Settings") == "Settings" and calls == [{Topic.look}]
    state.set_preferences(state.preferences)  # no change, no redraw
    assert len(calls) == 1
    state.set_preferences(state.preferences.with_text_size(TextSize.extra_large))
    assert state.tokens.scale == 2.0 and len(calls) == 2
    state.set_width(1200)
    assert calls[-1] == {Topic.layout}
    unsubscribe()
    state.set_width(300)
    assert len(calls) == 3


def test_one_language_value_knows_japanese() -> None:
    state = AppState()
    assert state.language.is_japanese
    state.set_preferences(state.preferences.with_language("ja-easy"))
    assert state.language.is_japanese and state.language.code == "ja-easy"
    state.set_preferences(state.preferences.with_language("en"))
    assert not state.language.is_japanese
    assert state.preferences.with_language("xx").language == "en"  # unknown: unchanged


def test_large_text_on_a_phone_drops_the_bottom_bar() -> None:
    state = AppState()
    state.set_width(412)
    assert not state.compact_chrome
    state.set_preferences(state.preferences.with_text_size(TextSize.extra_large))
    assert state.compact_chrome
    state.set_width(1024)
    assert state.wide and not state.compact_chrome


def test_a_trip_link_from_another_screen_round_trips() -> None:
    link = paths.trip_to(36.7013, 137.2133, "富山駅 & 北口")
    assert paths.match(link).path == RoutePath.trips
    assert paths.place_query(link) == (36.7013, 137.2133, "富山駅 & 北口")
    assert paths.place_query("/trips?to_lat=x&to_lon=1") is None
    assert paths.place_query("/trips?to_lat=95&to_lon=1") is None
    assert paths.place_query("/trips") is None
