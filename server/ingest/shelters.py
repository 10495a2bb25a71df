"""Shelters: the 指定緊急避難場所一覧 standard CSV, and the GSI's GeoJSON files (国土地理院
指定緊急避難場所・指定避難所データ: one file per municipality and kind, as published).

GSI ids are its 共通ID: "gsi-e-<共通ID>" for an emergency site (指定緊急避難場所, with hazard
flags), "gsi-s-<共通ID>" for a shelter (指定避難所, with 受入対象者 and 備考); a place that is both
comes as two records, each saying so through the GSI's 住所同一 flag. The GSI publishes no
capacity: it stays null, never guessed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from server.info import RecordInput
from server.ingest import cells
from server.ingest.codes import TOYAMA, BadCode, municipality_code
from server.ingest.csvfile import Row, decode, read_table
from server.ingest.problems import BadRow, FileRefused, RowProblem
from server.ingest.rows import REQUIRED, Loaded, load_rows, name, number_id

HAZARDS = {
    "洪水": "flood", "崖崩れ、土石流及び地滑り": "landslide", "高潮": "storm_surge",
    "地震": "earthquake", "津波": "tsunami", "大規模な火事": "fire", "内水氾濫": "inland_flood",
    "火山現象": "volcano",
}
SOURCE_CSV = "municipal"
SOURCE_GSI = {"emergency": "gsi-emergency", "evacuation": "gsi-evacuation"}
_FEATURE = re.compile(r'"type"\s*:\s*"Feature"')


def _csv_record(row: Row, code: str, ident: str) -> RecordInput:
    lat, lon = cells.coordinates(row.get("緯度"), row.get("経度"))
    parts = ("所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下")
    address = row.get("所在地_連結表記") or "".join(row.get(c) for c in parts)
    notes = [row.get("備考")]
    if row.get("対象となる町会・自治会"):
        notes.append("対象となる町会・自治会：" + row.get("対象となる町会・自治会"))
    body = {
        "name": name(row),
        "name_kana": row.get("名称_カナ"),
        "address": address,
        "emergency_site": True,
        "evacuation_shelter": cells.flag(row.get("指定避難所との重複")),
        "hazards": [h for ja, h in HAZARDS.items() if cells.flag(row.get("災害種別_" + ja))],
        "capacity": cells.count(row.get("想定収容人数"), "想定収容人数"),
        "accepts": "",
        "notes": "\n".join(n for n in notes if n),
        "source": "municipal",
    }
    return RecordInput(ident, code, lat, lon, body)


def load_csv(path: Path) -> Loaded:
    return load_rows(read_table(path, REQUIRED), number_id, _csv_record)


def _text(properties: dict[str, Any], key: str) -> str:
    value = properties.get(key)
    return "" if value is None else str(value).strip()


def _gsi_kind(document: dict[str, Any], features: list[Any], path: Path) -> str:
    for feature in features:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(properties, dict):
            if "受入対象者" in properties:
                return "evacuation"
            if "洪水" in properties:
                return "emergency"
    for hint in (document.get("dataType"), path.parent.name):
        if hint in SOURCE_GSI:
            return str(hint)
    raise FileRefused("is neither a GSI emergency-site nor a shelter file")


def _gsi_record(feature: Any, kind: str, code: str) -> RecordInput:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise BadRow("not a GeoJSON Feature with properties")
    properties: dict[str, Any] = feature["properties"]
    common_id = _text(properties, "共通ID")
    if not common_id:
        raise BadRow("共通ID is empty")
    place = _text(properties, "都道府県名及び市町村名")
    if place and TOYAMA.get(code) and not place.endswith(TOYAMA[code]):
        raise BadRow(f"都道府県名及び市町村名 {place} is not {TOYAMA[code]}")
    geometry = feature.get("geometry")
    point = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if (not isinstance(geometry, dict) or geometry.get("type") != "Point"
            or not isinstance(point, list) or len(point) < 2):
        raise BadRow(f"{common_id}: geometry is not a Point")
    lat, lon = cells.coordinates(str(point[1]), str(point[0]))  # GeoJSON is [lon, lat]
    title = _text(properties, "施設・場所名")
    if not title:
        raise BadRow(f"{common_id}: 施設・場所名 is empty")
    emergency = kind == "emergency"

    def also(flag: str) -> bool:  # the GSI's "same address as a site of the other kind"
        return cells.flag(_text(properties, flag))

    notes = [_text(properties, "備考"), _text(properties, "その他市町村長が必要と認める事項")]
    body = {
        "name": title,
        "name_kana": "",
        "address": _text(properties, "住所"),
        "emergency_site": emergency or also("指定緊急避難場所との住所同一"),
        "evacuation_shelter": not emergency or also("指定避難所との住所同一"),
        "hazards": [h for ja, h in HAZARDS.items() if cells.flag(_text(properties, ja))],
        "capacity": None,
        "accepts": _text(properties, "受入対象者"),
        "notes": "\n".join(n for n in notes if n),
        "source": "gsi",
    }
    prefix = "gsi-e-" if emergency else "gsi-s-"
    return RecordInput(prefix + common_id, code, lat, lon, body)


def _feature_lines(text: str, count: int) -> list[int]:
    """The line each Feature starts on in a pretty-printed file; else its 1-based number."""
    lines = [text.count("\n", 0, m.start()) + 1 for m in _FEATURE.finditer(text)]
    return lines if len(lines) == count else list(range(1, count + 1))


def load_gsi(path: Path) -> tuple[Loaded, str]:
    """The file's records and its feed (source); the municipality comes from the file's `code`
    (an "unavailable" file) or `name` (a FeatureCollection), else from the file name."""
    try:
        text = decode(path.read_bytes())
        document = json.loads(text)
    except OSError as exc:
        raise FileRefused(f"cannot be read: {exc.strerror}") from exc
    except ValueError as exc:
        raise FileRefused(f"is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise FileRefused("is not a GeoJSON FeatureCollection")
    features = document.get("features", [])
    if document.get("type") not in ("FeatureCollection", "unavailable") or not isinstance(
            features, list):
        raise FileRefused("is not a GeoJSON FeatureCollection")
    try:
        code = municipality_code(str(document.get("code") or document.get("name") or path.stem))
    except BadCode as exc:
        raise FileRefused(f"names no municipality: {exc}") from exc
    kind = _gsi_kind(document, features, path)
    loaded = Loaded(municipalities={code})
    seen: set[str] = set()
    for line, feature in zip(_feature_lines(text, len(features)), features, strict=True):
        try:
            record = _gsi_record(feature, kind, code)
            if record.record_id in seen:
                raise BadRow(f"共通ID {record.record_id[6:]} repeats")
            seen.add(record.record_id)
            loaded.records.append(record)
        except BadRow as exc:
            loaded.problems.append(RowProblem(line, str(exc)))
    return loaded, SOURCE_GSI[kind]
