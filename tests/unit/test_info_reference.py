"""Towns, departments and alert levels of services/info."""

from __future__ import annotations

from services.info.departments import COMMON_DEPARTMENTS, DEPARTMENTS, department_label, offers
from services.info.levels import LEVELS, alert_level, contrast_ratio, intensity
from services.info.towns import TOWNS, check_digit, find_town, is_valid_code, town
from services.transit.geo import distance_m


def test_the_15_towns_have_valid_codes_and_points_inside_the_prefecture() -> None:
    assert len(TOWNS) == 15 and len({t.code for t in TOWNS}) == 15
    for t in TOWNS:
        assert is_valid_code(t.code), t
        assert 36.3 < t.lat < 37.0 and 136.7 < t.lon < 137.8, t
    assert check_digit("16201") == "9" and check_digit("16343") == "1"
    assert not is_valid_code("162010")
    toyama, takaoka = town("162019"), town("16202")
    assert toyama and takaoka and (toyama.name, takaoka.name) == ("富山市", "高岡市")
    # 富山市役所 to 高岡市役所 is about 17 km in a straight line
    assert 16_000 < distance_m(toyama.lat, toyama.lon, takaoka.lat, takaoka.lon) < 18_500


def test_a_town_is_found_by_what_a_resident_types() -> None:
    for typed in ("富山市", "富山", "とやま", "トヤマ", "toyama", "ＴＯＹＡＭＡ", "Toyama-shi",
                  "Toyama City", "162019"):
        assert (found := find_town(typed)) and found.name == "富山市", typed
    for typed, name in (("nyuuzen", "入善町"), ("Nyūzen", "入善町"), ("kamiichi-machi", "上市町"),
                        ("tateyama", "立山町"), ("funahashi", "舟橋村")):
        assert (found := find_town(typed)) and found.name == name, typed
    assert find_town("tokyo") is None and find_town("") is None


def test_departments_have_msgids_and_unknown_ones_stay_as_published() -> None:
    assert department_label("内科") == "Internal medicine"
    assert department_label(" 小児科 ") == "Pediatrics"
    assert department_label("漢方内科") == "漢方内科"
    assert set(COMMON_DEPARTMENTS) <= set(DEPARTMENTS)
    assert offers(["内科", "小児科"], "小児科") and not offers(["小児歯科"], "小児科")


def test_alert_levels_have_colours_readable_text_and_actions() -> None:
    assert [LEVELS[n].colour_ja for n in (5, 4, 3, 2, 1)] == ["黒", "紫", "赤", "黄", "白"]
    assert LEVELS[4].name == "Level 4: Evacuate"
    for level in LEVELS.values():
        assert contrast_ratio(level.text, level.background) >= 4.5
        assert level.action.endswith(".")
    assert contrast_ratio(LEVELS[1].border, LEVELS[1].background) >= 3
    assert alert_level(None) is None and alert_level(9) is None
    strong = intensity("6+")
    assert strong and "high ground" in strong.action and intensity("8") is None
