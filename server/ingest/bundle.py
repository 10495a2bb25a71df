"""The bundled information data (server/seed/info/, docs/info-data.md "Bundled sample data"):
loaded on a first start, re-ingested by `python -m server.ingest bundle`, and the sample alert
documents that `python -m server.ingest replay` plays in name order.

Files are parsed once per process (keyed by path, size and mtime): tests and workers that
start many apps over the same bundle pay for the parsing once."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.info import IngestCounts, count_records
from server.ingest.batch import Parsed
from server.ingest.files import GEOJSON, parse, store
from server.ingest.problems import RowProblem
from server.ingest.seed import SEED_DIR

BUNDLE = SEED_DIR / "info"
SEED_LOCK = 7_210_004  # workers starting together seed once
# Medical before duty: the rota names medical records.
_LAYOUT = (
    ("medical", "medical", (".csv",)),
    ("childcare", "childcare", (".csv",)),
    ("aeds", "aeds", (".csv",)),
    ("spots", "spots", (".csv",)),
    ("guides", "guides", (".json",)),
    ("duty", "duty", (".csv",)),
    ("shelters", "shelters/emergency", GEOJSON),
    ("shelters", "shelters/evacuation", GEOJSON),
    ("shelters", "shelters", (".csv",)),
    ("towns", "towns", (".json",)),
    ("programmes", "programmes", (".json",)),
)


@dataclass
class FileResult:
    path: Path
    counts: IngestCounts
    problems: list[RowProblem]


def bundle_files(root: Path = BUNDLE) -> list[tuple[str, Path]]:
    """(kind, file) in load order; a missing folder is simply skipped."""
    found = []
    for kind, folder, suffixes in _LAYOUT:
        if (root / folder).is_dir():
            found += [(kind, p) for p in sorted((root / folder).iterdir())
                      if p.is_file() and p.suffix.lower() in suffixes]
    return found


def alert_files(root: Path = BUNDLE) -> list[Path]:
    return sorted((root / "alerts").glob("*.xml")) if (root / "alerts").is_dir() else []


@functools.lru_cache(maxsize=256)
def _parsed(kind: str, path: Path, size: int, mtime_ns: int) -> Parsed:
    return parse(kind, path)


def parse_once(kind: str, path: Path) -> Parsed:
    stat = path.stat()
    return _parsed(kind, path, stat.st_size, stat.st_mtime_ns)


def ingest_bundle(*, session: Session, root: Path = BUNDLE) -> list[FileResult]:
    """Every bundled file into the session's transaction (the caller commits)."""
    results = []
    for kind, path in bundle_files(root):
        counts, problems = store(session=session, parsed=parse_once(kind, path))
        results.append(FileResult(path, counts, problems))
    return results


def seed_info(engine: Engine, root: Path = BUNDLE) -> int:
    """Load the bundle if no info record exists yet; how many records it added."""
    with Session(engine) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEED_LOCK})
        if count_records(session=session) > 0:
            return 0
        added = sum(r.counts.added for r in ingest_bundle(session=session, root=root))
        session.commit()
        return added
