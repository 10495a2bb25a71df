"""Tolerant CSV reading for GTFS text files.

Real feeds carry UTF-8 BOMs, quoted fields, headers with spaces after commas and the odd
Shift_JIS file; a reader that trips over any of these would lock a municipality out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class FeedIssue:
    """One problem found while loading: which file, which line (1-based, header = 1), why."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; Japanese publishers sometimes still ship CP932."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp932", errors="replace")


def iter_rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row dict) with header names and values stripped of blanks."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    header: list[str] | None = None
    for fields in reader:
        line = reader.line_num
        if header is None:
            header = [name.strip().lstrip("\ufeff") for name in fields]
            continue
        if not fields or all(not f.strip() for f in fields):
            continue  # blank lines are common at the end of hand-edited files
        yield line, {
            name: (fields[i].strip() if i < len(fields) else "")
            for i, name in enumerate(header)
        }
