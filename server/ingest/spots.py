"""観光施設一覧 → spots records (docs/info-data.md, "spots"). Headers as published; our
extensions: ';' slots in 利用可能曜日/開始時間/終了時間, <text>_<language> columns for
説明, アクセス方法 and バリアフリー情報, 車椅子対応, 対応言語 and カテゴリ. The id is
<municipality>-<NO>."""

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
DESCRIPTION, ACCESS, BARRIER_FREE = "説明", "アクセス方法", "バリアフリー情報"
WHEELCHAIR = "車椅子対応"
# <text>_<suffix> → the language tag of that column (the standard has 説明 and 説明_英語; the
# base column without a suffix is Japanese).
LANGUAGES = {
    "英語": "en", "やさしい日本語": "ja-easy", "中国語簡体字": "zh-Hans",
    "中国語繁体字": "zh-Hant", "韓国語": "ko", "ベトナム語": "vi", "ポルトガル語": "pt-BR",
    "タガログ語": "tl", "インドネシア語": "id", "ネパール語": "ne", "タイ語": "th",
    "スペイン語": "es", "フランス語": "fr", "ドイツ語": "de",
}
# 対応言語 cells: language names as a clerk writes them, or the tags themselves. 「中国語」 alone
# says nothing of the script: it counts for both, so a reader of either finds the place.
_SUPPORT: dict[str, tuple[str, ...]] = {
    "日本語": ("ja",), "やさしい日本語": ("ja-easy",), "中国語": ("zh-Hans", "zh-Hant"),
    "簡体字": ("zh-Hans",), "繁体字": ("zh-Hant",), "zh": ("zh-Hans", "zh-Hant"),
    **{name: (tag,) for name, tag in LANGUAGES.items()}}
_TAGS = {tag for tags in _SUPPORT.values() for tag in tags}
# 車椅子対応 → wheelchair: the whole site, part of it, or not at all.
_WHEELCHAIR = {
    "あり": "yes", "可": "yes", "対応": "yes", "○": "yes", "◯": "yes", "yes": "yes",
    "一部": "partial", "一部可": "partial", "一部対応": "partial", "△": "partial",
    "partial": "partial",
    "なし": "no", "不可": "no", "非対応": "no", "×": "no", "no": "no"}
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
        tags = _SUPPORT.get(part) or ((part,) if part in _TAGS else None)
        if tags is None:
            raise BadRow(f"対応言語 {part!r} is not a language we know")
        result += [tag for tag in tags if tag not in result]
    return result


def wheelchair(text: str) -> str | None:
    """車椅子対応 (あり / 一部 / なし) as "yes" / "partial" / "no"; None when blank (unknown)."""
    value = cells.normal(text).lower()
    if not value:
        return None
    if value not in _WHEELCHAIR:
        raise BadRow(f"車椅子対応 {text!r} is not あり, 一部 or なし")
    return _WHEELCHAIR[value]


def language_columns(table: Table, base: str) -> dict[str, str]:
    """Header → language tag of the file's columns for one text (`base` itself is Japanese);
    an unknown <base>_<x> refuses nothing: it is ignored."""
    found = {base: "ja"} if table.has(base) else {}
    for header in table.headers:
        suffix = header.removeprefix(base + "_")
        if suffix != header and suffix in LANGUAGES:
            found[header] = LANGUAGES[suffix]
    return found


def _texts(row: Row, columns: dict[str, str]) -> dict[str, str]:
    return {tag: row.get(header) for header, tag in columns.items() if row.get(header)}


def _sample(notes: str) -> bool:
    """備考 says the row is sample data (「サンプル」, "sample")."""
    return "サンプル" in notes or "sample" in notes.lower()


def _phone(row: Row) -> str:
    phone, extension = row.get("連絡先電話番号"), row.get("連絡先内線番号")
    return f"{phone} 内線{extension}" if phone and extension else phone


def _fee_text(row: Row) -> str:
    return "\n".join(t for t in (row.get("料金（基本）"), row.get("料金（詳細）")) if t)


def load(path: Path) -> Loaded:
    table = read_table(path, REQUIRED)
    description, access, barrier_free = (
        language_columns(table, base) for base in (DESCRIPTION, ACCESS, BARRIER_FREE))

    def record(row: Row, code: str, ident: str) -> RecordInput:
        lat, lon = cells.coordinates(row.get("緯度"), row.get("経度"))
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
            "description": _texts(row, description),
            "access": row.get(ACCESS),
            "access_text": _texts(row, access),
            "parking": row.get("駐車場情報"),
            "barrier_free": row.get(BARRIER_FREE),
            "barrier_free_text": _texts(row, barrier_free),
            "wheelchair": wheelchair(row.get(WHEELCHAIR)),
            "contact": row.get("連絡先名称"),
            "phone": _phone(row),
            "url": row.get("URL"),
            "support_languages": support_languages(row.get("対応言語")),
            "category": row.get("カテゴリ", "種類"),
            "notes": row.get("備考"),
            "sample": _sample(row.get("備考")),
        }
        return RecordInput(ident, code, lat, lon, body)

    return load_rows(table, number_id, record)
