"""On-disk cache of built timetables, keyed by network content hash and date.

marshal of plain lists/ints/strs we wrote ourselves (no pickle: nothing executable), stored
with a SHA-256 of the payload (services.datadir.write_checked). The header repeats the format
version, content hash and date, and the timetable's shape is checked on read
(Timetable.from_plain), so a changed feed or build never reuses stale data and a damaged or
wrong file is never planned on: it is moved aside (`.corrupt-<timestamp>`, one log line) and
the planner builds the day again. A cache that cannot be written is only slower, never an
error.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
from pathlib import Path

from services.datadir import DamagedFile, quarantine, read_checked, write_checked

from .timetable import Timetable

FORMAT_VERSION = 2  # 2: checksummed file, shape checked on read
log = logging.getLogger(__name__)


class TimetableCache:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def _path(self, content_hash: str, day: str) -> Path:
        return self.directory / f"tt-{content_hash}-{day}.v{FORMAT_VERSION}.marshal"

    def _legacy_path(self, content_hash: str, day: str) -> Path:
        return self.directory / f"tt-{content_hash}-{day}.marshal"  # format 1, unchecked

    def load(
        self, content_hash: str, day: str, *, stops: int | None = None,
        trips: int | None = None,
    ) -> Timetable | None:
        """The cached timetable, or None (absent, or unusable and moved aside).

        `stops` and `trips` (the network's counts), when given, are checked too."""
        path = self._path(content_hash, day)
        try:
            payload = read_checked(path)
            if payload is None:
                return None
            header, data = marshal.loads(payload)
            if header != (FORMAT_VERSION, content_hash, day):
                raise DamagedFile("it belongs to another feed, date or format")
            return Timetable.from_plain(data, stops=stops, trips=trips)
        except OSError:
            return None  # unreadable: build in memory, as with no cache
        except (DamagedFile, EOFError, ValueError, TypeError) as exc:
            with contextlib.suppress(OSError):
                quarantine(path, f"an unusable timetable cache ({exc})")
            return None

    def store(self, content_hash: str, tt: Timetable) -> None:
        """Write atomically (temp file + rename) so a crash never leaves half a file."""
        blob = marshal.dumps(((FORMAT_VERSION, content_hash, tt.day), tt.to_plain()))
        try:
            write_checked(self._path(content_hash, tt.day), blob)
            self._legacy_path(content_hash, tt.day).unlink(missing_ok=True)
        except OSError as exc:
            log.info("timetable cache not written (%s): planning goes on without it", exc)
