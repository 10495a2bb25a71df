"""観光施設一覧 → spots records (docs/info-data.md, "spots"). Headers as published; our
extensions: ';' slots in 利用可能曜日/開始時間/終了時間, 説明_<language> columns, 対応言語 and
カテゴリ. The id is <municipality>-<NO>."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from server.info import RecordInput
from server.ingest import cells
from server.ingest.csvfile import Row, Table, read_table
from server.ingest.problems import BadRow
from server.ingest.rows import REQUIRED, Loaded, hours, load_rows, name, number_id

HOURS = ("利用可能曜日", "開始時間", "終了時間")
DESCRIPTION = "説明"
# 説明_<suffix> → the language tag of the description (the standard has 説明 and 説明_英語).
LANGUAGES = {
    "英語": "en", "やさしい日本語": "ja-easy", "中国語簡体字": "zh-Hans",
    "中国語繁体字": "zh-Hant", "韓国語": "ko", "ベトナム語": "vi", "ポルトガル語": "pt-BR",
    "タガログ語": "tl", "インドネシア語": "id", "ネパール語": "ne", "タイ語": "th",
    "スペイン語": "es", "フランス語": "fr", "ドイツ語": "de",
}
# 対応言語 cells: language names as a clerk writes them, or the tags themselves.
_SUPPORT = {"日本語": "ja", "やさしい日本語": "ja-easy", "中国語": "zh", "簡体字": "zh-Hans",
            "繁体字": "zh-Hant", **LANGUAGES}
_TAGS = set(_SUPPORT.values())
_YEN = re.compile(r"[¥￥]?(\d+)(?:円)?")
_FREE = {"無料", "0", "0円", "なし"}


def fee_yen(text: str) -> int | None:
    """料金（基本） as yen when it is one plain amount ("500", "500円", "1,200円", "無料");
    None otherwise (the text says it)."""
    value = cells.normal(text).replace(",", "").replace(" ", "")
    if value in _FREE:
        return 0
    match = _YEN.fullmatch(value)
    return int(match.group(1)) if match else None


def support_languages(text: str) -> list[str]:
    result: list[str] = []
    for part in cells.departments(cells.normal(text)):
        tag = _SUPPORT.get(part) or (part if part in _TAGS else None)
        if tag is None:
            raise BadRow(f"対応言語 {part!r} is not a language we know")
        if tag not in result:
            result.append(tag)
    return result


def description_columns(table: Table) -> dict[str, str]:
    """Header → language tag of the file's description columns; an unknown 説明_<x> refuses
    nothing (it is ignored) but an empty suffix is not a language."""
    found = {DESCRIPTION: "ja"} if table.has(DESCRIPTION) else {}
    for header in table.headers:
        if header.startswith(DESCRIPTION + "_") and header[3:] in LANGUAGES:
            found[header] = LANGUAGES[header[3:]]
    return found


def _phone(row: Row) -> str:
    phone, extension = row.get("連絡先電話番号"), row.get("連絡先内線番号")
    return f"{phone} 内線{extension}" if phone and extension else phone


def _fee_text(row: Row) -> str:
    return "\n".join(t for t in (row.get("料金（基本）"), row.get("料金（詳細）")) if t)


def load(path: Path) -> Loaded:
    table = read_table(path, REQUIRED)
    languages = description_columns(table)

    def record(row: Row, code: str, ident: str) -> RecordInput:
        lat, lon = cells.coordinates(row.get("緯度"), row.get("経度"))
        description = {tag: row.get(header) for header, tag in languages.items()
                       if row.get(header)}
        body: dict[str, Any] = {
            "name": name(row),
            "name_kana": row.get("名称_カナ"),
            "name_en": row.get("名称_英語", "名称_英字") or None,
            "address": row.get("住所"),
            "address_detail": row.get("方書"),
            "hours": hours(row, HOURS),
            "hours_note": row.get("利用可能日時特記事項"),
            "fee_yen": fee_yen(row.get("料金（基本）")),
            "fee_text": _fee_text(row),
            "description": description,
            "access": row.get("アクセス方法"),
            "parking": row.get("駐車場情報"),
            "barrier_free": row.get("バリアフリー情報"),
            "contact": row.get("連絡先名称"),
            "phone": _phone(row),
            "url": row.get("URL"),
            "support_languages": support_languages(row.get("対応言語")),
            "category": row.get("カテゴリ", "種類"),
            "notes": row.get("備考"),
        }
        return RecordInput(ident, code, lat, lon, body)

    return load_rows(table, number_id, record)
