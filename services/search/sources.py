"""Where the one search's documents come from: one `Source` per kind, over the existing services.

A source says cheaply whether its data moved (`version`: the store's generation of a dataset, a
catalogue's version, whether the timetables are loaded) and, when it did, hands over its
documents: the texts to search in every language the data has (names, readings, English names,
translations, descriptions), the title and subtitle in the resident's language, and the id the
kind's screen opens with (record id, procedure id, service id, stop name, notice id, town code).

Bodies of the datasets other packages parse (spots, guides, towns, programmes) are read with
dict.get: what is missing is left out, a record without a name is skipped with one log line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, Protocol

from services.consultations.catalogue import ConsultationCatalogue
from services.i18n import LANGUAGES, N_, Translator, fallback_chain
from services.i18n import language as language_of
from services.info.departments import department_label
from services.info.models import (
    Aed,
    ChildcareFacility,
    Dataset,
    InfoItem,
    MedicalFacility,
    Shelter,
    parse_record,
)
from services.info.service import InfoService
from services.info.towns import TOWNS, Town
from services.info.towns import town as town_of
from services.notices import NoticeService
from services.procedures import ProcedureCatalogue
from services.search.models import Document, HitKind, Source
from services.store import StoredInfo
from services.transit.network import Network
from services.transit.stop_search import StopIndex
from services.trips import stop_label

log = logging.getLogger(__name__)

PREFECTURE_WIDE = N_("All of Toyama Prefecture")
SEPARATOR = " · "


class InfoGenerations(Protocol):
    """The local store's counter per dataset (services/store.py LocalStore.info_generation):
    a dictionary read, no I/O, so it can be asked on every keystroke."""

    def info_generation(self, dataset: Dataset) -> int: ...


class Timetables(Protocol):
    """What the stop source reads of services/trips.TripService."""

    @property
    def ready(self) -> bool: ...

    def network(self) -> Network: ...


# --- helpers ---------------------------------------------------------------------------------
def translators() -> list[Translator]:
    return [Translator(lang.code) for lang in LANGUAGES]


def pick(texts: object, language: str) -> str:
    """A {tag: text} map's text in `language`, along services.i18n.fallback_chain; a plain
    string as it is; "" for anything else."""
    if isinstance(texts, str):
        return texts.strip()
    if not isinstance(texts, Mapping):
        return ""
    for code in fallback_chain(language):
        value = texts.get(code)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return next((v.strip() for v in texts.values() if isinstance(v, str) and v.strip()), "")


def every(value: object) -> list[str]:
    """Every text of a {tag: text} map (or of a list of them, or a plain string)."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, Mapping):
        return [t for v in value.values() for t in every(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in every(v)]
    return []


def town_name(code: str | None, language: str) -> str:
    """The municipality's name as a resident of `language` reads it ("" when unknown)."""
    place = town_of(code)
    if place is None:
        return ""
    if language_of(language).is_japanese:
        return place.name
    return Translator(language).gettext(place.name_en)


def joined(*parts: str) -> str:
    return SEPARATOR.join(p for p in parts if p)


def _texts(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for g in groups for t in g if t and t.strip()))


# --- procedures -------------------------------------------------------------------------------
class ProcedureSource:
    """The procedure catalogue: the title in every language (gettext), the official Japanese
    name and its keywords (readings, synonyms), as ProcedureCatalogue.search reads them."""

    kind = HitKind.procedure

    def __init__(self, catalogue: ProcedureCatalogue) -> None:
        self._catalogue = catalogue

    async def version(self) -> Hashable:
        # current() reads the cached file the first time: not on the event loop.
        return await asyncio.to_thread(lambda: self._catalogue.current().version)

    async def documents(self, language: str) -> list[Document]:
        return await asyncio.to_thread(self._documents, language)

    def _documents(self, language: str) -> list[Document]:
        t = Translator(language)
        every_language = translators()
        found = []
        for p in self._catalogue.current().procedures:
            subtitle = (t.gettext(p.office.name) if t.language.is_japanese else p.title_ja)
            found.append(Document(self.kind, p.id, t.gettext(p.title), subtitle, _texts(
                [p.title_ja], p.keywords,
                (tr.gettext(m) for tr in every_language for m in (p.title, p.summary)))))
        return found


# --- consultation services -------------------------------------------------------------------
class ConsultationSource:
    kind = HitKind.consultation

    def __init__(self, catalogue: ConsultationCatalogue) -> None:
        self._catalogue = catalogue

    async def version(self) -> Hashable:
        return await asyncio.to_thread(lambda: self._catalogue.current().version)

    async def documents(self, language: str) -> list[Document]:
        return await asyncio.to_thread(self._documents, language)

    def _documents(self, language: str) -> list[Document]:
        return [Document(self.kind, s.id, s.name_in(language),
                         joined(s.provider, s.department or ""),
                         _texts(every(s.name), every(s.description), every(s.needs),
                                [s.provider, s.department or "", s.doctor or ""]))
                for s in self._catalogue.current().services]


# --- medical, childcare, shelters, AEDs (services/info) -------------------------------------
_INFO_KINDS = {Dataset.medical: HitKind.clinic, Dataset.childcare: HitKind.childcare,
               Dataset.shelters: HitKind.shelter, Dataset.aeds: HitKind.aed}


class InfoSource:
    """One of the datasets services/info parses: names, readings, English names, and for
    clinics their departments as published and by name in every language."""

    def __init__(self, info: InfoService, generations: InfoGenerations,
                 dataset: Dataset) -> None:
        if dataset not in _INFO_KINDS:
            raise ValueError(f"{dataset} is not searched as an info dataset")
        self.kind = _INFO_KINDS[dataset]
        self._info = info
        self._generations = generations
        self._dataset = dataset

    async def version(self) -> Hashable:
        return self._generations.info_generation(self._dataset)

    async def documents(self, language: str) -> list[Document]:
        _generation, records = await self._info.records(self._dataset)
        return await asyncio.to_thread(self._documents, records, language)

    def _documents(self, records: list[StoredInfo], language: str) -> list[Document]:
        t = Translator(language)
        every_language = translators()
        return [_info_document(self.kind, item, t, every_language)
                for item in map(parse_record, records) if item is not None]


def _info_document(kind: HitKind, item: InfoItem, t: Translator,
                   every_language: list[Translator]) -> Document:
    where = town_name(item.municipality, t.code)
    japanese = t.language.is_japanese
    if isinstance(item, MedicalFacility):
        labels = [department_label(d) for d in item.departments]
        title = item.name if japanese or not item.name_en else item.name_en
        shown = item.departments if japanese else tuple(t.gettext(m) for m in labels)
        listed = ("、" if japanese else ", ").join(shown[:3])
        return Document(kind, item.id, title, joined(where, listed), _texts(
            [item.name, item.name_kana, item.name_en or ""], item.departments,
            (tr.gettext(m) for tr in every_language for m in labels)))
    if isinstance(item, ChildcareFacility):
        return Document(kind, item.id, item.name, joined(where, item.type_ja if japanese else ""),
                        _texts([item.name, item.name_kana, item.type_ja]))
    if isinstance(item, Shelter):
        return Document(kind, item.id, item.name, where, _texts([item.name, item.name_kana]))
    if isinstance(item, Aed):
        return Document(kind, item.id, item.name, joined(where, item.location),
                        _texts([item.name, item.location]))
    return Document(kind, item.id, item.name, where, _texts([item.name]))


# --- spots, guides, towns, programmes (bodies read with dict.get) ---------------------------
class RecordSource:
    """A dataset that another package parses (services/tourism, services/relocation): its
    bodies are read here with dict.get, so the search does not wait for those parsers."""

    def __init__(self, info: InfoService, generations: InfoGenerations, dataset: Dataset,
                 kind: HitKind, make: Callable[[StoredInfo, str], Document | None]) -> None:
        self.kind = kind
        self._info = info
        self._generations = generations
        self._dataset = dataset
        self._make = make

    async def version(self) -> Hashable:
        return self._generations.info_generation(self._dataset)

    async def documents(self, language: str) -> list[Document]:
        _generation, records = await self._info.records(self._dataset)
        return await asyncio.to_thread(self._documents, records, language)

    def _documents(self, records: list[StoredInfo], language: str) -> list[Document]:
        found = []
        for record in records:
            try:
                document = self._make(record, language)
            except (TypeError, ValueError, AttributeError) as exc:
                document = None
                log.warning("search: %s/%s skipped: %s", record.dataset, record.id, exc)
            if document is None:
                log.warning("search: %s/%s skipped: no name", record.dataset, record.id)
            else:
                found.append(document)
        return found


def spot_document(record: StoredInfo, language: str) -> Document | None:
    b: dict[str, Any] = record.body
    name = pick(b.get("name"), language)
    if not name:
        return None
    name_en = pick(b.get("name_en"), language)
    japanese = language_of(language).is_japanese
    title = name if japanese or not name_en else name_en
    category = pick(b.get("category"), language)  # published in Japanese only
    return Document(HitKind.spot, record.id, title,
                    joined(town_name(record.municipality, language),
                           category if japanese else ""),
                    _texts([name, pick(b.get("name_kana"), language), name_en, category],
                           every(b.get("description"))))


def guide_document(record: StoredInfo, language: str) -> Document | None:
    b: dict[str, Any] = record.body
    title = pick(b.get("title"), language)
    if not title:
        return None
    stops = b.get("stops")
    names = [n for s in (stops if isinstance(stops, list) else []) if isinstance(s, dict)
             for n in (s.get("name"), s.get("name_en")) if isinstance(n, str)]
    return Document(HitKind.guide, record.id, title,
                    joined(town_name(b.get("municipality") or record.municipality, language),
                           pick(b.get("summary"), language)),
                    _texts(every(b.get("title")), every(b.get("summary")), names))


def programme_document(record: StoredInfo, language: str) -> Document | None:
    b: dict[str, Any] = record.body
    title = pick(b.get("title"), language)
    if not title:
        return None
    code = b.get("municipality") if isinstance(b.get("municipality"), str) else None
    where = (town_name(code, language) if code
             else Translator(language).gettext(PREFECTURE_WIDE))
    return Document(HitKind.programme, record.id, title, where,
                    _texts(every(b.get("title")), every(b.get("summary")),
                           every(b.get("eligibility"))))


# --- towns: the 15 municipalities, with their relocation profile when downloaded ---------------
class TownSource:
    """services/info/towns.TOWNS (names, readings, English names in every language), with the
    relocation profile's summary (the towns dataset) when it is in the store."""

    kind = HitKind.town

    def __init__(self, info: InfoService, generations: InfoGenerations,
                 towns: Iterable[Town] = TOWNS) -> None:
        self._info = info
        self._generations = generations
        self._towns = tuple(towns)

    async def version(self) -> Hashable:
        return self._generations.info_generation(Dataset.towns)

    async def documents(self, language: str) -> list[Document]:
        _generation, records = await self._info.records(Dataset.towns)
        return await asyncio.to_thread(self._documents, records, language)

    def _documents(self, records: list[StoredInfo], language: str) -> list[Document]:
        profiles = {r.id: r.body for r in records}
        every_language = translators()
        found = []
        for place in self._towns:
            body = profiles.get(place.code, {})
            summary = body.get("summary")
            found.append(Document(
                self.kind, place.code, town_name(place.code, language) or place.name,
                pick(summary, language) or place.kana,
                _texts([place.name, place.kana],
                       (t.gettext(place.name_en) for t in every_language),
                       every(body.get("name_en")), every(summary))))
        return found


# --- stops (the bundled GTFS feeds, once the timetables are loaded) ---------------------------
class StopSource:
    """Every distinct stop name once, with its reading and English name where the feeds have
    them (services/transit/stop_search.StopIndex). The id is the name: the trip screen's field
    takes it. Empty until the timetables are loaded (TripService loads them in the
    background)."""

    kind = HitKind.stop

    def __init__(self, trips: Timetables) -> None:
        self._trips = trips

    async def version(self) -> Hashable:
        return self._trips.ready

    async def documents(self, language: str) -> list[Document]:
        if not self._trips.ready:
            return []
        network = self._trips.network()
        return await asyncio.to_thread(self._documents, network, language)

    def _documents(self, network: Network, language: str) -> list[Document]:
        lang = language_of(language)
        by_name: dict[str, Document] = {}
        for entry in StopIndex(network, guess_readings=False).entries:
            m = entry.match
            if m.name in by_name:
                old = by_name[m.name]
                more = _texts(old.texts, [m.name_kana or "", m.name_en or ""])
                by_name[m.name] = Document(self.kind, m.name, old.title, old.subtitle, more)
                continue
            subtitle = (m.name_en or "") if lang.is_japanese else m.name
            title = stop_label(m, lang)
            by_name[m.name] = Document(self.kind, m.name, title,
                                       subtitle if subtitle != title else "",
                                       _texts([m.name, m.name_kana or "", m.name_en or ""]))
        return list(by_name.values())


# --- notices -----------------------------------------------------------------------------------
class NoticeSource:
    """Notices as kept in the local store, searched by title and body in every language they
    were published in; shown in the resident's language (or along its fallback chain)."""

    kind = HitKind.notice

    def __init__(self, notices: NoticeService) -> None:
        self._notices = notices

    async def version(self) -> Hashable:
        return (await self._notices.status()).last_updated

    async def documents(self, language: str) -> list[Document]:
        shown = {n.id: n for n in await self._notices.list(language)}
        texts: dict[int, list[str]] = {}
        for lang in LANGUAGES:
            for n in await self._notices.list(lang.code):
                texts.setdefault(n.id, []).extend((n.title, n.body))
        t = Translator(language)
        return [Document(self.kind, str(n.id), n.title, t.date(n.published_at),
                         _texts(texts.get(n.id, [])))
                for n in shown.values()]


def info_sources(info: InfoService, generations: InfoGenerations) -> list[Source]:
    """The sources over services/info: the four parsed datasets, spots, guides, programmes,
    towns."""
    return [
        *(InfoSource(info, generations, d) for d in _INFO_KINDS),
        RecordSource(info, generations, Dataset.spots, HitKind.spot, spot_document),
        RecordSource(info, generations, Dataset.guides, HitKind.guide, guide_document),
        RecordSource(info, generations, Dataset.programmes, HitKind.programme,
                     programme_document),
        TownSource(info, generations),
    ]
