"""PIN rules, PIN verifiers and the persisted try counter.

Only a salted scrypt verifier of each PIN is stored, never the PIN. A 4-digit PIN has 10,000
values, so the verifier does not stop an attacker who copies the card directory; what protects
a real card is its chip, which the stub cannot have (see card.py). The verifier keeps PINs out
of backups, logs and casual reading.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from services.mynumber.errors import InvalidPinFormat, PinKind

AUTH_PIN = re.compile(r"[0-9]{4}")
SIGN_PASSWORD = re.compile(r"[A-Z0-9]{6,16}")
MAX_TRIES = {PinKind.auth: 3, PinKind.sign: 5}
# 8 MiB and ~30 ms per check: slow enough to matter, fast enough for a login.
_SCRYPT = {"n": 2**13, "r": 8, "p": 1}


def check_format(kind: PinKind, pin: object) -> str:
    """Return the PIN if it has the right shape, else raise InvalidPinFormat (no try used)."""
    pattern = AUTH_PIN if kind is PinKind.auth else SIGN_PASSWORD
    if not isinstance(pin, str) or not pattern.fullmatch(pin):
        raise InvalidPinFormat(kind)
    return pin


@dataclass(frozen=True)
class PinVerifier:
    salt: bytes
    digest: bytes

    @classmethod
    def create(cls, pin: str) -> PinVerifier:
        salt = secrets.token_bytes(16)
        return cls(salt, _derive(pin, salt))

    def matches(self, pin: str) -> bool:
        return hmac.compare_digest(self.digest, _derive(pin, self.salt))

    def to_json(self) -> dict[str, str]:
        return {"salt": self.salt.hex(), "scrypt": self.digest.hex()}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> PinVerifier:
        return cls(bytes.fromhex(data["salt"]), bytes.fromhex(data["scrypt"]))


def _derive(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, dklen=32, **_SCRYPT)


@dataclass(frozen=True)
class PinStatus:
    """What the login screen may show before any PIN is entered."""

    kind: PinKind
    remaining_tries: int
    locked: bool
