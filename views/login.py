"""Log in with the My Number card: choose (tap) the card, enter its 4-digit PIN."""

from __future__ import annotations

from typing import Protocol

import flet as ft

from app.state import AppState
from services.mynumber import CardSummary
from views.areas import N_
from views.screen import Screen
from views.widgets.controls import (
    BannerKind,
    ButtonKind,
    action_button,
    banner,
    body_text,
    full_width,
    heading,
)

# What to tell the resident for each failure, and what to do about it.
PROBLEM_TEXT = {
    "pin_format": (N_("The PIN is 4 digits"), N_("Enter the 4-digit PIN of your card's user "
                                                 "certificate. No try was used.")),
    "locked": (N_("This card is locked"),
               N_("The PIN was entered wrongly 3 times. Take your My Number card and an ID to "
                  "the resident services counter of your city or town office to reset the PIN. "
                  "Counters are usually open on weekdays from 8:30 to 17:15.")),
    "expired": (N_("The card's certificate has expired"),
                N_("Renew the electronic certificate at your city or town office counter.")),
    "revoked": (N_("The card's certificate is no longer valid"),
                N_("It was revoked, for example after the card was reported lost. Ask at your "
                   "city or town office counter.")),
    "rate_limited": (N_("Too many attempts"), N_("Please wait a minute and try again.")),
    "offline": (N_("Cannot reach the login service"),
                N_("Logging in needs an internet connection. Your PIN tries were not used. "
                   "Try again when you are online.")),
    "card_refused": (N_("This card cannot be used to log in"),
                     N_("Ask at your city or town office counter.")),
    "unexpected": (N_("Login failed"), N_("Something went wrong on our side. Please try again "
                                          "later.")),
}


class AuthActions(Protocol):
    async def load_cards(self) -> None: ...

    def choose_card(self, card: CardSummary | None) -> None: ...

    async def login(self, pin: str) -> None: ...

    async def extend(self) -> None: ...

    async def logout(self) -> None: ...


def wrong_pin_text(remaining: int, state: AppState) -> str:
    return state.t.ngettext(
        "The PIN is wrong. {n} more wrong try will lock the card.",
        "The PIN is wrong. {n} more wrong tries will lock the card.", remaining,
    ).format(n=remaining)


def _card_button(card: CardSummary, state: AppState, auth: AuthActions) -> ft.Control:
    label = state.t("{name} ({town})", name=card.name, town=card.municipality)
    return full_width(action_button(label, lambda _e: auth.choose_card(card), state.tokens,
                                    kind=ButtonKind.outline, icon=ft.Icons.CREDIT_CARD,
                                    key=f"card-{card.serial}"))


def _problem(state: AppState) -> list[ft.Control]:
    t, tokens, problem = state.t, state.tokens, state.auth.problem
    if problem is None:
        return []
    if problem.kind == "wrong_pin" and problem.remaining_tries is not None:
        return [banner(wrong_pin_text(problem.remaining_tries, state), None, tokens,
                       BannerKind.error, announce=True)]
    title, body = PROBLEM_TEXT[problem.kind]
    text = t(body)
    if problem.kind == "locked" and state.auth.chosen is not None:
        text += " " + t("Your office: {town}.", town=state.auth.chosen.municipality)
    return [banner(t(title), text, tokens, BannerKind.error, announce=True)]


def build_login(state: AppState, auth: AuthActions) -> Screen:
    t, tokens, a = state.t, state.tokens, state.auth
    p = tokens.palette
    if a.chosen is None:
        controls: list[ft.Control] = [
            heading(t("Hold your My Number card to the phone"), tokens, 2),
            body_text(t("This demo has no card reader: choose one of the demo residents' cards "
                        "below, as if you tapped it."), tokens, support=True),
            *[_card_button(card, state, auth) for card in a.cards],
        ]
        if not a.cards:
            controls.append(body_text(t("No card found."), tokens))
        return Screen(title=t("Log in"), controls=controls)

    async def submit(_e: ft.Event) -> None:
        await auth.login(pin_field.value or "")

    pin_field = state.fields.text_field(
        f"pin-{a.chosen.serial}",
        revision=a.pin_revision,
        value="",
        label=t("PIN (4 digits)"),
        helper=t("The PIN of the user certificate you set when you got the card."),
        password=True,
        can_reveal_password=True,
        keyboard_type=ft.KeyboardType.NUMBER,
        max_length=4,
        autofocus=True,
        on_submit=submit,
        text_style=tokens.text_style("heading_3", p.text_strong),
        label_style=tokens.text_style("heading_4", p.text),
        helper_style=tokens.text_style("caption", p.text_support),
        helper_max_lines=6,
        border_color=p.border,
        focused_border_color=p.focus_outline,
        border_radius=8,
    )
    other_card = action_button(t("Use another card"), lambda _e: auth.choose_card(None), tokens,
                               kind=ButtonKind.outline)
    title = heading(t("{name}'s card", name=a.chosen.name), tokens, 2)
    if a.problem is not None and a.problem.kind == "locked":
        # No PIN field on a locked card: no try can succeed until the counter resets it.
        return Screen(title=t("Log in"), controls=[title, *_problem(state), other_card])
    return Screen(title=t("Log in"), controls=[
        title,
        *_problem(state),
        full_width(pin_field),
        action_button(t("Checking…") if a.busy else t("Log in"), None if a.busy else submit,
                      tokens, icon=ft.Icons.LOGIN),
        other_card,
    ])
