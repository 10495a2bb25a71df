"""The one object the app screen talks to: stop search, planning, fares, realtime."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .clock import parse_time
from .fares import Fare, FareCalculator
from .journey import Journey, PlanResult
from .network import Network
from .planner import DEFAULT_OPTIONS, Planner, PlanOptions
from .realtime import RealtimeDelays, apply_delays, parse_trip_updates
from .stop_search import NearbyStop, StopIndex, StopMatch


def _seconds(t: int | str) -> int:
    return parse_time(t) if isinstance(t, str) else t


class TransitService:
    def __init__(self, network: Network, cache_dir: str | Path | None = None) -> None:
        self.network = network
        self.planner = Planner(network, cache_dir)
        self.fares = FareCalculator(network)
        self._stop_index: StopIndex | None = None

    @classmethod
    def bundled(cls, cache_dir: str | Path | None = None) -> TransitService:
        from .bundled import load_bundled_network

        return cls(load_bundled_network(), cache_dir)

    def warm_up(self, day: date) -> None:
        """Build (or read from the disk cache) the timetable of `day` ahead of the first query."""
        self.planner.timetable(day)

    def search_stops(self, query: str, limit: int = 20) -> list[StopMatch]:
        if self._stop_index is None:
            self._stop_index = StopIndex(self.network)
        return self._stop_index.search(query, limit)

    def nearest_stops(self, lat: float, lon: float, limit: int = 3) -> list[NearbyStop]:
        if self._stop_index is None:
            self._stop_index = StopIndex(self.network)
        return self._stop_index.nearest(lat, lon, limit)

    def plan(
        self, origin: str, destination: str, day: date, depart: int | str,
        options: PlanOptions = DEFAULT_OPTIONS,
    ) -> PlanResult:
        return self.planner.plan(origin, destination, day, _seconds(depart), options)

    def plan_arrive_by(
        self, origin: str, destination: str, day: date, arrive_by: int | str,
        options: PlanOptions = DEFAULT_OPTIONS,
    ) -> PlanResult:
        return self.planner.plan_arrive_by(origin, destination, day, _seconds(arrive_by), options)

    def fare(self, journey: Journey) -> Fare | None:
        return self.fares.journey_fare(journey)

    def fare_yen(self, journey: Journey) -> int | None:
        return self.fares.journey_yen(journey)

    def with_realtime(
        self, journey: Journey, trip_updates: bytes | RealtimeDelays, day: date,
        feed_prefix: str = "",
    ) -> Journey:
        delays = (
            trip_updates if isinstance(trip_updates, RealtimeDelays)
            else parse_trip_updates(trip_updates, feed_prefix)
        )
        return apply_delays(self.network, journey, delays, day)
