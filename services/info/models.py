"""The info datasets' records as the app uses them (docs/info-data.md, "Record bodies").

Bodies are read forgivingly: a missing optional text is "", an unknown hazard or department is
dropped or kept as published, a slot that cannot be read is left out. A record whose body lacks
what it cannot do without (a name, a known kind, a time for an alert) is skipped with one log
line; nothing here raises because of what the server or the cache holds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from services.i18n import JAPAN_TZ
from services.models import InfoDataset
from services.store import StoredInfo

Dataset = InfoDataset  # parsed here: medical, childcare, shelters, aeds, alerts

log = logging.getLogger(__name__)


class MedicalType(StrEnum):
    hospital = "hospital"
    clinic = "clinic"
    dental = "dental"


class ChildcareType(StrEnum):
    nursery = "nursery"  # 保育所
    kodomoen = "kodomoen"  # 認定こども園
    kindergarten = "kindergarten"  # 幼稚園
    small_nursery = "small_nursery"  # 小規模保育
    after_school = "after_school"  # 放課後児童クラブ
    support_center = "support_center"  # 子育て支援センター
    sick_child = "sick_child"  # 病児・病後児保育
    other = "other"


class Hazard(StrEnum):
    flood = "flood"  # 洪水
    landslide = "landslide"  # 崖崩れ、土石流及び地滑り
    storm_surge = "storm_surge"  # 高潮
    earthquake = "earthquake"  # 地震
    tsunami = "tsunami"  # 津波
    fire = "fire"  # 大規模な火事
    inland_flood = "inland_flood"  # 内水氾濫
    volcano = "volcano"  # 火山現象


class ShelterSource(StrEnum):
    gsi = "gsi"  # 国土地理院
    municipal = "municipal"


class AlertType(StrEnum):
    warning = "warning"  # 気象警報・注意報
    earthquake = "earthquake"  # 地震情報
    evacuation = "evacuation"  # 避難指示等


class AlertStatus(StrEnum):
    issued = "issued"  # 発表
    continued = "continued"  # 継続


class DayCode(StrEnum):
    mon = "mon"
    tue = "tue"
    wed = "wed"
    thu = "thu"
    fri = "fri"
    sat = "sat"
    sun = "sun"
    hol = "hol"  # a Japanese public holiday

    @classmethod
    def of_weekday(cls, weekday: int) -> DayCode:
        """date.weekday() (Monday 0) -> its code."""
        return _WEEK[weekday]


_WEEK = (DayCode.mon, DayCode.tue, DayCode.wed, DayCode.thu, DayCode.fri, DayCode.sat,
         DayCode.sun)
INTENSITIES = ("1", "2", "3", "4", "5-", "5+", "6-", "6+", "7")  # 震度, lowest first


# --- times ---------------------------------------------------------------------------------
_HHMM = re.compile(r"^([0-9]{1,2}):([0-5][0-9])$")
DAY_MINUTES = 24 * 60


def minutes_of(text: str) -> int | None:
    """"09:30" -> 570; "24:00" -> 1440; anything else -> None."""
    found = _HHMM.match(text.strip()) if isinstance(text, str) else None
    if not found:
        return None
    minutes = int(found.group(1)) * 60 + int(found.group(2))
    return minutes if minutes <= DAY_MINUTES else None


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Slot:
    """Open on `days` from `opens` to `closes` (minutes after midnight, Japan time). A slot
    whose close is not after its open (or is 24:00 = 1440) runs into the next day."""

    days: frozenset[DayCode]
    opens: int
    closes: int

    @property
    def past_midnight(self) -> bool:
        return self.closes <= self.opens or self.closes == DAY_MINUTES

    @property
    def label(self) -> str:
        """"09:00–12:30" (an en dash), as published: a night slot reads "19:00–02:00"."""
        return f"{hhmm(self.opens)}–{hhmm(self.closes)}"


@dataclass(frozen=True)
class DutyDay:
    """休日当番: open on `date` from `opens` to `closes` whatever the weekday."""

    date: date
    opens: int
    closes: int
    departments: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{hhmm(self.opens)}–{hhmm(self.closes)}"


# --- records ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MedicalFacility:
    id: str
    municipality: str | None
    lat: float | None
    lon: float | None
    name: str
    name_kana: str
    name_en: str | None
    type: MedicalType
    address: str
    address_detail: str
    phone: str
    url: str
    departments: tuple[str, ...]  # as published ("内科"); services.info.departments labels them
    hours: tuple[Slot, ...]
    hours_note: str
    after_hours: str  # 時間外における対応
    beds: int | None
    duty: tuple[DutyDay, ...]


@dataclass(frozen=True)
class ChildcareFacility:
    id: str
    municipality: str | None
    lat: float | None
    lon: float | None
    name: str
    name_kana: str
    type: ChildcareType
    type_ja: str
    address: str
    address_detail: str
    phone: str
    url: str
    operator: str
    capacity: int | None
    ages: str  # as published
    age_min_months: int | None
    age_max_months: int | None  # exclusive; 就学前 = 72
    hours: tuple[Slot, ...]
    hours_note: str
    temporary_care: bool | None  # 一時預かり
    access: str
    parking: str

    def accepts_age(self, months: int) -> bool:
        """Unknown bounds do not exclude: the facility is asked rather than hidden."""
        if self.age_min_months is not None and months < self.age_min_months:
            return False
        return self.age_max_months is None or months < self.age_max_months


@dataclass(frozen=True)
class Shelter:
    id: str
    municipality: str | None
    lat: float | None
    lon: float | None
    name: str  # conditions such as 「洪水時２階以上」 kept: show them
    name_kana: str
    address: str
    emergency_site: bool  # 指定緊急避難場所
    evacuation_shelter: bool  # 指定避難所
    hazards: frozenset[Hazard]
    capacity: int | None  # None: not published
    accepts: str  # 受入対象者
    notes: str
    source: ShelterSource


@dataclass(frozen=True)
class Aed:
    id: str
    municipality: str | None
    lat: float | None
    lon: float | None
    name: str
    address: str
    address_detail: str
    location: str  # 設置位置
    phone: str
    operator: str
    hours: tuple[Slot, ...]
    hours_note: str
    pediatric: bool | None  # 小児対応設備
    url: str


@dataclass(frozen=True)
class Alert:
    id: str
    municipality: str | None
    lat: float | None
    lon: float | None
    type: AlertType
    code: str
    name: str  # as published: 「大雨警報」
    level: int | None  # 警戒レベル 1..5 (or the level a warning corresponds to)
    status: AlertStatus
    issued_at: datetime  # aware
    headline: str
    area: str
    intensity: str | None  # 震度 "1".."7", "5-", "5+", "6-", "6+" (earthquakes)
    event_id: str

    @property
    def intensity_rank(self) -> int:
        """Order of the intensity (0 when none): for sorting earthquakes."""
        return INTENSITIES.index(self.intensity) + 1 if self.intensity in INTENSITIES else 0


InfoItem = MedicalFacility | ChildcareFacility | Shelter | Aed | Alert


# --- reading bodies forgivingly -----------------------------------------------------------
class _Bad(ValueError):
    pass


E = TypeVar("E", bound=StrEnum)


def _text(body: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = body.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if required:
        raise _Bad(f"{key} missing")
    return ""


def _opt_text(body: dict[str, Any], key: str) -> str | None:
    return _text(body, key) or None


def _opt_int(body: dict[str, Any], key: str) -> int | None:
    value = body.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _opt_bool(body: dict[str, Any], key: str) -> bool | None:
    value = body.get(key)
    return value if isinstance(value, bool) else None


def _texts(body: dict[str, Any], key: str) -> tuple[str, ...]:
    value = body.get(key)
    if not isinstance(value, list):
        return ()
    return tuple(v.strip() for v in value if isinstance(v, str) and v.strip())


def _enum(kind: type[E], value: object, default: E | None = None) -> E:
    if isinstance(value, str) and value in kind._value2member_map_:
        return kind(value)
    if default is None:
        raise _Bad(f"unknown {kind.__name__}: {value!r}")
    return default


def parse_slots(value: object) -> tuple[Slot, ...]:
    """Slots as published; one that cannot be read is left out (never a crash)."""
    if not isinstance(value, list):
        return ()
    slots = []
    for raw in value:
        if not isinstance(raw, dict):
            continue
        days = raw.get("days")
        opens, closes = minutes_of(raw.get("open", "")), minutes_of(raw.get("close", ""))
        if not isinstance(days, list) or opens is None or closes is None or opens >= DAY_MINUTES:
            continue
        codes = frozenset(DayCode(d) for d in days if isinstance(d, str)
                          and d in DayCode._value2member_map_)
        if codes:
            slots.append(Slot(codes, opens, closes))
    return tuple(slots)


def parse_duty(value: object) -> tuple[DutyDay, ...]:
    if not isinstance(value, list):
        return ()
    days = []
    for raw in value:
        if not isinstance(raw, dict):
            continue
        opens, closes = minutes_of(raw.get("open", "")), minutes_of(raw.get("close", ""))
        try:
            day = date.fromisoformat(str(raw.get("date")))
        except ValueError:
            continue
        if opens is None or closes is None or opens >= DAY_MINUTES:
            continue
        days.append(DutyDay(day, opens, closes, _texts(raw, "departments")))
    return tuple(days)


def _medical(r: StoredInfo, b: dict[str, Any]) -> MedicalFacility:
    return MedicalFacility(
        r.id, r.municipality, r.lat, r.lon, name=_text(b, "name", required=True),
        name_kana=_text(b, "name_kana"), name_en=_opt_text(b, "name_en"),
        type=_enum(MedicalType, b.get("type")), address=_text(b, "address"),
        address_detail=_text(b, "address_detail"), phone=_text(b, "phone"),
        url=_text(b, "url"), departments=_texts(b, "departments"),
        hours=parse_slots(b.get("hours")), hours_note=_text(b, "hours_note"),
        after_hours=_text(b, "after_hours"), beds=_opt_int(b, "beds"),
        duty=parse_duty(b.get("duty")))


def _childcare(r: StoredInfo, b: dict[str, Any]) -> ChildcareFacility:
    return ChildcareFacility(
        r.id, r.municipality, r.lat, r.lon, name=_text(b, "name", required=True),
        name_kana=_text(b, "name_kana"),
        type=_enum(ChildcareType, b.get("type"), ChildcareType.other),
        type_ja=_text(b, "type_ja"), address=_text(b, "address"),
        address_detail=_text(b, "address_detail"), phone=_text(b, "phone"),
        url=_text(b, "url"), operator=_text(b, "operator"), capacity=_opt_int(b, "capacity"),
        ages=_text(b, "ages"), age_min_months=_opt_int(b, "age_min_months"),
        age_max_months=_opt_int(b, "age_max_months"), hours=parse_slots(b.get("hours")),
        hours_note=_text(b, "hours_note"), temporary_care=_opt_bool(b, "temporary_care"),
        access=_text(b, "access"), parking=_text(b, "parking"))


def _shelter(r: StoredInfo, b: dict[str, Any]) -> Shelter:
    hazards = b.get("hazards")
    return Shelter(
        r.id, r.municipality, r.lat, r.lon, name=_text(b, "name", required=True),
        name_kana=_text(b, "name_kana"), address=_text(b, "address"),
        emergency_site=b.get("emergency_site") is True,
        evacuation_shelter=b.get("evacuation_shelter") is True,
        hazards=frozenset(Hazard(h) for h in (hazards if isinstance(hazards, list) else ())
                          if isinstance(h, str) and h in Hazard._value2member_map_),
        capacity=_opt_int(b, "capacity"), accepts=_text(b, "accepts"), notes=_text(b, "notes"),
        source=_enum(ShelterSource, b.get("source"), ShelterSource.municipal))


def _aed(r: StoredInfo, b: dict[str, Any]) -> Aed:
    return Aed(
        r.id, r.municipality, r.lat, r.lon, name=_text(b, "name", required=True),
        address=_text(b, "address"), address_detail=_text(b, "address_detail"),
        location=_text(b, "location"), phone=_text(b, "phone"), operator=_text(b, "operator"),
        hours=parse_slots(b.get("hours")), hours_note=_text(b, "hours_note"),
        pediatric=_opt_bool(b, "pediatric"), url=_text(b, "url"))


def _alert(r: StoredInfo, b: dict[str, Any]) -> Alert:
    try:
        issued_at = datetime.fromisoformat(_text(b, "issued_at", required=True))
    except ValueError as exc:
        raise _Bad("issued_at is not ISO 8601") from exc
    if issued_at.tzinfo is None:
        issued_at = issued_at.replace(tzinfo=JAPAN_TZ)  # JMA's times are Japan time
    level = _opt_int(b, "level")
    intensity = _text(b, "intensity")
    return Alert(
        r.id, r.municipality, r.lat, r.lon, type=_enum(AlertType, b.get("type")),
        code=_text(b, "code"), name=_text(b, "name", required=True),
        level=level if level is not None and 1 <= level <= 5 else None,
        status=_enum(AlertStatus, b.get("status"), AlertStatus.issued), issued_at=issued_at,
        headline=_text(b, "headline"), area=_text(b, "area"),
        intensity=intensity if intensity in INTENSITIES else None,
        event_id=_text(b, "event_id"))


_PARSERS: dict[Dataset, Callable[[StoredInfo, dict[str, Any]], InfoItem]] = {
    Dataset.medical: _medical, Dataset.childcare: _childcare, Dataset.shelters: _shelter,
    Dataset.aeds: _aed, Dataset.alerts: _alert,
}


def parse_record(record: StoredInfo) -> InfoItem | None:
    """The record's body read as its dataset's model; None (and one log line) when it lacks
    what it cannot do without."""
    try:
        parser = _PARSERS.get(record.dataset)
        return parser(record, record.body) if parser is not None else None
    except (_Bad, TypeError, ValueError, AttributeError) as exc:
        log.warning("info record %s/%s skipped: %s", record.dataset, record.id, exc)
        return None
