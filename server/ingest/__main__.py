"""`python -m server.ingest <kind> FILE [FILE...]`: load open-data files into the server's
database (DATABASE_URL / KITOKITO_DATA_DIR, as the server reads them). Per file it prints the
added / changed / unchanged / withdrawn counts and each skipped row as FILE:LINE: reason.
Exit 0 when every file loaded (skipped rows or not), 2 when a file could not be read at all.

`python -m server.ingest replay [--delay SECONDS]` plays the bundled sample alert documents in
name order (a demo of alerts arriving); `python -m server.ingest bundle` re-ingests the whole
bundled data set (not the alerts); `python -m server.ingest crowds [--today DATE] [FILE...]` stores
sensor occupancy readings (no FILE: the bundled SAMPLE replay, moved to the weeks before today)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.core.config import ServerSettings
from server.core.db import make_engine
from server.core.migrate import migrate
from server.core.sealing import Sealer, load_or_create_key
from server.info import IngestCounts
from server.ingest.bundle import alert_files, ingest_bundle
from server.ingest.files import KINDS, parse, parse_alert, store
from server.ingest.problems import FileRefused, RowProblem
from server.tourism import readings as crowd_readings

REFUSED = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m server.ingest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for kind in KINDS:
        command = commands.add_parser(kind, help=f"load {kind} files")
        command.add_argument("files", nargs="+", type=Path, metavar="FILE")
    replay = commands.add_parser("replay", help="play the bundled alert documents in order")
    replay.add_argument("--delay", type=float, default=0.0, metavar="SECONDS",
                        help="pause between documents")
    commands.add_parser("bundle", help="re-ingest the bundled data set")
    crowds = commands.add_parser("crowds", help="load sensor occupancy readings (no FILE: the "
                                 "bundled sample replay)")
    crowds.add_argument("files", nargs="*", type=Path, metavar="FILE")
    crowds.add_argument("--today", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="move the bundled replay to the weeks before this day")
    return parser


def _report(path: Path, counts: IngestCounts, problems: Sequence[RowProblem]) -> None:
    print(f"{path}: added {counts.added}, changed {counts.changed}, "
          f"unchanged {counts.unchanged}, withdrawn {counts.withdrawn}")
    for problem in problems:
        print(f"{path}:{problem.line}: {problem.reason}")


def _load(engine: Engine, kind: str | None, paths: Sequence[Path], delay: float = 0.0) -> int:
    """Each file in its own transaction; `kind` None = an alert document of either kind."""
    status = 0
    for number, path in enumerate(paths):
        if number and delay:
            time.sleep(delay)
        try:
            parsed = parse_alert(path) if kind is None else parse(kind, path)
        except FileRefused as exc:
            print(f"{path}: refused: {exc}", file=sys.stderr)
            status = REFUSED
            continue
        with Session(engine) as session:
            counts, problems = store(session=session, parsed=parsed)
            session.commit()
        _report(path, counts, problems)
        sys.stdout.flush()
    return status


def main(argv: Sequence[str] | None = None, settings: ServerSettings | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = settings or ServerSettings()
    engine = make_engine(settings.resolved_database_url())
    try:
        migrate(engine, Sealer(load_or_create_key(settings.resolved_server_key_file())))
        if args.command == "replay":
            return _load(engine, None, alert_files(), args.delay)
        if args.command == "crowds":
            return crowd_readings.load(engine, args.files, args.today)
        if args.command == "bundle":
            with Session(engine) as session:
                results = ingest_bundle(session=session)
                session.commit()
            for result in results:
                _report(result.path, result.counts, result.problems)
            return 0
        return _load(engine, args.command, args.files)
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
