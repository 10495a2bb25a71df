"""Trip planning for the app: validated requests, stop choices, and the timetable's validity.

Wraps the on-device planner (services.transit) with what a screen needs: input checks that
name what to fix, a plain answer when the chosen date is outside the timetables (with the same
weekday inside them to try instead), and planning off the event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from services.i18n import JAPAN_TZ, Language
from services.transit import (
    Journey,
    NearbyStop,
    Network,
    PlanOptions,
    PlanResult,
    Prefer,
    StopMatch,
    TransitService,
)
from services.transit.kana import kana_to_romaji

ELDERLY_WALK_SPEED_M_S = 0.8  # about two-thirds of the usual 1.2 m/s


class TripMode(StrEnum):
    depart = "depart"
    arrive = "arrive"


class TripEnd(StrEnum):
    """Which end of a trip a stop field is for."""

    origin = "origin"
    destination = "destination"


class JourneySource(StrEnum):
    """Where a journey shown on its own screen comes from."""

    result = "result"  # a row of the latest search
    saved = "saved"  # one the resident saved on this device


class TripProblem(StrEnum):
    """Why a request cannot be planned; the screen shows a translated sentence for each."""

    no_origin = "no_origin"
    no_destination = "no_destination"
    same_stop = "same_stop"
    bad_date = "bad_date"
    bad_time = "bad_time"


class TripRequestError(ValueError):
    def __init__(self, problems: list[TripProblem]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class TripRequest:
    origin: str  # stop or station id, from a StopMatch
    destination: str
    day: date
    seconds: int  # seconds of the service day
    mode: TripMode = TripMode.depart
    fewer_transfers: bool = False
    less_walking: bool = False
    slow_walking: bool = False

    def options(self) -> PlanOptions:
        prefer = Prefer.fewer_transfers if self.fewer_transfers else (
            Prefer.less_walking if self.less_walking else Prefer.fastest
        )
        speed = ELDERLY_WALK_SPEED_M_S if self.slow_walking else 1.2
        return PlanOptions(prefer=prefer, walk_speed_m_s=speed)


@dataclass(frozen=True)
class Validity:
    """The chosen date is outside the bundled timetables: say so and offer a date inside."""

    valid_from: date
    valid_to: date
    suggestion: date


@dataclass(frozen=True)
class TripPlan:
    request: TripRequest
    result: PlanResult
    validity: Validity | None

    @property
    def journeys(self) -> tuple[Journey, ...]:
        if not self.result.reachable:
            return ()
        return self.result.options or ((self.result.journey,) if self.result.journey else ())


_DATE = re.compile(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*$")


def parse_day(text: str) -> date | None:
    found = _DATE.match(text or "")
    if not found:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def parse_clock(text: str) -> int | None:
    """'8:30' or '08:30' -> seconds; hours 0-23 only (the screen's clock, not GTFS time)."""
    found = _TIME.match((text or "").translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    if not found:
        return None
    hours, minutes = int(found.group(1)), int(found.group(2))
    if hours > 23 or minutes > 59:
        return None
    return hours * 3600 + minutes * 60


def build_request(
    *,
    origin: str | None,
    destination: str | None,
    day_text: str,
    time_text: str,
    mode: TripMode = TripMode.depart,
    fewer_transfers: bool = False,
    less_walking: bool = False,
    slow_walking: bool = False,
) -> TripRequest:
    """Check everything the resident entered at once, so one message lists every fix."""
    problems: list[TripProblem] = []
    if not origin:
        problems.append(TripProblem.no_origin)
    if not destination:
        problems.append(TripProblem.no_destination)
    if origin and destination and origin == destination:
        problems.append(TripProblem.same_stop)
    day = parse_day(day_text)
    if day is None:
        problems.append(TripProblem.bad_date)
    seconds = parse_clock(time_text)
    if seconds is None:
        problems.append(TripProblem.bad_time)
    if problems:
        raise TripRequestError(problems)
    assert origin and destination and day is not None and seconds is not None
    return TripRequest(origin, destination, day, seconds, mode, fewer_transfers, less_walking,
                       slow_walking)


def same_weekday_inside(day: date, valid_from: date, valid_to: date) -> date:
    """The date with `day`'s weekday nearest to `day`'s place in the year, inside the range."""
    for year in range(valid_to.year, valid_from.year - 1, -1):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29 February
            candidate = date(year, 2, 28)
        shift = (day.weekday() - candidate.weekday()) % 7
        for option in (candidate + timedelta(days=shift), candidate - timedelta(days=7 - shift)):
            if valid_from <= option <= valid_to and option.weekday() == day.weekday():
                return option
    start = valid_from + timedelta(days=(day.weekday() - valid_from.weekday()) % 7)
    return min(start, valid_to)


def journey_key(day: date, journey: Journey) -> tuple[object, ...]:
    """Identifies a journey across re-planning (what a ticket was issued for)."""
    return (day.isoformat(), journey.leaves_at, journey.arrival,
            tuple(ride.trip_id for ride in journey.rides))


def stop_label(match: StopMatch, language: Language) -> str:
    """The name a resident of this language reads first; Japanese stays the default."""
    if language.is_japanese:
        return match.name
    if match.name_en:
        return match.name_en
    if match.name_kana:
        return kana_to_romaji(match.name_kana).title()
    return match.name


class TripService:
    """Process-wide: the network is public data, loaded once in the background."""

    def __init__(self, load: Callable[[], TransitService]) -> None:
        self._load = load
        self._service: TransitService | None = None
        self._error: str | None = None
        self._ready = threading.Event()
        self._loaded: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._lock = threading.Lock()  # the planner caches timetables: one query at a time

    def start_loading(self) -> None:
        threading.Thread(target=self._load_now, name="transit-load", daemon=True).start()

    def _load_now(self) -> None:
        try:
            service = self._load()
            service.warm_up(datetime.now(JAPAN_TZ).date())
            service.search_stops("富山", 1)  # builds the name index, so typing is instant
            self._service = service
        except Exception as exc:  # noqa: BLE001 - reported on the screen, not swallowed
            self._error = f"{type(exc).__name__}: {exc}"
        finally:
            self._ready.set()
            self._loaded.set_result(None)

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self._service is not None

    @property
    def error(self) -> str | None:
        return self._error

    async def wait_ready(self, timeout_s: float = 60.0) -> bool:
        # Awaiting a future the loading thread completes, not a worker thread blocked per
        # waiting session: the default executor is small and shared with everything else.
        try:
            # shield: a timeout must not cancel the shared future the loader will complete.
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(self._loaded)), timeout_s)
        except TimeoutError:
            pass
        return self.ready

    def _require(self) -> TransitService:
        if self._service is None:
            raise RuntimeError(self._error or "timetables are still loading")
        return self._service

    async def search_stops(self, query: str, limit: int = 8) -> list[StopMatch]:
        if not query.strip():
            return []
        service = self._require()
        return await asyncio.to_thread(self._locked, service.search_stops, query, limit)

    async def nearest_stops(self, lat: float, lon: float, limit: int = 3) -> list[NearbyStop]:
        service = self._require()
        return await asyncio.to_thread(self._locked, service.nearest_stops, lat, lon, limit)

    def validity(self, day: date) -> Validity | None:
        service = self._require()
        if not service.network.outside_validity(day):
            return None
        ranges = [(start, end) for start, end in service.network.validity().values()
                  if start and end]
        valid_from = max(start for start, _end in ranges)
        valid_to = min(end for _start, end in ranges)
        return Validity(valid_from, valid_to, same_weekday_inside(day, valid_from, valid_to))

    async def plan(self, request: TripRequest) -> TripPlan:
        service = self._require()
        if request.mode == TripMode.arrive:
            result = await asyncio.to_thread(
                self._locked, service.plan_arrive_by, request.origin, request.destination,
                request.day, request.seconds, request.options())
        else:
            result = await asyncio.to_thread(
                self._locked, service.plan, request.origin, request.destination, request.day,
                request.seconds, request.options())
        return TripPlan(request, result, self.validity(request.day))

    def network(self) -> Network:
        """The loaded network (for mapping realtime ids onto it)."""
        return self._require().network

    def fare_yen(self, journey: Journey) -> int | None:
        return self._require().fare_yen(journey)

    def _locked(self, fn, *args):
        with self._lock:
            return fn(*args)
