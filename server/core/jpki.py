"""Verification of JPKI-style certificates and signatures against the trusted test CA.

The trust anchor is <jpki_dir>/ca.pem (KITOKITO_JPKI_DIR, default <data_dir>/jpki) and the
revocation list <jpki_dir>/crl.pem; both are re-read when their files change, so a revocation
takes effect without a restart. The chain is one level deep (CA -> card certificate), as JPKI's
is, so it is checked directly: issuer name and signature (verify_directly_issued_by), the CA's
own validity and CA flag, the leaf's validity period, its profile (RSA >= 2048; 利用者証明用 =
clientAuth, 署名用 = nonRepudiation), and the CRL, whose signature and freshness are checked too.
A stale or missing CRL fails closed (503): revocation must not be skippable by blocking updates.

Every failure is a JpkiError with a stable `code` the client maps to a message.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

MIN_RSA_BITS = 2048
OID_NAME = ObjectIdentifier("1.2.392.200149.8.5.5.1")
OID_SEX = ObjectIdentifier("1.2.392.200149.8.5.5.3")
OID_BIRTH_DATE = ObjectIdentifier("1.2.392.200149.8.5.5.4")
OID_ADDRESS = ObjectIdentifier("1.2.392.200149.8.5.5.5")
TICKET_TYPE = "kitokito.pin-reset.v1"
TICKET_LIFETIME = timedelta(minutes=10)
TOYAMA_MUNICIPALITIES = (
    "富山市", "高岡市", "魚津市", "氷見市", "滑川市", "黒部市", "砺波市", "小矢部市", "南砺市",
    "射水市", "舟橋村", "上市町", "立山町", "入善町", "朝日町",
)
_GENERIC_MUNICIPALITY = re.compile(r"^(?:.{2,3}?[都道府県])?(?:.+?郡)?(.+?[市区町村])")


class JpkiError(Exception):
    code = "certificate_invalid"
    status = 401

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.code)


class CertificateUntrusted(JpkiError):
    code = "certificate_untrusted"


class CertificateExpired(JpkiError):
    code = "certificate_expired"


class CertificateRevoked(JpkiError):
    code = "certificate_revoked"


class CertificateProfileInvalid(JpkiError):
    code = "certificate_profile"


class SignatureInvalid(JpkiError):
    code = "signature_invalid"


class JpkiUnavailable(JpkiError):
    """No trust anchor, or no fresh CRL: fail closed."""

    code = "jpki_unavailable"
    status = 503


@dataclass(frozen=True)
class VerifiedCertificate:
    certificate: x509.Certificate
    user_id: str  # SHA-256 hex of the SubjectPublicKeyInfo DER: stable per key, no personal data
    serial: int
    not_after: datetime


@dataclass(frozen=True)
class FourFacts:
    name: str
    birth_date: date
    address: str
    sex: str  # ISO/IEC 5218 code
    municipality: str


@dataclass(frozen=True)
class IssuedTicket:
    ticket: str
    ticket_id: str
    expires_at: datetime


def parse_certificate(der: bytes) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise CertificateUntrusted("not a DER certificate") from exc


def same_card(auth: x509.Certificate, signing: x509.Certificate) -> bool:
    """The signing certificate names this authentication certificate as its card's
    (subject serialNumber "AUTH-<serial hex>", set at issue)."""
    return signed_by_card_of(signing, auth.serial_number)


def signed_by_card_of(signing: x509.Certificate, auth_serial: int) -> bool:
    """Whether the signing certificate is of the card whose authentication certificate has
    this serial (a login session keeps that serial)."""
    links = signing.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    return len(links) == 1 and links[0].value == f"AUTH-{auth_serial:040X}"


def user_id_of(certificate: x509.Certificate) -> str:
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).hexdigest()


class TrustStore:
    """The trusted test CA and its CRL, loaded from a directory and cached by file mtime."""

    def __init__(self, jpki_dir: Path) -> None:
        self.jpki_dir = jpki_dir
        self._ca: tuple[float, x509.Certificate] | None = None
        self._crl: tuple[float, x509.CertificateRevocationList] | None = None

    def ca_certificate(self) -> x509.Certificate:
        path = self.jpki_dir / "ca.pem"
        try:
            mtime = path.stat().st_mtime
            if self._ca is None or self._ca[0] != mtime:
                self._ca = (mtime, x509.load_pem_x509_certificate(path.read_bytes()))
        except (OSError, ValueError) as exc:
            raise JpkiUnavailable("no trusted CA certificate") from exc
        return self._ca[1]

    def crl(self, now: datetime) -> x509.CertificateRevocationList:
        path = self.jpki_dir / "crl.pem"
        try:
            mtime = path.stat().st_mtime
            if self._crl is None or self._crl[0] != mtime:
                self._crl = (mtime, x509.load_pem_x509_crl(path.read_bytes()))
        except (OSError, ValueError) as exc:
            raise JpkiUnavailable("no revocation list") from exc
        crl = self._crl[1]
        ca_key = self.ca_certificate().public_key()
        if not isinstance(ca_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            raise JpkiUnavailable("the trusted CA's key is neither RSA nor EC")
        if crl.issuer != self.ca_certificate().subject or not crl.is_signature_valid(ca_key):
            raise JpkiUnavailable("the revocation list is not signed by the trusted CA")
        if crl.next_update_utc is None or crl.next_update_utc < now:
            raise JpkiUnavailable("the revocation list is out of date")
        return crl

    def verify(self, der: bytes, *, purpose: str, now: datetime) -> VerifiedCertificate:
        """Chain, validity, profile and revocation of a card certificate ('auth' | 'sign')."""
        cert = parse_certificate(der)
        ca = self.ca_certificate()
        try:
            cert.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature) as exc:
            raise CertificateUntrusted("not issued by the trusted CA") from exc
        if not (ca.not_valid_before_utc <= now <= ca.not_valid_after_utc):
            raise CertificateUntrusted("the trusted CA certificate is not valid now")
        if not (cert.not_valid_before_utc <= now <= cert.not_valid_after_utc):
            raise CertificateExpired("outside the certificate's validity period")
        _check_profile(cert, purpose)
        if self.crl(now).get_revoked_certificate_by_serial_number(cert.serial_number):
            raise CertificateRevoked("the certificate is on the revocation list")
        return VerifiedCertificate(
            certificate=cert, user_id=user_id_of(cert), serial=cert.serial_number,
            not_after=cert.not_valid_after_utc,
        )

    def check_serial(self, serial_hex: str, now: datetime) -> None:
        """CertificateRevoked if the card with this serial is on the (fresh) revocation list."""
        try:
            serial = int(serial_hex, 16)
        except ValueError as exc:
            raise CertificateUntrusted("not a certificate serial") from exc
        if self.crl(now).get_revoked_certificate_by_serial_number(serial) is not None:
            raise CertificateRevoked("the certificate is on the revocation list")

    def issue_reset_ticket(self, *, serial: str, kind: str, now: datetime) -> IssuedTicket:
        """Sign a counter PIN-reset ticket with the CA key (format: services.mynumber.tickets).

        JpkiUnavailable when this server holds no CA key: then
        resets happen on J-LIS's own terminal, as in production.
        """
        try:
            key = serialization.load_pem_private_key(
                (self.jpki_dir / "ca-key.pem").read_bytes(), None)
        except (OSError, ValueError, TypeError) as exc:
            raise JpkiUnavailable("this server cannot issue reset tickets") from exc
        if not isinstance(key, rsa.RSAPrivateKey):
            raise JpkiUnavailable("the CA key is not RSA")
        expires_at = now + TICKET_LIFETIME
        ticket_id = secrets.token_hex(16)
        payload = {
            "typ": TICKET_TYPE, "serial": serial, "pin": kind, "jti": ticket_id,
            "iat": int(now.timestamp()), "exp": int(expires_at.timestamp()),
        }
        body = _b64url(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode())
        signature = key.sign(body.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return IssuedTicket(f"{body}.{_b64url(signature)}", ticket_id, expires_at)


def verify_signature(verified: VerifiedCertificate, data: bytes, signature: bytes) -> None:
    """SHA256withRSA (PKCS#1 v1.5) by the certificate's key over exactly `data`."""
    key = verified.certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey) or len(signature) != key.key_size // 8:
        raise SignatureInvalid("signature has the wrong size")
    try:
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as exc:
        raise SignatureInvalid("the signature does not match") from exc


def four_facts(certificate: x509.Certificate) -> FourFacts:
    """Read 基本4情報 from a 署名用 certificate's SubjectAltName otherName entries."""
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        values = {o.type_id: _der_utf8(o.value) for o in san.get_values_for_type(x509.OtherName)}
        birth = datetime.strptime(values[OID_BIRTH_DATE], "%Y%m%d").date()
        address = values[OID_ADDRESS]
        return FourFacts(
            name=values[OID_NAME], birth_date=birth, address=address,
            sex=values.get(OID_SEX, "0"), municipality=municipality_of(address),
        )
    except (x509.ExtensionNotFound, KeyError, ValueError) as exc:
        raise CertificateProfileInvalid("the signing certificate lacks the four facts") from exc


def municipality_of(address: str) -> str:
    for name in TOYAMA_MUNICIPALITIES:
        if name in address:
            return name
    match = _GENERIC_MUNICIPALITY.match(address)
    return match.group(1) if match else ""


def _check_profile(cert: x509.Certificate, purpose: str) -> None:
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < MIN_RSA_BITS:
        raise CertificateProfileInvalid("an RSA key of at least 2048 bits is required")
    try:
        if cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            raise CertificateProfileInvalid("a CA certificate cannot log in")
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound as exc:
        raise CertificateProfileInvalid("basic constraints and key usage are required") from exc
    if purpose == "auth":
        try:
            eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound as exc:
            raise CertificateProfileInvalid("not a user-authentication certificate") from exc
        if ExtendedKeyUsageOID.CLIENT_AUTH not in eku or not usage.digital_signature:
            raise CertificateProfileInvalid("not a user-authentication certificate")
    elif purpose == "sign":
        if not usage.content_commitment:
            raise CertificateProfileInvalid("not a signing certificate")
    else:  # pragma: no cover - programming error
        raise ValueError(purpose)


def _der_utf8(value: bytes) -> str:
    if len(value) < 2 or value[0] != 0x0C:
        raise ValueError("not a UTF8String")
    length, offset = value[1], 2
    if length & 0x80:
        count = length & 0x7F
        length, offset = int.from_bytes(value[2 : 2 + count], "big"), 2 + count
    if offset + length != len(value):
        raise ValueError("bad DER length")
    return value[offset:].decode("utf-8")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
