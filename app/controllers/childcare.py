"""Childcare: facilities by type and the child's age, nearest first; a child's check-up and
vaccination schedule from their birth date."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

from app.state import AppState, Topic
from services.i18n import N_
from services.info.models import ChildcareType
from services.info.schedules import timetable
from services.info.service import InfoService

SHOWN = 50
ALL = 10_000
NOT_A_DATE = N_("Write the birth date as year, month and day, for example 2025-04-01 or "
                "令和7年4月1日.")
IN_THE_FUTURE = N_("The birth date is in the future. Please check the year.")
TOO_OLD = N_("The schedule covers children up to 13 years old.")

# Japanese eras a parent may write a child's birth date in, with each era's first year.
ERAS = {"令和": 2019, "平成": 1989}
ERA_NAMES = {"R": "令和", "H": "平成"}
ERA_SPANS = {"令和": (date(2019, 5, 1), date(9999, 12, 31)),
             "平成": (date(1989, 1, 8), date(2019, 4, 30))}
_WESTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_ERA = re.compile(r"^(令和|平成|R|H)(\d{1,2}|元)[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_birth_date(text: str) -> date | None:
    """2025-04-01, 2025/4/1, 2025年4月1日, 20250401, 令和7年4月1日, R7.4.1, 令和元年5月1日."""
    folded = unicodedata.normalize("NFKC", text).strip().replace(" ", "").upper()
    try:
        if found := _WESTERN.match(folded) or _COMPACT.match(folded):
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        if found := _ERA.match(folded):
            year = 1 if found.group(2) == "元" else int(found.group(2))
            era = ERA_NAMES.get(found.group(1), found.group(1))
            day = date(ERAS[era] + year - 1, int(found.group(3)), int(found.group(4)))
            first, last = ERA_SPANS[era]
            return day if first <= day <= last else None  # 令和元年1月1日 was still 平成
    except ValueError:  # 2025-02-30
        return None
    return None


class ChildcareController:
    def __init__(self, state: AppState, info: InfoService,
                 now: Callable[[], datetime]) -> None:
        self.state = state
        self._info = info
        self._now = now
        self._asked = 0

    async def search(self, query: str) -> None:
        self.state.childcare.query = query
        await self.load()

    async def set_kind(self, kind: ChildcareType | None) -> None:
        self.state.childcare.kind = kind
        await self.load()

    async def set_age(self, months: int | None) -> None:
        self.state.childcare.age_months = months
        await self.load()

    async def load(self) -> None:
        self._asked += 1
        asked = self._asked
        view = self.state.childcare
        found = await self._info.childcare(
            query=view.query, type=view.kind, age_months=view.age_months,
            near=self.state.where.here, town=self.state.search_town, limit=ALL)
        if asked != self._asked:
            return
        view.results, view.total, view.loaded = found[:SHOWN], len(found), True
        self.state.changed(Topic.childcare)

    async def reload(self) -> None:
        if self.state.childcare.loaded:
            await self.load()

    def set_birth_text(self, text: str, *, finished: bool = False) -> None:
        """While typing, a schedule appears as soon as the date reads; what is wrong with it
        is said once the resident leaves the field or asks (`finished`), not at every key."""
        view = self.state.checkups
        view.birth_text = text
        birth = parse_birth_date(text) if text.strip() else None
        today = self._now().date()
        view.problem = None
        if text.strip() and birth is None:
            view.problem = NOT_A_DATE
        elif birth is not None and birth > today:
            view.problem = IN_THE_FUTURE
        elif birth is not None and (today - birth).days > 13 * 366:
            view.problem = TOO_OLD
        view.birth = birth if view.problem is None else None
        view.items = timetable(view.birth) if view.birth else []
        if not finished and view.problem == NOT_A_DATE:
            view.problem = None  # still typing
        self.state.changed(Topic.checkups)

    def today(self) -> date:
        return self._now().date()
