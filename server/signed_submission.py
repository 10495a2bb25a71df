"""Checking a signed e-application (application.submit, application.resubmit), in the order the
contract gives (docs/e-applications.md), and keeping what was signed, sealed.

The signature covers the document's exact bytes; those must be canonical JSON (figure 4), so
what is checked is what was signed. The 署名用 certificate must chain to the trusted CA, be
valid now, unrevoked and a signing certificate, and belong to the card the resident logged in
with: the login session keeps its card's serial, and a signing certificate names its card's
authentication certificate (server.core.jpki.signed_by_card_of). Then the values are checked
with the same rules the client used (forms.validate), on the server's date in Toyama.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlmodel import Session

from forms.definition import Procedure
from forms.problems import Problem
from forms.validate import AttachedFile, check, fee_for
from server.application_models import SignedDocument, SignedParts
from server.attachments import facts as attachment_facts
from server.auth_models import AuthSession
from server.core.canonical import NotCanonical, parse_canonical
from server.core.jpki import (
    JpkiError,
    JpkiUnavailable,
    SignatureInvalid,
    TrustStore,
    signed_by_card_of,
    verify_signature,
)
from server.core.sealing import Sealer
from server.mutation_context import CannotDecideNow, Context, Rejection, invalid

JST = ZoneInfo("Asia/Tokyo")
MAX_REASON = 200


@dataclass(frozen=True)
class Signed:
    """The three parts as bytes, exactly as received."""

    document: bytes
    signature: bytes
    certificate: bytes


@dataclass(frozen=True)
class Verified:
    signed: Signed
    document: SignedDocument
    procedure: Procedure
    fee_yen: int


def b64decode(value: str) -> bytes | None:
    text = value.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def decode(parts: SignedParts) -> Signed | Rejection:
    decoded = {name: b64decode(getattr(parts, name))
               for name in ("document", "signature", "certificate")}
    for name, value in decoded.items():
        if not value:
            return Rejection("invalid_payload", f"{name}: not base64")
    return Signed(**{name: value for name, value in decoded.items() if value})


def card_serial(session: Session, session_id: str) -> int | None:
    """The serial of the authentication certificate this login was made with."""
    login = session.get(AuthSession, session_id)
    if login is None or login.cert_serial is None:
        return None
    return int(login.cert_serial, 16)


def verify(ctx: Context, parts: SignedParts, application_id: str) -> Verified | Rejection:
    """Everything the contract checks up to the fee; payment and status are the caller's."""
    signed = decode(parts)
    if isinstance(signed, Rejection):
        return signed
    try:
        document = SignedDocument.model_validate(parse_canonical(signed.document))
    except NotCanonical as exc:
        return Rejection("document_not_canonical", str(exc)[:MAX_REASON])
    except ValidationError as exc:
        return invalid(exc, "document")
    try:
        certificate = ctx.trust_store.verify(signed.certificate, purpose="sign", now=ctx.now)
    except JpkiUnavailable:
        raise CannotDecideNow("jpki_unavailable") from None
    except JpkiError as exc:
        return Rejection("certificate_invalid", exc.code)
    serial = card_serial(ctx.session, ctx.session_id)
    if serial is None or not signed_by_card_of(certificate.certificate, serial):
        return Rejection("not_your_card",
                         "The signing certificate is not of the card you logged in with")
    try:
        verify_signature(certificate, signed.document, signed.signature)
    except SignatureInvalid:
        return Rejection("signature_invalid", "The signature does not match the document")
    return _check_content(ctx, signed, document, application_id)


def _check_content(ctx: Context, signed: Signed, document: SignedDocument,
                   application_id: str) -> Verified | Rejection:
    if document.application_id != application_id:
        return Rejection("application_id_mismatch",
                         "The signed document is for another application")
    procedure = ctx.procedures.get(document.procedure_id)
    if procedure is None:
        return Rejection("unknown_procedure", "This server does not accept this procedure")
    if document.procedure_version != procedure.version:
        return Rejection("procedure_outdated",
                         f"The form has changed: version {procedure.version} is current")
    attached = [AttachedFile(spec=ref.spec, attachment_id=ref.attachment_id,
                             media_type=ref.media_type, size=ref.size, sha256=ref.sha256)
                for ref in document.attachments]
    problems = check(procedure, document.values, today=ctx.now.astimezone(JST).date(),
                     attachments=attached)
    if problems:
        return Rejection("invalid_values", problems_reason(problems))
    for ref in document.attachments:
        stored = attachment_facts(ctx.session, ref.attachment_id)
        if stored is None or stored.user_id != ctx.user_id or (
                stored.media_type, stored.size, stored.sha256) != (
                ref.media_type, ref.size, ref.sha256):
            return Rejection("attachment_missing",
                             f"{ref.spec}: the server has no such file of yours")
    fee = fee_for(procedure, document.values)
    if fee != document.fee_yen:
        return Rejection("fee_mismatch", f"The fee is {fee} yen")
    return Verified(signed=signed, document=document, procedure=procedure, fee_yen=fee)


def problems_reason(problems: list[Problem]) -> str:
    """`path: code` entries joined by "; " (path parts joined by "."), whole entries only."""
    reason = ""
    for problem in problems:
        entry = f"{'.'.join(str(part) for part in problem.path) or 'values'}: {problem.code}"
        joined = f"{reason}; {entry}" if reason else entry
        if len(joined) > MAX_REASON:
            break
        reason = joined
    return reason


def recheck(store: TrustStore, signed: Signed, *, application_id: str,
            now: datetime) -> str | None:
    """Why a stored submission does not verify now (a stable code), or None if it does: its
    form, that it names this application, the certificate today (a card revoked since counts),
    the signature."""
    try:
        document = parse_canonical(signed.document)
    except NotCanonical:
        return "document_not_canonical"
    if not isinstance(document, dict) or document.get("application_id") != application_id:
        return "application_id_mismatch"
    try:
        certificate = store.verify(signed.certificate, purpose="sign", now=now)
        verify_signature(certificate, signed.document, signed.signature)
    except JpkiError as exc:  # certificate_revoked, signature_invalid, jpki_unavailable...
        return exc.code
    return None


# --- kept sealed -------------------------------------------------------------------------
def _context(user_id: str, application_id: str, revision: int) -> str:
    return f"application_submission:{user_id}:{application_id}:{revision}"


def seal(sealer: Sealer, signed: Signed, *, user_id: str, application_id: str,
         revision: int) -> str:
    plain = json.dumps({name: base64.b64encode(getattr(signed, name)).decode("ascii")
                        for name in ("document", "signature", "certificate")})
    return sealer.seal(plain.encode("ascii"),
                       context=_context(user_id, application_id, revision))


def unseal(sealer: Sealer, sealed: str, *, user_id: str, application_id: str,
           revision: int) -> Signed:
    """SealingError if it does not open with this key (or was moved from another row)."""
    parts = json.loads(sealer.open(sealed, context=_context(user_id, application_id, revision)))
    return Signed(**{name: base64.b64decode(parts[name])
                     for name in ("document", "signature", "certificate")})
