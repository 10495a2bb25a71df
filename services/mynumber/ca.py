"""The test J-LIS: a certificate authority that issues the stub cards' certificates.

It lives in <data_dir>/jpki/: ca.pem (trusted by the server), ca-key.pem (owner-only; also used
by the server to sign counter PIN-reset tickets, see services.mynumber.tickets) and crl.pem
(X.509 CRL listing revoked serials). One CA issues both certificate kinds; the real J-LIS runs
separate CAs for 利用者証明用 and 署名用, which changes nothing a client can observe here.

The CRL is valid for 30 days and re-signed by `ensure()` when fewer than 7 remain, because the
server fails closed on a stale CRL (an attacker must not win by keeping the list from updating).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from services.mynumber.facts import FourFacts
from services.mynumber.storage import (
    ensure_private_dir,
    exclusive_lock,
    write_atomic,
)

Clock = Callable[[], datetime]
CA_CERT = "ca.pem"
CA_KEY = "ca-key.pem"
CRL = "crl.pem"
CRL_LIFETIME = timedelta(days=30)
CRL_RENEW_BEFORE = timedelta(days=7)
KEY_SIZE = 2048


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


class JpkiTestCa:
    """Issues and revokes stub certificates. Not a real CA: its key sits in a file."""

    def __init__(
        self,
        jpki_dir: Path,
        key: rsa.RSAPrivateKey,
        certificate: x509.Certificate,
        *,
        now: Clock = utc_now,
    ) -> None:
        self.jpki_dir = jpki_dir
        self._key = key
        self.certificate = certificate
        self._now = now

    # --- loading ------------------------------------------------------------------------
    @classmethod
    def ensure(cls, jpki_dir: Path, *, name: str = "Kitokito Test JPKI CA",
               now: Clock = utc_now) -> JpkiTestCa:
        """Load the CA in `jpki_dir`, creating it (and an empty CRL) on first use."""
        ensure_private_dir(jpki_dir)
        with exclusive_lock(jpki_dir / ".lock"):
            if not (jpki_dir / CA_CERT).exists():
                cls._create(jpki_dir, name=name, now=now)
            ca = cls.load(jpki_dir, now=now)
            crl = ca.crl()
            if crl is None or crl.next_update_utc is None or (
                crl.next_update_utc - now() < CRL_RENEW_BEFORE
            ):
                ca._write_crl(ca.revoked_serials())
        return ca

    @classmethod
    def load(cls, jpki_dir: Path, *, now: Clock = utc_now) -> JpkiTestCa:
        key = serialization.load_pem_private_key((jpki_dir / CA_KEY).read_bytes(), None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the test CA key must be RSA")
        cert = x509.load_pem_x509_certificate((jpki_dir / CA_CERT).read_bytes())
        return cls(jpki_dir, key, cert, now=now)

    @classmethod
    def _create(cls, jpki_dir: Path, *, name: str, now: Clock) -> None:
        key = new_rsa_key()
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "J-LIS (TEST ONLY)"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ])
        start = now() - timedelta(days=1)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + timedelta(days=365 * 20))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_key_usage(), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),  # the server must read it to sign reset tickets
        )
        write_atomic(jpki_dir / CA_KEY, key_pem)
        write_atomic(jpki_dir / CA_CERT, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)

    # --- issuing ------------------------------------------------------------------------
    def issue_auth_certificate(
        self, public_key: rsa.RSAPublicKey, *, not_before: datetime, not_after: datetime
    ) -> x509.Certificate:
        """利用者証明用: nothing about the person; the subject is only a serial-derived label."""
        serial = x509.random_serial_number()
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"JPKI-AUTH-{serial:040X}"),
        ])
        builder = self._leaf(public_key, subject, serial, not_before, not_after).add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), True
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False)
        return builder.sign(self._key, hashes.SHA256())

    def issue_signing_certificate(
        self,
        public_key: rsa.RSAPublicKey,
        facts: FourFacts,
        *,
        not_before: datetime,
        not_after: datetime,
        card_auth_serial: int,
    ) -> x509.Certificate:
        """署名用: the four basic facts in the SubjectAltName, as on a real card.

        The subject's serialNumber names the same card's 利用者証明用 certificate, so a server
        can refuse a signing certificate presented with another card's login."""
        serial = x509.random_serial_number()
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"JPKI-SIGN-{serial:040X}"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, card_link(card_auth_serial)),
        ])
        builder = (
            self._leaf(public_key, subject, serial, not_before, not_after)
            .add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False), True
            )
            .add_extension(x509.SubjectAlternativeName(facts.other_names()), False)
        )
        return builder.sign(self._key, hashes.SHA256())

    def _leaf(
        self,
        public_key: rsa.RSAPublicKey,
        subject: x509.Name,
        serial: int,
        not_before: datetime,
        not_after: datetime,
    ) -> x509.CertificateBuilder:
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(public_key)
            .serial_number(serial)
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()), False
            )
        )

    # --- revocation ---------------------------------------------------------------------
    def crl(self) -> x509.CertificateRevocationList | None:
        path = self.jpki_dir / CRL
        if not path.exists():
            return None
        return x509.load_pem_x509_crl(path.read_bytes())

    def revoked_serials(self) -> set[int]:
        crl = self.crl()
        return {entry.serial_number for entry in crl} if crl is not None else set()

    def revoke(self, serials: Iterable[int]) -> None:
        with exclusive_lock(self.jpki_dir / ".lock"):
            self._write_crl(self.revoked_serials() | set(serials))

    def _write_crl(self, serials: set[int]) -> None:
        now = self._now()
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.certificate.subject)
            .last_update(now - timedelta(minutes=5))
            .next_update(now + CRL_LIFETIME)
        )
        for serial in sorted(serials):
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(serial)
                .revocation_date(now - timedelta(minutes=5))
                .build()
            )
        crl = builder.sign(self._key, hashes.SHA256())
        write_atomic(self.jpki_dir / CRL, crl.public_bytes(serialization.Encoding.PEM), mode=0o644)

    def sign(self, data: bytes) -> bytes:
        """SHA256withRSA with the CA key: counter reset tickets (see tickets.py)."""
        return self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
        encipher_only=False, decipher_only=False,
    )


def card_link(auth_serial: int) -> str:
    """How a signing certificate names its card's authentication certificate."""
    return f"AUTH-{auth_serial:040X}"
