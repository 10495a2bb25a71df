"""Disaster prevention: what is in force for the town and what to do now, the shelters for the
hazard at hand (nearest first, with capacity when published), AEDs, and my evacuation plan."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import flet as ft

from app.commands import Command
from app.paths import RoutePath, build
from app.state import AppState, Topic
from services.i18n import N_
from services.info.models import Aed, Hazard, Shelter
from services.procedures import problem_message
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
    heading,
)
from views.widgets.fields import text_field
from views.widgets.places import (
    WhereActions,
    alert_card,
    count_line,
    distance_text,
    fact,
    freshness,
    go_to,
    hours_table,
    opening_text,
    place_actions,
    place_row,
    town_name,
    where_picker,
)

HAZARD_LABELS = {
    Hazard.flood: N_("Flood"), Hazard.landslide: N_("Landslide"),
    Hazard.storm_surge: N_("Storm surge"), Hazard.earthquake: N_("Earthquake"),
    Hazard.tsunami: N_("Tsunami"), Hazard.fire: N_("Large fire"),
    Hazard.inland_flood: N_("Inland flooding"), Hazard.volcano: N_("Volcano"),
}


class DisasterActions(Protocol):
    set_shelter: Command[[Hazard, str, str]]
    set_meeting_point: Command[[str]]
    add_contact: Command[[str, str]]
    remove_contact: Command[[int]]

    async def set_hazard(self, hazard: Hazard) -> None: ...


def capacity_text(state: AppState, shelter: Shelter) -> str:
    t = state.t
    if shelter.capacity is None:
        return t("Capacity: not published")
    return t.ngettext("Capacity: {n} person", "Capacity: {n} people",
                      shelter.capacity).format(n=t.number(shelter.capacity))


def capacity_value(state: AppState, shelter: Shelter) -> str:
    """Under a "Capacity" heading: the number of people, or that it is not published."""
    t = state.t
    if shelter.capacity is None:
        return t("Not published")
    return t.ngettext("{n} person", "{n} people", shelter.capacity).format(
        n=t.number(shelter.capacity))


def shelter_kind(state: AppState, shelter: Shelter) -> str:
    t = state.t
    kinds = []
    if shelter.emergency_site:
        kinds.append(t("Evacuation site (to flee to)"))
    if shelter.evacuation_shelter:
        kinds.append(t("Shelter (to stay in)"))
    return " ・ ".join(kinds)


def alerts_for_town(state: AppState, nav: Navigator) -> list[ft.Control]:
    """The alerts in force for the town shown, highest level first; on the home as well."""
    t, tokens = state.t, state.tokens
    alerts = state.disaster.alerts
    if not state.town:
        return []
    if not alerts:
        return [body_text(t("No warnings or evacuation information for {town} now.",
                            town=town_name(state, state.town)), tokens, support=True)]
    return [heading(t("In force now in {town}", town=town_name(state, state.town)), tokens, 2),
            *[alert_card(state, alert, on_shelters=lambda _e: nav.go(RoutePath.disaster))
              for alert in alerts]]


class DisasterScreen(Screen):
    def __init__(self, state: AppState, actions: DisasterActions, where: WhereActions,
                 nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.where, self.nav = actions, where, nav

    @property
    def title(self) -> str:
        return self.state.t("Disaster prevention")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            heading(self.title, tokens),
            self.region([Topic.info_status], lambda: freshness(self.state)),
            self.region([Topic.where], lambda: where_picker(self.state, self.where)),
            self.region([Topic.alerts, Topic.where], self._alerts),
            ft.Row([
                action_button(t("My evacuation plan"),
                              lambda _e: self.nav.go(RoutePath.evacuation_plan), tokens,
                              kind=ButtonKind.outline, icon=ft.Icons.FAMILY_RESTROOM,
                              key="open-plan"),
                action_button(t("AEDs near me"), lambda _e: self.nav.go(RoutePath.aeds),
                              tokens, kind=ButtonKind.outline, icon=ft.Icons.MONITOR_HEART,
                              key="open-aeds"),
            ], wrap=True, spacing=tokens.space(2), run_spacing=tokens.space(2)),
            heading(t("Shelters by hazard"), tokens, 2),
            self.region([Topic.shelters], self._hazards),
            self.region([Topic.shelters, Topic.info_status], self._shelters),
        ]

    def _alerts(self) -> list[ft.Control]:
        if not self.state.town:
            return [banner(self.state.t("Choose your town to see its warnings"), None,
                           self.state.tokens, BannerKind.info)]
        return alerts_for_town(self.state, self.nav)

    def _hazards(self) -> list[ft.Control]:
        options = [(h.value, self.state.t(label)) for h, label in HAZARD_LABELS.items()]

        async def chosen(value: str) -> None:
            await self.actions.set_hazard(Hazard(value))

        return [choice_list(options, self.state.disaster.hazard.value, chosen,
                            self.state.tokens)]

    def _shelters(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.disaster
        if not view.loaded:
            return []
        hazard = t(HAZARD_LABELS[view.hazard])
        if not view.shelters:
            if self.state.info_status.last_updated is None:  # nothing downloaded yet
                return []  # the freshness line above says so
            return [banner(t("No designated place for this hazard here"),
                           t("Choose another town or hazard, or ask your town office."),
                           tokens, BannerKind.info, announce=True)]
        count = t.ngettext("{n} place designated for: {hazard}",
                           "{n} places designated for: {hazard}",
                           view.shelter_total).format(n=view.shelter_total, hazard=hazard)
        rows: list[ft.Control] = [
            count_line(self.state, count, view.shelter_total, len(view.shelters))]
        for shelter, metres in view.shelters:
            rows.append(place_row(
                self.state, key=f"shelter-{shelter.id}", title=shelter.name,
                lines=[distance_text(self.state, metres), shelter_kind(self.state, shelter),
                       capacity_text(self.state, shelter), shelter.address],
                on_click=go_to(self.nav,
                    build(RoutePath.shelter, shelter=shelter.id))))
        return rows


class ShelterScreen(RecordScreen[Shelter]):
    record_type = Shelter
    fallback_title = N_("Shelter")
    topics = (Topic.place, Topic.plan)

    def __init__(self, state: AppState, actions: DisasterActions, nav: Navigator) -> None:
        super().__init__(state, nav)
        self.actions = actions

    def details(self, shelter: Shelter) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        hazards = "、".join(t(HAZARD_LABELS[h]) for h in Hazard if h in shelter.hazards)
        controls: list[ft.Control] = [
            heading(shelter.name, tokens),
            body_text(shelter_kind(self.state, shelter), tokens),
            *place_actions(self.state, name=shelter.name, lat=shelter.lat, lon=shelter.lon,
                           phone="", go=self.nav.go),
            *fact(self.state, t("Designated for"), hazards),
            *fact(self.state, t("Capacity"), capacity_value(self.state, shelter)),
            *fact(self.state, t("Who it takes in"), shelter.accepts),
            *fact(self.state, t("Notes"), shelter.notes, selectable=True),
            *fact(self.state, t("Address"), shelter.address, selectable=True),
        ]
        chosen = self.state.disaster.hazard
        plan = self.state.disaster.plan
        mine = plan is not None and (p := plan.shelters.get(chosen)) is not None \
            and p.record_id == shelter.id
        if mine:
            controls.append(banner(t("Your shelter for: {hazard}",
                                     hazard=t(HAZARD_LABELS[chosen])), None, tokens,
                                   BannerKind.success, announce=True))
        elif chosen in shelter.hazards or not shelter.hazards:
            async def keep(_e: ft.Event) -> None:
                await self.actions.set_shelter(chosen, shelter.id, shelter.name)

            controls.append(action_button(
                t("Make this my shelter for: {hazard}", hazard=t(HAZARD_LABELS[chosen])),
                None if self.actions.set_shelter.running else keep, tokens,
                icon=ft.Icons.BOOKMARK_ADD_OUTLINED, key="make-my-shelter"))
        controls.append(body_text("出典：国土地理院 指定緊急避難場所・指定避難所データ", tokens,
                                  support=True))
        return controls




class AedsScreen(Screen):
    def __init__(self, state: AppState, where: WhereActions, nav: Navigator,
                 now: datetime) -> None:
        super().__init__(state)
        self.where, self.nav, self.now = where, nav, now

    @property
    def title(self) -> str:
        return self.state.t("AEDs near me")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            heading(self.title, tokens),
            body_text(t("Someone collapsed? Call 119 first, then fetch the nearest AED."),
                      tokens),
            action_button(t("Call 119"), None, tokens, icon=ft.Icons.CALL, url="tel:119",
                          key="call-119"),
            self.region([Topic.info_status], lambda: freshness(self.state)),
            self.region([Topic.where], lambda: where_picker(self.state, self.where)),
            self.region([Topic.aeds], self._list),
        ]

    def _list(self) -> list[ft.Control]:
        rows: list[ft.Control] = []
        for aed, metres in self.state.disaster.aeds:
            rows.append(place_row(
                self.state, key=f"aed-{aed.id}", title=aed.name, lines=[
                    distance_text(self.state, metres), aed.location,
                    opening_text(self.state, aed.hours, (), self.now)],
                on_click=go_to(self.nav, build(RoutePath.aed, aed=aed.id))))
        return rows


class AedScreen(RecordScreen[Aed]):
    record_type = Aed
    fallback_title = N_("AED")

    def __init__(self, state: AppState, nav: Navigator, now: datetime) -> None:
        super().__init__(state, nav)
        self.now = now

    def details(self, aed: Aed) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        pediatric = {True: t("Yes"), False: t("No"), None: None}[aed.pediatric]
        address = f"{aed.address} {aed.address_detail}".strip()
        return [
            heading(aed.name, tokens),
            body_text(opening_text(self.state, aed.hours, (), self.now), tokens),
            *place_actions(self.state, name=aed.name, lat=aed.lat, lon=aed.lon,
                           phone=aed.phone, go=self.nav.go),
            *fact(self.state, t("Where it is"), aed.location, selectable=True),
            heading(t("When it can be reached"), tokens, 2),
            hours_table(self.state, aed.hours),
            *fact(self.state, t("Notes on hours"), aed.hours_note, selectable=True),
            *fact(self.state, t("Pads for children"), pediatric),
            *fact(self.state, t("Address"), address, selectable=True),
            body_text(t("Sample data for this demonstration."), tokens, support=True),
        ]


class PlanScreen(Screen):
    """My evacuation plan, on this device only: it opens with no connection and no login."""

    def __init__(self, state: AppState, actions: DisasterActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav
        t = state.t
        plan = state.disaster.plan
        self.meeting = text_field(state, label=t("Family meeting point"),
                                  helper=t("Where your family meets if you are apart, e.g. "
                                           "the school gate"),
                                  value=plan.meeting_point if plan else "",
                                  key="meeting-point", multiline=True,
                                  on_blur=self._meeting_left)
        self.contact_name = text_field(state, label=t("Name"), helper=t("For example 母"),
                                       key="contact-name")
        self.contact_phone = text_field(state, label=t("Phone number"),
                                        helper=t("For example 090-1234-5678"),
                                        key="contact-phone",
                                        keyboard_type=ft.KeyboardType.PHONE)

    async def _meeting_left(self, e: ft.Event) -> None:
        """Kept as soon as the resident leaves the field: nothing typed is lost."""
        plan = self.state.disaster.plan
        text = e.control.value or ""
        if plan is None or text.strip() != plan.meeting_point:
            await self.actions.set_meeting_point(text)

    @property
    def title(self) -> str:
        return self.state.t("My evacuation plan")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens

        async def save_meeting(_e: ft.Event) -> None:
            await self.actions.set_meeting_point(self.meeting.value or "")

        async def add(_e: ft.Event) -> None:
            if await self.actions.add_contact(self.contact_name.value or "",
                                              self.contact_phone.value or "") \
                    and self.state.disaster.plan_problem is None:
                self.contact_name.value = self.contact_phone.value = ""
                self.contact_name.update()
                self.contact_phone.update()

        return [
            heading(self.title, tokens),
            body_text(t("Kept on this device only, so it opens without a connection or a "
                        "login. It is not sent anywhere."), tokens, support=True),
            self.region([Topic.plan], self._message),
            heading(t("My shelters"), tokens, 2),
            self.region([Topic.plan], self._shelters),
            heading(t("Family meeting point"), tokens, 2),
            self.meeting,
            action_button(t("Save the meeting point"), save_meeting, tokens,
                          kind=ButtonKind.outline, icon=ft.Icons.SAVE, key="save-meeting"),
            heading(t("Emergency contacts"), tokens, 2),
            self.region([Topic.plan], self._contacts),
            self.contact_name,
            self.contact_phone,
            action_button(t("Add the contact"), add, tokens, kind=ButtonKind.outline,
                          icon=ft.Icons.PERSON_ADD, key="add-contact"),
        ]

    def _message(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.disaster
        if view.plan_problem is not None:
            return [banner(problem_message(view.plan_problem, t), None, tokens,
                           BannerKind.error, announce=True)]
        if view.notice:
            return [banner(t(view.notice), None, tokens, BannerKind.success, announce=True)]
        return []

    def _shelters(self) -> list[ft.Control]:
        t, tokens, plan = self.state.t, self.state.tokens, self.state.disaster.plan
        chosen = plan.shelters if plan else {}
        if not chosen:
            return [body_text(t("None chosen yet. Open a shelter on the disaster prevention "
                                "screen and make it your shelter for a hazard."), tokens,
                              support=True),
                    action_button(t("Find shelters"), lambda _e: self.nav.go(RoutePath.disaster),
                                  tokens, kind=ButtonKind.outline, icon=ft.Icons.SEARCH)]
        return [place_row(self.state, key=f"plan-{hazard.value}",
                          title=f"{t(HAZARD_LABELS[hazard])}: {shelter.name}", lines=[],
                          on_click=go_to(self.nav,
                              build(RoutePath.shelter, shelter=shelter.record_id)))
                for hazard, shelter in chosen.items()]

    def _contacts(self) -> list[ft.Control]:
        t, tokens, plan = self.state.t, self.state.tokens, self.state.disaster.plan
        rows: list[ft.Control] = []
        for index, contact in enumerate(plan.contacts if plan else ()):
            async def remove(_e: ft.Event, index: int = index) -> None:
                await self.actions.remove_contact(index)

            rows.append(ft.Row([
                action_button(t("Call {name} ({phone})", name=contact.name,
                                phone=contact.phone), None, tokens, icon=ft.Icons.CALL,
                              url="tel:" + contact.phone.replace("-", "")),
                action_button(t("Remove {name}", name=contact.name), remove, tokens,
                              kind=ButtonKind.outline, icon=ft.Icons.DELETE_OUTLINE),
            ], wrap=True, spacing=tokens.space(2), run_spacing=tokens.space(2)))
        return rows
