"""What the app shows: journeys as typed, immutable records. Times are seconds of the query's
service day (may exceed 24 h; a previous-day run shows as its time minus 24 h)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .clock import format_time


@dataclass(frozen=True)
class StopInfo:
    id: str
    name: str
    platform_code: str = ""
    name_en: str | None = None
    name_kana: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class StopCall:
    stop: StopInfo
    arrival: int
    departure: int


@dataclass(frozen=True)
class RideLeg:
    trip_id: str
    route_id: str
    route_name: str
    headsign: str
    agency: str
    from_stop: StopInfo
    to_stop: StopInfo
    departure: int
    arrival: int
    intermediate: tuple[StopCall, ...]
    from_sequence: int
    to_sequence: int
    feed: str
    previous_service_day: bool = False  # a run of yesterday's timetable (after 24:00)
    delay_s: int | None = None  # realtime: None = no information, 0 = on time

    @property
    def kind(self) -> str:
        return "ride"

    @property
    def delay_minutes(self) -> int | None:
        return None if self.delay_s is None else round(self.delay_s / 60)

    @property
    def delay_text(self) -> str:
        """'on time', '+3 min', '-1 min' or '' when no realtime information."""
        m = self.delay_minutes
        if m is None:
            return ""
        return "on time" if m == 0 else f"{m:+d} min"

    def with_delay(self, delay_s: int | None) -> RideLeg:
        return replace(self, delay_s=delay_s)


@dataclass(frozen=True)
class WalkLeg:
    from_stop: StopInfo
    to_stop: StopInfo
    departure: int
    arrival: int

    @property
    def kind(self) -> str:
        return "walk"

    @property
    def seconds(self) -> int:
        return self.arrival - self.departure


Leg = RideLeg | WalkLeg


@dataclass(frozen=True)
class Journey:
    legs: tuple[Leg, ...]
    departure: int
    arrival: int

    @property
    def rides(self) -> tuple[RideLeg, ...]:
        return tuple(leg for leg in self.legs if isinstance(leg, RideLeg))

    @property
    def transfers(self) -> int:
        return max(0, len(self.rides) - 1)

    @property
    def walking_seconds(self) -> int:
        return sum(leg.seconds for leg in self.legs if isinstance(leg, WalkLeg))

    @property
    def duration(self) -> int:
        return self.arrival - self.departure

    @property
    def leaves_at(self) -> int:
        """When the traveller actually sets off: the first leg, not the time they asked for."""
        return self.legs[0].departure if self.legs else self.departure

    @property
    def travel_time(self) -> int:
        return self.arrival - self.leaves_at


@dataclass(frozen=True)
class ParetoPoint:
    transfers: int
    arrival: int


@dataclass(frozen=True)
class PlanResult:
    """`journey` is the one to show first; `options` are the Pareto journeys (fewer
    transfers first). `warnings` carries e.g. "date outside the feed's validity"."""

    reachable: bool
    journey: Journey | None = None
    options: tuple[Journey, ...] = ()
    pareto: tuple[ParetoPoint, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def arrival(self) -> int | None:
        return self.journey.arrival if self.journey else None

    def to_json_dict(self) -> dict:
        """The CLI contract shape (transit-planner.md)."""
        if not self.reachable or self.journey is None:
            return {"reachable": False}
        legs = []
        for leg in self.journey.legs:
            item: dict[str, str | bool | None] = {
                "trip_id": leg.trip_id if isinstance(leg, RideLeg) else None,
                "from": leg.from_stop.id, "dep": format_time(leg.departure),
                "to": leg.to_stop.id, "arr": format_time(leg.arrival),
            }
            if isinstance(leg, WalkLeg):
                item["walk"] = True
            legs.append(item)
        return {
            "reachable": True,
            "arrival": format_time(self.journey.arrival),
            "transfers": self.journey.transfers,
            "pareto": [
                {"transfers": p.transfers, "arrival": format_time(p.arrival)} for p in self.pareto
            ],
            "legs": legs,
        }
