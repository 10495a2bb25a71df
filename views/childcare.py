"""Childcare: nurseries and other facilities by type and age, nearest first; one facility's
details; a child's check-up and vaccination schedule; the procedures that support families."""

from __future__ import annotations

from datetime import date
from typing import Protocol

import flet as ft

from app.paths import RoutePath, build
from app.state import AppState, Topic
from forms.definition import Procedure
from services.i18n import N_
from services.info.models import ChildcareFacility, ChildcareType
from services.info.schedules import ItemKind, ItemStatus, ScheduleItem
from views.actions import Navigator
from views.record import RecordScreen
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
from views.widgets.places import (
    WhereActions,
    count_line,
    distance_text,
    fact,
    freshness,
    go_to,
    hours_table,
    picker,
    place_actions,
    place_row,
    where_picker,
)

TYPE_LABELS = {
    ChildcareType.nursery: N_("Nursery school"), ChildcareType.kodomoen: N_("Centre for early "
                                                                            "childhood (kodomoen)"),
    ChildcareType.kindergarten: N_("Kindergarten"),
    ChildcareType.small_nursery: N_("Small nursery"),
    ChildcareType.after_school: N_("After-school club"),
    ChildcareType.support_center: N_("Parenting support centre"),
    ChildcareType.sick_child: N_("Care for sick children"),
    ChildcareType.other: N_("Other"),
}
ANY = "any"
# The child's age as a parent says it, in months from which it holds (school age: 6 years).
AGES = ((ANY, N_("Any age")), ("0", N_("Under 1")), ("12", N_("1 year old")),
        ("24", N_("2 years old")), ("36", N_("3 years old")), ("48", N_("4 years old")),
        ("60", N_("5 years old")), ("72", N_("Elementary school")))
STATUS_LABELS = {ItemStatus.due: N_("Due now"), ItemStatus.upcoming: N_("Coming up"),
                 ItemStatus.past: N_("Past the routine age")}


class ChildcareActions(Protocol):
    async def search(self, query: str) -> None: ...

    async def set_kind(self, kind: ChildcareType | None) -> None: ...

    async def set_age(self, months: int | None) -> None: ...


class CheckupActions(Protocol):
    def set_birth_text(self, text: str, *, finished: bool = False) -> None: ...

    def today(self) -> date: ...


def type_text(state: AppState, facility: ChildcareFacility) -> str:
    """The type in the resident's language; in Japanese, as the town publishes it."""
    if state.language.is_japanese and facility.type_ja:
        return facility.type_ja
    return state.t(TYPE_LABELS[facility.type])


class ChildcareScreen(Screen):
    def __init__(self, state: AppState, actions: ChildcareActions, where: WhereActions,
                 nav: Navigator, support: list[Procedure]) -> None:
        super().__init__(state)
        self.actions, self.where, self.nav, self.support = actions, where, nav, support
        t = state.t

        async def typed(e: ft.Event) -> None:
            await actions.search(e.control.value or "")

        self.search = text_field(state, label=t("Search childcare facilities"),
                                 helper=t("A name or a place, e.g. 保育園, takaoka"),
                                 value=state.childcare.query, on_change=typed,
                                 key="childcare-search")

    @property
    def title(self) -> str:
        return self.state.t("Childcare")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        controls: list[ft.Control] = [
            heading(self.title, tokens),
            action_button(t("Check-ups and vaccinations for my child"),
                          lambda _e: self.nav.go(RoutePath.checkups), tokens,
                          kind=ButtonKind.outline, icon=ft.Icons.VACCINES, key="open-checkups"),
            self.region([Topic.info_status], lambda: freshness(self.state)),
            full_width(self.search),
            self.region([Topic.childcare], lambda: [self._types(), self._ages()]),
            heading(t("Nearest first"), tokens, 2),
            self.region([Topic.where], lambda: where_picker(self.state, self.where)),
            self.region([Topic.childcare, Topic.info_status], self._results),
        ]
        if self.support:
            controls.append(heading(t("Support for families"), tokens, 2))
            controls += [place_row(self.state, key=f"support-{p.id}", title=t(p.title),
                                   lines=[t(p.summary)],
                                   on_click=go_to(self.nav,
                                       build(RoutePath.procedure, procedure=p.id)))
                         for p in self.support]
        return controls

    def _types(self) -> ft.Control:
        options = [(ANY, self.state.t("Any type"))] + [
            (kind.value, self.state.t(label)) for kind, label in TYPE_LABELS.items()
            if kind != ChildcareType.other]
        kind = self.state.childcare.kind

        async def chosen(value: str) -> None:
            await self.actions.set_kind(None if value == ANY else ChildcareType(value))

        return picker(self.state, label=self.state.t("Type"), options=options,
                      value=kind.value if kind else ANY, on_pick=chosen, key="childcare-type")

    def _ages(self) -> ft.Control:
        months = self.state.childcare.age_months

        async def chosen(value: str) -> None:
            await self.actions.set_age(None if value == ANY else int(value))

        return picker(self.state, label=self.state.t("Child's age"),
                      options=[(key, self.state.t(label)) for key, label in AGES],
                      value=ANY if months is None else str(months), on_pick=chosen,
                      key="childcare-age")

    def _results(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.childcare
        if not view.loaded:
            return []
        if not view.results:
            if self.state.info_status.last_updated is None:  # nothing downloaded yet
                return []  # the freshness line above says so
            return [banner(t("No facility matches"), t("Try another type or age, or fewer "
                                                       "words."), tokens, BannerKind.info,
                           announce=True)]
        count = t.ngettext("{n} place", "{n} places", view.total).format(n=view.total)
        rows: list[ft.Control] = [count_line(self.state, count, view.total, len(view.results))]
        for facility, metres in view.results:
            rows.append(place_row(
                self.state, key=f"childcare-{facility.id}", title=facility.name, lines=[
                    f"{type_text(self.state, facility)} ・ {facility.ages}",
                    distance_text(self.state, metres), facility.address],
                on_click=go_to(self.nav,
                    build(RoutePath.childcare_facility, facility=facility.id))))
        return rows


class ChildcareFacilityScreen(RecordScreen[ChildcareFacility]):
    record_type = ChildcareFacility
    fallback_title = N_("Childcare")

    def details(self, facility: ChildcareFacility) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        temporary = {True: t("Yes"), False: t("No"), None: None}[facility.temporary_care]
        capacity = t.ngettext("{n} child", "{n} children", facility.capacity).format(
            n=t.number(facility.capacity)) if facility.capacity else None
        address = f"{facility.address} {facility.address_detail}".strip()
        return [
            heading(facility.name, tokens),
            body_text(type_text(self.state, facility), tokens),
            body_text(t("Sample data for this demonstration: check by phone before you go."),
                      tokens, support=True),
            *place_actions(self.state, name=facility.name, lat=facility.lat, lon=facility.lon,
                           phone=facility.phone, go=self.nav.go),
            *fact(self.state, t("Ages accepted"), facility.ages),
            *fact(self.state, t("Capacity"), capacity),
            *fact(self.state, t("Temporary childcare (ichiji azukari)"), temporary),
            heading(t("Opening hours"), tokens, 2),
            hours_table(self.state, facility.hours),
            *fact(self.state, t("Notes on hours"), facility.hours_note, selectable=True),
            *fact(self.state, t("Run by"), facility.operator),
            *fact(self.state, t("Getting there"), facility.access, selectable=True),
            *fact(self.state, t("Parking"), facility.parking),
            *fact(self.state, t("Address"), address, selectable=True),
            *fact(self.state, t("Phone"), facility.phone, selectable=True),
        ]


class CheckupsScreen(Screen):
    """Computed on the device from the birth date, which stays in this session only."""

    def __init__(self, state: AppState, actions: CheckupActions) -> None:
        super().__init__(state)
        self.actions = actions
        t = state.t
        self.birth = text_field(
            state, label=t("Child's date of birth"),
            helper=t("For example 2025-04-01 or 令和7年4月1日"),
            value=state.checkups.birth_text, key="birth-date",
            on_change=lambda e: actions.set_birth_text(e.control.value or ""),
            on_blur=lambda e: actions.set_birth_text(e.control.value or "", finished=True),
            on_submit=lambda e: actions.set_birth_text(e.control.value or "", finished=True))

    @property
    def title(self) -> str:
        return self.state.t("Check-ups and vaccinations")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            heading(self.title, tokens),
            body_text(t("The infant check-ups and the routine (free) vaccinations, with the "
                        "recommended ages. Your town sends the tickets and says where to go."),
                      tokens),
            full_width(self.birth),
            self.region([Topic.checkups], self._schedule),
            body_text(t("Schedule of the Ministry of Health, Labour and Welfare for routine "
                        "vaccinations. Ask your doctor about your child's own timing."),
                      tokens, support=True),
        ]

    def _schedule(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.checkups
        if view.problem:
            return [ft.Semantics(content=ft.Text(t(view.problem), style=tokens.text_style(
                "body", tokens.palette.error)), live_region=True)]
        if not view.items:
            return []
        today = self.actions.today()
        controls: list[ft.Control] = []
        for status in (ItemStatus.due, ItemStatus.upcoming, ItemStatus.past):
            items = [item for item in view.items if item.status(today) == status]
            if not items:
                continue
            controls.append(heading(t(STATUS_LABELS[status]), tokens, 2))
            # One text per item, read as one line: name, dose, dates.
            controls += [self._item(item, today) for item in items]
        return controls

    def _item(self, item: ScheduleItem, today: date) -> ft.Control:
        t, tokens = self.state.t, self.state.tokens
        p = tokens.palette
        name = t(item.name)
        if item.kind == ItemKind.vaccination and item.dose:
            name = t("{name}, dose {n}", name=name, n=item.dose)
        when = t("Recommended {start} to {end}", start=t.date(item.recommended_from),
                 end=t.date(item.recommended_until))
        lines: list[ft.Control] = [
            ft.Text(name, style=tokens.text_style("heading_4", p.text_strong)),
            ft.Text(when, style=tokens.text_style("body", p.text))]
        if item.late(today):
            lines.append(ft.Text(t("Still free until {day}: do not wait longer.",
                                   day=t.date(item.deadline)),
                                 style=tokens.text_style("body", p.error)))
        if item.note:
            lines.append(ft.Text(t(item.note), style=tokens.text_style("body", p.text_support)))
        return ft.Container(ft.Column(lines, spacing=tokens.space(1), tight=True),
                            border=ft.Border.all(1, p.border), border_radius=8,
                            padding=ft.Padding.all(tokens.space(3)), key=f"item-{item.key}")
