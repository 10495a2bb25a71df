"""What every 自治体標準オープンデータセット loader shares: the municipality of a row, its id,
and turning rows into records while reporting the rows that cannot be read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from server.info import RecordInput
from server.ingest import cells
from server.ingest.codes import TOYAMA, TOYAMA_BY_NAME, BadCode, municipality_code
from server.ingest.csvfile import Row, Table
from server.ingest.problems import BadRow, RowProblem

CODE = ("全国地方公共団体コード", "都道府県コード又は市区町村コード")
NUMBER = ("NO", "ID", "No", "No.")
NAME = ("名称",)
REQUIRED = (CODE, NUMBER, NAME, ("緯度",), ("経度",))


@dataclass
class Loaded:
    """What a file gave: its records, the rows it could not read, the municipalities it names
    (the scope it replaces) and the ids of unreadable rows (left as they were)."""

    records: list[RecordInput] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    municipalities: set[str] = field(default_factory=set)
    keep: set[str] = field(default_factory=set)


def municipality(row: Row) -> str:
    """The row's municipality. A prefecture's own list (code 16000x) names the town in
    市区町村名; a Toyama code must agree with the 市区町村名 when one is given."""
    raw, town = row.get(*CODE), row.get("市区町村名")
    if not raw:
        raise BadRow("全国地方公共団体コード is empty")
    try:
        code = municipality_code(raw)
    except BadCode as exc:
        if town in TOYAMA_BY_NAME and raw.strip().isdigit() and raw.strip()[2:5] == "000":
            return TOYAMA_BY_NAME[town]
        raise BadRow(str(exc)) from None
    if town and code in TOYAMA and TOYAMA[code] != town:
        raise BadRow(f"市区町村名 {town} does not match code {raw} ({TOYAMA[code]})")
    return code


def number_id(row: Row, code: str) -> str:
    number = row.get(*NUMBER)
    if not number:
        raise BadRow("NO (ID) is empty")
    return f"{code}-{number}"


def name(row: Row) -> str:
    value = row.get(*NAME)
    if not value:
        raise BadRow("名称 is empty")
    return value


def load_rows(
    table: Table,
    record_id: Callable[[Row, str], str],
    make: Callable[[Row, str, str], RecordInput],
) -> Loaded:
    """`make(row, municipality, id)` per row; a BadRow it raises skips that row only."""
    loaded = Loaded()
    first_line: dict[str, int] = {}
    for row in table.rows:
        ident: str | None = None
        try:
            code = municipality(row)
            loaded.municipalities.add(code)
            ident = record_id(row, code)
            if len(ident) > 80:
                raise BadRow(f"ID {ident[:20]}... is longer than 80 characters")
            if row.shape_problem:
                raise BadRow(row.shape_problem)
            if ident in first_line:
                raise BadRow(f"ID {ident} repeats line {first_line[ident]}")
            loaded.records.append(make(row, code, ident))
            first_line[ident] = row.line
        except BadRow as exc:
            loaded.problems.append(RowProblem(row.line, str(exc)))
            if ident is not None and ident not in first_line:
                loaded.keep.add(ident)
    return loaded


def hours(row: Row, columns: tuple[str, str, str]) -> list[dict[str, object]]:
    """Opening slots from the row's 曜日, 開始時間 and 終了時間 columns."""
    return cells.slots(row.get(columns[0]), row.get(columns[1]), row.get(columns[2]), columns)
