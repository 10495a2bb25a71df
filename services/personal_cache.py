"""The resident's personal cache on the device: one encrypted SQLite file per resident.

<data_dir>/personal/<user-id>.db (WAL, secure_delete) holds the profile now and applications,
bookings and drafts later. Every value is sealed with the resident's AES-256-GCM key from the
KeyStore, with associated data "kitokito.personal.v1|<user-id>|<kind>|<item-id>", so a value
moved to another row or another resident's file is refused like a changed byte. Kinds and item
ids are stored in clear to find rows; they must never be personal (use opaque ids).

Public data (notices, timetables) stays in the shared LocalStore and survives logout; `wipe()`
deletes this resident's file with its -wal, -shm and -journal and then the key. A cache whose
key is gone is unreadable noise and is discarded on open (it is only a cache: the server has
the data). So is a cache that cannot be used at login: a damaged key file, a file that is not a
SQLite database, or one its key does not open (checked with a sealed check value written on
first open). It is deleted, never moved aside (no stray copy of personal data), a new key is
made, and the login goes on with an empty cache that the next sync fills; one log line says so
(without the resident id). A value altered later still raises DecryptionFailed when read.

One object per logged-in resident, hung off that session's state (web mode serves many
residents from one process: nothing here is global).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from services.crypto import (
    CryptoError,
    DecryptionFailed,
    KeyMissing,
    KeyStore,
    Sealer,
    check_resident_id,
)
from services.datadir import SQLITE_DAMAGED, sqlite_code

log = logging.getLogger(__name__)

PROFILE_KIND = "profile"
CHECK_KIND, CHECK_ID = "_kitokito", "key-check"  # a sealed constant: does this key open it?
SIDE_FILES = ("-wal", "-shm", "-journal")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS personal_item (
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    sealed BLOB NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, item_id)
)
"""


class PersonalCache:
    def __init__(self, data_dir: Path, resident_id: str, keys: KeyStore) -> None:
        self.resident_id = check_resident_id(resident_id)
        directory = Path(data_dir) / "personal"
        directory.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(directory, 0o700)
        self.path = directory / f"{self.resident_id}.db"
        self._keys = keys
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            key = keys.get(self.resident_id)
        except CryptoError:  # a damaged key file: what it sealed is lost either way
            key = None
            self._discard("its key file was damaged")
        if key is None:
            _remove_files(self.path)  # sealed under a key that no longer exists
            key = keys.create(self.resident_id)
        self._sealer = Sealer(key)
        try:
            self._open()
        except (sqlite3.DatabaseError, DecryptionFailed) as exc:
            if isinstance(exc, sqlite3.DatabaseError) and not _is_damage(exc):
                raise
            self.close()
            self._discard("it could not be read" if isinstance(exc, sqlite3.DatabaseError)
                          else "its key does not open it")
            self._sealer = Sealer(keys.create(self.resident_id))
            self._open()

    def _open(self) -> None:
        if not self.path.exists():
            # SQLite gives -wal and -shm the database file's permissions.
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA secure_delete=ON")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        self._check_key()

    def _check_key(self) -> None:
        """DecryptionFailed if this key does not open this file (a key from elsewhere, or a
        file from elsewhere). Files from before the check value: their first row is tried."""
        db = self._conn()
        row = db.execute("SELECT kind, item_id, sealed FROM personal_item "
                         "ORDER BY kind <> ?, item_id <> ? LIMIT 1",
                         (CHECK_KIND, CHECK_ID)).fetchone()
        if row is not None:
            self._sealer.open_json(row[2], self._aad(row[0], row[1]))
        if row is None or (row[0], row[1]) != (CHECK_KIND, CHECK_ID):
            self.put(CHECK_KIND, CHECK_ID, "ok")

    def _discard(self, why: str) -> None:
        log.warning("kitokito: a personal cache was discarded and will be rebuilt: %s", why)
        _remove_files(self.path)
        self._keys.delete(self.resident_id)

    # --- values -------------------------------------------------------------------------
    def put(self, kind: str, item_id: str, value: Any) -> None:
        sealed = self._sealer.seal_json(value, self._aad(kind, item_id))
        with self._lock:
            self._conn().execute(
                "INSERT INTO personal_item(kind, item_id, sealed, updated_at) VALUES (?,?,?,?) "
                "ON CONFLICT(kind, item_id) DO UPDATE SET sealed=excluded.sealed, "
                "updated_at=excluded.updated_at",
                (kind, item_id, sealed, int(time.time())),
            )

    def get(self, kind: str, item_id: str) -> Any | None:
        """The value, None if absent; DecryptionFailed if it was altered or moved."""
        with self._lock:
            row = self._conn().execute(
                "SELECT sealed FROM personal_item WHERE kind=? AND item_id=?", (kind, item_id)
            ).fetchone()
        return None if row is None else self._sealer.open_json(row[0], self._aad(kind, item_id))

    def items(self, kind: str) -> dict[str, Any]:
        with self._lock:
            rows = self._conn().execute(
                "SELECT item_id, sealed FROM personal_item WHERE kind=? ORDER BY item_id", (kind,)
            ).fetchall()
        return {item: self._sealer.open_json(sealed, self._aad(kind, item))
                for item, sealed in rows}

    def delete(self, kind: str, item_id: str) -> None:
        with self._lock:
            self._conn().execute(
                "DELETE FROM personal_item WHERE kind=? AND item_id=?", (kind, item_id))

    @property
    def sealer(self) -> Sealer:
        """The resident's key, for other stores of their personal data (the outbox)."""
        return self._sealer

    def put_profile(self, profile: dict[str, Any]) -> None:
        self.put(PROFILE_KIND, "me", profile)

    def profile(self) -> dict[str, Any] | None:
        return self.get(PROFILE_KIND, "me")

    # --- lifecycle ----------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def wipe(self) -> None:
        """Logout / account deletion: the file, its side files, then the key."""
        self.close()
        _remove_files(self.path)
        self._keys.delete(self.resident_id)

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise KeyMissing("the personal cache is closed or wiped")
        return self._db

    def _aad(self, kind: str, item_id: str) -> bytes:
        return f"kitokito.personal.v1|{self.resident_id}|{kind}|{item_id}".encode()

    def __repr__(self) -> str:
        return f"PersonalCache(resident={self.resident_id[:8]}…)"


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    # Not a database, or damaged pages; disk trouble (full, read-only) is not rebuilt here.
    return sqlite_code(exc) in SQLITE_DAMAGED


def _remove_files(path: Path) -> None:
    for candidate in [path, *(path.with_name(path.name + s) for s in SIDE_FILES)]:
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


__all__ = ["DecryptionFailed", "KeyMissing", "PersonalCache"]
