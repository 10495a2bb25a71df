"""Relocation data (docs/info-data.md, "towns" and "programmes"): municipality profiles and
support programmes for people thinking of moving to Toyama.

No 自治体標準オープンデータセット carries these, so they are our own JSON files: an array of
records, each validated on its own (pydantic). A record that cannot be read is reported with the
line it starts on, its id and the reason, and the rest loads; its earlier version stays as it was
(a typo does not delete a town). A file is the full list of its feed: a record no longer listed
is withdrawn.

Honesty is checked here, not left to the author: every figure names its source and year, or is
marked `sample` with 「サンプル」 or "sample" in its source; a programme the same. A programme may
link an e-application only to a procedure the bundled catalogue has.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from forms.bundled import load_catalogue
from server.info import RecordInput, WithdrawScope
from server.info_models import InfoDataset
from server.ingest.batch import Batch, Parsed
from server.ingest.codes import TOYAMA
from server.ingest.problems import BadRow, FileRefused, RowProblem

SOURCE = "relocation"  # the feed: these files replace only what they loaded before
# The app's language tags (services/i18n.py), and the other tags spots descriptions may carry.
TAGS = frozenset({"ja", "ja-easy", "en", "zh-Hans", "zh-Hant", "ko", "vi", "pt-BR", "tl", "id",
                  "ne", "th", "es", "fr", "de"})
REQUIRED_TAGS = ("ja", "ja-easy", "en")
SAMPLE_WORDS = ("サンプル", "sample")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_SERVICE_ID = re.compile(r"^[a-z][a-z0-9_]{0,79}$")
_WHITESPACE = re.compile(r"\s*")


class FigureKey(StrEnum):
    population = "population"
    households = "households"
    population_change_pct = "population_change_pct"  # over the last 5 years (census to census)
    rent_2ldk_yen = "rent_2ldk_yen"  # monthly
    land_price_yen_m2 = "land_price_yen_m2"
    commute_to_toyama_min = "commute_to_toyama_min"
    nursery_waiting = "nursery_waiting"  # 待機児童数
    child_medical_free_until_age = "child_medical_free_until_age"  # こども医療費助成
    relocation_grant_yen = "relocation_grant_yen"  # 移住支援金, household maximum
    snow_cm = "snow_cm"
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


UNITS: dict[FigureKey, Unit] = {
    FigureKey.population: Unit.people, FigureKey.households: Unit.households,
    FigureKey.population_change_pct: Unit.percent, FigureKey.rent_2ldk_yen: Unit.yen,
    FigureKey.land_price_yen_m2: Unit.yen_per_m2, FigureKey.commute_to_toyama_min: Unit.minutes,
    FigureKey.nursery_waiting: Unit.people, FigureKey.child_medical_free_until_age: Unit.years,
    FigureKey.relocation_grant_yen: Unit.yen, FigureKey.snow_cm: Unit.cm,
    FigureKey.hospitals: Unit.number, FigureKey.elementary_schools: Unit.number,
    FigureKey.junior_high_schools: Unit.number,
}


class ProgrammeKind(StrEnum):
    relocation_grant = "relocation_grant"  # 移住支援金
    trial_stay = "trial_stay"  # お試し住宅
    job_matching = "job_matching"
    workation = "workation"
    coworking = "coworking"
    housing = "housing"  # 空き家バンク・住宅取得
    childcare = "childcare"  # 子育て支援


def _texts(value: dict[str, str], required: tuple[str, ...]) -> dict[str, str]:
    unknown = sorted(set(value) - TAGS)
    if unknown:
        raise ValueError(f"unknown language tags {unknown}")
    cleaned = {tag: text.strip() for tag, text in value.items()}
    missing = [tag for tag in required if not cleaned.get(tag)]
    if missing:
        raise ValueError(f"no text in {missing}")
    return {tag: text for tag, text in cleaned.items() if text}


def _honest(sample: bool, source: str, year: int | None) -> None:
    if sample:
        if not any(word in source.lower() for word in SAMPLE_WORDS):
            raise ValueError("a sample must say 「サンプル」 or \"sample\" in its source")
    elif not source.strip() or year is None:
        raise ValueError("a figure that is not a sample needs its source and year")


Texts = dict[str, str]
Year = Annotated[int, Field(ge=1900, le=2100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FigureIn(_Strict):
    key: FigureKey
    value: float | None
    unit: Unit
    year: Year | None = None
    source: str = Field(min_length=1, max_length=200)
    source_url: str = Field(default="", max_length=500)
    sample: bool = False
    note: Texts | None = None

    @field_validator("note")
    @classmethod
    def _note(cls, value: Texts | None) -> Texts | None:
        return None if value is None else _texts(value, ("ja", "en"))

    @field_validator("source_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_url(value)

    @model_validator(mode="after")
    def _consistent(self) -> FigureIn:
        if self.unit != UNITS[self.key]:
            raise ValueError(f"{self.key} is in {UNITS[self.key]}, not {self.unit}")
        if (self.value is not None and self.value < 0
                and self.key != FigureKey.population_change_pct):
            raise ValueError(f"{self.key} cannot be negative")
        _honest(self.sample, self.source, self.year)
        return self

    def body(self) -> dict[str, Any]:
        value = self.value
        if value is not None and value == int(value) and self.unit != Unit.percent:
            value = int(value)
        body: dict[str, Any] = {"key": self.key.value, "value": value, "unit": self.unit.value,
                                "year": self.year, "source": self.source,
                                "source_url": self.source_url, "sample": self.sample}
        if self.note:
            body["note"] = self.note
        return body


class TownIn(_Strict):
    code: str
    name: str
    name_en: str = Field(min_length=1, max_length=80)
    summary: Texts
    figures: list[FigureIn]

    @field_validator("summary")
    @classmethod
    def _summary(cls, value: Texts) -> Texts:
        return _texts(value, REQUIRED_TAGS)

    @model_validator(mode="after")
    def _town(self) -> TownIn:
        if self.code not in TOYAMA:
            raise ValueError(f"code {self.code} is not one of Toyama's 15 municipalities")
        if TOYAMA[self.code] != self.name:
            raise ValueError(f"name {self.name} does not match code {self.code} "
                             f"({TOYAMA[self.code]})")
        keys = [f.key for f in self.figures]
        repeated = sorted({k.value for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"figures repeat {repeated}")
        return self

    def record(self) -> RecordInput:
        order = list(FigureKey)
        figures = sorted(self.figures, key=lambda f: order.index(f.key))
        body = {"code": self.code, "name": self.name, "name_en": self.name_en,
                "summary": self.summary, "figures": [f.body() for f in figures],
                "sample": any(f.sample for f in figures)}
        return RecordInput(self.code, self.code, None, None, body)


class ProgrammeIn(_Strict):
    id: str
    kind: ProgrammeKind
    municipality: str | None = None
    title: Texts
    summary: Texts
    eligibility: Texts
    amount_yen: int | None = Field(default=None, ge=0)
    url: str = Field(default="", max_length=500)
    phone: str = Field(default="", max_length=40)
    procedure_id: str | None = None
    consultation_service_id: str | None = None
    source: str = Field(min_length=1, max_length=200)
    year: Year | None = None
    sample: bool

    @field_validator("title", "summary", "eligibility")
    @classmethod
    def _required_texts(cls, value: Texts) -> Texts:
        return _texts(value, REQUIRED_TAGS)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_url(value)

    @model_validator(mode="after")
    def _programme(self) -> ProgrammeIn:
        if not _ID.match(self.id):
            raise ValueError(f"id {self.id!r} is not lower-case letters, digits and hyphens")
        if self.municipality is not None and self.municipality not in TOYAMA:
            raise ValueError(f"municipality {self.municipality} is not one of Toyama's 15")
        if self.procedure_id is not None and self.procedure_id not in _procedure_ids():
            raise ValueError(f"procedure_id {self.procedure_id} is not in the catalogue")
        if (self.consultation_service_id is not None
                and not _SERVICE_ID.match(self.consultation_service_id)):
            raise ValueError(f"consultation_service_id {self.consultation_service_id!r} "
                             "is not a service id")
        _honest(self.sample, self.source, self.year)
        return self

    def record(self) -> RecordInput:
        body = self.model_dump(mode="json")
        return RecordInput(self.id, self.municipality, None, None, body)


def _check_url(value: str) -> str:
    if value and not value.startswith(("https://", "http://")):
        raise ValueError(f"url {value[:40]!r} is not http(s)")
    return value


@cache
def _procedure_ids() -> frozenset[str]:
    return frozenset(p.id for p in load_catalogue().procedures)


def _elements(text: str) -> list[tuple[int, Any]]:
    """The top-level array's elements, each with the line it starts on."""
    decoder = json.JSONDecoder()

    def skip(at: int) -> int:
        found = _WHITESPACE.match(text, at)
        return found.end() if found else at

    at = skip(0)
    if not text.startswith("[", at):
        raise FileRefused("is not a JSON array of records")
    at, elements = skip(at + 1), []
    while not text.startswith("]", at):
        start = at
        try:
            value, at = decoder.raw_decode(text, at)
        except ValueError as exc:
            raise FileRefused(f"is not JSON: {exc}") from exc
        elements.append((text.count("\n", 0, start) + 1, value))
        at = skip(at)
        if text.startswith(",", at):
            at = skip(at + 1)
        elif not text.startswith("]", at):
            line = text.count("\n", 0, at) + 1
            raise FileRefused(f"is not JSON: expected ',' or ']' on line {line}")
    if text[skip(at + 1):]:
        raise FileRefused("is not JSON: text after the array")
    return elements


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefused(f"cannot be read: {exc.strerror}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(f"is not UTF-8 ({exc.reason} at byte {exc.start})") from exc


def _reason(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _load(path: Path, dataset: InfoDataset, key: str,
          model: Callable[[dict[str, Any]], TownIn | ProgrammeIn]) -> Parsed:
    records: list[RecordInput] = []
    problems: list[RowProblem] = []
    keep: set[str] = set()
    first_line: dict[str, int] = {}
    for line, raw in _elements(_read(path)):
        ident = raw.get(key) if isinstance(raw, dict) else None
        ident = ident if isinstance(ident, str) and ident else None
        label = f"{key} {ident}" if ident else "a record without its " + key
        try:
            if not isinstance(raw, dict):
                raise BadRow("not a JSON object")
            if ident in first_line:
                raise BadRow(f"repeats line {first_line[ident]}")
            try:
                record = model(raw).record()
            except ValidationError as exc:
                raise BadRow(_reason(exc)) from None
            records.append(record)
            first_line[record.record_id] = line
        except BadRow as exc:
            problems.append(RowProblem(line, f"{label}: {exc}"))
            if ident is not None and ident not in first_line and len(ident) <= 80:
                keep.add(ident)
    batch = Batch(dataset, SOURCE, records, WithdrawScope(id_prefix=""), frozenset(keep))
    return Parsed(batches=[batch], problems=problems)


def parse_towns(path: Path) -> Parsed:
    """towns.json: one profile per municipality, id = the 6-digit code."""
    return _load(path, InfoDataset.towns, "code", TownIn.model_validate)


def parse_programmes(path: Path) -> Parsed:
    """programmes.json: support programmes, id as given (lower case, digits, hyphens)."""
    return _load(path, InfoDataset.programmes, "id", ProgrammeIn.model_validate)
