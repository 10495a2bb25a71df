"""The one search's sources (services/search/sources.py) over small fakes of the services they
read: ids the screens open with, titles in the resident's language, texts in every language,
cheap versions, forgiving reads; and the whole search over them."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from forms.bundled import load_catalogue
from services.consultations.models import ServiceCatalogue
from services.i18n import LANGUAGES, Translator, fallback_chain
from services.models import InfoDataset, Notice, NoticeCategory
from services.notices import FeedStatus
from services.search.models import HitKind, Source
from services.search.service import SearchService
from services.search.sources import (
    PREFECTURE_WIDE,
    ConsultationSource,
    InfoSource,
    NoticeSource,
    ProcedureSource,
    RecordSource,
    StopSource,
    TownSource,
    guide_document,
    info_sources,
    programme_document,
    spot_document,
)
from services.store import StoredInfo
from services.transit.bundled import bundled_feed_path
from services.transit.loader import load_feed
from services.transit.network import build_network
from tests.unit.info_fakes import clinic, shelter


def stored(dataset: InfoDataset, record_id: str, body: dict[str, Any],
           municipality: str | None = "162019") -> StoredInfo:
    return StoredInfo(dataset, record_id, 1, municipality, 36.7, 137.2, body)


class FakeInfo:
    """InfoService.records and the store's generation per dataset."""

    def __init__(self, records: dict[InfoDataset, list[StoredInfo]]) -> None:
        self.records_by = records
        self.generations = dict.fromkeys(InfoDataset, 1)
        self.asked: list[InfoDataset] = []

    async def records(self, dataset: InfoDataset) -> tuple[int, list[StoredInfo]]:
        self.asked.append(dataset)
        return self.generations[dataset], self.records_by.get(dataset, [])

    def info_generation(self, dataset: InfoDataset) -> int:
        return self.generations[dataset]


def every_translation(msgid: str) -> set[str]:
    return {Translator(lang.code).gettext(msgid) for lang in LANGUAGES}


CENTRAL = {**clinic("富山県立中央病院", "トヤマケンリツチュウオウビョウイン",
                    departments=["小児科", "内科", "漢方内科"]),
           "name_en": "Toyama Prefectural Central Hospital"}
SPOT = {"name": "五箇山", "name_kana": "ゴカヤマ", "name_en": "Gokayama", "category": "史跡",
        "description": {"ja": "合掌造りの集落です。", "en": "Thatched farmhouses.",
                        "vi": "Làng nhà mái tranh."}, "sample": True}
GUIDE = {"title": {"ja": "路面電車で一日", "en": "A day by tram"},
         "summary": {"ja": "市内を巡る", "en": "Around the city"}, "municipality": "162019",
         "stops": [{"name": "富山城", "name_en": "Toyama Castle"}, "not a stop"]}
PROGRAMME = {"title": {"ja": "移住支援金", "en": "Relocation grant"}, "municipality": None,
             "summary": {"en": "Up to 1,000,000 yen"}, "eligibility": {"ja": "東京圏から"}}


@pytest.fixture
def info() -> FakeInfo:
    return FakeInfo({
        InfoDataset.medical: [stored(InfoDataset.medical, "162019-7", CENTRAL),
                              stored(InfoDataset.medical, "162019-8", {"type": "clinic"})],
        InfoDataset.shelters: [stored(InfoDataset.shelters, "162027-1",
                                      shelter("高岡市民会館", kana="タカオカシミンカイカン"),
                                      municipality="162027")],
        InfoDataset.spots: [stored(InfoDataset.spots, "162108-3", SPOT, municipality="162108"),
                            stored(InfoDataset.spots, "162108-4", {"name_en": "No name"})],
        InfoDataset.guides: [stored(InfoDataset.guides, "toyama-tram-day", GUIDE)],
        InfoDataset.programmes: [stored(InfoDataset.programmes, "grant", PROGRAMME, None),
                                 stored(InfoDataset.programmes, "odd", {"title": 5})],
        InfoDataset.towns: [stored(InfoDataset.towns, "162019", {
            "code": "162019", "name": "富山市", "name_en": "Toyama City",
            "summary": {"ja": "県庁所在地。", "en": "The prefectural capital."}})],
    })


async def test_procedures_are_searched_in_every_language_and_shown_in_one() -> None:
    catalogue = load_catalogue()
    source = ProcedureSource(SimpleNamespace(current=lambda: catalogue))  # type: ignore[arg-type]
    assert await source.version() == catalogue.version
    english = {d.id: d for d in await source.documents("en")}
    assert set(english) == {p.id for p in catalogue.procedures}
    procedure = next(p for p in catalogue.procedures if p.id == "juminhyo_copy")
    document = english["juminhyo_copy"]
    assert document.kind is HitKind.procedure
    assert (document.title, document.subtitle) == (procedure.title, procedure.title_ja)
    assert {procedure.title_ja, *procedure.keywords} <= set(document.texts)
    assert every_translation(procedure.title) <= set(document.texts)
    japanese = {d.id: d for d in await source.documents("ja")}["juminhyo_copy"]
    ja = Translator("ja")
    assert (japanese.title, japanese.subtitle) == (ja.gettext(procedure.title),
                                                   ja.gettext(procedure.office.name))


async def test_consultation_services_in_the_residents_language() -> None:
    catalogue = ServiceCatalogue.model_validate({"version": "v7", "services": [{
        "id": "telemed_kodomo_night", "kind": "telemedicine", "channel": "video",
        "name": {"ja": "オンライン診療（小児科・夜間）", "en": "Online consultation: paediatrics"},
        "description": {"ja": "夜間に小児科医に相談", "en": "See a paediatrician at night"},
        "needs": {"ja": ["発熱"], "en": ["fever"]}, "provider": "富山市民病院",
        "department": "小児科", "duration_min": 15, "capacity": 1, "book_from_days": 7,
        "book_until_hours": 1, "cancel_until_hours": 1}]})
    source = ConsultationSource(SimpleNamespace(current=lambda: catalogue))  # type: ignore[arg-type]
    assert await source.version() == "v7"
    [document] = await source.documents("ko")  # no Korean name: English, by the chain
    assert (document.id, document.title) == ("telemed_kodomo_night",
                                             "Online consultation: paediatrics")
    assert document.subtitle == "富山市民病院 · 小児科"
    assert {"発熱", "fever", "夜間に小児科医に相談", "オンライン診療（小児科・夜間）"} <= set(
        document.texts)


async def test_clinics_by_name_reading_english_name_and_department_in_every_language(
        info: FakeInfo, caplog: pytest.LogCaptureFixture) -> None:
    source = InfoSource(info, info, InfoDataset.medical)  # type: ignore[arg-type]
    assert source.kind is HitKind.clinic
    with caplog.at_level(logging.WARNING):
        [english] = await source.documents("en")  # the record without a name is skipped
    assert "162019-8" in caplog.text
    assert (english.id, english.title) == ("162019-7", "Toyama Prefectural Central Hospital")
    assert english.subtitle.startswith("Toyama City · Pediatrics")
    assert {"富山県立中央病院", "トヤマケンリツチュウオウビョウイン", "小児科", "漢方内科"} <= set(
        english.texts)
    assert every_translation("Pediatrics") <= set(english.texts)
    [japanese] = await source.documents("ja")
    assert (japanese.title, japanese.subtitle) == ("富山県立中央病院",
                                                   "富山市 · 小児科、内科、漢方内科")

    assert await source.version() == 1
    info.generations[InfoDataset.medical] = 2
    assert await source.version() == 2
    with pytest.raises(ValueError):
        InfoSource(info, info, InfoDataset.spots)  # type: ignore[arg-type]


async def test_shelters_keep_their_published_name_in_every_language(info: FakeInfo) -> None:
    source = InfoSource(info, info, InfoDataset.shelters)  # type: ignore[arg-type]
    [document] = await source.documents("en")
    assert (document.kind, document.title, document.subtitle) == (
        HitKind.shelter, "高岡市民会館", "Takaoka City")
    assert "タカオカシミンカイカン" in document.texts


async def test_spots_guides_and_programmes_are_read_from_their_bodies(
        info: FakeInfo, caplog: pytest.LogCaptureFixture) -> None:
    spots = RecordSource(info, info, InfoDataset.spots, HitKind.spot,  # type: ignore[arg-type]
                         spot_document)
    with caplog.at_level(logging.WARNING):
        [spot] = await spots.documents("en")
    assert "162108-4" in caplog.text  # no name: skipped with a line
    assert (spot.id, spot.title, spot.subtitle) == ("162108-3", "Gokayama", "Nanto City")
    assert {"五箇山", "ゴカヤマ", "合掌造りの集落です。", "Làng nhà mái tranh."} <= set(spot.texts)
    japanese = (await spots.documents("ja"))[0]
    assert (japanese.title, japanese.subtitle) == ("五箇山", "南砺市 · 史跡")

    guides = RecordSource(info, info, InfoDataset.guides, HitKind.guide,  # type: ignore[arg-type]
                          guide_document)
    [guide] = await guides.documents("ko")  # no Korean: English
    assert (guide.id, guide.title) == ("toyama-tram-day", "A day by tram")
    assert {"路面電車で一日", "富山城", "Toyama Castle", "市内を巡る"} <= set(guide.texts)

    programmes = RecordSource(info, info, InfoDataset.programmes,  # type: ignore[arg-type]
                              HitKind.programme, programme_document)
    with caplog.at_level(logging.WARNING):
        [programme] = await programmes.documents("en")  # a title that is not text: skipped
    assert (programme.title, programme.subtitle) == ("Relocation grant", PREFECTURE_WIDE)
    assert {"移住支援金", "東京圏から", "Up to 1,000,000 yen"} <= set(programme.texts)


async def test_towns_from_the_table_with_their_profile_when_downloaded(info: FakeInfo) -> None:
    source = TownSource(info, info)  # type: ignore[arg-type]
    documents = {d.id: d for d in await source.documents("en")}
    assert len(documents) == 15
    toyama, himi = documents["162019"], documents["162051"]
    assert (toyama.title, toyama.subtitle) == ("Toyama City", "The prefectural capital.")
    assert (himi.title, himi.subtitle) == ("Himi City", "ひみし")  # no profile yet
    assert {"富山市", "とやまし", "県庁所在地。"} <= set(toyama.texts)
    info.generations[InfoDataset.towns] = 5
    assert await source.version() == 5


class Timetables:
    def __init__(self) -> None:
        self.ready = False
        self._network = build_network({"toyama_feeder_2019": load_feed(
            bundled_feed_path("toyama_feeder_2019"), "toyama_feeder_2019")})

    def network(self) -> Any:
        return self._network


async def test_stops_once_per_name_once_the_timetables_are_loaded() -> None:
    timetables = Timetables()
    source = StopSource(timetables)
    assert await source.documents("en") == []
    loading = await source.version()
    timetables.ready = True
    assert await source.version() != loading
    english = await source.documents("en")
    names = [d.id for d in english]
    assert len(names) == len(set(names)) and "岩瀬浜" in names
    iwasehama = next(d for d in english if d.id == "岩瀬浜")
    assert (iwasehama.title, iwasehama.subtitle) == ("Iwasehama", "岩瀬浜")
    assert {"岩瀬浜", "いわせはま", "Iwasehama"} <= set(iwasehama.texts)
    japanese = next(d for d in await source.documents("ja") if d.id == "岩瀬浜")
    assert (japanese.title, japanese.subtitle) == ("岩瀬浜", "Iwasehama")


class FakeNotices:
    def __init__(self) -> None:
        self.texts = {3: {"ja": ("住民票の写しはコンビニで", "マイナンバーカードで取得できます。"),
                          "en": ("Residence certificates at convenience stores",
                                 "With your My Number card.")}}
        self.updated = datetime(2026, 11, 1, tzinfo=UTC)

    async def list(self, lang: str) -> list[Notice]:
        found = []
        for notice_id, by_language in self.texts.items():
            code = next(c for c in fallback_chain(lang) if c in by_language)
            title, body = by_language[code]
            found.append(Notice(id=notice_id, category=NoticeCategory.procedures,
                                published_at=self.updated, title=title, body=body, lang=code))
        return found

    async def status(self) -> FeedStatus:
        return FeedStatus(last_updated=self.updated, offline=False)


async def test_notices_in_every_language_they_were_published_in() -> None:
    notices = FakeNotices()
    source = NoticeSource(notices)  # type: ignore[arg-type]
    [document] = await source.documents("vi")  # not in Vietnamese: English
    assert (document.id, document.title) == ("3", "Residence certificates at convenience stores")
    assert document.subtitle == Translator("vi").date(notices.updated)
    assert {"住民票の写しはコンビニで", "With your My Number card."} <= set(document.texts)
    before = await source.version()
    notices.updated = datetime(2026, 11, 2, tzinfo=UTC)
    assert await source.version() != before


async def test_the_one_search_over_every_source(info: FakeInfo) -> None:
    catalogue = load_catalogue()
    timetables = Timetables()
    timetables.ready = True
    sources: list[Source] = [
        ProcedureSource(SimpleNamespace(current=lambda: catalogue)),  # type: ignore[arg-type]
        *info_sources(info, info),  # type: ignore[arg-type]
        StopSource(timetables), NoticeSource(FakeNotices())]  # type: ignore[arg-type]
    assert len({s.kind for s in sources}) == len(sources)
    service = SearchService(sources)
    for query, wanted in (("juminhyo", (HitKind.procedure, "juminhyo_copy")),
                          ("pediatrics", (HitKind.clinic, "162019-7")),
                          ("しょうにか", (HitKind.clinic, "162019-7")),
                          ("iwasehama", (HitKind.stop, "岩瀬浜")),
                          ("ごかやま", (HitKind.spot, "162108-3")),
                          ("takaoka", (HitKind.town, "162027")),
                          ("コンビニ", (HitKind.notice, "3")),
                          ("relocation grant", (HitKind.programme, "grant"))):
        hits = await service.search(query, "en")
        assert hits and (hits[0].kind, hits[0].id) == wanted, (query, hits[:3])
