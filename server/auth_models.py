"""Tables and wire models for login, sessions, staff, resident profiles and drafts.

Server-side storage rules:
- Tokens and nonces are stored only as SHA-256 hashes; a database leak yields nothing usable.
  (They are 256-bit random values, so a fast hash is enough; no password-style KDF needed.)
- A user is the SHA-256 of their 利用者証明用 certificate's public key. No column holds a My
  Number (tests/server/test_auth.py introspects the metadata and the live database).
- The resident profile (four facts) is encrypted at rest with a key kept outside the database
  (server/core/sealing.py); it comes only from a 署名用 certificate the client proved it
  holds at login (see server/api/auth.py); the authentication certificate carries no name.
- Times that the server compares in SQL (expiry) are integer UNIX seconds, portable and exact
  on SQLite and PostgreSQL; times shown to clients are timezone-aware UTC.

Request models forbid unknown fields and never contain server-owned fields (user_id, created_at,
ids), so clients cannot set them (OWASP API3 / figure 12).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_serializer
from pydantic import Field as PydanticField
from sqlalchemy import BigInteger, Column, DateTime, Text
from sqlmodel import Field, SQLModel


class AuthChallenge(SQLModel, table=True):
    __tablename__ = "auth_challenge"

    nonce_hash: str = Field(primary_key=True, max_length=64)
    expires_at: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    used_at: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class AuthSession(SQLModel, table=True):
    """One login: the family of every access and refresh token rotated from it."""

    __tablename__ = "auth_session"

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(max_length=64, index=True)
    created_at: int = Field(sa_column=Column(BigInteger, nullable=False))
    revoked_at: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    revoke_reason: str | None = Field(default=None, max_length=40)
    # The card certificate the session was opened with: re-checked against the revocation
    # list at every refresh and every few minutes of use, and the session ends when it expires.
    # NULL only in sessions from before this binding; those are refused.
    cert_serial: str | None = Field(default=None, max_length=40)
    cert_not_after: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    expires_at: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    last_used_at: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    checked_at: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    # The device that logged in (client-chosen random id, its name) and roughly where from
    # (a code: "loopback", "local_network"; never the address itself). Refreshes must come from
    # the same device id.
    device_id: str | None = Field(default=None, max_length=64)
    device_name: str | None = Field(default=None, max_length=100)
    place: str | None = Field(default=None, max_length=40)


class AuthToken(SQLModel, table=True):
    __tablename__ = "auth_token"

    token_hash: str = Field(primary_key=True, max_length=64)
    session_id: str = Field(foreign_key="auth_session.id", max_length=32, index=True)
    kind: str = Field(max_length=10)  # "access" | "refresh"
    expires_at: int = Field(sa_column=Column(BigInteger, nullable=False))
    used_at: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class StaffMember(SQLModel, table=True):
    """Municipal counter staff, by the user id of their own card. Checked on every request."""

    __tablename__ = "staff_member"

    user_id: str = Field(primary_key=True, max_length=64)
    display_name: str = Field(max_length=100)
    office: str = Field(default="", max_length=100)


class ResidentProfile(SQLModel, table=True):
    """The four facts (and the town), as one AES-256-GCM ciphertext (server.core.sealing)."""

    __tablename__ = "resident_profile"

    user_id: str = Field(primary_key=True, max_length=64)
    sealed: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class PinResetAudit(SQLModel, table=True):
    __tablename__ = "pin_reset_audit"

    id: int | None = Field(default=None, primary_key=True)
    staff_user_id: str = Field(max_length=64, index=True)
    card_serial: str = Field(max_length=40)
    pin_kind: str = Field(max_length=4)
    ticket_id: str = Field(max_length=32)
    issued_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Draft(SQLModel, table=True):
    """A per-user JSON document (sample protected resource; e-application drafts later)."""

    __tablename__ = "draft"

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=40)
    body_json: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


# --- wire models -------------------------------------------------------------------------
def as_utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything we store is UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Response(BaseModel):
    @field_serializer("*", when_used="json", check_fields=False)
    def _utc(self, value: Any) -> Any:
        return as_utc(value).isoformat() if isinstance(value, datetime) else value


# The bases other modules' wire models share (server.application_models, payment_models).
RequestModel = _Request
ResponseModel = _Response


class ChallengePublic(_Response):
    nonce: str = PydanticField(description="32 random bytes, base64url without padding")
    expires_at: datetime


B64 = r"^[A-Za-z0-9+/=_-]+$"


class VerifyRequest(_Request):
    nonce: str = PydanticField(min_length=43, max_length=44, pattern=r"^[A-Za-z0-9_-]+={0,1}$")
    signature: str = PydanticField(
        min_length=4, max_length=1400, pattern=B64,
        description="SHA256withRSA (PKCS#1 v1.5) over the 32 raw nonce bytes, base64",
    )
    certificate: str = PydanticField(
        min_length=4, max_length=8192, pattern=B64,
        description="利用者証明用 certificate, DER, base64",
    )
    signing_certificate: str | None = PydanticField(
        default=None, max_length=8192, pattern=B64,
        description="optional 署名用 certificate (DER, base64): registers the four facts",
    )
    signing_signature: str | None = PydanticField(
        default=None, max_length=1400, pattern=B64,
        description="署名用 key's signature over the same nonce: proves possession",
    )
    device_id: str | None = PydanticField(
        default=None, pattern=r"^[A-Za-z0-9_-]{16,64}$",
        description="a random id the device keeps; refreshes are then bound to it")
    device_name: str | None = PydanticField(
        default=None, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$",
        description="shown in the resident's list of logged-in devices")


DEVICE_ID = r"^[A-Za-z0-9_-]{16,64}$"


class RefreshRequest(_Request):
    refresh_token: str = PydanticField(min_length=20, max_length=128)
    device_id: str | None = PydanticField(
        default=None, pattern=DEVICE_ID,
        description="the device id sent at login; required when one was sent then")


class DevicePublic(_Response):
    id: str = PydanticField(description="the session's id (for logging that device out)")
    device_name: str | None
    place: str | None = PydanticField(
        description="approximate, from the client address: loopback, local_network, or null")
    first_used_at: datetime
    last_used_at: datetime
    current: bool = PydanticField(description="the session making this request")


class DevicesPage(_Response):
    data: list[DevicePublic]


class RevokedCount(_Response):
    revoked: int


class LogoutRequest(_Request):
    refresh_token: str | None = PydanticField(default=None, min_length=20, max_length=128)


class TokenPair(_Response):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_expires_in: int
    user_id: str


class ProfilePublic(_Response):
    name: str
    birth_date: date
    address: str
    sex: Literal["0", "1", "2", "9"]
    municipality: str


class MePublic(_Response):
    user_id: str
    role: Literal["resident", "staff"]
    profile: ProfilePublic | None
    session_expires_at: datetime


class DraftCreate(_Request):
    kind: str = PydanticField(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    body: dict[str, Any]


class DraftPublic(_Response):
    id: str
    kind: str
    body: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class DraftsPage(_Response):
    data: list[DraftPublic]


class PinResetCreate(_Request):
    card_serial: str = PydanticField(pattern=r"^[0-9A-Fa-f]{1,40}$")
    pin_kind: Literal["auth", "sign"] = "auth"


class PinResetTicket(_Response):
    ticket: str
    expires_at: datetime
