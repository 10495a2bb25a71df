"""医療機関一覧 → medical records. The id is the 医療機関コード when the row has one (the duty
rota names facilities by it), else <municipality>-<NO>."""

from __future__ import annotations

from pathlib import Path

from server.info import RecordInput
from server.ingest import cells
from server.ingest.csvfile import Row, read_table
from server.ingest.problems import BadRow
from server.ingest.rows import REQUIRED, Loaded, hours, load_rows, name, number_id

HOURS = ("診療曜日", "診療開始時間", "診療終了時間")


def facility_type(text: str) -> str:
    if "歯科" in text:
        return "dental"
    if "病院" in text:
        return "hospital"
    if any(word in text for word in ("診療所", "クリニック", "医院")):
        return "clinic"
    raise BadRow(f"医療機関の種類 {text!r} is not 病院, 診療所 or 歯科診療所")


def record_id(row: Row, code: str) -> str:
    return cells.normal(row.get("医療機関コード")) or number_id(row, code)


def _record(row: Row, code: str, ident: str) -> RecordInput:
    lat, lon = cells.coordinates(row.get("緯度"), row.get("経度"))
    body = {
        "name": name(row),
        "name_kana": row.get("名称_カナ"),
        "name_en": row.get("名称_英字", "名称_英語") or None,
        "type": facility_type(row.get("医療機関の種類")),
        "address": row.get("住所"),
        "address_detail": row.get("方書"),
        "phone": row.get("電話番号"),
        "url": row.get("URL"),
        "departments": cells.departments(row.get("診療科目")),
        "hours": hours(row, HOURS),
        "hours_note": row.get("診療日時特記事項"),
        "after_hours": row.get("時間外における対応"),
        "beds": cells.count(row.get("病床数"), "病床数"),
        "duty": [],
    }
    return RecordInput(ident, code, lat, lon, body)


def load(path: Path) -> Loaded:
    table = read_table(path, (*REQUIRED, ("医療機関の種類",)))
    return load_rows(table, record_id, _record)
