"""Plain records of one GTFS / GTFS-JP feed as loaded from disk (ids are the feed's own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .csvfile import FeedIssue


@dataclass(frozen=True)
class Stop:
    stop_id: str
    name: str
    lat: float | None
    lon: float | None
    location_type: int = 0
    parent_station: str = ""
    platform_code: str = ""
    zone_id: str = ""


@dataclass(frozen=True)
class Route:
    route_id: str
    agency_id: str
    short_name: str
    long_name: str
    route_type: int

    @property
    def display_name(self) -> str:
        return self.short_name or self.long_name or self.route_id


@dataclass(frozen=True)
class Trip:
    trip_id: str
    route_id: str
    service_id: str
    headsign: str


@dataclass(frozen=True)
class StopTime:
    """One call of a trip at a stop; times are seconds of the trip's service day."""

    stop_id: str
    sequence: int
    arrival: int
    departure: int
    pickup: int = 0  # 1 = no boarding here
    drop_off: int = 0  # 1 = no alighting here


@dataclass(frozen=True)
class Frequency:
    trip_id: str
    start: int
    end: int
    headway: int


@dataclass(frozen=True)
class ServicePattern:
    """calendar.txt row: weekday flags Monday..Sunday and the date range."""

    weekdays: tuple[bool, ...]
    start: date
    end: date


@dataclass(frozen=True)
class Transfer:
    from_stop: str
    to_stop: str
    transfer_type: int
    min_time: int | None


@dataclass(frozen=True)
class FareAttribute:
    fare_id: str
    price: float
    currency: str
    transfers: int | None


@dataclass(frozen=True)
class FareRule:
    fare_id: str
    route_id: str
    origin_id: str
    destination_id: str
    contains_id: str


@dataclass
class Feed:
    """Everything the planner, fares and stop search need from one feed."""

    name: str
    stops: dict[str, Stop] = field(default_factory=dict)
    routes: dict[str, Route] = field(default_factory=dict)
    trips: dict[str, Trip] = field(default_factory=dict)
    stop_times: dict[str, list[StopTime]] = field(default_factory=dict)  # sorted by sequence
    calendar: dict[str, ServicePattern] = field(default_factory=dict)
    calendar_dates: dict[str, dict[date, int]] = field(default_factory=dict)
    frequencies: dict[str, list[Frequency]] = field(default_factory=dict)
    transfers: list[Transfer] = field(default_factory=list)
    fare_attributes: dict[str, FareAttribute] = field(default_factory=dict)
    fare_rules: list[FareRule] = field(default_factory=list)
    # translations[japanese text or record key][lang] = text (lang 'en', 'ja-Hrkt', ...)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    agency_names: dict[str, str] = field(default_factory=dict)
    agency_official_names: dict[str, str] = field(default_factory=dict)  # agency_jp.txt
    route_origin_dest: dict[str, tuple[str, str]] = field(default_factory=dict)  # routes_jp.txt
    timezone: str = ""  # agency_timezone of the first agency
    feed_version: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    content_hash: str = ""
    issues: list[FeedIssue] = field(default_factory=list)

    def translation(self, text: str, lang: str) -> str | None:
        return self.translations.get(text, {}).get(lang)
