"""HTTP client for the login protocol (/v1/auth/*, /v1/me) and authorised calls.

Errors reuse services.api's family, with login-specific subclasses the screen can tell apart:

  Offline                          backend unreachable (no PIN try was spent if this happens
                                   before signing: the flow fetches the challenge first)
  LoginUnavailable                 503: the server has no CA or no fresh revocation list
  RateLimited(Rejected)            429; `retry_after` seconds
  Unauthorized(Rejected)
  └── LoginRefused                 401 from verify; `code` is the server's reason
      ├── CertificateExpired       the card's certificate is out of date -> renew at the counter
      ├── CertificateRevoked       the certificate was revoked (e.g. reported lost)
      ├── CertificateUntrusted     not a card of the trusted CA, or the wrong kind
      ├── ChallengeFailed          nonce expired/used/unknown (the flow retries once)
      └── SignatureRejected        the signature did not match
  SessionExpired(Unauthorized)     refresh refused: log in again

Tokens travel in `Secret` wrappers whose repr hides them, so a stray log line or traceback
cannot print one.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from services.api import DEFAULT_TIMEOUT
from services.errors import (
    ApiError,
    BadResponse,
    Offline,
    Rejected,
    Unauthorized,
    raise_for_status,
    reason_of,
)

M = TypeVar("M", bound=BaseModel)
Clock = Callable[[], datetime]


class LoginUnavailable(ApiError):
    """The server cannot check cards right now (no CA or stale CRL). Try later."""


class RateLimited(Rejected):
    def __init__(self, status: int, reason: str, retry_after: int) -> None:
        super().__init__(status, reason)
        self.retry_after = retry_after


class LoginRefused(Unauthorized):
    @property
    def code(self) -> str:
        return self.reason


class CertificateExpired(LoginRefused):
    pass


class CertificateRevoked(LoginRefused):
    pass


class CertificateUntrusted(LoginRefused):
    pass


class ChallengeFailed(LoginRefused):
    pass


class SignatureRejected(LoginRefused):
    pass


class SessionExpired(Unauthorized):
    """The session can no longer be refreshed (expired, logged out, or revoked)."""


_REFUSALS: dict[str, type[LoginRefused]] = {
    "certificate_expired": CertificateExpired,
    "certificate_revoked": CertificateRevoked,
    "certificate_untrusted": CertificateUntrusted,
    "certificate_profile": CertificateUntrusted,
    "challenge_expired": ChallengeFailed,
    "challenge_used": ChallengeFailed,
    "challenge_unknown": ChallengeFailed,
    "signature_invalid": SignatureRejected,
}


class Secret:
    """A string that never shows itself in repr/str (tokens)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

    __str__ = __repr__


@dataclass(frozen=True)
class Challenge:
    encoded: str
    nonce: bytes
    expires_at: datetime


@dataclass(frozen=True)
class Tokens:
    access: Secret
    refresh: Secret
    access_expires_at: datetime
    refresh_expires_at: datetime
    user_id: str


class Profile(BaseModel):
    name: str
    birth_date: date
    address: str
    sex: Literal["0", "1", "2", "9"]
    municipality: str


class Me(BaseModel):
    user_id: str
    role: Literal["resident", "staff"]
    profile: Profile | None
    session_expires_at: datetime


class _TokenWire(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    refresh_expires_in: int
    user_id: str


class _ChallengeWire(BaseModel):
    nonce: str
    expires_at: datetime


class AuthApi:
    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        now: Clock = lambda: datetime.now(UTC),
        forwarded_for: str | None = None,
    ) -> None:
        # In web mode one app process logs everyone in: naming the browser's address lets the
        # backend's per-address rate limit apply to each resident, not to the whole site.
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else None
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), transport=transport, timeout=timeout, headers=headers)
        # Expiry times are taken from the server's "expires_in" against this device's clock,
        # so a device whose clock is off still refreshes in time.
        self._now = now

    async def aclose(self) -> None:
        await self._client.aclose()

    async def challenge(self) -> Challenge:
        wire = _parse(_ChallengeWire, await self._send("POST", "/v1/auth/challenge"))
        try:
            nonce = base64.urlsafe_b64decode(wire.nonce + "=" * (-len(wire.nonce) % 4))
        except ValueError as exc:
            raise BadResponse("the challenge is not base64url") from exc
        return Challenge(encoded=wire.nonce, nonce=nonce, expires_at=wire.expires_at)

    async def verify(
        self,
        *,
        challenge: Challenge,
        signature: bytes,
        certificate: bytes,
        signing_certificate: bytes | None = None,
        signing_signature: bytes | None = None,
        device_id: str | None = None,
        device_name: str | None = None,
    ) -> Tokens:
        body: dict[str, str] = {
            "nonce": challenge.encoded,
            "signature": _b64(signature),
            "certificate": _b64(certificate),
        }
        if device_id is not None:  # the session's refresh tokens are then bound to it
            body["device_id"] = device_id
            if device_name:
                body["device_name"] = device_name
        if signing_certificate is not None and signing_signature is not None:
            body["signing_certificate"] = _b64(signing_certificate)
            body["signing_signature"] = _b64(signing_signature)
        response = await self._send("POST", "/v1/auth/verify", json=body, login=True)
        return _tokens(_parse(_TokenWire, response), self._now())

    async def refresh(self, refresh_token: Secret, device_id: str | None = None) -> Tokens:
        body = {"refresh_token": refresh_token.reveal()}
        if device_id is not None:
            body["device_id"] = device_id
        try:
            response = await self._send("POST", "/v1/auth/refresh", json=body)
        except Unauthorized as exc:
            raise SessionExpired(exc.status, exc.reason) from None
        return _tokens(_parse(_TokenWire, response), self._now())

    async def logout(self, *, access: Secret | None, refresh: Secret | None) -> None:
        headers = {"Authorization": f"Bearer {access.reveal()}"} if access else {}
        body = {"refresh_token": refresh.reveal()} if refresh else {}
        await self._send("POST", "/v1/auth/logout", json=body, headers=headers)

    async def me(self, access: Secret) -> Me:
        return _parse(Me, await self.request("GET", "/v1/me", access))

    async def request(
        self, method: str, path: str, access: Secret, **kwargs: Any
    ) -> httpx.Response:
        """Any authorised call; errors mapped like the rest of this client."""
        headers = dict(kwargs.pop("headers", {}) or {})
        headers["Authorization"] = f"Bearer {access.reveal()}"
        return await self._send(method, path, headers=headers, **kwargs)

    async def _send(self, method: str, path: str, *, login: bool = False,
                    **kwargs: Any) -> httpx.Response:
        try:
            response = await self._client.request(method, path, **kwargs)
        except (httpx.TransportError, OSError) as exc:
            raise Offline(type(exc).__name__) from None  # str(exc) may quote the request
        return _check(response, login=login)


def _check(response: httpx.Response, *, login: bool) -> httpx.Response:
    status = response.status_code
    if status < 400:
        return response
    reason = reason_of(response)
    if status == 401 and login:
        raise _REFUSALS.get(reason, LoginRefused)(status, reason)
    if status == 429:
        raise RateLimited(status, reason, _retry_after(response))
    if status == 503 and reason == "jpki_unavailable":
        raise LoginUnavailable(reason)
    return raise_for_status(response)


def _retry_after(response: httpx.Response) -> int:
    try:
        return max(1, int(response.headers.get("Retry-After", "60")))
    except ValueError:
        return 60


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        raise BadResponse(f"{model.__name__} does not match the contract") from None


def _tokens(wire: _TokenWire, now: datetime) -> Tokens:
    return Tokens(
        access=Secret(wire.access_token),
        refresh=Secret(wire.refresh_token),
        access_expires_at=now + timedelta(seconds=wire.expires_in),
        refresh_expires_at=now + timedelta(seconds=wire.refresh_expires_in),
        user_id=wire.user_id,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
