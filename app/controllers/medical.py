"""Medical care: find a clinic or hospital by name, department and opening time, nearest first.

Typing in the search asks the device's store at each letter (a few milliseconds over every
record); an answer that arrives after a newer question is dropped, so the list always matches
what is in the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time

from app.state import AppState, OpenWhen, Topic
from services.i18n import JAPAN_TZ, N_
from services.info.service import InfoService

SHOWN = 50  # rows in a list; the count says how many more matched
ALL = 10_000  # ask for every match: the count is shown, the list is cut to SHOWN
BAD_TIME = N_("Write the time as hours and minutes, for example 21:30.")
BAD_DAY = N_("Choose a day from the list.")

_TIME = re.compile(r"^(\d{1,2})(?:[:：時]?(\d{2})分?)?時?$")


def parse_time(text: str) -> time | None:
    """"21:30", "2130", "9", "９時", "21時30分" -> a time; None when it is not one."""
    folded = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    found = _TIME.match(folded)
    if not found:
        return None
    hours, minutes = int(found.group(1)), int(found.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def japan_now() -> datetime:
    return datetime.now(JAPAN_TZ)


class MedicalController:
    def __init__(self, state: AppState, info: InfoService,
                 now: Callable[[], datetime] = japan_now) -> None:
        self.state = state
        self._info = info
        self.now = now
        self._asked = 0  # the newest question; older answers are dropped

    async def search(self, query: str) -> None:
        self.state.medical.query = query
        await self.load()

    async def set_department(self, department: str | None) -> None:
        self.state.medical.department = department
        await self.load()

    async def set_when(self, when: OpenWhen) -> None:
        view = self.state.medical
        view.when = when
        if when == OpenWhen.at and not view.day_text:
            now = self.now()
            view.day_text, view.time_text = now.date().isoformat(), now.strftime("%H:%M")
        await self.load()

    async def set_day(self, iso_day: str) -> None:
        self.state.medical.day_text = iso_day
        await self.load()

    async def set_time_text(self, text: str) -> None:
        self.state.medical.time_text = text
        await self.load()

    def moment(self) -> datetime | None:
        """The time the opening hours are checked for; None for "any time" or when the day or
        time cannot be read (the problem is then in the state)."""
        view = self.state.medical
        view.problem = None
        if view.when == OpenWhen.any_time:
            return None
        if view.when == OpenWhen.now:
            return self.now()
        try:
            day = date.fromisoformat(view.day_text)
        except ValueError:
            view.problem = BAD_DAY
            return None
        clock = parse_time(view.time_text)
        if clock is None:
            view.problem = BAD_TIME
            return None
        return datetime.combine(day, clock, JAPAN_TZ)

    async def load(self) -> None:
        self._asked += 1
        asked = self._asked
        view = self.state.medical
        moment = view.asked_at = self.moment()
        if view.problem:
            view.results, view.total, view.loaded = [], 0, True
            self.state.changed(Topic.medical)
            return
        found = await self._info.medical(
            query=view.query, department=view.department, open_at=moment,
            near=self.state.where.here, town=self.state.search_town, limit=ALL)
        if asked != self._asked:
            return
        view.results, view.total, view.loaded = found[:SHOWN], len(found), True
        self.state.changed(Topic.medical)
