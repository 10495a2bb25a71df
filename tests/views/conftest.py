"""Shared fixtures of the view tests: a session state in a language, controllers whose
commands record what a view asked for, and any screen built through the route registry."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from app import routes
from app.commands import Command
from app.paths import match
from app.state import AppState, Resident
from forms.bundled import load_catalogue
from services.consultations.models import Service
from services.i18n import JAPAN_TZ
from services.models import Notice, NoticeCategory
from services.mynumber import CardSummary, Sex
from services.preferences import Preferences
from services.transit import Journey, RideLeg, StopInfo, WalkLeg
from views.screen import Screen

CARD = CardSummary(serial="01", name="立山 花子", municipality="富山市",
                   birth_date=date(1948, 4, 10), sex=Sex.female,
                   auth_not_after=datetime(2030, 1, 1, tzinfo=UTC), auth_locked=False)

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2019, 6, 12)
ARAYA = StopInfo("toyama_city_2019:feeder:15_1", "荒屋", name_en="Araya")
HASUMACHI = StopInfo("toyama_city_2019:feeder:12_1", "蓮町", name_en="Hasumachi")
TRAM = StopInfo("toyama_city_2019:portram:3", "蓮町電停")


def ride(delay_s: int | None = None) -> RideLeg:
    return RideLeg("toyama_city_2019:feeder:2_1+平日+1", "feeder:2_1", "フィーダーバス", "蓮町",
                   "富山地方鉄道", ARAYA, HASUMACHI, 22440, 23040, (), 4, 10, "toyama_city_2019",
                   delay_s=delay_s)


def journey(delay_s: int | None = None) -> Journey:
    return Journey((ride(delay_s), WalkLeg(HASUMACHI, TRAM, 23040, 23160)), 22200, 23160)


def state_in(language: str, **prefs: Any) -> AppState:
    return AppState(Preferences(language=language, **prefs))


@dataclass
class Recorder:
    """Commands that record their arguments instead of doing anything."""

    state: AppState
    calls: list[tuple] = field(default_factory=list)

    def command(self, name: str) -> Command:
        async def record(*args: Any) -> None:
            self.calls.append((name, *args))

        return Command(record, self.state)


class FakeTrips:
    """TripActions: records what the trip screens ask for; the journey comes from state."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self.calls = recorder.calls
        for name in ("use_location", "plan", "use_date", "save", "remove_saved", "share",
                     "issue_ticket"):
            setattr(self, name, recorder.command(name))
        self.saved_journeys: list[tuple[date, Journey]] = []

    async def search(self, which, query):
        self.calls.append(("search", which, query))

    def choose(self, which, found):
        self.calls.append(("choose", which, found))

    def swap(self):
        self.calls.append(("swap",))

    def __getattr__(self, name: str):
        if name.startswith("set_"):
            return lambda value: self.calls.append((name, value))
        raise AttributeError(name)

    def fare_yen(self, _journey):
        return 210

    def journey(self, source, index):
        plan = self.recorder.state.trips.plan
        if source == "result" and plan and index < len(plan.journeys):
            return plan.request.day, plan.journeys[index]
        return None


class FakeApplications:
    """ApplicationActions: the real bundled catalogue; commands record what was asked; the
    open draft and its problems come from state (set by the test)."""

    def __init__(self, recorder: Recorder) -> None:
        self.calls = recorder.calls
        self.state = recorder.state
        self.catalogue = {p.id: p for p in load_catalogue().procedures}
        for name in ("start", "check", "sign", "pay", "submit", "refresh", "withdraw",
                     "correct", "discard", "dismiss", "receipt", "attach", "log_out_anyway"):
            setattr(self, name, recorder.command(name))
        self.shown_problems: dict[tuple, list] = {}

    def procedure(self, procedure_id: str):
        return self.catalogue.get(procedure_id)

    def procedures_in(self, category):
        return [p for p in self.catalogue.values() if p.category == category]

    def search(self, query: str) -> None:
        self.calls.append(("search", query))

    def open_draft(self, draft_id: str):
        return self.state.applications.draft

    def value(self, path):
        draft = self.state.applications.draft
        current: Any = draft.values if draft else {}
        for part in path:
            try:
                current = current[part]
            except (KeyError, IndexError, TypeError):
                return None
        return current

    def set_value(self, path, value) -> None:
        self.calls.append(("set_value", path, value))

    def leave_field(self, field_id: str) -> None:
        self.calls.append(("leave_field", field_id))

    def add_item(self, group_id: str) -> None:
        self.calls.append(("add_item", group_id))

    def remove_item(self, group_id: str, index: int) -> None:
        self.calls.append(("remove_item", group_id, index))

    def problems_of(self, path):
        return self.shown_problems.get(tuple(path), [])


def controllers(state: AppState) -> SimpleNamespace:
    recorder = Recorder(state)
    went: list[str] = []
    logins: list[str] = []
    auth = SimpleNamespace(
        login=recorder.command("login"), logout=recorder.command("logout"),
        extend=recorder.command("extend"),
        choose_card=lambda card: recorder.calls.append(("choose", card)))
    return SimpleNamespace(
        calls=recorder.calls, went=went, logins=logins,
        nav=SimpleNamespace(go=went.append, log_in_and_return=logins.append),
        settings=SimpleNamespace(**{name: recorder.command(name) for name in (
            "set_language", "set_text_size", "set_simplified", "set_high_contrast")}),
        notices=SimpleNamespace(refresh=recorder.command("refresh")),
        devices=SimpleNamespace(refresh=recorder.command("refresh_devices"),
                                log_out=recorder.command("log_out_device"),
                                log_out_others=recorder.command("log_out_others")),
        auth=auth, trips=FakeTrips(recorder), applications=FakeApplications(recorder),
        info=SimpleNamespace(**{name: recorder.command(name) for name in (
            "refresh", "locate", "choose_town", "open")}),
        medical=FakeSearch(recorder, "medical"), childcare=FakeSearch(recorder, "childcare"),
        disaster=FakeDisaster(recorder), consultations=FakeConsultations(recorder),
        tourism=FakeSearch(recorder, "tourism"), search=FakeSearch(recorder, "search"),
        relocation=FakeRelocation(recorder))


class FakeRelocation:
    def __init__(self, recorder: Recorder) -> None:
        self.calls = recorder.calls
        for name in ("save_notes", "calculate"):
            setattr(self, name, recorder.command(name))

    async def toggle_town(self, code) -> None:
        self.calls.append(("toggle_town", code))

    async def check_item(self, item_id, done) -> None:
        self.calls.append(("check_item", item_id, done))

    async def set_programme_kind(self, kind) -> None:
        self.calls.append(("set_programme_kind", kind))

    def forget_budget(self) -> None:
        self.calls.append(("forget_budget",))

    def select_town(self, code) -> None:
        self.calls.append(("select_town", code))

    def select_programme(self, programme_id) -> None:
        self.calls.append(("select_programme", programme_id))


def seeded_services() -> dict[str, Service]:
    """The server's bundled services, read as the client reads the catalogue."""
    raw = json.loads((ROOT / "server" / "seed" / "consultations" / "services.json").read_text())
    fields = set(Service.model_fields)
    return {item["id"]: Service.model_validate({k: v for k, v in item.items() if k in fields})
            for item in raw["services"]}


class FakeConsultations:
    """ConsultationActions: commands record; services are the bundled ones; bookings come
    from state."""

    def __init__(self, recorder: Recorder) -> None:
        self.calls, self.state = recorder.calls, recorder.state
        self.services = seeded_services()
        for name in ("book", "cancel", "cancel_anonymous", "save_calendar", "refresh"):
            setattr(self, name, recorder.command(name))
        self.free: dict[str, datetime] = {}

    def now(self) -> datetime:
        return NOW

    def service(self, service_id: str):
        return self.services.get(service_id)

    def next_free(self, service):
        return self.free.get(service.id)

    def languages(self) -> list[str]:
        return ["ja", "en", "vi"]

    def booking(self, booking_id: str):
        return next((b for b in self.state.consultations.bookings if b.id == booking_id), None)

    def questionnaire(self, service_id: str):
        return None

    def __getattr__(self, name: str):
        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((name, *args))
        return record


NOW = datetime(2026, 12, 6, 10, 30, tzinfo=JAPAN_TZ)  # a Sunday morning


class FakeSearch:
    """Medical and childcare actions: what a view asks is recorded; results come from state."""

    def __init__(self, recorder: Recorder, area: str) -> None:
        self.calls, self.area = recorder.calls, area

    def now(self) -> datetime:
        return NOW

    def today(self) -> date:
        return NOW.date()

    def __getattr__(self, name: str):
        async def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((f"{self.area}.{name}", *args))

        if name in ("search", "load") or name.startswith("set_"):
            return record
        if name.startswith("select_"):  # chosen before a details screen is built
            return lambda *args: self.calls.append((f"{self.area}.{name}", *args))
        raise AttributeError(name)


class FakeDisaster:
    def __init__(self, recorder: Recorder) -> None:
        self.calls = recorder.calls
        for name in ("set_shelter", "set_meeting_point", "add_contact", "remove_contact"):
            setattr(self, name, recorder.command(name))

    async def set_hazard(self, hazard) -> None:
        self.calls.append(("set_hazard", hazard))


def screen(path: str, state: AppState, actions: SimpleNamespace | None = None) -> Screen:
    found = match(path)
    return routes.route_for(found).screen(state, actions or controllers(state), found)


def logged_in(language: str) -> AppState:
    state = state_in(language)
    state.auth.resident = Resident(CARD.name, CARD.municipality)
    general = NoticeCategory.general
    items = [
        Notice(id=1, category=general, published_at=datetime(2026, 11, 28, tzinfo=UTC),
               title="県のお知らせ", body="本文", lang="ja"),
        Notice(id=2, category=general, published_at=datetime(2026, 11, 20, tzinfo=UTC),
               title="【富山市】ごみ収集", body="本文", lang="ja", municipality="富山市"),
        Notice(id=3, category=general, published_at=datetime(2026, 11, 27, tzinfo=UTC),
               title="【高岡市】除雪", body="本文", lang="ja", municipality="高岡市"),
    ]
    state.set_notices(items, last_updated=None, offline=False)
    return state
