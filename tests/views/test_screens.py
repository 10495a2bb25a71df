"""Screens built as control trees, in Japanese and English, without a browser."""

from __future__ import annotations

from datetime import UTC, datetime

import flet as ft
import pytest

from app import routes
from app.state import AppState
from services.login_problems import LoginProblem, LoginProblemKind
from services.models import Notice, NoticeCategory
from services.preferences import TextSize
from tests.views.conftest import CARD, controllers, logged_in, screen, state_in
from tests.views.tree import buttons, label_of, texts, walk
from views.widgets.controls import action_button, icon_button, tile

HOME_JA = ["申請・手続き", "医療", "子育て", "防災", "交通", "相談予約", "観光", "移住", "お知らせ",
           "設定", "ログイン"]
HOME_EN = ["Applications & procedures", "Medical care", "Childcare", "Disaster prevention",
           "Trips", "Consultations", "Tourism", "Moving to Toyama", "Notices", "Settings",
           "Log in"]


@pytest.mark.parametrize(("language", "expected"), [("ja", HOME_JA), ("en", HOME_EN)])
def test_home_has_an_entry_for_every_area_and_login(language, expected) -> None:
    home = screen("/", state_in(language))
    assert [label_of(b) for b in buttons(home.controls)] == expected


def test_each_home_entry_opens_its_own_route() -> None:
    actions = controllers(state_in("en"))
    home = screen("/", state_in("en"), actions)
    for button in buttons(home.controls):
        button.on_click(None)
    assert actions.went == [*[path for path, _area in routes.home_areas()], "/login"]


def test_simplified_home_keeps_the_essentials_only() -> None:
    home = screen("/", state_in("ja", simplified=True))
    labels = [label_of(b) for b in buttons(home.controls)]
    assert labels == ["申請・手続き", "医療", "防災", "交通", "お知らせ", "設定", "ログイン"]


@pytest.mark.parametrize("size", list(TextSize))
def test_button_padding_makes_one_line_reach_the_minimum_target(size) -> None:
    tokens = state_in("ja", text_size=size).tokens
    padding = tokens.button_padding()
    label = tokens.text_style("label")
    assert label.size * label.height + padding.top + padding.bottom >= 44 * size.scale


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ja", ["言語 / Language", "文字の大きさ", "表示", "標準", "大", "特大",
             "かんたん表示", "高コントラスト"]),
     ("en", ["Language", "Text size", "Display", "Standard", "Large", "Extra large",
             "Simplified mode", "High contrast"])],
)
def test_settings_labels(language, expected) -> None:
    settings = screen("/settings", state_in(language))
    assert settings.title == ("設定" if language == "ja" else "Settings")
    visible = texts(settings.controls) + [
        c.label for c in _switches(settings.controls)
    ]
    for label in expected:
        assert label in visible, label
    # Languages are named in their own language.
    assert {"日本語", "English"} <= set(visible)


def _switches(controls):
    return [c for c in walk(controls) if isinstance(c, ft.Switch)]


async def test_settings_choices_call_the_actions() -> None:
    actions = controllers(state_in("ja"))
    settings = screen("/settings", state_in("ja"), actions)
    by_label = {label_of(b): b for b in buttons(settings.controls)}
    await by_label["English"].on_click(None)
    await by_label["特大"].on_click(None)
    switch = _switches(settings.controls)[0]

    class Event:
        control = switch

    switch.value = True
    await switch.on_change(Event())
    assert actions.calls == [("set_language", "en"), ("set_text_size", TextSize.extra_large),
                             ("set_simplified", True)]


def test_the_current_choice_is_marked_selected() -> None:
    settings = screen("/settings", state_in("en", text_size=TextSize.large))
    selected = [label_of(s.content) for s in walk(settings.controls)
                if isinstance(s, ft.Semantics) and s.selected]
    assert selected == ["English", "Large"]


def test_an_unknown_path_says_so() -> None:
    page = screen("/no-such-page", state_in("en"))
    assert page.title == "Page not found"


def _with_notices(state: AppState, *, offline: bool) -> AppState:
    items = [
        Notice(id=1, category=NoticeCategory.disaster,
               published_at=datetime(2026, 11, 27, tzinfo=UTC), title="大雪に備えましょう",
               body="本文", lang="ja"),
    ]
    state.set_notices(items, last_updated=datetime(2026, 11, 29, 1, 0, tzinfo=UTC),
                      offline=offline)
    return state


def test_notices_offline_say_when_they_were_last_updated() -> None:
    page = screen("/notices", _with_notices(state_in("ja"), offline=True))
    shown = texts(page.controls)
    assert "オフライン — 最終更新 2026/11/29 10:00:00" in shown
    assert "大雪に備えましょう" in shown
    en = screen("/notices", _with_notices(state_in("en"), offline=True))
    assert any(t.startswith("Offline — last updated Nov 29, 2026") for t in texts(en.controls))


def test_notices_online_show_last_update_and_open_a_notice() -> None:
    state = _with_notices(state_in("ja"), offline=False)
    actions = controllers(state)
    page = screen("/notices", state, actions)
    assert "最終更新 2026/11/29 10:00:00" in texts(page.controls)
    row = next(b for b in buttons(page.controls) if "大雪に備えましょう" in label_of(b))
    row.on_click(None)
    assert actions.went == ["/notices/1"]
    detail = screen("/notices/1", _with_notices(state_in("ja"), offline=False))
    assert "本文" in texts(detail.controls)


def test_a_notice_shown_in_a_fallback_language_says_so() -> None:
    state = _with_notices(state_in("en"), offline=False)  # the only text is Japanese
    detail = screen("/notices/1", state)
    assert "This notice is not available in your language yet." in texts(detail.controls)


def test_empty_notices_explain_how_to_get_them() -> None:
    state = state_in("en")
    state.set_notices([], last_updated=None, offline=True)
    shown = texts(screen("/notices", state).controls)
    assert "No notices saved yet. Connect to the internet and choose Refresh." in shown


def test_controls_refuse_to_be_built_without_a_label() -> None:
    tokens = state_in("ja").tokens
    with pytest.raises(ValueError):
        action_button("  ", None, tokens)
    with pytest.raises(ValueError):
        icon_button(ft.Icons.LOGOUT, "", lambda _e: None, tokens)
    named = icon_button(ft.Icons.LOGOUT, "ログアウト", lambda _e: None, tokens)
    assert (named.label, named.button, named.exclude_semantics) == ("ログアウト", True, True)
    with pytest.raises(ValueError):
        tile("", None, lambda _e: None, tokens)


# --- login ----------------------------------------------------------------------------------
def test_login_lists_the_cards_to_tap() -> None:
    state = state_in("ja")
    state.auth.cards = [CARD]
    actions = controllers(state)
    page = screen("/login", state, actions)
    card_button = next(b for b in buttons(page.controls) if label_of(b) == "立山 花子（富山市）")
    card_button.on_click(None)
    assert actions.calls == [("choose", CARD)]


@pytest.mark.parametrize(("remaining", "expected"), [
    (2, "PINが違います。あと2回間違えるとロックされます"),
    (1, "PINが違います。あと1回間違えるとロックされます")])
def test_a_wrong_pin_says_how_many_tries_remain(remaining, expected) -> None:
    state = state_in("ja")
    state.auth.chosen = CARD
    state.auth.problem = LoginProblem(LoginProblemKind.wrong_pin, remaining_tries=remaining)
    assert expected in texts(screen("/login", state).controls)


def test_a_wrong_pin_in_english_uses_the_plural_rules() -> None:
    state = state_in("en")
    state.auth.chosen = CARD
    state.auth.problem = LoginProblem(LoginProblemKind.wrong_pin, remaining_tries=1)
    assert "The PIN is wrong. 1 more wrong try will lock the card." in texts(
        screen("/login", state).controls)


def test_a_locked_card_says_where_to_go() -> None:
    state = state_in("ja")
    state.auth.chosen = CARD
    state.auth.problem = LoginProblem(LoginProblemKind.locked)
    page = screen("/login", state)
    shown = " ".join(texts(page.controls))
    assert "このカードはロックされています" in shown
    assert "窓口" in shown and "8時30分" in shown and "富山市役所" in shown
    assert not [c for c in walk(page.controls) if isinstance(c, ft.TextField)]  # no PIN field
    assert "別のカードを使う" in [label_of(b) for b in buttons(page.controls)]


@pytest.mark.parametrize("kind", [k for k in LoginProblemKind if k not in (
    LoginProblemKind.wrong_pin, LoginProblemKind.locked)])  # both have tests of their own
def test_every_login_problem_has_translated_advice(kind) -> None:
    from views.login import PROBLEM_TEXT

    for language in ("ja", "en"):
        state = state_in(language)
        state.auth.chosen = CARD
        state.auth.problem = LoginProblem(kind)
        shown = texts(screen("/login", state).controls)
        title, body = PROBLEM_TEXT[kind]
        assert state.t(title) in shown and state.t(body) in shown
        if language == "ja":
            assert title not in shown  # really translated, not the English msgid


def test_home_greets_the_resident_and_puts_their_town_first() -> None:
    state = logged_in("ja")
    home = screen("/", state)
    shown = texts(home.controls)
    assert "こんにちは、立山 花子さん" in shown
    assert "富山市にお住まいの方へのお知らせ" in shown
    labels = [label_of(b) for b in buttons(home.controls)]
    assert "【富山市】ごみ収集" in labels and "【高岡市】除雪" not in labels
    assert "ログアウト" in labels and "ログイン" not in labels
    notices = [label_of(b) for b in buttons(screen("/notices", state).controls)
               if "本文" not in label_of(b)]
    titles = [label for label in notices if "】" in label or "県の" in label]
    assert titles[0].endswith("【富山市】ごみ収集")


async def test_logout_from_home_calls_the_action() -> None:
    state = logged_in("en")
    actions = controllers(state)
    home = screen("/", state, actions)
    await next(b for b in buttons(home.controls) if label_of(b) == "Log out").on_click(None)
    assert actions.calls == [("logout",)]
