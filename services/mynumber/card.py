"""A simulated My Number card: two RSA-2048 keys, two certificates, PIN counters.

On disk, one directory per card (<data_dir>/cards/<serial>/, mode 0700, files 0600):

  card.json      the card's printed face (name, birth date, address, sex) and demo notes
  auth-cert.pem  利用者証明用 certificate (no personal data; readable without PIN, as on a card)
  auth-key.pem   its private key, PKCS#8 encrypted with the card's chip key
  sign-cert.pem  署名用 certificate (carries the four facts; released only with the password)
  sign-key.pem   its private key, PKCS#8 encrypted with the chip key
  chip.key       the chip key (random, 32 bytes)
  secrets.json   scrypt verifiers of the PIN and the signing password (never the values)
  state.json     try counters and applied reset-ticket ids, replaced atomically

What the stub cannot do is be a chip: anyone who can read the whole directory can use the keys
without a PIN. The encryption keeps keys out of partial copies (a stray PEM file in a backup);
the PIN counter is enforced by this code. A real reader replaces this class behind the same
methods.

Every PIN check counts the try on disk BEFORE comparing, and clears it after a match: killing
the process between the two can never give an attacker a free try. State is re-read under a
file lock for every operation, so two objects (or processes) on one card agree.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from services.mynumber.canonical import canonical_json
from services.mynumber.errors import (
    CardDamaged,
    CardLocked,
    CardNotFound,
    InvalidResetTicket,
    PinKind,
    WrongPin,
)
from services.mynumber.facts import FourFacts, Sex
from services.mynumber.pins import MAX_TRIES, PinStatus, PinVerifier, check_format
from services.mynumber.storage import (
    exclusive_lock,
    read_json,
    write_atomic,
    write_json_atomic,
)
from services.mynumber.tickets import verify_reset_ticket

Clock = Callable[[], datetime]
MAX_REMEMBERED_TICKETS = 100


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CardSummary:
    """What the card picker shows: the card's face, never its secrets."""

    serial: str
    name: str
    municipality: str
    birth_date: date
    sex: Sex
    auth_not_after: datetime
    auth_locked: bool
    demo_id: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class SignedDocument:
    """An e-application signed with the 署名用 key (figure 4)."""

    document: bytes  # canonical JSON, exactly the bytes signed
    signature: bytes  # SHA256withRSA PKCS#1 v1.5, 256 bytes
    certificate: bytes  # 署名用 certificate, DER


class MyNumberCard:
    def __init__(self, card_dir: Path, *, now: Clock = utc_now) -> None:
        if not (card_dir / "card.json").is_file():
            raise CardNotFound(f"no card in {card_dir}")
        self.card_dir = card_dir
        self._now = now
        try:
            self._face = read_json(card_dir / "card.json")
            self.auth_certificate = _load_cert(card_dir / "auth-cert.pem")
            self.serial = f"{self.auth_certificate.serial_number:040X}"
        except (OSError, ValueError, KeyError) as exc:
            raise CardDamaged(f"card files in {card_dir} are unreadable") from exc

    # --- reading without a PIN -------------------------------------------------------------
    def auth_certificate_der(self) -> bytes:
        return self.auth_certificate.public_bytes(serialization.Encoding.DER)

    def status(self, kind: PinKind = PinKind.auth) -> PinStatus:
        failures = self._state()["failures"][kind.value]
        remaining = max(MAX_TRIES[kind] - failures, 0)
        return PinStatus(kind=kind, remaining_tries=remaining, locked=remaining == 0)

    def summary(self) -> CardSummary:
        face = self._face["face"]
        return CardSummary(
            serial=self.serial,
            name=face["name"],
            municipality=self.facts().municipality,
            birth_date=date.fromisoformat(face["birth_date"]),
            sex=Sex(face["sex"]),
            auth_not_after=self.auth_certificate.not_valid_after_utc,
            auth_locked=self.status(PinKind.auth).locked,
            demo_id=self._face.get("demo_id"),
            note=self._face.get("note"),
        )

    def facts(self) -> FourFacts:
        face = self._face["face"]
        return FourFacts(
            name=face["name"],
            birth_date=date.fromisoformat(face["birth_date"]),
            address=face["address"],
            sex=Sex(face["sex"]),
        )

    # --- operations that need a PIN --------------------------------------------------------
    def sign_challenge(self, pin: str, challenge: bytes) -> bytes:
        """利用者証明用 key: SHA256withRSA over the server's nonce (the exact bytes)."""
        self._unlock(PinKind.auth, pin)
        return _sign(self._private_key("auth-key.pem"), challenge)

    def sign_with_signing_key(self, password: str, data: bytes) -> tuple[bytes, bytes]:
        """署名用 key over raw bytes; returns (signature, 署名用 certificate DER)."""
        self._unlock(PinKind.sign, password)
        return _sign(self._private_key("sign-key.pem"), data), self._signing_certificate_der()

    def sign_document(self, password: str, document: Any) -> SignedDocument:
        """Sign an e-application as canonical JSON (see canonical.py)."""
        payload = canonical_json(document)
        signature, certificate = self.sign_with_signing_key(password, payload)
        return SignedDocument(document=payload, signature=signature, certificate=certificate)

    # --- the counter ---------------------------------------------------------------------
    def apply_reset_ticket(self, ticket: str, *, new_pin: str | None = None) -> PinKind:
        """Clear a lock with a ticket from the staff route; optionally set a new PIN."""
        ca_cert = self._ca_certificate()
        with self._lock():
            parsed = verify_reset_ticket(
                ticket, ca_certificate=ca_cert, serial=self.serial, now=self._now()
            )
            if new_pin is not None:
                check_format(parsed.kind, new_pin)
            state = self._state()
            if parsed.ticket_id in state["used_tickets"]:
                raise InvalidResetTicket("this ticket was already used")
            if new_pin is not None:
                verifiers = read_json(self.card_dir / "secrets.json")
                verifiers[parsed.kind.value] = PinVerifier.create(new_pin).to_json()
                write_json_atomic(self.card_dir / "secrets.json", verifiers)
            state["failures"][parsed.kind.value] = 0
            state["used_tickets"] = (state["used_tickets"] + [parsed.ticket_id])[
                -MAX_REMEMBERED_TICKETS:
            ]
            self._save_state(state)
        return parsed.kind

    def _unlock(self, kind: PinKind, pin: str) -> None:
        with self._lock():
            state = self._state()
            limit = MAX_TRIES[kind]
            if state["failures"][kind.value] >= limit:
                raise CardLocked(kind)
            check_format(kind, pin)
            state["failures"][kind.value] += 1
            self._save_state(state)  # counted before comparing: no free try on a crash
            verifier = PinVerifier.from_json(read_json(self.card_dir / "secrets.json")[kind.value])
            if not verifier.matches(pin):
                remaining = limit - state["failures"][kind.value]
                if remaining <= 0:
                    raise CardLocked(kind)
                raise WrongPin(kind, remaining)
            state["failures"][kind.value] = 0
            self._save_state(state)

    # --- files ---------------------------------------------------------------------------
    def _lock(self):
        return exclusive_lock(self.card_dir / ".lock")

    def _state(self) -> dict[str, Any]:
        try:
            state = read_json(self.card_dir / "state.json")
            for kind in PinKind:
                state["failures"][kind.value] = int(state["failures"][kind.value])
            state["used_tickets"] = list(state.get("used_tickets", []))
            return state
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # Fail closed: a card whose counter cannot be read must not be usable.
            raise CardDamaged("the card's PIN counter is unreadable") from exc

    def _save_state(self, state: dict[str, Any]) -> None:
        write_json_atomic(self.card_dir / "state.json", state)

    def _private_key(self, name: str) -> rsa.RSAPrivateKey:
        chip_key = (self.card_dir / "chip.key").read_bytes()
        key = serialization.load_pem_private_key((self.card_dir / name).read_bytes(), chip_key)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise CardDamaged("card keys must be RSA")
        return key

    def _signing_certificate_der(self) -> bytes:
        return _load_cert(self.card_dir / "sign-cert.pem").public_bytes(
            serialization.Encoding.DER
        )

    def _ca_certificate(self) -> x509.Certificate:
        path = self.card_dir.parent.parent / "jpki" / "ca.pem"
        try:
            return _load_cert(path)
        except (OSError, ValueError) as exc:
            raise InvalidResetTicket("the card's CA certificate is not available") from exc

    def __repr__(self) -> str:
        return f"MyNumberCard(serial={self.serial[:8]}…)"


def write_card_files(
    card_dir: Path,
    *,
    auth_key: rsa.RSAPrivateKey,
    auth_cert: x509.Certificate,
    sign_key: rsa.RSAPrivateKey,
    sign_cert: x509.Certificate,
    facts: FourFacts,
    pin: str,
    password: str,
    demo_id: str | None,
    note: str | None,
) -> None:
    """Lay out a new card directory (used by the issuing code in issue.py)."""
    chip_key = secrets.token_hex(32).encode("ascii")
    encryption = serialization.BestAvailableEncryption(chip_key)
    write_atomic(card_dir / "chip.key", chip_key)
    for name, key in (("auth-key.pem", auth_key), ("sign-key.pem", sign_key)):
        write_atomic(card_dir / name, key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))
    for name, cert in (("auth-cert.pem", auth_cert), ("sign-cert.pem", sign_cert)):
        write_atomic(card_dir / name, cert.public_bytes(serialization.Encoding.PEM))
    write_json_atomic(card_dir / "secrets.json", {
        PinKind.auth.value: PinVerifier.create(pin).to_json(),
        PinKind.sign.value: PinVerifier.create(password).to_json(),
    })
    write_json_atomic(card_dir / "state.json", {
        "failures": {kind.value: 0 for kind in PinKind}, "used_tickets": []})
    # card.json last: its presence marks a complete card.
    write_json_atomic(card_dir / "card.json", {
        "version": 1,
        "face": {
            "name": facts.name,
            "birth_date": facts.birth_date.isoformat(),
            "address": facts.address,
            "sex": facts.sex.value,
        },
        "demo_id": demo_id,
        "note": note,
    })


def _sign(key: rsa.RSAPrivateKey, data: bytes) -> bytes:
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _load_cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())
