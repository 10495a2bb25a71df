"""The stub ticket issuer's Ed25519 key and the canonical form it signs.

The private key lives in <data dir>/tickets/issuer-ed25519.pem, created on first use with mode
0600 (written to a private temp file, then hard-linked into place, so two workers starting at
once end up with the same key). A key file that others can read is refused: the issuer is then
unavailable (503) rather than signing with a possibly leaked key. Workers behind a load balancer
must share this file (same data dir), or each would sign with its own key; every payload names
its `kid` so a verifier can tell.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import stat
import threading
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY_FILE = Path("tickets") / "issuer-ed25519.pem"


class IssuerUnavailable(RuntimeError):
    """The signing key cannot be used (unreadable, damaged, or readable by others)."""


def canonical_json(payload: dict[str, Any]) -> bytes:
    """Sorted keys, no whitespace, UTF-8 (no ASCII escapes). Payloads hold no floats."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class TicketSigner:
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public_raw = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")
        self.key_id = hashlib.sha256(self.public_raw).hexdigest()[:16]

    def sign(self, payload: dict[str, Any]) -> tuple[str, str, str]:
        """-> (canonical payload text, signature b64url, QR text)."""
        body = canonical_json(payload)
        signature = self._key.sign(body)
        return body.decode("utf-8"), b64url(signature), f"KTK1.{b64url(body)}.{b64url(signature)}"


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another worker won the race: use its key
        finally:
            tmp.unlink(missing_ok=True)
    try:
        if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
            raise IssuerUnavailable(f"{path} is readable by others; chmod 600 it")
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise IssuerUnavailable(f"cannot load {path}: {type(exc).__name__}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise IssuerUnavailable(f"{path} is not an Ed25519 key")
    return key


_lock = threading.Lock()


def signer_for(state: Any, data_dir: Path) -> TicketSigner:
    """The app's signer, loaded (or created) on first use and kept on app.state."""
    signer = getattr(state, "ticket_signer", None)
    if signer is None:
        with _lock:
            signer = getattr(state, "ticket_signer", None)
            if signer is None:
                signer = TicketSigner(load_or_create_key(data_dir / KEY_FILE))
                state.ticket_signer = signer
    return signer
