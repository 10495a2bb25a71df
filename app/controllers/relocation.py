"""Moving to Toyama: the 15 towns' profiles, two or three compared side by side, a budget for
the household the user describes, the support programmes, and "my relocation plan" on the
device (towns of interest, notes, a checklist), all offline after one sync."""

from __future__ import annotations

import re
import unicodedata

from app.commands import Command
from app.state import AppState, Topic
from services.i18n import N_
from services.relocation import budget
from services.relocation.models import ProgrammeKind
from services.relocation.plan import MAX_TOWNS, PlanProblem, RelocationPlanRepository
from services.relocation.service import RelocationService

ADDED = N_("Added to your plan.")
REMOVED = N_("Removed from your plan.")
NOTES_SAVED = N_("Notes saved on this device.")
TOO_MANY = N_("You can compare up to three towns. Remove one first.")
BAD_AGES = N_("Write each child's age in years, separated by commas, for example 3, 7.")
ADULT_AGE = N_("Count children of 18 or older as adults.")
TOO_MANY_CHILDREN = N_("Up to 10 children can be counted here.")
BAD_YEN = N_("Write the amount in yen as digits, for example 65000, or leave it empty.")
NO_TOWN = N_("Choose a town.")
NOT_DOWNLOADED = N_("This town's figures are not downloaded yet. Connect to the internet once "
                    "and try again.")

_DIGITS = re.compile(r"[0-9]{1,8}")


def parse_ages(text: str) -> list[int] | str:
    """"3, 7", "３、７", "3 7歳" -> [3, 7]; else the msgid that says how to fix it."""
    folded = unicodedata.normalize("NFKC", text).replace("、", ",").replace("歳", "")
    parts = [p for p in re.split(r"[,\s]+", folded.strip()) if p]
    if not all(re.fullmatch(r"[0-9]{1,3}", p) for p in parts):
        return BAD_AGES
    ages = [int(p) for p in parts]
    if any(age >= budget.CHILD_AGE_LIMIT for age in ages):
        return ADULT_AGE
    if len(ages) > budget.MAX_CHILDREN:
        return TOO_MANY_CHILDREN
    return ages


def parse_yen(text: str) -> int | None | str:
    """"65,000", "65000円", "￥65,000" -> 65000; "" -> None; else the msgid of the problem."""
    folded = unicodedata.normalize("NFKC", text).strip()
    for junk in (",", "円", "¥", "\\", " "):
        folded = folded.replace(junk, "")
    if not folded:
        return None
    return int(folded) if _DIGITS.fullmatch(folded) else BAD_YEN


class RelocationController:
    def __init__(self, state: AppState, relocation: RelocationService,
                 plans: RelocationPlanRepository) -> None:
        self.state = state
        self._relocation = relocation
        self._plans = plans
        self._changing: set[str] = set()  # plan entries with a change on its way to storage
        self.save_notes = Command(self._save_notes, state, Topic.relocation_plan)
        self.calculate = Command(self._calculate, state, Topic.budget)

    # --- reading ------------------------------------------------------------------------
    async def load(self) -> None:
        view = self.state.relocation
        view.towns = await self._relocation.towns()
        view.all_programmes = await self._relocation.programmes()
        view.programmes = await self._relocation.programmes(kind=view.programme_kind)
        view.loaded = True
        self.state.changed(Topic.relocation)

    async def reload(self) -> None:
        """After a sync brought changes: the lists and what is open (a link opened before the
        first sync finds its town now)."""
        view = self.state.relocation
        if view.loaded:
            await self.load()
        if view.town_code:
            view.town = await self._relocation.town(view.town_code)
        if view.programme_id:
            view.programme = await self._relocation.programme(view.programme_id)
        self.state.changed(Topic.relocation)

    def select_town(self, code: str) -> None:
        """Before the town's screen is built: another town's profile must not show as this
        one's, and a message about another screen's change is no longer news."""
        view = self.state.relocation
        view.message = view.problem = None
        if view.town_code != code:
            view.town_code, view.town, view.town_loaded = code, None, False

    async def open_town(self, code: str) -> None:
        self.select_town(code)
        town = await self._relocation.town(code)
        view = self.state.relocation
        if view.town_code == code:  # not moved on meanwhile
            view.town, view.town_loaded = town, True
            self.state.changed(Topic.relocation)

    def select_programme(self, programme_id: str) -> None:
        view = self.state.relocation
        if view.programme_id != programme_id:
            view.programme_id, view.programme, view.programme_loaded = programme_id, None, False

    async def open_programme(self, programme_id: str) -> None:
        self.select_programme(programme_id)
        programme = await self._relocation.programme(programme_id)
        view = self.state.relocation
        if view.programme_id == programme_id:
            view.programme, view.programme_loaded = programme, True
            self.state.changed(Topic.relocation)

    async def set_programme_kind(self, kind: ProgrammeKind | None) -> None:
        view = self.state.relocation
        view.programme_kind = kind
        view.programmes = await self._relocation.programmes(kind=kind)
        self.state.changed(Topic.relocation)

    # --- my plan ------------------------------------------------------------------------
    async def load_plan(self) -> None:
        view = self.state.relocation
        view.plan, view.plan_loaded = await self._plans.load(), True
        view.message = view.problem = None
        self.state.changed(Topic.relocation_plan)

    def _said(self, message: str | None, problem: PlanProblem | None = None) -> None:
        view = self.state.relocation
        view.message, view.problem = message, problem.problem if problem else None

    async def toggle_town(self, code: str) -> None:
        """Add a town to the plan (and the comparison), or take it out. Not a Command: taps
        on two towns in a row must both count; the storage serialises the writes, and a
        second tap on the same town while its change is on its way is ignored."""
        if code in self._changing:
            return
        self._changing.add(code)
        view = self.state.relocation
        try:
            if code in view.plan.towns:
                view.plan = await self._plans.remove_town(code)
                self._said(REMOVED)
            elif len(view.plan.towns) >= MAX_TOWNS:
                self._said(TOO_MANY)
            else:
                view.plan = await self._plans.add_town(code)
                self._said(ADDED)
        except PlanProblem as problem:
            self._said(None, problem)
        finally:
            self._changing.discard(code)
        self.state.changed(Topic.relocation_plan)

    async def check_item(self, item_id: str, done: bool) -> None:
        """Tick or untick a checklist item (each tap counts, as with `toggle_town`)."""
        view = self.state.relocation
        try:
            view.plan = await self._plans.set_done(item_id, done)
            self._said(None)
        except PlanProblem as problem:
            self._said(None, problem)
        self.state.changed(Topic.relocation_plan)

    async def _save_notes(self, text: str, /) -> None:
        view = self.state.relocation
        if text.strip() == view.plan.notes:
            return
        try:
            view.plan = await self._plans.set_notes(text)
            self._said(NOTES_SAVED)
        except PlanProblem as problem:
            self._said(None, problem)

    # --- the budget ---------------------------------------------------------------------
    def forget_budget(self) -> None:
        """The household described changed: the budget shown no longer answers it."""
        view = self.state.relocation
        if view.budget is not None:
            view.budget = None
            self.state.changed(Topic.budget)

    async def _calculate(self, adults: int, ages_text: str, cars: int, rent_text: str,
                         town: str | None, /) -> None:
        view = self.state.relocation
        view.budget = None
        ages, rent = parse_ages(ages_text), parse_yen(rent_text)
        problems: dict[str, str] = {}
        if isinstance(ages, str):
            problems["children"] = ages
        if isinstance(rent, str):
            problems["rent"] = rent
        if not town:
            problems["town"] = NO_TOWN
        view.household_problems = problems
        if isinstance(ages, str) or isinstance(rent, str) or town is None:
            return
        view.household = budget.Household(adults=adults, children=tuple(ages), cars=cars,
                                          rent_yen=rent, income_yen=None, town=town)
        profile = await self._relocation.town(town)
        if profile is None:
            view.household_problems = {"town": NOT_DOWNLOADED}
            return
        programmes = await self._relocation.programmes(municipality=town)
        view.budget = budget.check(view.household, profile, programmes)
