"""What an ingest reports: a file it refused whole, and rows it skipped."""

from __future__ import annotations

from dataclasses import dataclass


class FileRefused(Exception):
    """The file cannot be read at all (encoding, missing required column, not XML...)."""


class BadRow(ValueError):
    """One row (or document part) that cannot be loaded; the rest of the file loads."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str
