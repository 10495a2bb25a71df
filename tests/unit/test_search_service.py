"""SearchService (services/search/service.py): a kind is indexed again only when its version or
the language moved; one broken source does not take the search down; sessions share it."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Hashable

import pytest

from services.search.models import Document, HitKind, Source
from services.search.service import SearchService


class FakeSource:
    """Counts how often its documents were read, per language."""

    def __init__(self, kind: HitKind, documents: list[tuple[str, str]]) -> None:
        self.kind = kind
        self.generation = 1
        self.items = documents
        self.reads: list[str] = []
        self.fail = False
        self.delay = 0.0

    async def version(self) -> Hashable:
        return self.generation

    async def documents(self, language: str) -> list[Document]:
        self.reads.append(language)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            raise OSError("the store is unreadable")
        suffix = "" if language == "ja" else f" ({language})"
        return [Document(self.kind, id_, f"{name}{suffix}", "", ()) for id_, name in self.items]


@pytest.fixture
def stops() -> FakeSource:
    return FakeSource(HitKind.stop, [("富山駅", "富山駅"), ("岩瀬浜", "岩瀬浜")])


@pytest.fixture
def spots() -> FakeSource:
    return FakeSource(HitKind.spot, [("162108-3", "五箇山")])


def test_the_fake_is_a_source(stops: FakeSource) -> None:
    assert isinstance(stops, Source)


async def test_a_kind_is_indexed_again_only_when_its_version_moves(
        stops: FakeSource, spots: FakeSource) -> None:
    service = SearchService([stops, spots], recheck_s=0)
    assert [h.id for h in await service.search("富山駅", "ja")] == ["富山駅"]
    await service.search("五箇山", "ja")
    await service.search("iwasehama", "ja")
    assert stops.reads == ["ja"] and spots.reads == ["ja"]

    spots.items = [("162108-9", "菅沼")]
    spots.generation = 2
    assert [h.id for h in await service.search("菅沼", "ja")] == ["162108-9"]
    assert await service.search("五箇山", "ja") == []  # the old document is gone
    assert spots.reads == ["ja", "ja"] and stops.reads == ["ja"]  # the stops were not read


async def test_versions_are_asked_at_most_once_a_recheck_period(stops: FakeSource) -> None:
    now = [100.0]
    asked: list[float] = []
    version = stops.version

    async def counted() -> Hashable:
        asked.append(now[0])
        return await version()

    stops.version = counted  # type: ignore[method-assign]
    service = SearchService([stops], recheck_s=1.0, clock=lambda: now[0])
    for query in ("t", "to", "toy", "toya"):  # a burst of keystrokes
        await service.search(query, "ja")
    assert asked == [100.0]
    stops.items, stops.generation = [("魚津駅", "魚津駅")], 2
    assert await service.search("uozu", "ja") == []  # moved, but not looked at yet
    now[0] += 1.0
    assert [h.id for h in await service.search("uozu", "ja")] == ["魚津駅"]
    assert asked == [100.0, 101.0] and stops.reads == ["ja", "ja"]


async def test_titles_are_in_the_language_asked_and_languages_keep_their_own_index(
        stops: FakeSource) -> None:
    service = SearchService([stops], recheck_s=0)
    assert (await service.search("toyama", "ja"))[0].title == "富山駅"
    assert (await service.search("toyama", "en"))[0].title == "富山駅 (en)"
    assert (await service.search("toyama", "ja"))[0].title == "富山駅"
    assert stops.reads == ["ja", "en"]  # switching back does not index again
    await service.search("toyama", "xx")  # an unknown language is the default one
    assert stops.reads == ["ja", "en"]


async def test_an_empty_query_indexes_nothing(stops: FakeSource) -> None:
    service = SearchService([stops], recheck_s=0)
    assert await service.search("  ", "ja") == []
    assert stops.reads == []
    await service.prepare("ja")
    assert stops.reads == ["ja"]


async def test_a_failing_source_keeps_its_documents_and_the_others_are_searched(
        stops: FakeSource, spots: FakeSource, caplog: pytest.LogCaptureFixture) -> None:
    service = SearchService([stops, spots], recheck_s=0)
    await service.search("五箇山", "ja")
    spots.fail, spots.generation = True, 2
    with caplog.at_level(logging.ERROR):
        assert [h.id for h in await service.search("五箇山", "ja")] == ["162108-3"]
    assert "spot" in caplog.text
    spots.fail = False
    await service.search("五箇山", "ja")
    assert spots.reads == ["ja", "ja", "ja"]  # tried again, since it never got version 2

    broken = FakeSource(HitKind.notice, [])

    async def no_version() -> Hashable:
        raise OSError("gone")

    broken.version = no_version  # type: ignore[method-assign]
    service = SearchService([stops, broken], recheck_s=0)
    assert [h.id for h in await service.search("富山駅", "ja")] == ["富山駅"]


async def test_two_sessions_searching_at_once_index_once(stops: FakeSource) -> None:
    stops.delay = 0.05
    service = SearchService([stops], recheck_s=0)
    first, second = await asyncio.gather(service.search("富山駅", "ja"),
                                         service.search("iwasehama", "ja"))
    assert [h.id for h in first] == ["富山駅"] and [h.id for h in second] == ["岩瀬浜"]
    assert stops.reads == ["ja"]


def test_searches_from_two_threads_with_their_own_event_loops(stops: FakeSource) -> None:
    service = SearchService([stops], recheck_s=0)
    asyncio.run(service.prepare("ja"))  # then both threads only search
    found: dict[str, list[str]] = {}

    def session(query: str) -> None:
        async def run() -> list[str]:
            hits = []
            for _ in range(20):
                hits = [h.id for h in await service.search(query, "ja")]
            return hits

        found[query] = asyncio.run(run())

    threads = [threading.Thread(target=session, args=(q,)) for q in ("toyama", "いわせはま")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == {"toyama": ["富山駅"], "いわせはま": ["岩瀬浜"]}
    assert stops.reads == ["ja"]


def test_one_source_per_kind(stops: FakeSource) -> None:
    with pytest.raises(ValueError):
        SearchService([stops, FakeSource(HitKind.stop, [])])
