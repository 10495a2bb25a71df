"""The towns and programmes datasets as the app uses them (docs/info-data.md, "towns",
"programmes").

Read forgivingly: a figure with an unknown key is left out, a value that is not a number reads
as missing (never 0), an unknown unit falls back to the key's own, a text map keeps only its
string entries. A town without its code or name, or a programme without its id, title or a
kind we know, is skipped with one log line; nothing here raises because of what the server or
the cache holds.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.i18n import N_, fallback_chain
from services.store import StoredInfo

log = logging.getLogger(__name__)


class FigureKey(StrEnum):
    population = "population"
    households = "households"
    population_change_pct = "population_change_pct"  # over 5 years, census to census
    rent_2ldk_yen = "rent_2ldk_yen"  # monthly
    land_price_yen_m2 = "land_price_yen_m2"
    commute_to_toyama_min = "commute_to_toyama_min"
    nursery_waiting = "nursery_waiting"  # 待機児童数
    child_medical_free_until_age = "child_medical_free_until_age"  # こども医療費助成
    relocation_grant_yen = "relocation_grant_yen"  # 移住支援金, household maximum
    snow_cm = "snow_cm"  # annual snowfall at the nearest AMeDAS (the note says which)
    hospitals = "hospitals"
    elementary_schools = "elementary_schools"
    junior_high_schools = "junior_high_schools"


class Unit(StrEnum):
    people = "people"
    households = "households"
    percent = "percent"
    yen = "yen"
    yen_per_m2 = "yen_per_m2"
    minutes = "minutes"
    number = "count"  # a count of places (a member named count would hide str.count)
    years = "years"
    cm = "cm"


class ProgrammeKind(StrEnum):
    relocation_grant = "relocation_grant"  # 移住支援金
    trial_stay = "trial_stay"  # お試し住宅
    job_matching = "job_matching"
    workation = "workation"
    coworking = "coworking"
    housing = "housing"  # 空き家バンク・住宅取得
    childcare = "childcare"  # 子育て支援


FIGURE_LABELS: Mapping[FigureKey, str] = {
    FigureKey.population: N_("Population"),
    FigureKey.households: N_("Households"),
    FigureKey.population_change_pct: N_("Population change over 5 years"),
    FigureKey.rent_2ldk_yen: N_("Rent of a 2LDK flat (monthly)"),
    FigureKey.land_price_yen_m2: N_("Residential land price"),
    FigureKey.commute_to_toyama_min: N_("Travel to Toyama City"),
    FigureKey.nursery_waiting: N_("Children waiting for a nursery place"),
    FigureKey.child_medical_free_until_age: N_("Children's medical care free until age"),
    FigureKey.relocation_grant_yen: N_("Relocation grant (household, maximum)"),
    FigureKey.snow_cm: N_("Snowfall in a year"),
    FigureKey.hospitals: N_("Hospitals"),
    FigureKey.elementary_schools: N_("Elementary schools"),
    FigureKey.junior_high_schools: N_("Junior high schools"),
}
# How a value is shown: a msgid with {value} (the number, formatted for the language); a unit
# not listed (a count) shows the number alone.
UNIT_FORMATS: Mapping[Unit, str] = {
    Unit.people: N_("{value} people"),
    Unit.households: N_("{value} households"),
    Unit.percent: N_("{value} %"),
    Unit.yen: N_("{value} yen"),
    Unit.yen_per_m2: N_("{value} yen per m²"),
    Unit.minutes: N_("{value} min"),
    Unit.years: N_("{value} years"),
    Unit.cm: N_("{value} cm"),
}
KIND_LABELS: Mapping[ProgrammeKind, str] = {
    ProgrammeKind.relocation_grant: N_("Relocation grant"),
    ProgrammeKind.trial_stay: N_("Trial stay"),
    ProgrammeKind.job_matching: N_("Jobs and advice"),
    ProgrammeKind.workation: N_("Workation"),
    ProgrammeKind.coworking: N_("Coworking space"),
    ProgrammeKind.housing: N_("Housing"),
    ProgrammeKind.childcare: N_("Childcare support"),
}
UNITS: Mapping[FigureKey, Unit] = {
    FigureKey.population: Unit.people, FigureKey.households: Unit.households,
    FigureKey.population_change_pct: Unit.percent, FigureKey.rent_2ldk_yen: Unit.yen,
    FigureKey.land_price_yen_m2: Unit.yen_per_m2, FigureKey.commute_to_toyama_min: Unit.minutes,
    FigureKey.nursery_waiting: Unit.people, FigureKey.child_medical_free_until_age: Unit.years,
    FigureKey.relocation_grant_yen: Unit.yen, FigureKey.snow_cm: Unit.cm,
    FigureKey.hospitals: Unit.number, FigureKey.elementary_schools: Unit.number,
    FigureKey.junior_high_schools: Unit.number,
}


def pick(texts: Mapping[str, str], code: str) -> str:
    """The text in the language `code`, else along its fallback chain; "" when none."""
    return next((texts[tag] for tag in fallback_chain(code) if texts.get(tag)), "")


@dataclass(frozen=True)
class Figure:
    key: FigureKey
    value: float | None  # None: not known (never shown or compared as 0)
    unit: Unit
    year: int | None
    source: str
    source_url: str
    sample: bool  # an estimate, not a published figure: the screen says so
    note: Mapping[str, str]

    @property
    def label(self) -> str:
        return FIGURE_LABELS[self.key]


@dataclass(frozen=True)
class TownProfile:
    code: str
    name: str
    name_en: str
    summary: Mapping[str, str]
    figures: tuple[Figure, ...]  # in FigureKey order; keys the record lacks are absent
    sample: bool  # some figure is a sample

    def figure(self, key: FigureKey) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def value(self, key: FigureKey) -> float | None:
        found = self.figure(key)
        return found.value if found is not None else None


@dataclass(frozen=True)
class Programme:
    id: str
    kind: ProgrammeKind
    municipality: str | None  # None: prefecture-wide
    title: Mapping[str, str]
    summary: Mapping[str, str]
    eligibility: Mapping[str, str]
    amount_yen: int | None
    url: str
    phone: str
    procedure_id: str | None  # an e-application of the procedures catalogue
    consultation_service_id: str | None  # a bookable consultation service
    source: str
    year: int | None
    sample: bool


class _Bad(ValueError):
    pass


def _text(body: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = body.get(key)
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise _Bad(f"{key} is missing")
    return text


def _texts(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {tag: text.strip() for tag, text in value.items()
            if isinstance(tag, str) and isinstance(text, str) and text.strip()}


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value else None  # NaN is not a number we show


def _int(value: object) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number == int(number) else None


def _figure(raw: object) -> Figure | None:
    if not isinstance(raw, dict) or raw.get("key") not in FigureKey._value2member_map_:
        return None
    key = FigureKey(raw["key"])
    unit = raw.get("unit")
    return Figure(
        key=key, value=_number(raw.get("value")),
        unit=Unit(unit) if isinstance(unit, str) and unit in Unit._value2member_map_
        else UNITS[key],
        year=_int(raw.get("year")), source=_text(raw, "source"),
        source_url=_text(raw, "source_url"),
        # Unknown means unverified: only an explicit false makes a figure a published one.
        sample=raw.get("sample") is not False or not _text(raw, "source"),
        note=_texts(raw.get("note")))


def _town(record: StoredInfo) -> TownProfile:
    body = record.body
    code = _text(body, "code") or record.id
    figures: dict[FigureKey, Figure] = {}
    raw_figures = body.get("figures")
    for raw in raw_figures if isinstance(raw_figures, list) else ():
        found = _figure(raw)
        if found is not None and found.key not in figures:
            figures[found.key] = found
    ordered = tuple(figures[k] for k in FigureKey if k in figures)
    return TownProfile(
        code=code, name=_text(body, "name", required=True), name_en=_text(body, "name_en"),
        summary=_texts(body.get("summary")), figures=ordered,
        sample=body.get("sample") is True or any(f.sample for f in ordered))


def _optional_id(body: Mapping[str, Any], key: str) -> str | None:
    return _text(body, key) or None


def _programme(record: StoredInfo) -> Programme:
    body = record.body
    kind = body.get("kind")
    if not isinstance(kind, str) or kind not in ProgrammeKind._value2member_map_:
        raise _Bad(f"unknown kind {kind!r}")
    title = _texts(body.get("title"))
    if not title:
        raise _Bad("title is missing")
    amount = _int(body.get("amount_yen"))
    municipality = body.get("municipality")
    return Programme(
        id=record.id, kind=ProgrammeKind(kind),
        municipality=municipality if isinstance(municipality, str) and municipality else None,
        title=title, summary=_texts(body.get("summary")),
        eligibility=_texts(body.get("eligibility")),
        amount_yen=amount if amount is not None and amount >= 0 else None,
        url=_text(body, "url"), phone=_text(body, "phone"),
        procedure_id=_optional_id(body, "procedure_id"),
        consultation_service_id=_optional_id(body, "consultation_service_id"),
        source=_text(body, "source"), year=_int(body.get("year")),
        sample=body.get("sample") is not False)


def parse_town(record: StoredInfo) -> TownProfile | None:
    """The record as a profile; None (and one log line) without a name."""
    try:
        return _town(record)
    except (_Bad, TypeError, ValueError, AttributeError) as exc:
        log.warning("town %s skipped: %s", record.id, exc)
        return None


def parse_programme(record: StoredInfo) -> Programme | None:
    """The record as a programme; None (and one log line) without a title or a known kind."""
    try:
        return _programme(record)
    except (_Bad, TypeError, ValueError, AttributeError) as exc:
        log.warning("programme %s skipped: %s", record.id, exc)
        return None
