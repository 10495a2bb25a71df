"""Moving to Toyama (移住): the 15 towns' profiles with sourced figures, two or three towns side
by side, a budget for the household the user describes, support programmes linked to the
e-application and booking screens, and "my relocation plan" kept on the device."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import flet as ft

from app.commands import Command
from app.paths import RoutePath, build
from app.state import AppState, Topic
from services.info.towns import TOWNS
from services.procedures import problem_message
from services.relocation.budget import Line
from services.relocation.compare import compare
from services.relocation.models import (
    FIGURE_LABELS,
    KIND_LABELS,
    UNIT_FORMATS,
    Figure,
    FigureKey,
    Programme,
    ProgrammeKind,
    TownProfile,
)
from services.relocation.plan import CHECKLIST, MAX_NOTES
from services.tourism.guides import pick_text
from views.actions import Navigator
from views.screen import Screen
from views.widgets.controls import (
    BannerKind,
    ButtonKind,
    action_button,
    banner,
    body_text,
    checkbox,
    choice_list,
    copyable_text,
    full_width,
    heading,
)
from views.widgets.fields import text_field
from views.widgets.places import fact, freshness, go_to, picker, place_row, town_name

ANY = "any"
# The figures a town's row in the list shows.
LIST_FIGURES = (FigureKey.population, FigureKey.rent_2ldk_yen, FigureKey.commute_to_toyama_min)


class RelocationActions(Protocol):
    save_notes: Command[[str]]
    calculate: Command[[int, str, int, str, str | None]]

    async def toggle_town(self, code: str) -> None: ...

    async def check_item(self, item_id: str, done: bool) -> None: ...

    async def set_programme_kind(self, kind: ProgrammeKind | None) -> None: ...

    def forget_budget(self) -> None: ...


def text_of(state: AppState, texts: Mapping[str, str]) -> str:
    """A data text in the resident's language, else the nearest one there is."""
    return pick_text(texts, state.language.code)


def profile_name(state: AppState, town: TownProfile) -> str:
    return town_name(state, town.code) or town.name


def value_text(state: AppState, figure: Figure | None) -> str:
    """"413,938 people", "65,000 yen", "18 years", or "no figure" — never 0 for a missing
    one."""
    t = state.t
    if figure is None or figure.value is None:
        return t("No figure")
    value = figure.value
    number = t.number(int(value) if float(value).is_integer() else value)
    unit = UNIT_FORMATS.get(figure.unit)
    return t(unit, value=number) if unit else number


def source_text(state: AppState, figure: Figure) -> str:
    t = state.t
    if figure.sample:
        return t("Sample figure, not from a source: check with the town.")
    return t("Source: {source}, {year}", source=figure.source, year=figure.year)


# --- the area -------------------------------------------------------------------------------
class RelocationScreen(Screen):
    def __init__(self, state: AppState, actions: RelocationActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav

    @property
    def title(self) -> str:
        return self.state.t("Moving to Toyama")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        links = [
            (t("Compare towns"), RoutePath.compare, ft.Icons.COMPARE_ARROWS, "open-compare"),
            (t("Budget check"), RoutePath.budget, ft.Icons.CALCULATE_OUTLINED, "open-budget"),
            (t("Support programmes"), RoutePath.programmes, ft.Icons.VOLUNTEER_ACTIVISM_OUTLINED,
             "open-programmes"),
            (t("My relocation plan"), RoutePath.relocation_plan, ft.Icons.CHECKLIST,
             "open-plan"),
        ]
        return [
            heading(self.title, tokens),
            body_text(t("The 15 towns of Toyama in figures, with their sources; support for "
                        "people who move here; and your own plan, kept on this device."),
                      tokens),
            ft.Row([action_button(label, go_to(self.nav, path.value), tokens,
                                  kind=ButtonKind.outline, icon=icon, key=key)
                    for label, path, icon, key in links],
                   wrap=True, spacing=tokens.space(2), run_spacing=tokens.space(2)),
            self.region([Topic.info_status], lambda: freshness(self.state)),
            heading(t("Towns"), tokens, 2),
            self.region([Topic.relocation, Topic.relocation_plan], self._towns),
        ]

    def _towns(self) -> list[ft.Control]:
        view = self.state.relocation
        rows: list[ft.Control] = []
        for town in view.towns:
            lines = [f"{self.state.t(FIGURE_LABELS[key])}: "
                     f"{value_text(self.state, town.figure(key))}" for key in LIST_FIGURES]
            if town.code in view.plan.towns:
                lines.insert(0, self.state.t("In your plan"))
            rows.append(place_row(
                self.state, key=f"town-{town.code}", title=profile_name(self.state, town),
                lines=lines,
                on_click=go_to(self.nav, build(RoutePath.town_profile, town=town.code))))
        return rows


def plan_message(state: AppState) -> list[ft.Control]:
    """What the last change to the plan did, or why it was refused; read out."""
    t, tokens, view = state.t, state.tokens, state.relocation
    if view.problem is not None:
        return [banner(problem_message(view.problem, t), None, tokens, BannerKind.error,
                       announce=True)]
    if view.message:
        return [ft.Semantics(content=body_text(t(view.message), tokens), live_region=True)]
    return []


class TownScreen(Screen):
    title_topics = frozenset({Topic.relocation})

    def __init__(self, state: AppState, actions: RelocationActions, nav: Navigator,
                 code: str) -> None:
        super().__init__(state)
        self.actions, self.nav, self.code = actions, nav, code

    @property
    def town(self) -> TownProfile | None:
        town = self.state.relocation.town
        return town if town is not None and town.code == self.code else None

    @property
    def title(self) -> str:
        town = self.town
        return profile_name(self.state, town) if town else (
            town_name(self.state, self.code) or self.state.t("Moving to Toyama"))

    def build(self) -> list[ft.Control]:
        return [self.region([Topic.relocation, Topic.relocation_plan, Topic.info_status],
                            self._draw)]

    def _draw(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.relocation
        town = self.town
        if town is None:
            if not view.town_loaded or view.town_code != self.code:
                return [body_text(t("Loading…"), tokens, support=True)]
            if self.state.info_status.last_updated is None:
                return [body_text(t("This town's profile is not downloaded yet. Connect to "
                                    "the internet once."), tokens, support=True)]
            return [banner(t("There is no profile for this town"),
                           t("Please go back and choose another."), tokens,
                           BannerKind.warning)]
        chosen = town.code in view.plan.towns

        async def toggle(_e: ft.Event) -> None:
            await self.actions.toggle_town(town.code)

        controls: list[ft.Control] = [
            heading(profile_name(self.state, town), tokens),
            body_text(text_of(self.state, town.summary), tokens),
            action_button(t("Remove from my plan") if chosen else t("Add to my plan and compare"),
                          toggle, tokens, kind=ButtonKind.outline if chosen else ButtonKind.solid,
                          icon=ft.Icons.REMOVE if chosen else ft.Icons.ADD, key="toggle-town"),
            *plan_message(self.state),
            heading(t("In figures"), tokens, 2),
        ]
        for figure in town.figures:
            controls.append(ft.Column([
                ft.Text(t(FIGURE_LABELS[figure.key]),
                        style=tokens.text_style("heading_4", tokens.palette.text_strong)),
                copyable_text(value_text(self.state, figure),
                              tokens.text_style("body", tokens.palette.text)),
                *([ft.Text(text_of(self.state, figure.note), style=tokens.text_style(
                    "body", tokens.palette.text))] if figure.note else []),
                copyable_text(source_text(self.state, figure),
                              tokens.text_style("caption", tokens.palette.text_support)),
            ], spacing=tokens.space(1), tight=True))
        programmes = [p for p in view.all_programmes if p.municipality in (town.code, None)]
        if programmes:
            controls.append(heading(t("Support for people moving here"), tokens, 2))
            controls += [programme_row(self.state, self.nav, p) for p in programmes]
        return controls


# --- compare --------------------------------------------------------------------------------
class CompareScreen(Screen):
    def __init__(self, state: AppState, actions: RelocationActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav

    @property
    def title(self) -> str:
        return self.state.t("Compare towns")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [heading(self.title, tokens),
                body_text(t("Choose two or three towns. Each figure says which town is best "
                            "for it, and where the figure comes from."), tokens),
                self.region([Topic.relocation, Topic.relocation_plan], self._choices),
                self.region([Topic.relocation, Topic.relocation_plan], self._table)]

    def _choices(self) -> list[ft.Control]:
        tokens, view = self.state.tokens, self.state.relocation
        buttons: list[ft.Control] = []
        for item in TOWNS:
            chosen = item.code in view.plan.towns

            async def toggle(_e: ft.Event, code: str = item.code) -> None:
                await self.actions.toggle_town(code)

            buttons.append(ft.Semantics(content=action_button(
                town_name(self.state, item.code) or item.name, toggle, tokens,
                kind=ButtonKind.solid if chosen else ButtonKind.outline,
                icon=ft.Icons.CHECK if chosen else None, key=f"compare-{item.code}"),
                selected=chosen))
        # The message first: under fifteen buttons it would be out of sight on a phone.
        return [*plan_message(self.state), ft.Row(buttons, wrap=True, spacing=tokens.space(2),
                                                  run_spacing=tokens.space(2))]

    def _table(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.relocation
        towns = [town for code in view.plan.towns
                 for town in view.towns if town.code == code]
        if len(towns) < 2:
            return [body_text(t("Choose at least two towns to compare."), tokens,
                              support=True)]
        comparison = compare(towns)
        controls: list[ft.Control] = []
        for row in comparison.rows:
            controls.append(heading(t(FIGURE_LABELS[row.key]), tokens, 3))
            for index, (town, figure) in enumerate(zip(towns, row.cells, strict=True)):
                best = index in row.best
                text = f"{profile_name(self.state, town)}: {value_text(self.state, figure)}"
                if best:
                    text = t("{line} — best", line=text)
                controls.append(ft.Text(text, style=tokens.text_style(
                    "heading_4" if best else "body",
                    tokens.palette.text_strong if best else tokens.palette.text)))
            sources = sorted({source_text(self.state, f) for f in row.cells if f is not None})
            controls += [ft.Text(s, style=tokens.text_style("caption",
                                                            tokens.palette.text_support))
                         for s in sources]
        return controls


# --- budget ---------------------------------------------------------------------------------
class BudgetScreen(Screen):
    def __init__(self, state: AppState, actions: RelocationActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav
        t = state.t
        household = state.relocation.household
        self.adults = household.adults if household else 2
        self.cars = household.cars if household else 1
        self.town: str | None = household.town if household else (
            state.relocation.plan.towns[0] if state.relocation.plan.towns else state.town)
        self.children = text_field(
            state, label=t("Children's ages"), helper=t("In years, separated by commas, for "
                                                        "example 3, 7. Empty if none."),
            value=", ".join(map(str, household.children)) if household else "",
            key="budget-children")
        self.rent = text_field(
            state, label=t("Rent you expect (yen a month)"),
            helper=t("Empty: the town's typical rent for a 2LDK is used."),
            value=str(household.rent_yen) if household and household.rent_yen else "",
            key="budget-rent", keyboard_type=ft.KeyboardType.NUMBER)

    @property
    def title(self) -> str:
        return self.state.t("Budget check")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens

        async def calculate(_e: ft.Event) -> None:
            await self.actions.calculate(self.adults, self.children.value or "", self.cars,
                                         self.rent.value or "", self.town)

        return [
            heading(self.title, tokens),
            body_text(t("A rough monthly budget for your household in a town, with the "
                        "support you could receive. Every figure says what it is based on."),
                      tokens),
            self.region([Topic.budget], self._household),
            full_width(self.children),
            self.region([Topic.budget], lambda: self._problem("children")),
            full_width(self.rent),
            self.region([Topic.budget], lambda: self._problem("rent")),
            self.region([Topic.budget], lambda: self._problem("town")),
            action_button(t("Calculate"), calculate, tokens, icon=ft.Icons.CALCULATE,
                          key="calculate"),
            self.region([Topic.budget], self._result),
        ]

    def _household(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens

        def changed() -> None:
            self.actions.forget_budget()  # the budget shown answered another household
            self.state.changed(Topic.budget)

        async def adults(value: str) -> None:
            self.adults = int(value)
            changed()

        async def cars(value: str) -> None:
            self.cars = int(value)
            changed()

        async def town(code: str) -> None:
            self.town = code
            changed()

        # Each choice names what it counts ("2 adults"): a screen reader reads the button
        # alone, not the heading above it.
        return [
            picker(self.state, label=t("Town"), value=self.town or "",
                   options=[(item.code, town_name(self.state, item.code) or "")
                            for item in TOWNS], on_pick=town, key="budget-town"),
            heading(t("Adults"), tokens, 3),
            choice_list([(str(n), t.ngettext("{n} adult", "{n} adults", n).format(n=n))
                         for n in (1, 2, 3, 4)], str(self.adults), adults, tokens),
            heading(t("Cars"), tokens, 3),
            choice_list([("0", t("No car"))] + [
                (str(n), t.ngettext("{n} car", "{n} cars", n).format(n=n)) for n in (1, 2, 3)],
                str(self.cars), cars, tokens),
        ]

    def _problem(self, name: str) -> list[ft.Control]:
        """What is wrong with one field and how to fix it, under the field, read out. (A kept
        field is not redrawn with its region, so the message is a text of its own.)"""
        t, tokens = self.state.t, self.state.tokens
        problem = self.state.relocation.household_problems.get(name)
        if problem is None:
            return []
        return [ft.Semantics(content=ft.Text(t(problem), style=tokens.text_style(
            "body", tokens.palette.error)), live_region=True)]

    def _line(self, line: Line) -> ft.Control:
        t, tokens = self.state.t, self.state.tokens
        params = {k: t.number(v) if isinstance(v, int) else v for k, v in line.params.items()}
        basis = t(line.detail, **params) if line.detail else ""
        if line.sample:
            basis = t("{basis} (a sample figure)", basis=basis)
        elif line.assumption:
            basis = t("{basis} (an assumption)", basis=basis)
        amount = t.yen(line.amount_yen) if line.amount_yen is not None else t("Not known")
        return ft.Column([
            ft.Row([ft.Text(t(line.label), style=tokens.text_style("body", tokens.palette.text),
                            expand=True),
                    ft.Text(amount,
                            style=tokens.text_style("heading_4", tokens.palette.text_strong))],
                   spacing=tokens.space(2)),
            *([ft.Text(basis, style=tokens.text_style("caption", tokens.palette.text_support))]
              if basis else []),
        ], spacing=0, tight=True)

    def _result(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        result = self.state.relocation.budget
        if result is None:
            return []
        household = result.household
        people = t.ngettext("{n} person", "{n} people", household.people).format(
            n=household.people)
        controls: list[ft.Control] = [
            heading(t("Budget for {people} in {town}", people=people,
                      town=town_name(self.state, result.town) or result.town), tokens, 2),
            heading(t("Each month"), tokens, 3),
            *[self._line(line) for line in result.monthly],
            ft.Semantics(content=ft.Text(
                t("In all: about {total} a month", total=t.yen(result.monthly_total)),
                style=tokens.text_style("heading_3", tokens.palette.text_strong)),
                live_region=True),
        ]
        if result.one_off:
            controls += [heading(t("Support you may receive once"), tokens, 3),
                         *[self._line(line) for line in result.one_off]]
        if result.missing:
            controls.append(body_text(t("Some costs are not known and are not in the total."),
                                      tokens, support=True))
        controls += [self._line(note) for note in result.notes]
        if result.support:
            controls.append(heading(t("Other support that may help"), tokens, 2))
            controls += [programme_row(self.state, self.nav, p) for p in result.support]
        return controls


# --- programmes -----------------------------------------------------------------------------
def programme_row(state: AppState, nav: Navigator, programme: Programme) -> ft.Control:
    t = state.t
    where = town_name(state, programme.municipality) if programme.municipality else t(
        "All of Toyama")
    lines = [f"{t(KIND_LABELS[programme.kind])} ・ {where}"]
    if programme.amount_yen:
        lines.append(t("Up to {amount}", amount=t.yen(programme.amount_yen)))
    lines.append(text_of(state, programme.summary))
    return place_row(state, key=f"programme-{programme.id}",
                     title=text_of(state, programme.title), lines=lines,
                     on_click=go_to(nav, build(RoutePath.programme, programme=programme.id)))


class ProgrammesScreen(Screen):
    def __init__(self, state: AppState, actions: RelocationActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav

    @property
    def title(self) -> str:
        return self.state.t("Support programmes")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [heading(self.title, tokens),
                body_text(t("Grants, trial stays, jobs and places to work for people moving "
                            "to Toyama."), tokens),
                self.region([Topic.info_status], lambda: freshness(self.state)),
                self.region([Topic.relocation], self._list)]

    def _list(self) -> list[ft.Control]:
        t, view = self.state.t, self.state.relocation

        async def kind(value: str) -> None:
            await self.actions.set_programme_kind(None if value == ANY else ProgrammeKind(value))

        controls: list[ft.Control] = [picker(
            self.state, label=t("Kind"), value=view.programme_kind.value
            if view.programme_kind else ANY,
            options=[(ANY, t("All kinds"))] + [(k.value, t(KIND_LABELS[k]))
                                               for k in ProgrammeKind],
            on_pick=kind, key="programme-kind")]
        controls += [programme_row(self.state, self.nav, p) for p in view.programmes]
        return controls


class ProgrammeScreen(Screen):
    title_topics = frozenset({Topic.relocation})

    def __init__(self, state: AppState, nav: Navigator, programme_id: str) -> None:
        super().__init__(state)
        self.nav, self.programme_id = nav, programme_id

    @property
    def programme(self) -> Programme | None:
        found = self.state.relocation.programme
        return found if found is not None and found.id == self.programme_id else None

    @property
    def title(self) -> str:
        programme = self.programme
        return text_of(self.state, programme.title) if programme else self.state.t(
            "Support programmes")

    def build(self) -> list[ft.Control]:
        return [self.region([Topic.relocation, Topic.info_status], self._draw)]

    def _draw(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.relocation
        programme = self.programme
        if programme is None:
            if not view.programme_loaded or view.programme_id != self.programme_id:
                return [body_text(t("Loading…"), tokens, support=True)]
            if self.state.info_status.last_updated is None:
                return [body_text(t("Not downloaded yet. Connect to the internet once to "
                                    "download it."), tokens, support=True)]
            return [banner(t("This programme is not in the list any more"),
                           t("Please go back and choose another."), tokens,
                           BannerKind.warning)]
        where = town_name(self.state, programme.municipality) if programme.municipality else t(
            "All of Toyama")
        controls: list[ft.Control] = [
            heading(text_of(self.state, programme.title), tokens),
            body_text(f"{t(KIND_LABELS[programme.kind])} ・ {where}", tokens),
            body_text(text_of(self.state, programme.summary), tokens),
        ]
        if programme.amount_yen:
            controls += fact(self.state, t("Amount"), t("Up to {amount}",
                                                         amount=t.yen(programme.amount_yen)))
        controls += fact(self.state, t("Who can use it"),
                         text_of(self.state, programme.eligibility), selectable=True)
        buttons: list[ft.Control] = []
        if programme.procedure_id:
            buttons.append(action_button(
                t("Apply online"), go_to(self.nav, build(RoutePath.procedure,
                                                         procedure=programme.procedure_id)),
                tokens, icon=ft.Icons.DESCRIPTION_OUTLINED, key="programme-apply"))
        if programme.consultation_service_id:
            buttons.append(action_button(
                t("Book a consultation"), go_to(self.nav, build(
                    RoutePath.consultation, service=programme.consultation_service_id)),
                tokens, kind=ButtonKind.outline, icon=ft.Icons.EVENT_AVAILABLE_OUTLINED,
                key="programme-book"))
        if programme.phone:
            digits = "".join(ch for ch in programme.phone if ch.isdigit() or ch == "+")
            buttons.append(action_button(t("Call {phone}", phone=programme.phone), None, tokens,
                                         kind=ButtonKind.outline, icon=ft.Icons.CALL,
                                         url=f"tel:{digits}"))
        if programme.url:
            buttons.append(action_button(t("Website"), None, tokens, kind=ButtonKind.outline,
                                         icon=ft.Icons.OPEN_IN_NEW, url=programme.url))
        if buttons:
            controls.append(ft.Row(buttons, wrap=True, spacing=tokens.space(2),
                                   run_spacing=tokens.space(2)))
        source = t("Sample programme details: check with the office.") if programme.sample else (
            t("Source: {source}, {year}", source=programme.source, year=programme.year))
        controls.append(body_text(source, tokens, support=True))
        return controls


# --- my plan --------------------------------------------------------------------------------
class RelocationPlanScreen(Screen):
    """Towns of interest, notes and a checklist, on this device only (no login needed)."""

    def __init__(self, state: AppState, actions: RelocationActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav
        t = state.t

        async def left(e: ft.Event) -> None:
            await actions.save_notes(e.control.value or "")

        self.notes = text_field(state, label=t("Notes"),
                                helper=t("Saved on this device when you leave the field."),
                                value=state.relocation.plan.notes, multiline=True,
                                min_lines=3, max_lines=8, on_blur=left, key="plan-notes",
                                max_length=MAX_NOTES)
        self._notes_shown = state.relocation.plan_loaded

    def on_change(self, topics: frozenset[Topic]) -> list[ft.Control]:
        """The saved notes arrive from the device's storage after the screen opened: they go
        into the field once, unless the resident has started typing."""
        updated = super().on_change(topics)
        view = self.state.relocation
        if Topic.relocation_plan in topics and view.plan_loaded and not self._notes_shown:
            self._notes_shown = True
            if not self.notes.value:
                self.notes.value = view.plan.notes
                updated.append(self.notes)
        return updated

    @property
    def title(self) -> str:
        return self.state.t("My relocation plan")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens

        async def save(_e: ft.Event) -> None:
            await self.actions.save_notes(self.notes.value or "")

        return [
            heading(self.title, tokens),
            body_text(t("Kept on this device only; it works without a connection."), tokens,
                      support=True),
            heading(t("Towns of interest"), tokens, 2),
            self.region([Topic.relocation_plan, Topic.relocation], self._towns),
            heading(t("Notes"), tokens, 2),
            full_width(self.notes),
            action_button(t("Save notes"), save, tokens, kind=ButtonKind.outline,
                          icon=ft.Icons.SAVE, key="save-notes"),
            self.region([Topic.relocation_plan], lambda: plan_message(self.state)),
            heading(t("Checklist"), tokens, 2),
            self.region([Topic.relocation_plan], self._checklist),
        ]

    def _towns(self) -> list[ft.Control]:
        t, tokens, plan = self.state.t, self.state.tokens, self.state.relocation.plan
        if not plan.towns:
            return [body_text(t("None yet. Add towns from their profiles."), tokens,
                              support=True)]
        rows: list[ft.Control] = [
            place_row(self.state, key=f"plan-town-{code}",
                      title=town_name(self.state, code) or code, lines=[],
                      on_click=go_to(self.nav, build(RoutePath.town_profile, town=code)))
            for code in plan.towns]
        if len(plan.towns) >= 2:
            rows.append(action_button(t("Compare these towns"),
                                      go_to(self.nav, RoutePath.compare.value), tokens,
                                      icon=ft.Icons.COMPARE_ARROWS, key="plan-compare"))
        return rows

    def _checklist(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        controls: list[ft.Control] = []
        entries = {entry.id: entry for entry in CHECKLIST}
        for item in self.state.relocation.plan.checklist:
            entry = entries.get(item.id)

            async def toggled(done: bool, item_id: str = item.id) -> None:
                await self.actions.check_item(item_id, done)

            controls.append(checkbox(t(entry.label) if entry else item.id, item.done, toggled,
                                     tokens, key=f"check-{item.id}"))
            if entry is not None and entry.programme_kind is not None:
                controls.append(self._support_link(entry.programme_kind, item.id))
        return controls

    def _support_link(self, kind: ProgrammeKind, item_id: str) -> ft.Control:
        """The support for a step (trial stays, the grant...), listed with its e-application
        or booking where there is one."""
        t, tokens = self.state.t, self.state.tokens

        async def show(_e: ft.Event) -> None:
            await self.actions.set_programme_kind(kind)
            self.nav.go(RoutePath.programmes.value)

        return ft.Container(ft.TextButton(
            content=ft.Text(t("Support: {kind}", kind=t(KIND_LABELS[kind])),
                            style=tokens.text_style("body", tokens.palette.primary)),
            icon=ft.Icons.ARROW_FORWARD, on_click=show, key=f"support-{item_id}"),
            padding=ft.Padding.only(left=tokens.space(6)))


