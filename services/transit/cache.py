"""On-disk cache of built timetables, keyed by network content hash and date.

marshal of plain lists/ints/strs we wrote ourselves (no pickle: nothing executable); the
header repeats the content hash and format version and is checked on read, so a changed
feed or a changed build never reuses stale data.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from pathlib import Path

from .timetable import Timetable

FORMAT_VERSION = 1


class TimetableCache:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def _path(self, content_hash: str, day: str) -> Path:
        return self.directory / f"tt-{content_hash}-{day}.marshal"

    def load(self, content_hash: str, day: str) -> Timetable | None:
        path = self._path(content_hash, day)
        try:
            header, data = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if header != (FORMAT_VERSION, content_hash, day):
            return None
        try:
            return Timetable.from_plain(data)
        except TypeError:
            return None

    def store(self, content_hash: str, tt: Timetable) -> None:
        """Write atomically (temp file + rename) so a crash never leaves half a file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        blob = marshal.dumps(((FORMAT_VERSION, content_hash, tt.day), tt.to_plain()))
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
            os.replace(tmp, self._path(content_hash, tt.day))
        except OSError:
            Path(tmp).unlink(missing_ok=True)
