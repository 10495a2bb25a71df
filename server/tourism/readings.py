"""Sensor occupancy readings in the database (docs/tourism-crowds.md, "Readings"): storing them
(one upsert used by POST /v1/tourism/readings and by `python -m server.ingest crowds`), reading
them back for many spots in one query, and the readings files (a sensor export, or the bundled
SAMPLE replay in server/seed/tourism/readings/).

Storing is an upsert by (spot, day, hour): a new hour is added, a different occupancy replaces
the stored one (who and when with it), the same occupancy leaves the row as it is, so loading a
file again changes nothing."""

from __future__ import annotations

import csv
import io
import sys
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from server.info_models import InfoDataset, InfoRecordRow
from server.ingest.problems import FileRefused, RowProblem
from server.tourism.models import CrowdReading

REPLAY = Path(__file__).resolve().parents[1] / "seed" / "tourism" / "readings"
COLUMNS = ("spot_id", "date", "hour", "occupancy")
JST = ZoneInfo("Asia/Tokyo")
REFUSED = 2  # the exit status of python -m server.ingest when a file could not be read
# Plain columns, not entities: rows written by the upsert below never meet stale objects.
_COLUMNS = (col(CrowdReading.spot_id), col(CrowdReading.day), col(CrowdReading.hour),
            col(CrowdReading.occupancy))


@dataclass(frozen=True)
class SensorReading:
    """The occupancy (0..1 of capacity) a sensor measured at a spot in one hour of a day
    (Japan time)."""

    spot_id: str
    day: date
    hour: int
    occupancy: float


@dataclass
class StoreCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


def live_spot_ids(session: Session, spot_ids: Collection[str]) -> set[str]:
    """Those of `spot_ids` that are spots of the info data (not withdrawn)."""
    if not spot_ids:
        return set()
    return set(session.exec(select(InfoRecordRow.record_id).where(
        InfoRecordRow.dataset == InfoDataset.spots.value,
        col(InfoRecordRow.withdrawn).is_(False),
        col(InfoRecordRow.record_id).in_(sorted(set(spot_ids))))).all())


def store_readings(session: Session, readings: Iterable[SensorReading], *, recorded_by: str,
                   now: datetime) -> StoreCounts:
    """Upsert `readings` (the caller has checked their spots; of two readings of the same hour
    in one call the later wins). Not committed."""
    latest = {(r.spot_id, r.day.isoformat(), r.hour): r.occupancy for r in readings}
    counts = StoreCounts()
    if not latest:
        return counts
    days = [day for _, day, _ in latest]
    stored = {(spot_id, day, hour): occupancy for spot_id, day, hour, occupancy in session.exec(
        select(*_COLUMNS).where(
            col(CrowdReading.spot_id).in_(sorted({s for s, _, _ in latest})),
            col(CrowdReading.day) >= min(days), col(CrowdReading.day) <= max(days)))}
    rows: list[dict[str, Any]] = []
    for (spot_id, day, hour), occupancy in latest.items():
        before = stored.get((spot_id, day, hour))
        if before == occupancy:
            counts.unchanged += 1
            continue
        if before is None:
            counts.added += 1
        else:
            counts.changed += 1
        rows.append({"spot_id": spot_id, "day": day, "hour": hour, "occupancy": occupancy,
                     "recorded_by": recorded_by[:64], "recorded_at": now})
    if rows:
        dialect = session.get_bind().dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CrowdReading)
        # A concurrent writer may have added the hour since the read above: still one row.
        statement = insert.on_conflict_do_update(
            index_elements=["spot_id", "day", "hour"],
            set_={"occupancy": insert.excluded.occupancy,
                  "recorded_by": insert.excluded.recorded_by,
                  "recorded_at": insert.excluded.recorded_at})
        session.connection().execute(statement, rows)  # executemany: compiled once, batched
    return counts


def occupancies(session: Session, spot_ids: Collection[str], first: date,
                last: date) -> dict[str, dict[date, dict[int, float]]]:
    """The stored occupancies of `spot_ids` from `first` to `last` (inclusive) by spot, day and
    hour, in one query."""
    result: dict[str, dict[date, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    if not spot_ids:
        return {}
    rows = session.exec(select(*_COLUMNS).where(
        col(CrowdReading.spot_id).in_(sorted(set(spot_ids))),
        col(CrowdReading.day) >= first.isoformat(), col(CrowdReading.day) <= last.isoformat()))
    for spot_id, text, hour, occupancy in rows:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            continue
        result[spot_id][day][hour] = occupancy
    return {spot: dict(days) for spot, days in result.items()}


def _reading(row: dict[str, str | None]) -> SensorReading:
    spot_id = (row.get("spot_id") or "").strip()
    if not spot_id or len(spot_id) > 80:
        raise ValueError("spot_id is empty or longer than 80 characters")
    try:
        day = date.fromisoformat((row.get("date") or "").strip())
    except ValueError:
        raise ValueError(f"date is not YYYY-MM-DD: {row.get('date')!r}") from None
    try:
        hour, occupancy = int(row.get("hour") or ""), float(row.get("occupancy") or "")
    except ValueError:
        raise ValueError("hour or occupancy is not a number") from None
    if not 0 <= hour <= 23:
        raise ValueError(f"hour {hour} is not 0..23")
    if not 0 <= occupancy <= 1:
        raise ValueError(f"occupancy {occupancy} is not 0..1")
    return SensorReading(spot_id, day, hour, occupancy)


def read_file(path: Path) -> tuple[list[SensorReading], list[RowProblem]]:
    """A readings CSV (UTF-8, header spot_id,date,hour,occupancy); a row that cannot be read
    is a problem, the rest load. FileRefused when the file cannot be read at all."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileRefused(str(exc)) from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise FileRefused(f"missing column(s): {', '.join(missing)}")
    readings, problems = [], []
    for row in reader:
        try:
            readings.append(_reading(row))
        except ValueError as exc:
            problems.append(RowProblem(reader.line_num, str(exc)))
    return readings, problems


def replay_files() -> list[Path]:
    return sorted(REPLAY.glob("*.csv"))


def rebase_weeks(last: date, today: date) -> timedelta:
    """The shift, in whole weeks (weekdays stay weekdays), that moves `last` into the week
    before `today` (today - 7 .. today - 1): a replay always lies in the recent past."""
    return timedelta(weeks=(today - timedelta(days=1) - last).days // 7)


def _report(name: str, counts: StoreCounts, problems: Sequence[RowProblem],
            unknown: Counter[str]) -> None:
    print(f"{name}: added {counts.added}, changed {counts.changed}, "
          f"unchanged {counts.unchanged}")
    for problem in problems:
        print(f"{name}:{problem.line}: {problem.reason}")
    for spot_id, rows in sorted(unknown.items()):
        print(f"{name}: unknown spot {spot_id}: {rows} row(s) skipped")


def load(engine: Engine, paths: Sequence[Path], today: date | None = None) -> int:
    """`python -m server.ingest crowds [--today DATE] [FILE ...]`: store readings files as
    dated; no file = the bundled SAMPLE replay, its dates moved by whole weeks so that its last
    day is in the week before `today` (default: today in Japan). Each file in its own
    transaction; rows of unknown spots are skipped. 0, or REFUSED when a file was unreadable."""
    replay = not paths
    files = list(paths) or replay_files()
    read: list[tuple[Path, list[SensorReading], list[RowProblem]]] = []
    status = 0
    for path in files:
        try:
            read.append((path, *read_file(path)))
        except FileRefused as exc:
            print(f"{path}: refused: {exc}", file=sys.stderr)
            status = REFUSED
    shift = timedelta(0)
    if replay and any(readings for _, readings, _ in read):
        last = max(r.day for _, readings, _ in read for r in readings)
        shift = rebase_weeks(last, today or datetime.now(JST).date())
    for path, readings, problems in read:
        moved = [SensorReading(r.spot_id, r.day + shift, r.hour, r.occupancy)
                 for r in readings]
        with Session(engine) as session:
            known = live_spot_ids(session, {r.spot_id for r in moved})
            counts = store_readings(session, [r for r in moved if r.spot_id in known],
                                    recorded_by=f"file:{path.name}", now=datetime.now(UTC))
            session.commit()
        _report(str(path), counts, problems,
                Counter(r.spot_id for r in moved if r.spot_id not in known))
        sys.stdout.flush()
    return status
