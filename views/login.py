"""Log in with the My Number card: choose (tap) the card, enter its 4-digit PIN."""

from __future__ import annotations

from typing import Protocol

import flet as ft

from app.commands import Command
from app.state import AppState, Topic
from services.i18n import N_
from services.login_problems import LoginProblemKind
from services.mynumber import CardSummary
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
from views.widgets.fields import text_field

# What to tell the resident for each failure, and what to do about it.
PROBLEM_TEXT: dict[LoginProblemKind, tuple[str, str]] = {
    LoginProblemKind.pin_format: (
        N_("The PIN is 4 digits"),
        N_("Enter the 4-digit PIN of your card's user certificate. No try was used.")),
    LoginProblemKind.locked: (
        N_("This card is locked"),
        N_("The PIN was entered wrongly 3 times. Take your My Number card and an ID to "
           "the resident services counter of your city or town office to reset the PIN. "
           "Counters are usually open on weekdays from 8:30 to 17:15.")),
    LoginProblemKind.expired: (
        N_("The card's certificate has expired"),
        N_("Renew the electronic certificate at your city or town office counter.")),
    LoginProblemKind.revoked: (
        N_("The card's certificate is no longer valid"),
        N_("It was revoked, for example after the card was reported lost. Ask at your "
           "city or town office counter.")),
    LoginProblemKind.rate_limited: (
        N_("Too many attempts"), N_("Please wait a minute and try again.")),
    LoginProblemKind.offline: (
        N_("Cannot reach the login service"),
        N_("Logging in needs an internet connection. Your PIN tries were not used. "
           "Try again when you are online.")),
    LoginProblemKind.card_refused: (
        N_("This card cannot be used to log in"), N_("Ask at your city or town office counter.")),
    LoginProblemKind.unexpected: (
        N_("Login failed"), N_("Something went wrong on our side. Please try again later.")),
}


class LoginActions(Protocol):
    def choose_card(self, card: CardSummary | None) -> None: ...

    login: Command[[str]]


def wrong_pin_text(remaining: int, state: AppState) -> str:
    return state.t.ngettext(
        "The PIN is wrong. {n} more wrong try will lock the card.",
        "The PIN is wrong. {n} more wrong tries will lock the card.", remaining,
    ).format(n=remaining)


class LoginScreen(Screen):
    def __init__(self, state: AppState, auth: LoginActions) -> None:
        super().__init__(state)
        self.auth = auth
        t = state.t

        async def submit(_e: ft.Event) -> None:
            await self.submit()

        # Kept for the screen's life: a redraw never takes digits from under the fingers.
        self.pin = text_field(
            state, label=t("PIN (4 digits)"),
            helper=t("The PIN of the user certificate you set when you got the card."),
            on_submit=submit, password=True, can_reveal_password=True,
            keyboard_type=ft.KeyboardType.NUMBER, max_length=4, autofocus=True, large=True,
        )
        self.pin_row = full_width(self.pin)  # one row object: redraws move it, never copy it

    async def submit(self) -> None:
        await self.auth.login(self.pin.value or "")

    @property
    def title(self) -> str:
        return self.state.t("Log in")

    def build(self) -> list[ft.Control]:
        return [self.region([Topic.login], self._content)]

    def on_change(self, topics: frozenset[Topic]) -> list[ft.Control]:
        changed = super().on_change(topics)
        if Topic.pin_reset in topics and self.pin.value:
            self.pin.value = ""  # a PIN is typed afresh after every try and for every card
            changed.append(self.pin)
        return changed

    def _problem(self) -> list[ft.Control]:
        t, tokens, problem = self.state.t, self.state.tokens, self.state.auth.problem
        if problem is None:
            return []
        if problem.kind == LoginProblemKind.wrong_pin and problem.remaining_tries is not None:
            return [banner(wrong_pin_text(problem.remaining_tries, self.state), None, tokens,
                           BannerKind.error, announce=True)]
        title, body = PROBLEM_TEXT[problem.kind]
        text = t(body)
        if problem.kind == LoginProblemKind.locked and self.state.auth.chosen is not None:
            text += " " + t("Your office: {town}.", town=self.state.auth.chosen.municipality)
        return [banner(t(title), text, tokens, BannerKind.error, announce=True)]

    def _card_button(self, card: CardSummary) -> ft.Control:
        label = self.state.t("{name} ({town})", name=card.name, town=card.municipality)
        return full_width(action_button(
            label, lambda _e: self.auth.choose_card(card), self.state.tokens,
            kind=ButtonKind.outline, icon=ft.Icons.CREDIT_CARD, key=f"card-{card.serial}"))

    def _content(self) -> list[ft.Control]:
        t, tokens, a = self.state.t, self.state.tokens, self.state.auth
        if a.chosen is None:
            controls: list[ft.Control] = [
                heading(t("Hold your My Number card to the phone"), tokens, 2),
                body_text(t("This demo has no card reader: choose one of the demo residents' "
                            "cards below, as if you tapped it."), tokens, support=True),
                *[self._card_button(card) for card in a.cards],
            ]
            if not a.cards_loaded:
                controls.append(body_text(t("Reading the card…"), tokens, support=True))
            elif not a.cards:
                controls.append(body_text(t("No card found."), tokens))
            return controls

        async def submit(_e: ft.Event) -> None:
            await self.submit()

        other_card = action_button(t("Use another card"),
                                   lambda _e: self.auth.choose_card(None), tokens,
                                   kind=ButtonKind.outline)
        title = heading(t("{name}'s card", name=a.chosen.name), tokens, 2)
        if a.problem is not None and a.problem.kind == LoginProblemKind.locked:
            # No PIN field on a locked card: no try can succeed until the counter resets it.
            return [title, *self._problem(), other_card]
        busy = self.auth.login.running
        return [
            title,
            *self._problem(),
            self.pin_row,
            action_button(t("Checking…") if busy else t("Log in"), None if busy else submit,
                          tokens, icon=ft.Icons.LOGIN),
            other_card,
        ]
