"""My evacuation plan: my shelter per hazard, the family's meeting point, emergency contacts.

Kept in the device's key/value storage (services.preferences.KeyValueStore: the app's own
storage on a phone or desktop build, the browser's localStorage in web mode), under one key as
JSON, like saved journeys; nothing is sent to the server.

It is deliberately NOT sealed with the resident's key (services/crypto.py) the way personal data
from the server is: the plan is for an emergency, when there may be no network, no time and no
card or PIN at hand — it must open at once, without login. It never leaves the device, holds
only what the resident typed for this purpose, and the screen says so.

Reading is forgiving: damaged storage reads as an empty plan, a damaged entry is skipped;
nothing here raises because of what is in storage. Writing checks what the resident typed and
answers a Problem (forms.problems) instead of saving something wrong.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from forms.problems import Problem, ProblemCode
from services.info.models import Hazard
from services.preferences import KeyValueStore

STORAGE_KEY = "kitokito.evacuation_plan.v1"
MAX_TEXT = 200
MAX_NAME = 80
MAX_CONTACTS = 10

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanShelter:
    record_id: str  # the shelters dataset's id
    name: str  # as it was when chosen: still shown if the record is withdrawn or not synced


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str  # as typed, width-folded: digits and hyphens


@dataclass(frozen=True)
class EvacuationPlan:
    shelters: dict[Hazard, PlanShelter] = field(default_factory=dict)
    meeting_point: str = ""
    contacts: tuple[Contact, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.shelters or self.meeting_point or self.contacts)

    def to_json(self) -> str:
        return json.dumps({
            "shelters": {h.value: {"record_id": s.record_id, "name": s.name}
                         for h, s in self.shelters.items()},
            "meeting_point": self.meeting_point,
            "contacts": [{"name": c.name, "phone": c.phone} for c in self.contacts],
        }, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: object) -> EvacuationPlan:
        """Forgiving: anything unreadable is left out; never raises."""
        if not isinstance(raw, str) or not raw:
            return cls()
        try:
            data = json.loads(raw)
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        shelters: dict[Hazard, PlanShelter] = {}
        raw_shelters = data.get("shelters")
        for key, value in (raw_shelters.items() if isinstance(raw_shelters, dict) else ()):
            if key in Hazard._value2member_map_ and _strings(value, "record_id", "name"):
                shelters[Hazard(key)] = PlanShelter(value["record_id"], value["name"])
        meeting = data.get("meeting_point")
        contacts = data.get("contacts")
        return cls(
            shelters=shelters,
            meeting_point=meeting[:MAX_TEXT] if isinstance(meeting, str) else "",
            contacts=tuple(Contact(c["name"], c["phone"])
                           for c in (contacts if isinstance(contacts, list) else ())
                           if _strings(c, "name", "phone"))[:MAX_CONTACTS])


def _strings(value: Any, *keys: str) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k), str) and value[k]
                                           for k in keys)


_PHONE = re.compile(r"^0[0-9-]+$")
_ELEVEN_DIGITS = ("090", "080", "070", "050", "020")


def normalize_phone(text: str) -> str:
    """Width folded, spaces around removed; 「０９０‐１２３４‐５６７８」 -> 090-1234-5678."""
    text = unicodedata.normalize("NFKC", text).strip()
    return re.sub(r"[‐‑–—―−ー]", "-", text)


def check_phone(text: str) -> Problem | None:
    """A Japanese phone number: digits and hyphens, starting with 0, 10 or 11 digits."""
    phone = normalize_phone(text)
    if not phone:
        return Problem(("phone",), ProblemCode.required)
    digits = phone.replace("-", "")
    # Mobile, IP and pager numbers (090, 080, 070, 050, 020) have 11 digits; the others 10.
    length = 11 if digits[:3] in _ELEVEN_DIGITS else 10
    if not _PHONE.match(phone) or "--" in phone or phone.endswith("-") \
            or len(digits) != length:
        return Problem(("phone",), ProblemCode.not_a_phone)
    return None


def _check_text(path: str, text: str, limit: int, *, required: bool) -> Problem | None:
    if required and not text:
        return Problem((path,), ProblemCode.required)
    if len(text) > limit:
        return Problem((path,), ProblemCode.too_long, {"max": limit})
    return None


class PlanProblem(ValueError):
    """What the resident typed cannot be saved: show `problem` next to the field."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code.value)
        self.problem = problem


class EvacuationPlanRepository:
    """The device's evacuation plan. One instance per session (its storage is the session's)."""

    def __init__(self, storage: KeyValueStore) -> None:
        self._storage = storage
        self._lock = asyncio.Lock()  # changes read, change and write the one key

    async def load(self) -> EvacuationPlan:
        """Damaged content reads as an empty plan (the storage's own errors pass through, so
        a change never writes over a plan it could not read)."""
        return EvacuationPlan.from_json(await self._storage.get(STORAGE_KEY))

    async def set_shelter(self, hazard: Hazard, record_id: str, name: str) -> EvacuationPlan:
        shelter = PlanShelter(record_id, " ".join(name.split())[:MAX_TEXT])
        return await self._change(lambda p: replace(p, shelters={**p.shelters, hazard: shelter}))

    async def clear_shelter(self, hazard: Hazard) -> EvacuationPlan:
        return await self._change(lambda p: replace(
            p, shelters={h: s for h, s in p.shelters.items() if h != hazard}))

    async def set_meeting_point(self, text: str) -> EvacuationPlan:
        """Raises PlanProblem (too_long) when it cannot be kept."""
        text = " ".join(text.split())
        problem = _check_text("meeting_point", text, MAX_TEXT, required=False)
        if problem:
            raise PlanProblem(problem)
        return await self._change(lambda p: replace(p, meeting_point=text))

    async def add_contact(self, name: str, phone: str) -> EvacuationPlan:
        """Raises PlanProblem (required / too_long for the name; required / not_a_phone for
        the phone; too_many_items past MAX_CONTACTS)."""
        name = " ".join(unicodedata.normalize("NFKC", name).split())
        problem = _check_text("name", name, MAX_NAME, required=True) or check_phone(phone)
        if problem:
            raise PlanProblem(problem)
        contact = Contact(name, normalize_phone(phone))

        def add(plan: EvacuationPlan) -> EvacuationPlan:
            if len(plan.contacts) >= MAX_CONTACTS:
                raise PlanProblem(Problem(("contacts",), ProblemCode.too_many_items,
                                          {"max": MAX_CONTACTS}))
            return replace(plan, contacts=(*plan.contacts, contact))

        return await self._change(add)

    async def remove_contact(self, index: int) -> EvacuationPlan:
        return await self._change(lambda p: replace(
            p, contacts=tuple(c for i, c in enumerate(p.contacts) if i != index)))

    async def _change(self, change: Callable[[EvacuationPlan], EvacuationPlan]) -> EvacuationPlan:
        async with self._lock:
            plan = change(await self.load())
            await self._storage.set(STORAGE_KEY, plan.to_json())
            return plan
