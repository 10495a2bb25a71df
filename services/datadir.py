"""The client's files in the data dir: damaged files moved aside, checksummed cache files, and
one plain sentence when the data dir cannot be written.

Public caches (the local store, built timetables) can always be rebuilt: a damaged one is
renamed to `<name>.corrupt-<UTC timestamp>` (kept for a bug report, never read again) and
rebuilt, with one log line. Personal files are never moved aside (a copy of personal data must
not linger); their owners delete and rebuild them instead.

Cache files written with `write_checked` carry a SHA-256 of their payload; `read_checked`
refuses a file whose payload no longer matches (a torn write, a flipped bit, a file from
elsewhere), so the caller rebuilds instead of computing with damaged data.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

CHECKED_MAGIC = b"KKSUM1\n"
KEEP_CORRUPT = 3  # moved-aside copies kept per file; older ones are deleted
_DIGEST = 32
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


class DamagedFile(Exception):
    """A cache file whose content cannot be used (bad checksum, wrong shape, not a database)."""


# --- damaged files ---------------------------------------------------------------------------
def quarantine(path: Path, reason: str, *, side_files: tuple[str, ...] = ()) -> Path | None:
    """Move `path` (and its side files) aside as `<name>.corrupt-<timestamp>`; log one line.

    Returns the new path, or None if there was nothing to move. If even the rename fails
    (read-only folder), the file is left and the OSError propagates: the caller cannot rebuild
    in place either, and the start-up error handler says which path to fix.
    """
    path = Path(path)
    if not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    os.replace(path, target)
    for suffix in side_files:
        side = path.with_name(path.name + suffix)
        with contextlib.suppress(FileNotFoundError):
            os.replace(side, target.with_name(target.name + suffix))
    log.warning("kitokito: %s was %s; moved aside to %s and rebuilt", path, reason, target.name)
    _prune_corrupt(path, side_files)
    return target


def _prune_corrupt(path: Path, side_files: tuple[str, ...]) -> None:
    """A file that keeps breaking must not fill the disk with copies: keep the newest few."""
    prefix = f"{path.name}.corrupt-"
    copies = sorted(p for p in path.parent.iterdir()
                    if p.name.startswith(prefix) and not p.name.endswith(side_files))
    for old in copies[:-KEEP_CORRUPT]:
        for candidate in [old, *(old.with_name(old.name + s) for s in side_files)]:
            with contextlib.suppress(OSError):
                candidate.unlink()


# --- checksummed cache files -----------------------------------------------------------------
def write_checked(path: Path, payload: bytes) -> None:
    """Write magic || sha256(payload) || payload atomically (temp file + rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(CHECKED_MAGIC)
            handle.write(hashlib.sha256(payload).digest())
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_checked(path: Path) -> bytes | None:
    """The payload; None if the file does not exist; DamagedFile if it does not check out."""
    try:
        blob = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    head = len(CHECKED_MAGIC)
    if len(blob) < head + _DIGEST or not blob.startswith(CHECKED_MAGIC):
        raise DamagedFile("no checksum header")
    digest, payload = blob[head : head + _DIGEST], blob[head + _DIGEST :]
    if hashlib.sha256(payload).digest() != digest:
        raise DamagedFile("checksum mismatch")
    return payload


# --- a data dir that cannot be written -------------------------------------------------------
class DataDirError(OSError):
    """An OSError that names the path and says what to do; str() is the one line to print."""

    def __str__(self) -> str:
        return str(self.strerror)


_NOT_WRITABLE = {
    errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EEXIST, errno.EISDIR,
    errno.ENOENT,
}


def describe_write_error(exc: OSError, path: Path | str | None = None) -> str:
    """One line for the resident or operator: which path, why, and what to do."""
    where = path if path is not None else (exc.filename or "the data folder")
    why = (exc.strerror or os.strerror(exc.errno)) if exc.errno else str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        advice = "Free some disk space and start again."
    elif exc.errno in _NOT_WRITABLE:
        advice = "Set KITOKITO_DATA_DIR to a writable folder."
    else:
        advice = "Check the disk, or set KITOKITO_DATA_DIR to another folder."
    return f"kitokito: cannot write {where} ({why}). {advice}"


def data_dir_error(exc: OSError, path: Path | str | None = None) -> DataDirError:
    if isinstance(exc, DataDirError):
        return exc
    error = DataDirError(exc.errno, describe_write_error(exc, path))
    error.filename = str(path) if path is not None else exc.filename
    return error


def ensure_writable(directory: Path) -> Path:
    """Create `directory` if needed and prove it takes a file; DataDirError if not."""
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=directory, prefix=".kitokito-probe-")
        try:
            os.write(fd, b"ok")
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        raise data_dir_error(exc, exc.filename or directory) from exc
    return directory


# SQLite reports disk trouble as its own error codes, not errno.
_SQLITE_TO_ERRNO = {
    3: errno.EACCES,  # SQLITE_PERM
    8: errno.EACCES,  # SQLITE_READONLY (a read-only file or folder)
    10: errno.EIO,  # SQLITE_IOERR
    13: errno.ENOSPC,  # SQLITE_FULL
    14: errno.EACCES,  # SQLITE_CANTOPEN
}
SQLITE_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def sqlite_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF  # primary code of an extended one


def sqlite_is_damage(exc: BaseException) -> bool:
    return sqlite_code(exc) in SQLITE_DAMAGED


def sqlite_os_error(exc: BaseException, path: Path) -> DataDirError | None:
    """The DataDirError a SQLite disk-trouble error stands for; None if it is something else."""
    code = sqlite_code(exc)
    if code not in _SQLITE_TO_ERRNO:
        return None
    number = _SQLITE_TO_ERRNO[code]
    return data_dir_error(OSError(number, os.strerror(number), str(path)), path)


# Errors that mean "this path cannot be written" rather than a bug: start-up says them in a line.
DISK_ERRNOS = _NOT_WRITABLE | {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.ENAMETOOLONG}


def startup_failure(exc: BaseException) -> str | None:
    """The one line to print when start-up failed because of the data dir or the disk; None
    when `exc` is something else (a bug: let its traceback show)."""
    if isinstance(exc, DataDirError):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
        return describe_write_error(exc)
    return None
