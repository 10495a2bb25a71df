"""Read the raw files of a feed from a directory or a zip, and hash them for cache keys."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

# shapes.txt is large and unused by the planner: not read, but still hashed via the zip bytes.
WANTED = (
    "agency.txt", "agency_jp.txt", "stops.txt", "routes.txt", "routes_jp.txt", "trips.txt",
    "stop_times.txt", "calendar.txt", "calendar_dates.txt", "frequencies.txt", "transfers.txt",
    "fare_attributes.txt", "fare_rules.txt", "translations.txt", "feed_info.txt",
)


class FeedNotFound(Exception):
    """The path is neither a GTFS directory nor a readable zip."""


def read_feed_files(path: str | Path) -> tuple[dict[str, bytes], str]:
    """Return ({file name: bytes}, content hash). Files may sit in one sub-folder of a zip."""
    path = Path(path)
    files: dict[str, bytes] = {}
    digest = hashlib.sha256()
    if path.is_dir():
        for name in WANTED:
            f = path / name
            if f.is_file():
                files[name] = f.read_bytes()
    elif path.is_file():
        try:
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    base = info.filename.rsplit("/", 1)[-1]
                    if base in WANTED and base not in files:
                        files[base] = zf.read(info)
        except (zipfile.BadZipFile, OSError) as exc:
            raise FeedNotFound(f"{path}: not a readable GTFS zip ({exc})") from exc
    else:
        raise FeedNotFound(f"{path}: no such GTFS directory or zip")
    if "stops.txt" not in files and "stop_times.txt" not in files:
        raise FeedNotFound(f"{path}: no stops.txt / stop_times.txt found")
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(len(files[name]).to_bytes(8, "little"))
        digest.update(files[name])
    return files, digest.hexdigest()[:32]
