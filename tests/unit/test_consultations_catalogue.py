"""Consultation services and slots on the device (services/consultations/catalogue.py) over a
MockTransport backend speaking docs/booking.md: cache, ETag, offline browsing, need search."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from services.api import ApiClient
from services.consultations.catalogue import ConsultationCatalogue
from services.consultations.models import Channel, ServiceKind
from services.errors import Offline, Rejected
from tests.unit.consultation_fakes import PublicBackend, jst

TODAY = date(2026, 12, 1)
NOW = jst(TODAY, 9)


@pytest.fixture
def backend() -> PublicBackend:
    return PublicBackend(TODAY)


def catalogue(tmp_path: Path, backend: PublicBackend,
              now: datetime = NOW) -> ConsultationCatalogue:
    api = ApiClient("http://test", transport=backend.transport(), get_retries=0)
    return ConsultationCatalogue(tmp_path / "client", api, now=lambda: now)


@pytest.fixture
async def synced(tmp_path: Path, backend: PublicBackend) -> ConsultationCatalogue:
    cat = catalogue(tmp_path, backend)
    assert await cat.refresh() is True
    return cat


async def test_never_synced_is_empty_and_says_so(tmp_path: Path,
                                                 backend: PublicBackend) -> None:
    cat = catalogue(tmp_path, backend)
    assert cat.current().services == [] and cat.synced_at is None
    assert cat.search("fever", "en") == []
    assert cat.cached_slots("kokoro").synced_at is None
    backend.offline = True
    with pytest.raises(Offline):
        await cat.refresh()
    assert cat.synced_at is None


async def test_the_list_is_kept_and_revalidated_with_its_etag(
        tmp_path: Path, backend: PublicBackend, synced: ConsultationCatalogue) -> None:
    assert len(synced.current().services) == 8 and synced.synced_at == NOW
    assert synced.get("kokoro") is not None and synced.get("kokoro").anonymous_allowed  # type: ignore[union-attr]
    assert await synced.refresh() is False  # 304
    assert backend.requests[-1].headers["If-None-Match"] == 'W/"services-1"'
    # A new start, offline: the list comes from the file.
    backend.offline = True
    again = catalogue(tmp_path, backend)
    assert [s.id for s in again.current().services] == [s.id for s in synced.current().services]
    assert again.synced_at == NOW
    assert [s.id for s in again.services(kind=ServiceKind.telemedicine)] == [
        "pediatric_night", "internal_online"]
    assert [s.id for s in again.services(channel=Channel.in_person)] == ["kosodate"]
    # A changed list replaces the kept one.
    backend.offline = False
    backend.version = 2
    backend.services = backend.services[:3]
    assert await again.refresh() is True
    assert len(catalogue(tmp_path, backend).current().services) == 3


async def test_a_damaged_cache_file_is_not_a_crash(tmp_path: Path,
                                                   backend: PublicBackend) -> None:
    (tmp_path / "client").mkdir()
    (tmp_path / "client" / "consultations.json").write_text("{not json", encoding="utf-8")
    cat = catalogue(tmp_path, backend)
    assert cat.current().services == [] and cat.synced_at is None
    assert await cat.refresh() is True


async def test_slots_are_browsable_offline_from_the_last_sync(
        tmp_path: Path, backend: PublicBackend, synced: ConsultationCatalogue) -> None:
    service = synced.get("pediatric_night")
    assert service is not None
    assert synced.next_free(service) == []  # no slots downloaded yet
    backend.slots["pediatric_night"][jst(TODAY + timedelta(days=1), 10)][1] = 0  # full
    assert await synced.refresh_slots(service) is True
    assert await synced.refresh_slots(service) is False  # 304 with the kept ETag
    assert backend.requests[-1].headers["If-None-Match"] == 'W/"slots-pediatric_night-1"'
    backend.offline = True
    offline = catalogue(tmp_path, backend, now=NOW)
    service = offline.get("pediatric_night")
    assert service is not None
    first = [s.start for s in offline.next_free(service, 2)]
    assert first == [jst(TODAY + timedelta(days=1), 14), jst(TODAY + timedelta(days=2), 10)]
    assert offline.days_with_room(service, TODAY, 4) == {
        TODAY + timedelta(days=n) for n in (1, 2, 3)}
    assert [s.free for s in offline.slots_on(service, TODAY + timedelta(days=1))] == [0, 2]


async def test_days_with_room_leaves_out_full_days_and_what_is_too_late(
        tmp_path: Path, backend: PublicBackend, synced: ConsultationCatalogue) -> None:
    tomorrow = TODAY + timedelta(days=1)
    for start in (jst(tomorrow, 10), jst(tomorrow, 14)):
        backend.slots["kokoro"][start][1] = 0
    await synced.refresh_slots("kokoro")
    service = synced.get("kokoro")
    assert service is not None
    assert tomorrow not in synced.days_with_room(service, TODAY, 7)
    assert len(synced.days_with_room(service, TODAY, 7)) == 5  # 3rd to 7th
    assert synced.days_with_room(service, TODAY + timedelta(days=3), 2) == {
        TODAY + timedelta(days=3), TODAY + timedelta(days=4)}
    # Later that day: 12:30 is too late for 14:00 (2 hours before); started slots are gone.
    late = catalogue(tmp_path, backend, now=jst(TODAY + timedelta(days=2), 12, 30))
    assert [s.start for s in late.next_free(service, 1)] == [jst(TODAY + timedelta(days=3), 10)]


async def test_slots_of_an_unknown_service_are_the_servers_404(
        synced: ConsultationCatalogue) -> None:
    with pytest.raises(Rejected) as refused:
        await synced.refresh_slots("no_such_service")
    assert refused.value.status == 404
    with pytest.raises(ValueError):
        await synced.refresh_slots("../etc/passwd")


@pytest.mark.parametrize(("query", "first"), [
    ("child has a fever at night", "pediatric_night"),
    ("こどもが夜に熱", "pediatric_night"),
    ("kosodate", "kosodate"),
    ("こそだて", "kosodate"),
    ("ｋｏｓｏｄａｔｅ", "kosodate"),
    ("moving to toyama", "iju"),
    ("気分が落ち込む", "kokoro"),
    ("眠れない", "kokoro"),
    ("depresed", "kokoro"),  # one typo
    ("ビザの更新", "gaikokujin"),
    ("小児科", "pediatric_night"),
])
async def test_search_by_need_in_any_language(synced: ConsultationCatalogue, query: str,
                                              first: str) -> None:
    found = synced.search(query, "en")
    assert found and found[0].id == first


async def test_a_specific_need_is_not_drowned_by_common_words(
        synced: ConsultationCatalogue) -> None:
    assert [s.id for s in synced.search("child has a fever at night", "en")] == [
        "pediatric_night"]
    assert [s.id for s in synced.search("moving to toyama", "ja")] == ["iju"]


@pytest.mark.parametrize("query", ["parking ticket", "駐車違反", "the parking ticket", "zzzz"])
async def test_a_need_no_service_covers_finds_nothing(synced: ConsultationCatalogue,
                                                      query: str) -> None:
    assert synced.search(query, "en") == []


async def test_search_filters_and_an_empty_query_lists_the_residents_language_first(
        synced: ConsultationCatalogue) -> None:
    assert [s.id for s in synced.search("fever", "en", channel=Channel.video)] == [
        "pediatric_night", "internal_online"]
    assert [s.id for s in synced.search("fever", "en", kind=ServiceKind.childcare)] == []
    listed = [s.id for s in synced.search("  ", "vi")]
    assert listed[0] == "gaikokujin" and len(listed) == 8
    assert [s.id for s in synced.search("", "ja", kind=ServiceKind.care)] == ["kaigo"]
