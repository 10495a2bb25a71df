"""The real realtime client against the real server (httpx.ASGITransport), applied to plans of
the real bundled network (toyama_city_2019, where the feeder bus is tagged "feeder:").

The server's feed is the feeder operator's snapshot of Wednesday 2019-06-12 06:16 JST:
  荒屋 06:14 -> 蓮町 06:24       (2_1+平日+1) +2 min   千原崎 06:18 -> 蓮町 06:24  +3 min
  四方神明町 06:50 -> 蓮町 07:02 (2_1+平日+2) on time  四方町 07:18 -> 蓮町 07:30  +1 min
  四方神明町 06:12 -> 蓮町 06:24 (2_1+平日+1) nothing known yet (the first update is at 荒屋)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
import pytest
from google.transit import gtfs_realtime_pb2

from server.core.config import ServerSettings
from server.main import create_app
from services.api import Offline
from services.realtime import FeedMapping, LiveDelays, RealtimeClient, apply_realtime
from services.saved_journeys import journey_from_dict, journey_to_dict
from services.transit import TransitService
from services.transit.clock import format_time
from services.trips import TripPlan, TripService, build_request

FEED_DAY = date(2019, 6, 12)
STATION = "toyama_city_2019:feeder:{}"  # what stop search answers for these names
ARAYA, HASUMACHI, SHIKATA, SHIKATA_SHINMEI, CHIHARAZAKI = (
    STATION.format(n) for n in ("15", "12", "16", "17", "21"))


@pytest.fixture(scope="module")
def transit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TransitService]:
    yield TransitService.bundled(cache_dir=tmp_path_factory.mktemp("transit-cache"))


@pytest.fixture
async def trips(transit: TransitService) -> TripService:
    service = TripService(lambda: transit)
    service.start_loading()
    assert await service.wait_ready(30)
    return service


@pytest.fixture
async def client(server_settings: ServerSettings) -> AsyncIterator[RealtimeClient]:
    app = create_app(server_settings)
    async with app.router.lifespan_context(app):
        client = RealtimeClient("http://backend", transport=httpx.ASGITransport(app=app))
        yield client
        await client.aclose()


async def plan(trips: TripService, origin: str, day: date, clock: str,
               destination: str = HASUMACHI) -> TripPlan:
    request = build_request(origin=origin, destination=destination,
                            day_text=day.isoformat(), time_text=clock)
    return await trips.plan(request)


def first_ride(plan: TripPlan):
    return plan.journeys[0].rides[0]


async def test_a_plan_on_the_feed_day_shows_delays(
    client: RealtimeClient, trips: TripService, transit: TransitService
) -> None:
    data = await client.fetch()
    assert data is not None
    live = LiveDelays.parse(data, transit.network)
    cases = [  # origin, asked at, trip, boards, arrives, delay text
        (ARAYA, "6:10", "2_1+平日+1", "06:14:00", "06:24:00", "+2 min"),
        (CHIHARAZAKI, "6:10", "2_1+平日+1", "06:18:00", "06:24:00", "+3 min"),
        (SHIKATA_SHINMEI, "6:40", "2_1+平日+2", "06:50:00", "07:02:00", "on time"),
        (SHIKATA, "7:15", "2_1+平日+3", "07:18:00", "07:30:00", "+1 min"),
        (SHIKATA_SHINMEI, "6:00", "2_1+平日+1", "06:12:00", "06:24:00", ""),
    ]
    for origin, asked, trip, boards, arrives, text in cases:
        planned = await plan(trips, origin, FEED_DAY, asked)
        assert first_ride(planned).delay_s is None  # the timetable alone knows nothing
        shown = apply_realtime(planned, live, today=FEED_DAY)
        leg = first_ride(shown)
        assert leg.trip_id == f"toyama_city_2019:feeder:{trip}", origin
        assert (format_time(leg.departure), format_time(leg.arrival)) == (boards, arrives)
        assert leg.delay_text == text, (origin, asked)
        assert shown.result.journey is not None
        assert shown.result.journey.rides[0].delay_text == text  # the headline journey too
        assert shown.request == planned.request and shown.validity == planned.validity
    assert first_ride(apply_realtime(await plan(trips, ARAYA, FEED_DAY, "6:10"), live,
                                     today=date(2026, 1, 1))).delay_minutes == 2


async def test_another_day_gets_no_delay_information(
    client: RealtimeClient, trips: TripService, transit: TransitService
) -> None:
    live = LiveDelays.parse(await client.fetch() or b"", transit.network)
    for day in (date(2019, 6, 19), date(2019, 6, 11)):  # same weekday a week on; the day before
        planned = await plan(trips, ARAYA, day, "6:10")
        leg = first_ride(planned)
        assert leg.trip_id == "toyama_city_2019:feeder:2_1+平日+1"
        shown = apply_realtime(planned, live, today=day)
        assert all(r.delay_s is None for j in shown.journeys for r in j.rides)
        assert first_ride(shown).delay_text == ""
    # a stale delay from an earlier apply is cleared, not kept
    on_day = apply_realtime(await plan(trips, ARAYA, FEED_DAY, "6:10"), live, today=FEED_DAY)
    moved = replace(on_day, request=replace(on_day.request, day=date(2019, 6, 19)))
    assert first_ride(apply_realtime(moved, live, today=FEED_DAY)).delay_s is None


async def test_unchanged_feed_is_a_304_and_latest_keeps_the_bytes(
    client: RealtimeClient,
) -> None:
    first = await client.fetch()
    assert first is not None and first[:1] == b"\n"  # field 1 (header), length-delimited
    assert await client.fetch() is None
    assert client.latest == first


async def test_a_changed_feed_arrives_again(
    server_settings: ServerSettings, tmp_path: Path
) -> None:
    app = create_app(server_settings)
    fresh = RealtimeClient("http://backend", transport=httpx.ASGITransport(app=app))
    seed = await fresh.fetch()
    assert seed is not None and await fresh.fetch() is None
    path = tmp_path / "live.pb"
    path.write_bytes(seed)  # the same bytes from another source: still unchanged
    app.state.trip_updates_path = path
    assert await fresh.fetch() is None
    feed = gtfs_realtime_pb2.FeedMessage()
    feed.ParseFromString(seed)
    feed.header.timestamp += 30
    path.write_bytes(feed.SerializeToString())
    assert await fresh.fetch() == path.read_bytes()
    await fresh.aclose()


async def test_an_unreachable_backend_is_offline() -> None:
    client = RealtimeClient("http://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(Offline):
        await client.fetch()
    await client.aclose()


async def test_a_delayed_journey_is_saved_and_read_back_exactly(
    client: RealtimeClient, trips: TripService, transit: TransitService
) -> None:
    live = LiveDelays.parse(await client.fetch() or b"", transit.network)
    shown = apply_realtime(await plan(trips, ARAYA, FEED_DAY, "6:10"), live, today=FEED_DAY)
    journey = shown.journeys[0]
    assert journey.rides[0].intermediate  # real stops between 荒屋 and 蓮町
    assert journey_from_dict(journey_to_dict(journey)) == journey


async def test_updates_that_name_only_the_stop_are_mapped_to_the_tagged_stop_ids(
    trips: TripService, transit: TransitService
) -> None:
    feed = gtfs_realtime_pb2.FeedMessage()
    feed.header.gtfs_realtime_version = "2.0"
    update = feed.entity.add(id="x").trip_update
    update.trip.trip_id, update.trip.start_date = "2_1+平日+4", "20190612"
    update.stop_time_update.add(stop_id="15_1").departure.delay = 240  # 荒屋, no sequence
    planned = await plan(trips, ARAYA, FEED_DAY, "7:40")
    assert first_ride(planned).trip_id.endswith("2_1+平日+4")
    live = LiveDelays.parse(feed.SerializeToString(), transit.network)
    assert first_ride(apply_realtime(planned, live, today=FEED_DAY)).delay_text == "+4 min"
    unmapped = LiveDelays.parse(feed.SerializeToString(), transit.network,
                                FeedMapping(trip_prefix="toyama_city_2019:feeder"))
    assert first_ride(apply_realtime(planned, unmapped, today=FEED_DAY)).delay_s is None
    # no start_date and no header timestamp: the update is about `today`'s run
    update.trip.ClearField("start_date")
    undated = LiveDelays.parse(feed.SerializeToString(), transit.network)
    assert first_ride(apply_realtime(planned, undated, today=FEED_DAY)).delay_minutes == 4
    assert first_ride(apply_realtime(planned, undated, today=date(2019, 6, 13))).delay_s is None
