"""子育て施設一覧 → childcare records."""

from __future__ import annotations

from pathlib import Path

from server.info import RecordInput
from server.ingest import cells
from server.ingest.ages import age_months
from server.ingest.csvfile import Row, read_table
from server.ingest.rows import REQUIRED, Loaded, hours, load_rows, name, number_id

HOURS = ("利用可能曜日", "開始時間", "終了時間")
# First match wins: 幼稚園型認定こども園 is a こども園, 病児保育 is not a nursery.
_TYPES = (
    (("病児", "病後児"), "sick_child"),
    (("こども園",), "kodomoen"),
    (("小規模保育", "家庭的保育", "事業所内保育", "居宅訪問型"), "small_nursery"),
    (("放課後児童", "学童", "児童クラブ"), "after_school"),
    (("子育て支援",), "support_center"),
    (("幼稚園",), "kindergarten"),
    (("保育所", "保育園"), "nursery"),
)


def facility_type(text: str) -> str:
    for words, kind in _TYPES:
        if any(word in text for word in words):
            return kind
    return "other"


def _record(row: Row, code: str, ident: str) -> RecordInput:
    lat, lon = cells.coordinates(row.get("緯度"), row.get("経度"))
    ages = row.get("受入年齢")
    age_min, age_max = age_months(ages)
    body = {
        "name": name(row),
        "name_kana": row.get("名称_カナ"),
        "type": facility_type(row.get("種別")),
        "type_ja": row.get("種別"),
        "address": row.get("住所"),
        "address_detail": row.get("方書"),
        "phone": row.get("電話番号"),
        "url": row.get("URL"),
        "operator": row.get("団体名"),
        "capacity": cells.count(row.get("収容定員"), "収容定員"),
        "ages": ages,
        "age_min_months": age_min,
        "age_max_months": age_max,
        "hours": hours(row, HOURS),
        "hours_note": row.get("利用可能日時特記事項"),
        "temporary_care": cells.yes_no(row.get("一時預かりの有無")),
        "access": row.get("アクセス方法"),
        "parking": row.get("駐車場情報"),
    }
    return RecordInput(ident, code, lat, lon, body)


def load(path: Path) -> Loaded:
    return load_rows(read_table(path, REQUIRED), number_id, _record)
