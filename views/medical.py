"""Medical care: a clinic or hospital open now (tonight, on a holiday), nearest first, and one
institution's details: hours as a table, a call button, a route there."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import flet as ft

from app.paths import RoutePath, build
from app.state import AppState, OpenWhen, Topic
from services.i18n import N_
from services.info.departments import COMMON_DEPARTMENTS, department_label
from services.info.hours import is_holiday
from services.info.models import MedicalFacility, MedicalType
from views.actions import Navigator
from views.record import RecordScreen
from views.screen import Screen
from views.widgets.controls import (
    BannerKind,
    ButtonKind,
    action_button,
    banner,
    body_text,
    choice_list,
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
    opening_text,
    picker,
    place_actions,
    place_row,
    where_picker,
)

TYPE_LABELS = {MedicalType.hospital: N_("Hospital"), MedicalType.clinic: N_("Clinic"),
               MedicalType.dental: N_("Dental clinic")}
ANY = "any"


class MedicalActions(Protocol):
    def now(self) -> datetime: ...

    async def search(self, query: str) -> None: ...

    async def set_department(self, department: str | None) -> None: ...

    async def set_when(self, when: OpenWhen) -> None: ...

    async def set_day(self, iso_day: str) -> None: ...

    async def set_time_text(self, text: str) -> None: ...


def department_text(state: AppState, name: str) -> str:
    return name if state.language.is_japanese else state.t(department_label(name))


def sample_note(state: AppState) -> ft.Control:
    return body_text(state.t("Sample data for this demonstration: check by phone before you "
                             "go."), state.tokens, support=True)


class MedicalScreen(Screen):
    def __init__(self, state: AppState, actions: MedicalActions, where: WhereActions,
                 nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.where, self.nav = actions, where, nav
        t, view = state.t, state.medical

        async def typed(e: ft.Event) -> None:
            await actions.search(e.control.value or "")

        async def time_typed(e: ft.Event) -> None:
            await actions.set_time_text(e.control.value or "")

        self.search = text_field(
            state, label=t("Search clinics and hospitals"),
            helper=t("A name, a department or a place, e.g. 小児科, toyama, eye"),
            value=view.query, on_change=typed, key="medical-search")
        self.time = text_field(state, label=t("Time"), helper=t("For example 21:30"),
                               value=view.time_text, on_change=time_typed, key="medical-time",
                               width=state.tokens.px(200))

    @property
    def title(self) -> str:
        return self.state.t("Medical care")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            heading(self.title, tokens),
            sample_note(self.state),
            self.region([Topic.info_status], lambda: freshness(self.state)),
            full_width(self.search),
            self.region([Topic.medical], lambda: [self._departments()]),
            heading(t("Open"), tokens, 2),
            self.region([Topic.medical], self._when),
            heading(t("Nearest first"), tokens, 2),
            self.region([Topic.where], lambda: where_picker(self.state, self.where)),
            self.region([Topic.medical, Topic.info_status], self._results),
        ]

    def _departments(self) -> ft.Control:
        async def chosen(value: str) -> None:
            await self.actions.set_department(None if value == ANY else value)

        options = [(ANY, self.state.t("Any department"))] + [
            (name, department_text(self.state, name)) for name in COMMON_DEPARTMENTS]
        return picker(self.state, label=self.state.t("Department"), options=options,
                      value=self.state.medical.department or ANY, on_pick=chosen,
                      key="department")

    def _when(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.medical
        options = [(OpenWhen.any_time.name, t("Any time")),
                   (OpenWhen.now.name, t("Only those open now")),
                   (OpenWhen.at.name, t("Open on a day and time"))]

        async def chosen(value: str) -> None:
            await self.actions.set_when(OpenWhen[value])

        controls = [choice_list(options, view.when.name, chosen, tokens)]
        if view.when != OpenWhen.at:
            return controls

        async def day_chosen(value: str) -> None:
            await self.actions.set_day(value)

        controls += [body_text(t("Day"), tokens),
                     choice_list(self._days(), view.day_text, day_chosen, tokens), self.time]
        if view.problem:
            controls.append(ft.Semantics(content=ft.Text(
                t(view.problem), style=tokens.text_style("body", tokens.palette.error)),
                live_region=True))
        return controls

    def _days(self) -> list[tuple[str, str]]:
        """Today and the next seven days: every weekday once, holidays marked."""
        t = self.state.t
        today = self.actions.now().date()
        days = []
        for offset in range(8):
            day = today + timedelta(days=offset)
            label = t.date(day, "EEE d MMM") if not self.state.language.is_japanese else (
                t.date(day, "M月d日(EEE)"))
            if offset == 0:
                label = t("Today, {day}", day=label)
            elif offset == 1:
                label = t("Tomorrow, {day}", day=label)
            if is_holiday(day):
                label = t("{day} (holiday)", day=label)
            days.append((day.isoformat(), label))
        return days

    def _results(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.medical
        if not view.loaded:
            return []
        if not view.results:
            if self.state.info_status.last_updated is None:  # nothing downloaded yet
                return []  # the freshness line above says so
            return [banner(t("No clinic or hospital matches"),
                           t("Try another department, any time, or fewer words."), tokens,
                           BannerKind.info, announce=True)]
        count = t.ngettext("{n} place", "{n} places", view.total).format(n=view.total)
        rows: list[ft.Control] = [count_line(self.state, count, view.total, len(view.results))]
        for facility, metres in view.results:
            rows.append(place_row(
                self.state, key=f"medical-{facility.id}", title=facility.name, lines=[
                    self._summary(facility), self._opening(facility),
                    distance_text(self.state, metres)],
                on_click=go_to(self.nav,
                    build(RoutePath.medical_facility, facility=facility.id))))
        return rows

    def _summary(self, facility: MedicalFacility) -> str:
        t = self.state.t
        departments = "・".join(department_text(self.state, d) for d in facility.departments[:5])
        return f"{t(TYPE_LABELS[facility.type])} ・ {departments}" if departments else t(
            TYPE_LABELS[facility.type])

    def _opening(self, facility: MedicalFacility) -> str:
        """At the time asked for, or now."""
        view = self.state.medical
        asked = view.when == OpenWhen.at and view.asked_at is not None
        moment = view.asked_at if asked and view.asked_at else self.actions.now()
        return opening_text(self.state, facility.hours, facility.duty, moment, asked=asked)


class MedicalFacilityScreen(RecordScreen[MedicalFacility]):
    record_type = MedicalFacility
    fallback_title = N_("Medical care")

    def __init__(self, state: AppState, nav: Navigator, now: datetime) -> None:
        super().__init__(state, nav)
        self.now = now

    def details(self, facility: MedicalFacility) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        departments = "、".join(department_text(self.state, d) for d in facility.departments)
        controls: list[ft.Control] = [
            heading(facility.name, tokens),
            body_text(f"{t(TYPE_LABELS[facility.type])} ・ {departments}", tokens),
            ft.Semantics(content=body_text(
                opening_text(self.state, facility.hours, facility.duty, self.now), tokens),
                live_region=True),
            sample_note(self.state),
            *place_actions(self.state, name=facility.name, lat=facility.lat, lon=facility.lon,
                           phone=facility.phone, go=self.nav.go),
            heading(t("Consultation hours"), tokens, 2),
            hours_table(self.state, facility.hours),
            *fact(self.state, t("Notes on consultation hours"), facility.hours_note,
                  selectable=True),
            *fact(self.state, t("Outside consultation hours"), facility.after_hours,
                  selectable=True),
        ]
        upcoming = [d for d in facility.duty if d.date >= self.now.date()][:5]
        if upcoming:
            lines = "\n".join(f"{t.date(d.date, 'full')} {d.label}" for d in upcoming)
            controls += fact(self.state, t("Holiday duty (open on these days)"), lines,
                             selectable=True)
        address = f"{facility.address} {facility.address_detail}".strip()
        controls += [
            *fact(self.state, t("Address"), address, selectable=True),
            *fact(self.state, t("Phone"), facility.phone, selectable=True),
            *fact(self.state, t("Beds"), t.number(facility.beds) if facility.beds else None),
        ]
        if facility.url:
            controls.append(action_button(t("Website"), None, tokens, kind=ButtonKind.outline,
                                          icon=ft.Icons.OPEN_IN_NEW, url=facility.url))
        return controls
