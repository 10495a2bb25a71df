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
from services.relocation.plan import PlanProblem, RelocationPlanRepository
from services.relocation.service import RelocationService

MAX_COMPARED = 3
ADDED = N_("Added to your plan.")
REMOVED = N_("Removed from your plan.")
NOTES_SAVED = N_("Notes saved on this device.")
TOO_MANY = N_("You can compare up to three towns. Remove one first.")
BAD_AGES = N_("Write each child's age in years, separated by commas, for example 3, 7.")
BAD_YEN = N_("Write the amount in yen as digits, for example 65000, or leave it empty.")
NO_TOWN = N_("Choose a town.")

_AGE = re.compile(r"^\d{1,2}$")


def parse_ages(text: str) -> list[int] | None:
    """"3, 7", "３、７", "3 7" -> [3, 7]; None when a part is not an age."""
    folded = unicodedata.normalize("NFKC", text).replace("、", ",").replace("歳", "")
    parts = [p for p in re.split(r"[,\s]+", folded.strip()) if p]
    if not all(_AGE.match(p) and int(p) < 23 for p in parts):
        return None
    return [int(p) for p in parts]


def parse_yen(text: str) -> int | None | bool:
    """"65,000", "６万5千"? no: digits only (commas, 円 and ¥ allowed). None when empty;
    False when it cannot be read."""
    folded = unicodedata.normalize("NFKC", text).strip()
    for junk in (",", "円", "¥", " "):
        folded = folded.replace(junk, "")
    if not folded:
        return None
    return int(folded) if folded.isdigit() and len(folded) <= 8 else False


class RelocationController:
    def __init__(self, state: AppState, relocation: RelocationService,
                 plans: RelocationPlanRepository) -> None:
        self.state = state
        self._relocation = relocation
        self._plans = plans
        self.toggle_town = Command(self._toggle_town, state, Topic.relocation_plan)
        self.save_notes = Command(self._save_notes, state, Topic.relocation_plan)
        self.check_item = Command(self._check_item, state, Topic.relocation_plan)
        self.calculate = Command(self._calculate, state, Topic.budget)

    # --- reading ------------------------------------------------------------------------
    async def load(self) -> None:
        view = self.state.relocation
        view.towns = await self._relocation.towns()
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

    async def open_town(self, code: str) -> None:
        view = self.state.relocation
        view.town_code, view.town = code, await self._relocation.town(code)
        if not view.loaded:
            await self.load()
        self.state.changed(Topic.relocation)

    async def open_programme(self, programme_id: str) -> None:
        view = self.state.relocation
        view.programme_id = programme_id
        view.programme = await self._relocation.programme(programme_id)
        self.state.changed(Topic.relocation)

    async def set_programme_kind(self, kind: ProgrammeKind | None) -> None:
        self.state.relocation.programme_kind = kind
        await self.load()

    # --- my plan ------------------------------------------------------------------------
    async def load_plan(self) -> None:
        view = self.state.relocation
        view.plan, view.plan_loaded = await self._plans.load(), True
        self.state.changed(Topic.relocation_plan)

    def _said(self, message: str | None, problem: PlanProblem | None = None) -> None:
        view = self.state.relocation
        view.message, view.problem = message, problem.problem if problem else None

    async def _toggle_town(self, code: str, /) -> None:
        view = self.state.relocation
        try:
            if code in view.plan.towns:
                view.plan = await self._plans.remove_town(code)
                self._said(REMOVED)
            elif len(view.plan.towns) >= MAX_COMPARED:
                self._said(TOO_MANY)
            else:
                view.plan = await self._plans.add_town(code)
                self._said(ADDED)
        except PlanProblem as problem:
            self._said(None, problem)

    async def _save_notes(self, text: str, /) -> None:
        view = self.state.relocation
        if text == view.plan.notes:
            return
        try:
            view.plan = await self._plans.set_notes(text)
            self._said(NOTES_SAVED)
        except PlanProblem as problem:
            self._said(None, problem)

    async def _check_item(self, item_id: str, done: bool, /) -> None:
        view = self.state.relocation
        view.plan = await self._plans.set_done(item_id, done)
        self._said(None)

    # --- the budget ---------------------------------------------------------------------
    async def _calculate(self, adults: int, ages_text: str, cars: int, rent_text: str,
                         town: str | None, /) -> None:
        view = self.state.relocation
        problems: dict[str, str] = {}
        ages = parse_ages(ages_text)
        if ages is None:
            problems["children"] = BAD_AGES
        rent = parse_yen(rent_text)
        if rent is False:
            problems["rent"] = BAD_YEN
        if not town:
            problems["town"] = NO_TOWN
        view.household_problems = problems
        if problems or ages is None or rent is False or town is None:
            view.budget = None
            return
        view.household = budget.Household(adults=adults, children=tuple(ages), cars=cars,
                                          rent_yen=rent if isinstance(rent, int) else None,
                                          income_yen=None, town=town)
        await self._recalculate()

    async def _recalculate(self) -> None:
        view = self.state.relocation
        household = view.household
        if household is None:
            return
        profile = await self._relocation.town(household.town)
        if profile is None:
            view.budget = None
            return
        programmes = await self._relocation.programmes(municipality=household.town)
        view.budget = budget.check(household, profile, programmes)
        self.state.changed(Topic.budget)
