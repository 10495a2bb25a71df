"""At-rest encryption of personal data on the device: AES-256-GCM with per-resident keys.

Each value is sealed as  version (1 byte) || nonce (12 random bytes) || ciphertext+tag.
A random 96-bit nonce per value is safe for far more values than a device cache ever holds
(NIST SP 800-38D bounds random nonces at 2^32 messages per key). Associated data binds a
ciphertext to where it belongs (resident, table, row id): a value copied to another row or to
another resident's file fails to open, just like a flipped byte.

Keys live in a KeyStore, never in the database or the source tree. `FileKeyStore` keeps one
key file per resident with owner-only permissions in its own directory, apart from the cache
files; the app can plug in the platform's secure storage (Keychain, Android Keystore, DPAPI,
Secret Service) through the same Protocol.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import threading
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
FORMAT_VERSION = 1
RESIDENT_ID = re.compile(r"[0-9a-f]{64}")


class CryptoError(Exception):
    """Base of the errors below."""


class DecryptionFailed(CryptoError):
    """The ciphertext was changed, moved, truncated, or sealed with another key: refused."""


class KeyMissing(CryptoError):
    """No key for this resident (wiped, or never created)."""


def check_resident_id(resident_id: str) -> str:
    """Resident ids are SHA-256 hex user ids; anything else could escape the key directory."""
    if not isinstance(resident_id, str) or not RESIDENT_ID.fullmatch(resident_id):
        raise ValueError("a resident id is 64 lower-case hex characters")
    return resident_id


class KeyStore(Protocol):
    def get(self, resident_id: str) -> bytes | None: ...

    def create(self, resident_id: str) -> bytes: ...

    def delete(self, resident_id: str) -> None: ...


class FileKeyStore:
    """One 32-byte key per resident in <directory>/<resident-id>.key, mode 0600, dir 0700.

    Create uses O_EXCL, so two sessions of one resident racing on first use end up with the
    same key (the loser reads the winner's).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def _path(self, resident_id: str) -> Path:
        return self.directory / f"{check_resident_id(resident_id)}.key"

    def get(self, resident_id: str) -> bytes | None:
        try:
            key = self._path(resident_id).read_bytes()
        except FileNotFoundError:
            return None
        if len(key) != KEY_BYTES:
            raise CryptoError("the key file is damaged")
        return key

    def create(self, resident_id: str) -> bytes:
        path = self._path(resident_id)
        self.directory.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(self.directory, 0o700)
        key = secrets.token_bytes(KEY_BYTES)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600)
        except FileExistsError:
            existing = self.get(resident_id)
            if existing is None:  # pragma: no cover - deleted in between
                raise CryptoError("the key vanished while being created") from None
            return existing
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        return key

    def delete(self, resident_id: str) -> None:
        # On SSDs and copy-on-write file systems overwriting would not reach the old blocks,
        # so we only unlink: without the key the cache file is noise (crypto-shredding).
        with contextlib.suppress(FileNotFoundError):
            self._path(resident_id).unlink()


class MemoryKeyStore:
    """Keys that die with the process: web sessions that must leave nothing on the server."""

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, resident_id: str) -> bytes | None:
        return self._keys.get(check_resident_id(resident_id))

    def create(self, resident_id: str) -> bytes:
        with self._lock:
            return self._keys.setdefault(check_resident_id(resident_id),
                                         secrets.token_bytes(KEY_BYTES))

    def delete(self, resident_id: str) -> None:
        self._keys.pop(check_resident_id(resident_id), None)


class Sealer:
    """AES-256-GCM with a fixed key; every call picks a fresh random nonce."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("AES-256 needs a 32-byte key")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, associated_data: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return bytes([FORMAT_VERSION]) + nonce + self._aead.encrypt(
            nonce, plaintext, associated_data)

    def open(self, sealed: bytes, associated_data: bytes) -> bytes:
        if len(sealed) < 1 + NONCE_BYTES + 16 or sealed[0] != FORMAT_VERSION:
            raise DecryptionFailed("not a sealed value")
        nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, associated_data)
        except InvalidTag:
            raise DecryptionFailed("the value was altered or belongs elsewhere") from None

    def seal_json(self, value: Any, associated_data: bytes) -> bytes:
        return self.seal(json.dumps(value, ensure_ascii=False).encode("utf-8"), associated_data)

    def open_json(self, sealed: bytes, associated_data: bytes) -> Any:
        return json.loads(self.open(sealed, associated_data).decode("utf-8"))

    def __repr__(self) -> str:
        return "Sealer(<key hidden>)"


_O_BINARY = getattr(os, "O_BINARY", 0)
