"""Live delays for the trips screen: fetch the backend's GTFS-Realtime TripUpdates and put
"+2 min" / "on time" on the ride legs of a plan.

    client = RealtimeClient(api_url)                  # process-wide is fine: public data
    data = await client.fetch()                       # bytes, or None when unchanged (304)
    live = LiveDelays.parse(data or client.latest, network)
    plan = apply_realtime(plan, live, today=today_in_toyama())

The backend serves the bus operator's feed unchanged, so its ids are the operator's own
("2_1+平日+1", stop "15_1"). The bundled network plans over the merged city feed, where the
feeder bus's ids carry a "feeder:" tag and the network namespaces them by feed:
trip "toyama_city_2019:feeder:2_1+平日+1", stop local id "feeder:15_1". FeedMapping says how to
get from one to the other (TOYAMA_FEEDER is the one for the bundled data).

Delays are shown only for the service day they are about: each trip update's start_date, else
the date of the feed's header timestamp in Asia/Tokyo, else `today` (GTFS-Realtime: a trip
without a start_date is today's run). A plan for any other day gets no realtime information
(delay_s None), never yesterday's delays.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import httpx

from services.api import DEFAULT_TIMEOUT, BadResponse, Offline, Rejected, ServerError
from services.errors import ApiError
from services.i18n import JAPAN_TZ
from services.transit.journey import Journey, RideLeg
from services.transit.network import Network
from services.transit.realtime import (
    RealtimeDelays,
    RealtimeError,
    TripDelays,
    parse_trip_updates,
)
from services.trips import TripPlan, TripService

log = logging.getLogger(__name__)

TRIP_UPDATES_PATH = "/v1/transit/trip-updates"
MEDIA_TYPE = "application/x-protobuf"


@dataclass(frozen=True)
class FeedMapping:
    """Operator ids -> network ids: trips get `trip_prefix + ":"`, stops `stop_prefix + ":"`."""

    trip_prefix: str = ""
    stop_prefix: str = ""


TOYAMA_FEEDER = FeedMapping(trip_prefix="toyama_city_2019:feeder", stop_prefix="feeder")


def today_in_toyama() -> date:
    return datetime.now(JAPAN_TZ).date()


class RealtimeClient:
    """GET /v1/transit/trip-updates with ETag revalidation.

    `fetch()` answers the new bytes, or None when nothing changed since this client's last
    fetch; `latest` keeps the last bytes received, so several screens (or browser sessions)
    sharing one client all have the data. Network trouble raises services.api.Offline, a 5xx
    ServerError (502/503/504 count as Offline), any other 4xx Rejected, a wrong content type
    BadResponse.
    """

    def __init__(
        self, base_url: str, transport: httpx.AsyncBaseTransport | None = None, *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), transport=transport, timeout=timeout)
        self._etag: str | None = None
        self.latest: bytes | None = None

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(self) -> bytes | None:
        headers = {"Accept": MEDIA_TYPE}
        if self._etag and self.latest is not None:
            headers["If-None-Match"] = self._etag
        try:
            response = await self._client.get(TRIP_UPDATES_PATH, headers=headers)
        except (httpx.TransportError, OSError) as exc:
            raise Offline(type(exc).__name__) from None
        status = response.status_code
        if status == 304:
            return None
        if status in (502, 503, 504):
            raise Offline(f"{status}")
        if status >= 500:
            raise ServerError(status, response.text[:200])
        if status >= 400:
            raise Rejected(status, response.text[:200])
        if response.headers.get("content-type", "").split(";")[0].strip() != MEDIA_TYPE:
            raise BadResponse("trip updates are not application/x-protobuf")
        self._etag = response.headers.get("ETag")
        self.latest = response.content
        return response.content


@dataclass(frozen=True)
class LiveDelays:
    """Parsed trip updates in the network's ids, with the network that places them on trips."""

    network: Network
    delays: RealtimeDelays

    @classmethod
    def parse(
        cls, data: bytes, network: Network, mapping: FeedMapping = TOYAMA_FEEDER
    ) -> LiveDelays:
        """Raises services.transit.RealtimeError if `data` is not a FeedMessage."""
        delays = parse_trip_updates(data, mapping.trip_prefix)
        if mapping.stop_prefix:
            for info in delays.trips.values():
                info.updates = [
                    replace(u, stop_id=f"{mapping.stop_prefix}:{u.stop_id}") if u.stop_id else u
                    for u in info.updates
                ]
        return cls(network, delays)

    @property
    def feed_date(self) -> date | None:
        """The day of the feed's header timestamp in Asia/Tokyo (None without a timestamp)."""
        if not self.delays.timestamp:
            return None
        return datetime.fromtimestamp(self.delays.timestamp, JAPAN_TZ).date()

    def service_date(self, trip: TripDelays, today: date) -> date:
        s = trip.start_date
        if len(s) == 8 and s.isdigit():
            try:
                return date(int(s[:4]), int(s[4:6]), int(s[6:]))
            except ValueError:
                pass
        return self.feed_date or today

    def leg_delay(self, leg: RideLeg, day: date, today: date) -> int | None:
        """Departure delay (s) where the leg boards, if the feed speaks of that run."""
        info = self.delays.trips.get(leg.trip_id)
        ti = self.network.trip_index.get(leg.trip_id)
        if info is None or ti is None:
            return None
        run_day = day - timedelta(days=1) if leg.previous_service_day else day
        if self.service_date(info, today) != run_day:
            return None
        sequences = self.network.trips[ti].sequences
        if leg.from_sequence not in sequences:
            return None
        position = sequences.index(leg.from_sequence)
        return self.delays.delay_at(self.network, leg.trip_id, position, True, run_day)


def apply_journey(journey: Journey, live: LiveDelays, *, day: date, today: date) -> Journey:
    legs = tuple(
        leg.with_delay(live.leg_delay(leg, day, today)) if isinstance(leg, RideLeg) else leg
        for leg in journey.legs
    )
    return replace(journey, legs=legs)


def apply_realtime(plan: TripPlan, delays: LiveDelays, *, today: date) -> TripPlan:
    """The plan with every ride leg's delay_s set from `delays` (None where nothing is known,
    including every leg of a plan for another day than the feed's). Pure: no I/O, no clock."""
    result = plan.result
    if not result.reachable:
        return plan
    day = plan.request.day
    done: dict[int, Journey] = {}

    def live(journey: Journey) -> Journey:
        if id(journey) not in done:
            done[id(journey)] = apply_journey(journey, delays, day=day, today=today)
        return done[id(journey)]

    new_result = replace(
        result,
        journey=live(result.journey) if result.journey is not None else None,
        options=tuple(live(j) for j in result.options),
    )
    return replace(plan, result=new_result)


@dataclass(frozen=True)
class LivePlan:
    """A plan with the live delays applied; `checked` is False when no live information could
    be had (offline, no feed yet, an unreadable feed): the times are then as timetabled."""

    plan: TripPlan
    checked: bool


class LiveDelayService:
    """Fetch (or fall back to the last received) trip updates and apply them to a plan."""

    def __init__(self, client: RealtimeClient, trips: TripService,
                 today: Callable[[], date] = today_in_toyama) -> None:
        self._client = client
        self._trips = trips
        self._today = today

    async def apply(self, plan: TripPlan) -> LivePlan:
        client = self._client
        try:
            data = await client.fetch() or client.latest
        except ApiError:
            data = client.latest  # offline for now: the last feed is better than none
        if not data:
            return LivePlan(plan, checked=False)
        try:
            delays = LiveDelays.parse(data, self._trips.network())
        except RealtimeError:
            log.warning("the live trip updates could not be read")
            return LivePlan(plan, checked=False)
        return LivePlan(apply_realtime(plan, delays, today=self._today()), checked=True)
