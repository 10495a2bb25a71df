"""Residents' personal data encrypted at rest in the server database (issue 8, item 11).

The four basic facts (name, birth date, address, sex; and the town derived from the address)
are stored as one AES-256-GCM ciphertext per resident, with the user id as associated data (a
ciphertext moved to another row does not open). The 32-byte key lives in its own file,
KITOKITO_SERVER_KEY_FILE (default <data_dir>/keys/server-data.key): created on first start
with mode 0600 in a 0700 folder, apart from the database, so a copied database file (or a
PostgreSQL dump) reveals no resident. A key file that others can read is refused. Several
workers must share the file. Format of a sealed value: "v1." base64url(12-byte nonce || ct).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
PREFIX = "v1."


class SealingError(RuntimeError):
    """The key is unusable, or a sealed value does not open with it."""


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) with mode 0700; tighten it if it is ours and looser."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        info = path.stat()
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            path.chmod(0o700)
    return path


def private_file(path: Path) -> None:
    """Make sure `path` exists with mode 0600 (created empty if missing)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)


def load_or_create_key(path: Path) -> bytes:
    private_dir(path.parent)
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(KEY_BYTES))
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another worker created it first: use that one
        finally:
            tmp.unlink(missing_ok=True)
    try:
        if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
            raise SealingError(f"{path} is readable by others; chmod 600 it")
        key = path.read_bytes()
    except OSError as exc:
        raise SealingError(f"cannot read {path}: {type(exc).__name__}") from None
    if len(key) != KEY_BYTES:
        raise SealingError(f"{path} does not hold a {KEY_BYTES}-byte key")
    return key


class Sealer:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        # Its own key for fingerprints, so no MAC ever equals anything sealed with the data key.
        self._mac_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                             info=b"kitokito fingerprints v1").derive(key)

    def mac(self, data: bytes, *, context: str) -> str:
        """HMAC-SHA256 hex under a key derived from the data key. For what must be found or
        compared but is guessable (an 8-digit receipt code, a card number in a request's
        fingerprint): a plain hash of it in a copied database would be reversed in seconds."""
        message = context.encode("utf-8") + b"\x00" + data
        return hmac.new(self._mac_key, message, hashlib.sha256).hexdigest()

    def seal(self, plaintext: bytes, *, context: str) -> str:
        nonce = secrets.token_bytes(12)
        sealed = nonce + self._aead.encrypt(nonce, plaintext, context.encode("utf-8"))
        return PREFIX + base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")

    def open(self, text: str, *, context: str) -> bytes:
        if not text.startswith(PREFIX):
            raise SealingError("not a sealed value")
        body = text[len(PREFIX):]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return self._aead.decrypt(raw[:12], raw[12:], context.encode("utf-8"))
        except (ValueError, InvalidTag):
            raise SealingError("the sealed value does not open with this key") from None
