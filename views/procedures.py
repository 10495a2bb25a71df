"""Procedures: find one (by words in any language, kana or romaji) and see what it needs."""

from __future__ import annotations

import flet as ft

from app.paths import RoutePath, build
from app.state import AppState, Topic
from forms.definition import AttachmentSpec, Procedure
from services.i18n import N_
from views.actions import ApplicationActions, Navigator
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
from views.widgets.form_fields import label_of, required

MEDIA_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "application/pdf": "PDF"}
CATEGORY_LABELS = {
    "certificates": N_("Certificates"), "family": N_("Children and family"),
    "living": N_("Daily life"), "housing": N_("Housing"), "moving": N_("Moving"),
    "taxes": N_("Taxes"), "safety": N_("Safety and roads"),
}


def procedure_title(procedure: Procedure, state: AppState) -> str:
    """The title in the resident's language, with the official Japanese name beside it when
    that differs (what a counter or a letter will call it)."""
    title = state.t(procedure.title)
    if state.language.is_japanese or title == procedure.title_ja:
        return title
    return f"{title} ({procedure.title_ja})"


def fee_text(procedure: Procedure, state: AppState, *, labelled: bool = True) -> str:
    """'Fee: ¥300 each (copies)' in a list; under a "Fee" heading without the label."""
    t, fee = state.t, procedure.fee
    if fee is None or fee.yen == 0:
        return t("No fee")
    per = procedure.field(fee.per_field) if fee.per_field else None
    amount = t.yen(fee.yen)
    if per is None:
        return t("Fee: {amount}", amount=amount) if labelled else amount
    if labelled:
        return t("Fee: {amount} each ({what})", amount=amount, what=t(per.label))
    return t("{amount} each ({what})", amount=amount, what=t(per.label))


def _days_text(procedure: Procedure, state: AppState) -> str:
    t = state.t
    if procedure.processing_days == 0:
        return t("Usually handled the same day")
    return t.ngettext("Usually takes about {n} day", "Usually takes about {n} days",
                      procedure.processing_days).format(n=procedure.processing_days)


class ProceduresScreen(Screen):
    def __init__(self, state: AppState, actions: ApplicationActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav
        t = state.t
        self.search = text_field(
            state, label=t("Search procedures"),
            helper=t("Words in any language, kana or romaji, e.g. 住民票, juminhyo, child "
                     "allowance"),
            value=state.applications.query, key="procedure-search",
            on_change=lambda e: actions.search(e.control.value or ""))

    @property
    def title(self) -> str:
        return self.state.t("Applications & procedures")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            heading(self.title, tokens),
            body_text(t("Apply from your phone: no seal, no paper, no visit to a counter. You "
                        "sign with your My Number card."), tokens),
            self.region([Topic.auth, Topic.applications], self._mine),
            full_width(self.search),
            self.region([Topic.procedures], self._results),
        ]

    def _mine(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        if not self.state.auth.logged_in:
            return []
        label = t("My applications and drafts")
        if view.unread:
            label = t("My applications and drafts ({n} new)", n=view.unread)
        return [action_button(label, lambda _e: self.nav.go(RoutePath.applications), tokens,
                              kind=ButtonKind.outline, icon=ft.Icons.FOLDER_OPEN,
                              key="my-applications")]

    def _results(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        if not view.results:
            return [banner(t("No procedure matches"),
                           t("Try fewer or other words, for example the Japanese name, or "
                             "browse the list by clearing the search."), tokens,
                           BannerKind.info, announce=True)]
        count = t.ngettext("{n} procedure", "{n} procedures",
                           len(view.results)).format(n=len(view.results))
        return [ft.Semantics(content=body_text(count, tokens, support=True), live_region=True),
                *[self._row(p) for p in view.results]]

    def _row(self, procedure: Procedure) -> ft.Control:
        t, tokens = self.state.t, self.state.tokens
        p = tokens.palette
        meta = f"{t(CATEGORY_LABELS.get(procedure.category.value, ''))} ・ " \
               f"{fee_text(procedure, self.state)}"
        return full_width(ft.Button(
            content=ft.Column([
                ft.Text(procedure_title(procedure, self.state),
                        style=tokens.text_style("heading_4", p.primary)),
                ft.Text(t(procedure.summary), style=tokens.text_style("body", p.text)),
                ft.Text(meta, style=tokens.text_style("body", p.text_support)),
            ], spacing=tokens.space(1), tight=True),
            on_click=lambda _e: self.nav.go(build(RoutePath.procedure,
                                                  procedure=procedure.id)),
            style=tokens.tile_button_style(start=True), key=f"procedure-{procedure.id}"))


class ProcedureScreen(Screen):
    """What a procedure is and what it needs, before starting: nothing is a surprise later."""

    def __init__(self, state: AppState, actions: ApplicationActions, procedure_id: str) -> None:
        super().__init__(state)
        self.actions = actions
        self.procedure = actions.procedure(procedure_id)

    @property
    def title(self) -> str:
        if self.procedure is None:
            return self.state.t("Procedure not found")
        return self.state.t(self.procedure.title)

    def build(self) -> list[ft.Control]:
        t, tokens, procedure = self.state.t, self.state.tokens, self.procedure
        if procedure is None:
            return [banner(t("Procedure not found"),
                           t("This procedure is not in the list any more. Please go back and "
                             "search again."), tokens, BannerKind.warning)]
        facts = [
            (t("Who may apply"), t(procedure.who_may_apply)),
            (t("Fee"), fee_text(procedure, self.state, labelled=False)),
            (t("How long it takes"), _days_text(procedure, self.state)),
            (t("Office in charge"), t(procedure.office.name) + (
                f" ・ {procedure.office.phone}" if procedure.office.phone else "")),
        ]
        controls: list[ft.Control] = [
            heading(procedure_title(procedure, self.state), tokens),
            body_text(t(procedure.summary), tokens),
        ]
        for label, value in facts:
            controls += [heading(label, tokens, 3), body_text(value, tokens)]
        # One text per list: a list read as a list, without a gap between every line.
        controls.append(heading(t("What you will be asked"), tokens, 2))
        controls.append(body_text("\n".join("・" + label_of(f, self.state)
                                            for f in procedure.fields), tokens))
        if procedure.attachments:
            controls.append(heading(t("Documents to attach"), tokens, 2))
            controls.append(body_text("\n".join("・" + self._attachment(a)
                                                for a in procedure.attachments), tokens))
        controls.append(body_text(t("You will sign with your My Number card's signature "
                                    "password (6 to 16 capital letters and digits)."),
                                  tokens, support=True))

        async def start(_e: ft.Event) -> None:
            await self.actions.start(procedure.id)

        controls.append(self.region([Topic.procedures, Topic.auth], lambda: [action_button(
            self.state.t("Start the application") if self.state.auth.logged_in
            else self.state.t("Log in and start"),
            None if self.actions.start.running else start, self.state.tokens,
            icon=ft.Icons.EDIT_DOCUMENT, key="start-application")]))
        return controls

    def _attachment(self, spec: AttachmentSpec) -> str:
        t = self.state.t
        kinds = ", ".join(MEDIA_NAMES.get(m.value, m.value) for m in spec.media_types)
        limit = t("{kinds}, up to {mb} MB", kinds=kinds, mb=max(1, spec.max_bytes // 2**20))
        label = required(t(spec.label), self.state) if spec.required else t(spec.label)
        return f"{label} — {limit}"
