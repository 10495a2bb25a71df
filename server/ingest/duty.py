"""休日当番医 (duty rota), our own small CSV (docs/info-data.md): 日付, 医療機関コード, 開始時間,
終了時間, 診療科目. It fills the `duty` list of the medical records it names; as a full list, it
empties the duty of the other facilities of the municipalities it names."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from server.info import IngestCounts, live_municipalities, update_bodies
from server.info_models import InfoDataset
from server.ingest import cells
from server.ingest.csvfile import Row, read_table
from server.ingest.problems import BadRow, RowProblem

REQUIRED = (("日付",), ("医療機関コード",), ("開始時間",), ("終了時間",))
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


@dataclass
class DutyRota:
    days: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)  # line, code, day
    problems: list[RowProblem] = field(default_factory=list)


def _day(row: Row) -> tuple[str, dict[str, Any]]:
    match = _DATE.fullmatch(cells.normal(row.get("日付")))
    try:
        if match is None:
            raise ValueError
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise BadRow(f"日付 {row.get('日付')!r} is not a date (YYYY-MM-DD)") from None
    code = cells.normal(row.get("医療機関コード"))
    if not code:
        raise BadRow("医療機関コード is empty")
    opening = cells.clock(row.get("開始時間"), "開始時間")
    closing = cells.clock(row.get("終了時間"), "終了時間")
    if opening == "24:00" or opening == closing:
        raise BadRow(f"開始時間/終了時間 {opening}-{closing} is not a slot")
    return code, {"date": day.isoformat(), "open": opening, "close": closing,
                  "departments": cells.departments(row.get("診療科目"))}


def read(path: Path) -> DutyRota:
    rota = DutyRota()
    for row in read_table(path, REQUIRED).rows:
        try:
            if row.shape_problem:
                raise BadRow(row.shape_problem)
            code, day = _day(row)
            rota.days.append((row.line, code, day))
        except BadRow as exc:
            rota.problems.append(RowProblem(row.line, str(exc)))
    return rota


def apply(*, session: Session, rota: DutyRota) -> tuple[IngestCounts, list[RowProblem]]:
    """Merge the rota into the medical records; a day naming no known facility is a bad row."""
    facilities = live_municipalities(session=session, dataset=InfoDataset.medical)
    problems = list(rota.problems)
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line, code, day in rota.days:
        if code not in facilities:
            problems.append(RowProblem(line, f"医療機関コード {code} is no known facility"))
            continue
        by_code[code].append(day)
    scope = {facilities[code] for code in by_code}

    def merged(record_id: str, municipality: str | None, body: dict[str, Any]) -> dict | None:
        if municipality not in scope:
            return None
        days = sorted(by_code.get(record_id, []), key=lambda d: (d["date"], d["open"]))
        return {**body, "duty": days}

    counts = update_bodies(session=session, dataset=InfoDataset.medical, change=merged)
    problems.sort(key=lambda p: p.line)
    return counts, problems
