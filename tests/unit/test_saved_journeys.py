"""Saved journeys: lossless JSON of the transit records, the bounded de-duplicated list, and
damaged storage that never raises."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from services.saved_journeys import (
    MAX_SAVED,
    STORAGE_KEY,
    SavedJourneys,
    journey_from_dict,
    journey_to_dict,
)
from services.transit.journey import Journey, RideLeg, StopCall, StopInfo, WalkLeg
from tests.unit.conftest import DictStorage

DAY = date(2019, 6, 12)
ARAYA = StopInfo("toyama_city_2019:feeder:15_1", "荒屋", "", "Araya", "あらや", 36.733, 137.2)
NANBU = StopInfo("toyama_city_2019:feeder:14_1", "荒屋南部", name_kana="あらやなんぶ",
                 lat=36.73, lon=137.21)
HASUMACHI = StopInfo("toyama_city_2019:feeder:12_1", "蓮町", platform_code="1")
TRAM = StopInfo("toyama_city_2019:portram:1", "蓮町(馬場記念公園前)", name_en="Hasumachi")


def ride(trip: str = "toyama_city_2019:feeder:2_1+平日+1", departure: int = 22440,
         delay_s: int | None = 120, **changes) -> RideLeg:
    leg = RideLeg(
        trip_id=trip, route_id="feeder:2_1", route_name="フィーダーバス", headsign="蓮町",
        agency="富山地方鉄道", from_stop=ARAYA, to_stop=HASUMACHI, departure=departure,
        arrival=departure + 600,
        intermediate=(StopCall(NANBU, departure + 60, departure + 60),),
        from_sequence=4, to_sequence=10, feed="toyama_city_2019", delay_s=delay_s,
    )
    return replace(leg, **changes)


def journey(**ride_changes) -> Journey:
    first = ride(**ride_changes)
    walk = WalkLeg(HASUMACHI, TRAM, first.arrival, first.arrival + 95)
    late = ride(trip="toyama_city_2019:portram:99", departure=first.arrival + 300, delay_s=None,
                previous_service_day=True, from_stop=TRAM, to_stop=ARAYA, intermediate=())
    return Journey(legs=(first, walk, late), departure=first.departure - 240,
                   arrival=late.arrival)


class Clock:
    def __init__(self) -> None:
        self.current = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.current += timedelta(seconds=1)
        return self.current


def test_a_journey_round_trips_through_json_exactly() -> None:
    original = journey()
    text = json.dumps(journey_to_dict(original), ensure_ascii=False)
    back = journey_from_dict(json.loads(text))
    assert back == original
    assert back.rides[0].intermediate[0].stop.name_kana == "あらやなんぶ"
    assert back.rides[0].delay_s == 120 and back.rides[1].delay_s is None
    assert back.rides[1].previous_service_day is True
    assert isinstance(back.legs[1], WalkLeg) and back.walking_seconds == 95
    on_time = journey(delay_s=0)
    assert journey_from_dict(journey_to_dict(on_time)).rides[0].delay_text == "on time"


@pytest.mark.parametrize("damage", [
    lambda d: d.pop("legs"),
    lambda d: d["legs"][0].update(kind="teleport"),
    lambda d: d["legs"][0].update(departure="06:14"),
    lambda d: d["legs"][0].update(delay_s=True),
    lambda d: d["legs"][0]["from_stop"].pop("name"),
    lambda d: d["legs"][0]["intermediate"].append("x"),
    lambda d: d.update(arrival=None),
])
def test_damaged_journey_dicts_raise_value_error(damage) -> None:
    data = journey_to_dict(journey())
    damage(data)
    with pytest.raises(ValueError):
        journey_from_dict(data)


async def test_saved_newest_first_and_removable() -> None:
    storage = DictStorage()
    saved = SavedJourneys(storage, now=Clock())
    assert await saved.list() == []
    home = await saved.save(DAY, journey(), "  帰り   道 ")
    work = await saved.save(DAY, journey(departure=30000), "通勤")
    assert home.label == "帰り 道"
    listed = await SavedJourneys(storage).list()  # read back from storage, not memory
    assert [s.id for s in listed] == [work.id, home.id]
    assert listed[1].journey == journey() and listed[1].day == DAY
    assert listed[1].saved_at == home.saved_at
    assert await saved.remove(home.id) is True
    assert await saved.remove(home.id) is False
    assert [s.id for s in await saved.list()] == [work.id]


async def test_the_same_journey_saved_again_moves_to_the_top() -> None:
    saved = SavedJourneys(DictStorage(), now=Clock())
    first = await saved.save(DAY, journey(), "朝")
    await saved.save(DAY, journey(departure=30000), "昼")
    # same trips, day and times; a newer delay does not make it another journey
    again = await saved.save(DAY, journey(delay_s=300), "")
    listed = await saved.list()
    assert len(listed) == 2 and listed[0].id == first.id == again.id
    assert listed[0].label == "朝" and listed[0].journey.rides[0].delay_s == 300
    other_day = await saved.save(DAY + timedelta(days=7), journey(), "来週")
    assert other_day.id != first.id and len(await saved.list()) == 3


async def test_at_most_thirty_are_kept() -> None:
    saved = SavedJourneys(DictStorage(), now=Clock())
    for i in range(MAX_SAVED + 5):
        await saved.save(DAY, journey(departure=20000 + i * 600), f"#{i}")
    listed = await saved.list()
    assert len(listed) == MAX_SAVED
    assert listed[0].label == f"#{MAX_SAVED + 4}" and listed[-1].label == "#5"


async def test_concurrent_saves_lose_nothing() -> None:
    saved = SavedJourneys(DictStorage(), now=Clock())
    await asyncio.gather(*(saved.save(DAY, journey(departure=20000 + i * 600), str(i))
                           for i in range(10)))
    assert len(await saved.list()) == 10


@pytest.mark.parametrize("raw", [
    "", "not json", "{}", '"a string"', "null", "[1, 2]", '[{"id": "x"}]',
    '[{"id": "x", "saved_at": "yesterday", "day": "2019-06-12", "label": "", "journey": {}}]',
])
async def test_damaged_storage_reads_as_empty(raw: str) -> None:
    storage = DictStorage()
    storage.values[STORAGE_KEY] = raw
    saved = SavedJourneys(storage)
    assert await saved.list() == []
    entry = await saved.save(DAY, journey(), "new")  # and saving over it works
    assert [s.id for s in await saved.list()] == [entry.id]


async def test_one_damaged_entry_does_not_hide_the_others() -> None:
    storage = DictStorage()
    saved = SavedJourneys(storage, now=Clock())
    good = await saved.save(DAY, journey(), "ok")
    items = json.loads(storage.values[STORAGE_KEY])
    storage.values[STORAGE_KEY] = json.dumps([{"id": "broken"}, *items])
    assert [s.id for s in await saved.list()] == [good.id]


async def test_a_failing_storage_reads_as_empty() -> None:
    class Broken(DictStorage):
        async def get(self, key: str) -> str | None:
            raise OSError("localStorage is disabled")

    assert await SavedJourneys(Broken()).list() == []


async def test_a_failed_read_fails_the_save_instead_of_erasing_the_list() -> None:
    """A storage read that fails during save must not write [new] over every saved journey."""
    class FlakyStorage:
        def __init__(self) -> None:
            self.values: dict[str, str] = {}
            self.fail = False

        async def get(self, key: str) -> str | None:
            if self.fail:
                raise OSError("storage unavailable")
            return self.values.get(key)

        async def set(self, key: str, value: str) -> None:
            self.values[key] = value

    storage = FlakyStorage()
    saved = SavedJourneys(storage)
    planned = journey()
    await saved.save(date(2019, 6, 12), planned, "first")
    before = storage.values[STORAGE_KEY]
    storage.fail = True
    with pytest.raises(OSError):
        await saved.save(date(2019, 6, 13), planned, "second")
    assert storage.values[STORAGE_KEY] == before
    assert await saved.list() == []  # the screen still opens (and shows nothing) meanwhile
