"""Disaster prevention: warnings in force for the resident's town, shelters for the hazard at
hand nearest first, AEDs near by, and "my evacuation plan" kept on the device."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.commands import Command
from app.state import AppState, Topic
from forms.problems import Problem
from services.i18n import N_
from services.info.models import Hazard
from services.info.plan import EvacuationPlanRepository, PlanProblem
from services.info.service import InfoService

SHOWN = 50  # rows in a list; the count says how many more matched
ALL = 10_000  # ask for every match: the count is shown, the list is cut to SHOWN
SHELTER_SET = N_("Saved in your evacuation plan on this device.")
CONTACT_ADDED = N_("Contact added.")
CONTACT_REMOVED = N_("Contact removed.")
MEETING_SAVED = N_("Meeting point saved.")


class DisasterController:
    def __init__(self, state: AppState, info: InfoService, plans: EvacuationPlanRepository,
                 now: Callable[[], datetime]) -> None:
        self.state = state
        self._info = info
        self._plans = plans
        self._now = now
        self._asked = 0  # the newest shelters question; older answers are dropped
        self.set_shelter = Command(self._set_shelter, state, Topic.plan, Topic.place)
        self.set_meeting_point = Command(self._set_meeting_point, state, Topic.plan)
        self.add_contact = Command(self._add_contact, state, Topic.plan)
        self.remove_contact = Command(self._remove_contact, state, Topic.plan)

    async def load_alerts(self) -> None:
        """The warnings in force for the town shown (also on the home)."""
        town = self.state.town
        view = self.state.disaster
        view.alerts = await self._info.alerts(town, self._now()) if town else []
        self.state.changed(Topic.alerts)

    async def load_shelters(self) -> None:
        self._asked += 1
        asked = self._asked
        view = self.state.disaster
        found = await self._info.shelters(hazard=view.hazard, near=self.state.where.here,
                                          town=self.state.search_town, limit=ALL)
        if asked != self._asked:
            return
        view.shelters, view.shelter_total, view.loaded = found[:SHOWN], len(found), True
        self.state.changed(Topic.shelters)

    async def load_aeds(self) -> None:
        found = await self._info.aeds(near=self.state.where.here, town=self.state.search_town,
                                      limit=SHOWN)
        self.state.disaster.aeds = list(found)
        self.state.changed(Topic.aeds)

    async def reload(self) -> None:
        """After a sync or a move of "nearest to": what is shown is asked again."""
        await self.load_alerts()
        if self.state.disaster.loaded:
            await self.load_shelters()
        if self.state.disaster.aeds:
            await self.load_aeds()

    async def set_hazard(self, hazard: Hazard) -> None:
        self.state.disaster.hazard = hazard
        await self.load_shelters()

    async def load_plan(self) -> None:
        self.state.disaster.plan = await self._plans.load()
        self.state.changed(Topic.plan)

    def _done(self, notice: str | None = None, problem: Problem | None = None) -> None:
        self.state.disaster.notice, self.state.disaster.plan_problem = notice, problem

    async def _set_shelter(self, hazard: Hazard, record_id: str, name: str, /) -> None:
        self.state.disaster.plan = await self._plans.set_shelter(hazard, record_id, name)
        self._done(SHELTER_SET)

    async def _set_meeting_point(self, text: str, /) -> None:
        try:
            self.state.disaster.plan = await self._plans.set_meeting_point(text)
        except PlanProblem as exc:
            self._done(problem=exc.problem)
        else:
            self._done(MEETING_SAVED)

    async def _add_contact(self, name: str, phone: str, /) -> None:
        try:
            self.state.disaster.plan = await self._plans.add_contact(name, phone)
        except PlanProblem as exc:
            self._done(problem=exc.problem)
        else:
            self._done(CONTACT_ADDED)

    async def _remove_contact(self, index: int, /) -> None:
        self.state.disaster.plan = await self._plans.remove_contact(index)
        self._done(CONTACT_REMOVED)
