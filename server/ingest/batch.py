"""What reading one input file gives, before anything is stored: batches of records (each the
full list of one feed over a scope), the rows it could not read, or a duty rota."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from server.info import RecordInput, WithdrawScope
from server.info_models import InfoDataset
from server.ingest.duty import DutyRota
from server.ingest.problems import RowProblem


@dataclass(frozen=True)
class Batch:
    dataset: InfoDataset
    source: str
    records: Sequence[RecordInput]
    scope: WithdrawScope
    keep: frozenset[str] = frozenset()  # ids of rows that could not be read: left as they are
    preserve: tuple[str, ...] = ()  # body keys another feed fills


@dataclass
class Parsed:
    batches: list[Batch] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    duty: DutyRota | None = None
