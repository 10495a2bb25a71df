"""PIN reset tickets: how a reset "at the counter" reaches a card.

At a real municipal counter, staff reset a locked PIN with J-LIS's terminal and the card. Here
the staff member uses the staff-only route POST /v1/staff/pin-resets; the server answers with a
ticket signed by the test J-LIS CA key. The resident's app hands the ticket to its card stub,
which clears the counter only if the ticket

- carries a valid SHA256withRSA signature by the CA the card was issued by (ca.pem),
- has type "kitokito.pin-reset.v1", names this card's serial and the locked PIN kind,
- is not expired (10 minutes) and its id (jti) was never applied to this card before.

So neither the resident nor a tampered app can unlock a card without a staff action, and an
old ticket cannot be replayed after the card locks again.

Format (JWS-like, compact): base64url(canonical JSON payload) "." base64url(signature over the
ASCII bytes of the first part).
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from services.mynumber.canonical import canonical_json
from services.mynumber.errors import InvalidResetTicket, PinKind

TICKET_TYPE = "kitokito.pin-reset.v1"
TICKET_LIFETIME = timedelta(minutes=10)
MAX_TICKET_CHARS = 4096


@dataclass(frozen=True)
class ResetTicket:
    serial: str
    kind: PinKind
    ticket_id: str
    expires_at: datetime


def verify_reset_ticket(
    ticket: str, *, ca_certificate: x509.Certificate, serial: str, now: datetime
) -> ResetTicket:
    """Check a ticket for the card `serial`; raises InvalidResetTicket with the reason."""
    if not isinstance(ticket, str) or len(ticket) > MAX_TICKET_CHARS or ticket.count(".") != 1:
        raise InvalidResetTicket("not a reset ticket")
    body, signature = ticket.split(".")
    key = ca_certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise InvalidResetTicket("the CA key is not RSA")
    try:
        key.verify(_b64decode(signature), body.encode("ascii"), padding.PKCS1v15(),
                   hashes.SHA256())
        payload = json.loads(_b64decode(body))
    except (InvalidSignature, ValueError, UnicodeError) as exc:
        raise InvalidResetTicket("the ticket is not signed by the card's CA") from exc
    if not isinstance(payload, dict) or payload.get("typ") != TICKET_TYPE:
        raise InvalidResetTicket("not a reset ticket")
    if payload.get("serial") != serial:
        raise InvalidResetTicket("the ticket is for another card")
    try:
        kind = PinKind(str(payload["pin"]))
        expires_at = datetime.fromtimestamp(int(payload["exp"]), now.tzinfo)
        ticket_id = str(payload["jti"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidResetTicket("the ticket is incomplete") from exc
    if now >= expires_at:
        raise InvalidResetTicket("the ticket has expired; ask the counter for a new one")
    return ResetTicket(serial=serial, kind=kind, ticket_id=ticket_id, expires_at=expires_at)


def issue_reset_ticket(ca, *, serial: str, kind: PinKind, now: datetime) -> str:
    """Play the counter locally (CLI `reset-pin`, tests): sign a ticket with the CA key.

    `ca` is a services.mynumber.ca.JpkiTestCa. The server issues the same format itself.
    """
    payload = {
        "typ": TICKET_TYPE,
        "serial": serial,
        "pin": kind.value,
        "jti": secrets.token_hex(16),
        "iat": int(now.timestamp()),
        "exp": int((now + TICKET_LIFETIME).timestamp()),
    }
    body = _b64encode(canonical_json(payload))
    return f"{body}.{_b64encode(ca.sign(body.encode('ascii')))}"


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("bad base64url") from exc
