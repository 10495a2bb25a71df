"""Reading the 自治体標準オープンデータセット CSVs: encoding detected, headers matched by name,
rows handed out with the physical line they start on."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server.ingest.problems import FileRefused

_SPACES = " \t\u3000\ufeff"


def decode(data: bytes) -> str:
    """UTF-8 with a BOM, else strict UTF-8, else CP932 (Microsoft's Shift_JIS, which Japanese
    office software writes); FileRefused when it is none of them."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileRefused(f"starts with a UTF-8 BOM but is not UTF-8 ({exc.reason} at byte "
                              f"{exc.start})") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise FileRefused("is neither UTF-8 nor Shift_JIS (CP932)") from exc


def header_name(cell: str) -> str:
    return cell.strip(_SPACES)


@dataclass(frozen=True)
class Row:
    line: int  # the physical line the row starts on (1 = the header)
    cells: Mapping[str, str]
    shape_problem: str | None = None  # more non-empty cells than the header has columns

    def get(self, *names: str) -> str:
        """The first of `names` the file has, stripped; "" when none."""
        for name in names:
            if name in self.cells:
                return self.cells[name].strip(_SPACES)
        return ""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[Row, ...]

    def has(self, name: str) -> bool:
        return name in self.headers


def read_table(path: Path, required: Sequence[Sequence[str]]) -> Table:
    """The file's rows, keyed by header. Each entry of `required` lists the accepted names of one
    column; a file without one of them is refused whole (nothing in it could be read right)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefused(f"cannot be read: {exc.strerror}") from exc
    return parse_table(decode(data), required)


def parse_table(text: str, required: Sequence[Sequence[str]]) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header_cells = next(reader, None)
    except csv.Error as exc:
        raise FileRefused(f"header line is not CSV: {exc}") from exc
    if not header_cells:
        raise FileRefused("is empty: no header line")
    headers = tuple(header_name(c) for c in header_cells)
    missing = [names[0] for names in required if not any(n in headers for n in names)]
    if missing:
        raise FileRefused("lacks the required column(s) " + ", ".join(missing))
    return Table(headers=headers, rows=tuple(_rows(reader, headers)))


def _rows(reader: Any, headers: tuple[str, ...]) -> Iterator[Row]:
    line = 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileRefused(f"line {line}: not CSV ({exc})") from exc
        start, line = line, reader.line_num + 1
        if not any(c.strip(_SPACES) for c in cells):
            continue  # blank lines between rows
        padded = [*cells, *[""] * (len(headers) - len(cells))]
        extra = [c for c in padded[len(headers):] if c.strip(_SPACES)]
        problem = f"{len(cells)} cells for {len(headers)} columns" if extra else None
        yield Row(line=start, cells=dict(zip(headers, padded, strict=False)),
                  shape_problem=problem)
