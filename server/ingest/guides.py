"""Themed walking routes (docs/info-data.md, "guides"): our own JSON, since no open-data standard
describes a route. A file is a JSON list of guides and the full list of its feed: a guide missing
from it is withdrawn. Each guide is checked on its own (pydantic): a bad one is reported with the
line it starts on, its place in the list and its id, and the others load; a bad guide whose id
can be read leaves that id's earlier record as it was (a typo does not delete a route)."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from server.info import RecordInput, WithdrawScope
from server.info_models import InfoDataset
from server.ingest.batch import Batch, Parsed
from server.ingest.codes import TOYAMA, BadCode, municipality_code
from server.ingest.problems import FileRefused, RowProblem
from server.ingest.rows import Loaded

SOURCE = "guides"
_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # ja, ja-easy, zh-Hant, pt-BR...
_DECODER = json.JSONDecoder()
_BETWEEN = frozenset(" \t\r\n,")


class GuideTheme(StrEnum):
    city = "city"
    history = "history"
    nature = "nature"
    food = "food"
    crafts = "crafts"
    onsen = "onsen"


class LegMode(StrEnum):
    walk = "walk"
    tram = "tram"
    bus = "bus"
    train = "train"


def _texts(value: dict[str, str]) -> dict[str, str]:
    for tag, text in value.items():
        if not _TAG.fullmatch(tag):
            raise ValueError(f"{tag!r} is not a language tag")
        if not text.strip():
            raise ValueError(f"the {tag} text is empty")
    return value


Texts = Annotated[dict[str, str], AfterValidator(_texts)]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key is a mistake, not a new field


class Leg(_Strict):
    mode: LegMode
    minutes: int = Field(ge=0, le=24 * 60)
    note: Texts = {}


class Stop(_Strict):
    spot_id: str | None = Field(default=None, pattern=r"^[0-9]{6}-\S+$", max_length=80)
    name: Name
    name_en: Name | None = None
    lat: float = Field(ge=20.0, le=46.0)  # Japan, with a margin (as the CSV loaders check)
    lon: float = Field(ge=122.0, le=154.0)
    stay_min: int = Field(ge=0, le=24 * 60)
    note: Texts = {}
    transit_stop: Name | None = None  # a stop name as in the bundled GTFS feeds
    next: Leg | None = None


class Guide(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: Texts = Field(min_length=1)
    summary: Texts = {}
    theme: GuideTheme
    municipality: str
    duration_min: int = Field(ge=1, le=7 * 24 * 60)
    stops: list[Stop] = Field(min_length=1)
    sample: bool

    @field_validator("municipality")
    @classmethod
    def _toyama(cls, value: str) -> str:
        try:
            code = municipality_code(value)
        except BadCode as exc:
            raise ValueError(str(exc)) from None
        if code != value or code not in TOYAMA:
            raise ValueError(f"{value!r} is not the 6-digit code of a Toyama municipality")
        return code

    @model_validator(mode="after")
    def _last_leg(self) -> Guide:
        if self.stops[-1].next is not None:
            raise ValueError("the last stop has a leg to a next stop")
        return self


def _elements(text: str) -> list[tuple[int, Any]]:
    """The list's items, each with the line it starts on (the file is checked as JSON first)."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise FileRefused(f"is not JSON: {exc}") from exc
    if not isinstance(document, list):
        raise FileRefused("is not a JSON list of guides")
    position, items = text.index("[") + 1, []
    for _ in document:
        while text[position] in _BETWEEN:
            position += 1
        item, end = _DECODER.raw_decode(text, position)
        items.append((text.count("\n", 0, position) + 1, item))
        position = end
    return items


def _reason(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'guide'}: {e['msg']}"
                     for e in error.errors(include_url=False))


def _record(guide: Guide) -> RecordInput:
    first = guide.stops[0]
    return RecordInput(guide.id, guide.municipality, first.lat, first.lon,
                       guide.model_dump(mode="json"))


def load(path: Path) -> Loaded:
    try:
        text = path.read_bytes().decode("utf-8-sig")  # JSON is UTF-8 (RFC 8259)
    except OSError as exc:
        raise FileRefused(f"cannot be read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise FileRefused(f"is not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    loaded = Loaded()
    seen: dict[str, int] = {}
    for index, (line, item) in enumerate(_elements(text)):
        ident = item.get("id") if isinstance(item, dict) else None
        ident = ident if isinstance(ident, str) and ident else None
        where = f"guides[{index}]" + (f" ({ident[:40]})" if ident else "")
        try:
            if ident in seen:
                raise ValueError(f"id repeats line {seen[ident]}")
            guide = Guide.model_validate(item)
        except ValidationError as exc:
            loaded.problems.append(RowProblem(line, f"{where}: {_reason(exc)}"))
        except ValueError as exc:
            loaded.problems.append(RowProblem(line, f"{where}: {exc}"))
        else:
            loaded.records.append(_record(guide))
            loaded.municipalities.add(guide.municipality)
            seen[guide.id] = line
            continue
        if ident is not None and ident not in seen:
            loaded.keep.add(ident)
    return loaded


def parse(path: Path) -> Parsed:
    """The file as one batch: the full list of the guides feed."""
    loaded = load(path)
    batch = Batch(InfoDataset.guides, SOURCE, loaded.records, WithdrawScope(id_prefix=""),
                  frozenset(loaded.keep))
    return Parsed(batches=[batch], problems=loaded.problems)
