"""My applications: what waits to be sent, what needs attention, drafts, every application's
status and the inbox; one application with its history, withdrawal and receipt code."""

from __future__ import annotations

from datetime import UTC, datetime

import flet as ft

from app.paths import RoutePath, build
from app.state import AppState, Topic
from services.application_models import (
    WITHDRAWABLE,
    ApplicationStatus,
    ApplicationSummary,
    Draft,
    QueuedChange,
    QueuedState,
)
from services.i18n import N_
from views.actions import ApplicationActions, Navigator
from views.procedures import procedure_title
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

STATUS_LABELS = {
    ApplicationStatus.submitted: N_("Submitted"),
    ApplicationStatus.received: N_("Received"),
    ApplicationStatus.under_review: N_("Under review"),
    ApplicationStatus.returned: N_("Returned for correction"),
    ApplicationStatus.approved: N_("Approved"),
    ApplicationStatus.completed: N_("Completed"),
    ApplicationStatus.withdrawn: N_("Withdrawn"),
}
# What the server's refusals mean, in words that say what to do; others show its reason.
REFUSALS = {
    "invalid_values": N_("Some answers were not accepted. Please open the draft, correct "
                         "them and sign again."),
    "signature_invalid": N_("The signature could not be verified. Please sign again."),
    "certificate_invalid": N_("The card's signature certificate is not valid (expired or "
                              "revoked). Please contact your municipal office."),
    "not_your_card": N_("The application was signed with another person's card. Please "
                        "sign with your own card."),
    "payment_required": N_("The fee has not been paid. Please open the draft and pay."),
    "procedure_outdated": N_("The form has changed since you filled it in. Please check "
                             "your answers and sign again."),
    "cannot_withdraw": N_("The application could not be withdrawn: its review has already "
                          "started."),
}


def status_label(status: ApplicationStatus, state: AppState) -> str:
    return state.t(STATUS_LABELS[status])


class ApplicationsScreen(Screen):
    def __init__(self, state: AppState, actions: ApplicationActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav

    @property
    def title(self) -> str:
        return self.state.t("My applications")

    def build(self) -> list[ft.Control]:
        return [
            heading(self.title, self.state.tokens),
            self.region([Topic.applications], self._status),
            self.region([Topic.applications], self._queued),
            self.region([Topic.applications], self._drafts),
            self.region([Topic.applications], self._items),
            self.region([Topic.applications], self._inbox),
        ]

    def _name(self, procedure_id: str) -> str:
        procedure = self.actions.procedure(procedure_id)
        return procedure_title(procedure, self.state) if procedure else procedure_id

    def _status(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        controls: list[ft.Control] = []
        if view.notice:
            controls.append(banner(t(view.notice), None, tokens, BannerKind.success,
                                   announce=True))
        if view.offline:
            controls.append(banner(t("Offline"), t("Showing what this device knows. Changes "
                                                   "are sent when the connection is back."),
                                   tokens, BannerKind.info))
        if view.problem:
            controls.append(banner(t(view.problem), None, tokens, BannerKind.warning))
        if view.logout_blocked:
            controls += self._logout_warning()

        async def refresh(_e: ft.Event) -> None:
            await self.actions.refresh()

        busy = self.actions.refresh.running
        controls.append(action_button(t("Updating…") if busy else t("Update"),
                                      None if busy else refresh, tokens,
                                      kind=ButtonKind.outline, icon=ft.Icons.REFRESH,
                                      key="refresh-applications"))
        return controls

    def _logout_warning(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens

        async def anyway(_e: ft.Event) -> None:
            await self.actions.log_out_anyway()

        return [
            banner(t("Not everything is sent yet"),
                   t("The changes below have not reached the office: there is no connection. "
                     "If you log out now, they are deleted from this device. Connect to the "
                     "internet and press Update, or log out anyway."),
                   tokens, BannerKind.warning, announce=True),
            action_button(t("Log out anyway"), anyway, tokens, kind=ButtonKind.outline,
                          icon=ft.Icons.LOGOUT, key="log-out-anyway"),
        ]

    def _queued(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        if not view.queued:
            return []
        return [heading(t("Not sent yet"), tokens, 2),
                *[self._change(change) for change in view.queued]]

    def _change(self, change: QueuedChange) -> ft.Control:
        t, tokens = self.state.t, self.state.tokens
        draft = next((d for d in self.state.applications.drafts
                      if d.id == change.application_id), None)
        what = {"application.withdraw": t("Withdrawal")}.get(change.kind, t("Application"))
        if change.state is QueuedState.waiting:
            return banner(t("{what}: waiting to send", what=what),
                          t("It is sent automatically when there is a connection. Queued "
                            "{when}.", when=t.datetime(change.created_at, "short")),
                          tokens, BannerKind.info)
        reason = t(REFUSALS[change.code]) if change.code in REFUSALS else (
            change.reason or t("The office's system did not accept it."))
        buttons: list[ft.Control] = []
        if draft is not None:
            buttons.append(action_button(
                t("Open and correct"),
                lambda _e: self.nav.go(build(RoutePath.draft, draft=draft.id)), tokens,
                icon=ft.Icons.EDIT, key=f"correct-{change.item_id}"))

        async def dismiss(_e: ft.Event) -> None:
            await self.actions.dismiss(change.item_id)

        buttons.append(action_button(t("Dismiss this message"), dismiss, tokens,
                                     kind=ButtonKind.outline, key=f"dismiss-{change.item_id}"))
        return ft.Column([
            banner(t("{what}: returned, needs your attention", what=what), reason, tokens,
                   BannerKind.error),
            ft.Row(buttons, wrap=True, spacing=tokens.space(2)),
        ], spacing=tokens.space(2), tight=True)

    def _drafts(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        if not view.drafts:
            return []
        return [heading(t("Drafts"), tokens, 2), *[self._draft(d) for d in view.drafts]]

    def _draft(self, draft: Draft) -> ft.Control:
        t, tokens = self.state.t, self.state.tokens
        p = tokens.palette
        return full_width(ft.Button(
            content=ft.Column([
                ft.Text(self._name(draft.procedure_id),
                        style=tokens.text_style("heading_4", p.primary)),
                ft.Text(t("Draft, saved {when}", when=t.datetime(draft.updated_at, "short")),
                        style=tokens.text_style("body", p.text_support)),
            ], spacing=tokens.space(1), tight=True),
            on_click=lambda _e: self.nav.go(build(RoutePath.draft, draft=draft.id)),
            style=tokens.tile_button_style(start=True), key=f"draft-{draft.id}"))

    def _items(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        controls: list[ft.Control] = [heading(t("Submitted"), tokens, 2)]
        if not view.items:
            controls.append(body_text(
                t("Nothing submitted yet.") if view.loaded else t("Loading…"), tokens,
                support=True))
            return controls
        return controls + [self._item(item) for item in view.items]

    def _item(self, item: ApplicationSummary) -> ft.Control:
        t, tokens = self.state.t, self.state.tokens
        p = tokens.palette
        return full_width(ft.Button(
            content=ft.Column([
                ft.Text(self._name(item.procedure_id),
                        style=tokens.text_style("heading_4", p.primary)),
                ft.Text(status_label(item.status, self.state) + " ・ "
                        + t("Updated {when}", when=t.datetime(item.updated_at, "short")),
                        style=tokens.text_style("body", p.text)),
            ], spacing=tokens.space(1), tight=True),
            on_click=lambda _e: self.nav.go(build(RoutePath.application, application=item.id)),
            style=tokens.tile_button_style(start=True), key=f"application-{item.id}"))

    def _inbox(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        if not view.inbox:
            return []
        controls: list[ft.Control] = [heading(t("Messages"), tokens, 2)]
        for event in view.inbox[:20]:
            text = f"{t.datetime(event.at, 'short')} ・ {self._name(event.procedure_id)} ・ " \
                   f"{status_label(event.status, self.state)}"
            controls.append(body_text(text, tokens))
            if event.comment:
                controls.append(body_text(t("Comment: {text}", text=event.comment), tokens,
                                          support=True))
        return controls


class ApplicationScreen(Screen):
    def __init__(self, state: AppState, actions: ApplicationActions, nav: Navigator,
                 application_id: str) -> None:
        super().__init__(state)
        self.actions, self.nav, self.application_id = actions, nav, application_id

    @property
    def title(self) -> str:
        return self.state.t("Application")

    def build(self) -> list[ft.Control]:
        return [self.region([Topic.application, Topic.applications], self._content),
                self.region([Topic.application], self._receipt)]

    def _content(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        detail = view.detail if view.detail and view.detail.id == self.application_id else None
        controls: list[ft.Control] = []
        if view.problem:
            controls.append(banner(t(view.problem), None, tokens, BannerKind.warning,
                                   announce=True))
        if view.notice:
            controls.append(banner(t(view.notice), None, tokens, BannerKind.success,
                                   announce=True))
        if detail is None:
            controls.append(body_text(t("Loading…"), tokens, support=True))
            return controls
        procedure = self.actions.procedure(detail.procedure_id)
        controls += [
            heading(procedure_title(procedure, self.state) if procedure
                    else detail.procedure_id, tokens),
            ft.Semantics(content=ft.Text(
                t("Status: {status}", status=status_label(detail.status, self.state)),
                style=tokens.text_style("heading_3", tokens.palette.text_strong)),
                live_region=True),
            body_text(t("Application number: {number}", number=detail.id[:12]), tokens),
        ]
        if detail.fee_yen:
            controls.append(body_text(t("Fee paid: {amount}", amount=t.yen(detail.fee_yen)),
                                      tokens))
        controls.append(heading(t("History"), tokens, 2))
        for entry in detail.history:
            line = f"{t.datetime(entry.at, 'short')} ・ {status_label(entry.status, self.state)}"
            controls.append(body_text(line, tokens))
            if entry.comment:
                controls.append(body_text(t("Comment: {text}", text=entry.comment), tokens,
                                          support=True))
        controls += self._actions(detail.status)
        return controls

    def _actions(self, status: ApplicationStatus) -> list[ft.Control]:
        t, tokens, actions = self.state.t, self.state.tokens, self.actions
        controls: list[ft.Control] = []

        async def correct(_e: ft.Event) -> None:
            await actions.correct()

        async def withdraw(_e: ft.Event) -> None:
            await actions.withdraw(self.application_id)

        async def receipt(_e: ft.Event) -> None:
            await actions.receipt(self.application_id)

        if status is ApplicationStatus.returned:
            controls.append(full_width(action_button(
                t("Correct and submit again"), correct, tokens, icon=ft.Icons.EDIT,
                key="correct-application")))
        if status not in (ApplicationStatus.withdrawn, ApplicationStatus.completed):
            busy = actions.receipt.running
            controls.append(action_button(
                t("Getting a code…") if busy else t("Show a receipt code for the counter"),
                None if busy else receipt, tokens, kind=ButtonKind.outline,
                icon=ft.Icons.QR_CODE_2, key="receipt-code"))
        if status in WITHDRAWABLE:
            controls.append(body_text(t("You can withdraw the application until its review "
                                        "starts."), tokens, support=True))
            busy = actions.withdraw.running
            controls.append(action_button(
                t("Withdrawing…") if busy else t("Withdraw this application"),
                None if busy else withdraw, tokens, kind=ButtonKind.outline,
                icon=ft.Icons.UNDO, key="withdraw"))
        return controls

    def _receipt(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        shown = self.state.applications.receipt
        if shown is None or shown.application_id != self.application_id:
            return []
        expired = shown.expires_at <= datetime.now(UTC)
        return [
            heading(t("Receipt code"), tokens, 2),
            ft.Image(src=shown.qr_png, width=tokens.px(240), height=tokens.px(240),
                     semantics_label=t("Receipt QR code for the counter")),
            ft.Text(shown.spoken,
                    style=tokens.text_style("heading_2", tokens.palette.text_strong)),
            body_text(t("Show this at the counter, or read the digits aloud. It works once, "
                        "until {time}.", time=t.datetime(shown.expires_at, "short"))
                      if not expired else t("This code has expired. Get a new one."), tokens),
        ]
