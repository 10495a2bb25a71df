"""GTFS-Realtime TripUpdates -> per trip/stop delays, and delays applied to journeys.

A delay given at one stop holds for the following stops of that trip until the next
update (the GTFS-Realtime propagation rule). Absolute times are turned into delays against
the schedule of the trip's service date in the feed's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from google.protobuf.message import DecodeError
from google.transit import gtfs_realtime_pb2

from .journey import Journey, RideLeg
from .network import Network

SKIPPED = 1  # StopTimeUpdate.ScheduleRelationship.SKIPPED


class RealtimeError(ValueError):
    """The bytes are not a GTFS-Realtime FeedMessage."""


@dataclass(frozen=True)
class StopDelay:
    stop_sequence: int | None
    stop_id: str | None
    arrival_delay: int | None
    departure_delay: int | None
    arrival_time: int | None  # POSIX seconds
    departure_time: int | None
    skipped: bool = False


@dataclass
class TripDelays:
    trip_id: str
    start_date: str = ""
    canceled: bool = False
    updates: list[StopDelay] = field(default_factory=list)


@dataclass
class RealtimeDelays:
    """Parsed TripUpdates keyed by the network's trip id (namespaced like the network)."""

    trips: dict[str, TripDelays] = field(default_factory=dict)
    timestamp: int = 0

    def delay_at(
        self, net: Network, trip_id: str, position: int, departure: bool, service_day: date,
    ) -> int | None:
        """Delay (s) of the trip at the `position`-th call of its stop_times, or None."""
        info = self.trips.get(trip_id)
        ti = net.trip_index.get(trip_id)
        if info is None or ti is None or info.canceled:
            return None
        trip = net.trips[ti]
        seq, stop_id = trip.sequences[position], net.stops[net.patterns[trip.pattern].stops[
            position]].local_id
        chosen: StopDelay | None = None
        for upd in info.updates:  # updates are in trip order; the last one at or before wins
            at = _position_of(net, trip, upd)
            if at is None or at > position:
                continue
            chosen = upd
            if at == position:
                break
        if chosen is None:
            return None
        exact = chosen.stop_sequence == seq or chosen.stop_id == stop_id
        delay = _delay_of(chosen, departure or not exact)
        if delay is None:
            scheduled = trip.departures[position] if departure else trip.arrivals[position]
            absolute = chosen.departure_time if departure else chosen.arrival_time
            absolute = absolute or chosen.arrival_time or chosen.departure_time
            if absolute is None or not exact:
                return None
            tz = ZoneInfo(_timezone(net, trip.feed))
            day = _start_date(info, service_day)
            midnight_noon = datetime(day.year, day.month, day.day, 12, tzinfo=tz) - timedelta(
                hours=12)
            delay = absolute - int(midnight_noon.timestamp()) - scheduled
        return delay


def _delay_of(upd: StopDelay, departure: bool) -> int | None:
    first, second = (
        (upd.departure_delay, upd.arrival_delay) if departure
        else (upd.arrival_delay, upd.departure_delay)
    )
    return first if first is not None else second


def _position_of(net: Network, trip, upd: StopDelay) -> int | None:
    if upd.stop_sequence is None and upd.stop_id is None:
        return 0  # a trip-level delay holds from the first stop
    if upd.stop_sequence is not None and upd.stop_sequence in trip.sequences:
        return trip.sequences.index(upd.stop_sequence)
    if upd.stop_id is not None:
        stops = net.patterns[trip.pattern].stops
        for i, s in enumerate(stops):
            if net.stops[s].local_id == upd.stop_id:
                return i
    return None


def _start_date(info: TripDelays, fallback: date) -> date:
    s = info.start_date
    if len(s) == 8 and s.isdigit():
        return date(int(s[:4]), int(s[4:6]), int(s[6:]))
    return fallback


def _timezone(net: Network, feed_ns: str) -> str:
    return net.feeds[feed_ns].timezone or "Asia/Tokyo"


def parse_trip_updates(data: bytes, feed_prefix: str = "") -> RealtimeDelays:
    """Parse FeedMessage bytes. `feed_prefix` namespaces trip ids like the network does."""
    msg = gtfs_realtime_pb2.FeedMessage()
    try:
        msg.ParseFromString(data)
    except DecodeError as exc:
        raise RealtimeError(f"not a GTFS-Realtime message: {exc}") from exc
    result = RealtimeDelays(timestamp=msg.header.timestamp)
    for entity in msg.entity:
        if not entity.HasField("trip_update"):
            continue
        tu = entity.trip_update
        tid = f"{feed_prefix}:{tu.trip.trip_id}" if feed_prefix else tu.trip.trip_id
        info = TripDelays(tid, tu.trip.start_date, tu.trip.schedule_relationship == 3)
        for stu in tu.stop_time_update:
            info.updates.append(StopDelay(
                stop_sequence=stu.stop_sequence if stu.HasField("stop_sequence") else None,
                stop_id=stu.stop_id or None,
                arrival_delay=_field(stu, "arrival", "delay"),
                departure_delay=_field(stu, "departure", "delay"),
                arrival_time=_field(stu, "arrival", "time"),
                departure_time=_field(stu, "departure", "time"),
                skipped=stu.schedule_relationship == SKIPPED,
            ))
        if not info.updates and tu.HasField("delay"):
            info.updates.append(StopDelay(None, None, tu.delay, tu.delay, None, None))
        result.trips[tid] = info
    return result


def _field(stu, event: str, name: str) -> int | None:
    if not stu.HasField(event):
        return None
    ev = getattr(stu, event)
    return getattr(ev, name) if ev.HasField(name) else None


def apply_delays(
    net: Network, journey: Journey, delays: RealtimeDelays, service_day: date
) -> Journey:
    """Copy of the journey whose ride legs carry `delay_s` (departure delay at boarding)."""
    legs = []
    for leg in journey.legs:
        if isinstance(leg, RideLeg):
            ti = net.trip_index.get(leg.trip_id)
            delay = None
            if ti is not None:
                pos = net.trips[ti].sequences.index(leg.from_sequence)
                day = service_day - timedelta(days=1) if leg.previous_service_day else service_day
                delay = delays.delay_at(net, leg.trip_id, pos, True, day)
            leg = leg.with_delay(delay)
        legs.append(leg)
    return replace(journey, legs=tuple(legs))
