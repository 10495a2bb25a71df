"""My relocation plan: the towns I am comparing (up to three), my notes and a moving checklist.

Kept in the device's key/value storage (services.preferences.KeyValueStore: the app's own
storage on a phone or desktop build, the browser's localStorage in web mode) under one key as
JSON, like the evacuation plan (services/info/plan.py); it works offline and nothing is sent to
the server. Someone thinking of moving here is usually not a resident with a card and a login,
so the plan is not sealed with a resident's key; it holds only what the person typed for this
purpose, and the screen says it stays on the device.

Reading is forgiving: damaged storage reads as an empty plan, an unknown town or checklist item
is dropped, over-long notes are cut. Writing checks what is asked and answers a Problem
(forms.problems) instead of saving something wrong.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, replace

from forms.problems import Problem, ProblemCode
from services.i18n import N_
from services.info.plan import PlanProblem
from services.info.towns import town as town_of
from services.preferences import KeyValueStore
from services.relocation.models import ProgrammeKind

STORAGE_KEY = "kitokito.relocation_plan.v1"
MAX_TOWNS = 3  # compared side by side
MAX_NOTES = 2000


@dataclass(frozen=True)
class ChecklistEntry:
    """One step of moving. `programme_kind` links the plan's towns' programmes of that kind
    (whose procedure_id / consultation_service_id lead to the e-application or the booking);
    `procedure_id` is an e-application that applies whichever the town."""

    id: str
    label: str  # msgid
    programme_kind: ProgrammeKind | None = None
    procedure_id: str | None = None


CHECKLIST: tuple[ChecklistEntry, ...] = (
    ChecklistEntry("trial_stay", N_("Try living there: a trial stay"), ProgrammeKind.trial_stay),
    ChecklistEntry("job", N_("Find a job, or agree remote work with your employer"),
                   ProgrammeKind.job_matching),
    ChecklistEntry("home", N_("Find a home: vacant-house bank or a rental"),
                   ProgrammeKind.housing),
    ChecklistEntry("move_in", N_("Register your move at the town hall within 14 days, "
                                 "with your My Number card")),
    ChecklistEntry("relocation_grant", N_("Apply for the relocation grant between 3 months "
                                          "and 1 year after moving"),
                   ProgrammeKind.relocation_grant),
    ChecklistEntry("nursery", N_("Apply for a nursery place"), ProgrammeKind.childcare),
    ChecklistEntry("school", N_("Transfer your children to their new school")),
    ChecklistEntry("child_medical", N_("Register for the children's medical care subsidy"),
                   ProgrammeKind.childcare),
    ChecklistEntry("licence", N_("Change the address on your driving licence")),
    ChecklistEntry("car", N_("Change the address of your car's registration and insurance")),
    ChecklistEntry("winter", N_("Get winter tyres and a snow shovel before December")),
    ChecklistEntry("utilities", N_("Start electricity, water and gas; learn the rubbish days")),
)
_ENTRY_IDS = tuple(e.id for e in CHECKLIST)


@dataclass(frozen=True)
class ChecklistItem:
    id: str  # a CHECKLIST entry's id
    done: bool


def _known_town(code: object) -> bool:
    """One of the 15 municipalities by its 6-digit code (as the datasets key them)."""
    return isinstance(code, str) and len(code) == 6 and town_of(code) is not None


def _fresh_checklist(done: frozenset[str] = frozenset()) -> tuple[ChecklistItem, ...]:
    return tuple(ChecklistItem(i, i in done) for i in _ENTRY_IDS)


@dataclass(frozen=True)
class RelocationPlan:
    towns: tuple[str, ...] = ()  # municipality codes, at most MAX_TOWNS
    notes: str = ""
    checklist: tuple[ChecklistItem, ...] = _fresh_checklist()  # every entry, in CHECKLIST order

    @property
    def empty(self) -> bool:
        return not (self.towns or self.notes or any(i.done for i in self.checklist))

    def to_json(self) -> str:
        return json.dumps({"towns": list(self.towns), "notes": self.notes,
                           "done": [i.id for i in self.checklist if i.done]},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: object) -> RelocationPlan:
        """Forgiving: anything unreadable is left out; never raises."""
        if not isinstance(raw, str) or not raw:
            return cls()
        try:
            data = json.loads(raw)
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        towns: list[str] = []
        raw_towns = data.get("towns")
        for code in raw_towns if isinstance(raw_towns, list) else ():
            if _known_town(code) and code not in towns:
                towns.append(code)
        notes = data.get("notes")
        done = data.get("done")
        return cls(towns=tuple(towns[:MAX_TOWNS]),
                   notes=notes[:MAX_NOTES] if isinstance(notes, str) else "",
                   checklist=_fresh_checklist(frozenset(
                       d for d in (done if isinstance(done, list) else ()) if isinstance(d, str))))


class RelocationPlanRepository:
    """The device's relocation plan. One instance per session (its storage is the session's)."""

    def __init__(self, storage: KeyValueStore) -> None:
        self._storage = storage
        self._lock = asyncio.Lock()  # changes read, change and write the one key

    async def load(self) -> RelocationPlan:
        """Damaged content reads as an empty plan (the storage's own errors pass through, so a
        change never writes over a plan it could not read)."""
        return RelocationPlan.from_json(await self._storage.get(STORAGE_KEY))

    async def add_town(self, code: str) -> RelocationPlan:
        """Raises PlanProblem: unknown_choice (not one of the 15), too_many_items (a fourth)."""
        if not _known_town(code):
            raise PlanProblem(Problem(("towns",), ProblemCode.unknown_choice))

        def add(plan: RelocationPlan) -> RelocationPlan:
            if code in plan.towns:
                return plan
            if len(plan.towns) >= MAX_TOWNS:
                raise PlanProblem(Problem(("towns",), ProblemCode.too_many_items,
                                          {"max": MAX_TOWNS}))
            return replace(plan, towns=(*plan.towns, code))

        return await self._change(add)

    async def remove_town(self, code: str) -> RelocationPlan:
        return await self._change(
            lambda p: replace(p, towns=tuple(t for t in p.towns if t != code)))

    async def set_notes(self, text: str) -> RelocationPlan:
        """Raises PlanProblem (too_long past MAX_NOTES characters)."""
        text = text.strip()
        if len(text) > MAX_NOTES:
            raise PlanProblem(Problem(("notes",), ProblemCode.too_long, {"max": MAX_NOTES}))
        return await self._change(lambda p: replace(p, notes=text))

    async def set_done(self, item_id: str, done: bool) -> RelocationPlan:
        """Raises PlanProblem (unknown_choice for an id not in CHECKLIST)."""
        if item_id not in _ENTRY_IDS:
            raise PlanProblem(Problem(("checklist",), ProblemCode.unknown_choice))
        return await self._change(lambda p: replace(p, checklist=tuple(
            ChecklistItem(i.id, done if i.id == item_id else i.done) for i in p.checklist)))

    async def _change(self, change: Callable[[RelocationPlan], RelocationPlan]) -> RelocationPlan:
        async with self._lock:
            plan = change(await self.load())
            await self._storage.set(STORAGE_KEY, plan.to_json())
            return plan
