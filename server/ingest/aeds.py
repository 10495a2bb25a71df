"""AED設置箇所一覧 → aeds records."""

from __future__ import annotations

from pathlib import Path

from server.info import RecordInput
from server.ingest import cells
from server.ingest.csvfile import Row, read_table
from server.ingest.rows import REQUIRED, Loaded, hours, load_rows, name, number_id

HOURS = ("利用可能曜日", "開始時間", "終了時間")


def _record(row: Row, code: str, ident: str) -> RecordInput:
    lat, lon = cells.coordinates(row.get("緯度"), row.get("経度"))
    body = {
        "name": name(row),
        "address": row.get("住所"),
        "address_detail": row.get("方書"),
        "location": row.get("設置位置"),
        "phone": row.get("電話番号"),
        "operator": row.get("団体名"),
        "hours": hours(row, HOURS),
        "hours_note": row.get("利用可能日時特記事項"),
        "pediatric": cells.yes_no(row.get("小児対応設備の有無")),
        "url": row.get("URL"),
    }
    return RecordInput(ident, code, lat, lon, body)


def load(path: Path) -> Loaded:
    return load_rows(read_table(path, REQUIRED), number_id, _record)
