"""Login challenges and session tokens.

Tokens are OPAQUE random strings (256 bits, base64url), not signed JWTs, because:
- logout, refresh rotation and reuse detection must be able to kill a token at once, which
  needs a server-side lookup on every request anyway; a signed token would add a signing key
  to manage and rotate while still needing that lookup;
- an opaque token leaks nothing (no user id, no expiry) if it ends up in a log or a screenshot;
- the database stores only SHA-256(token), so a leaked table cannot be replayed.

A login creates a session (a token family). The access token lives `access_token_ttl_s`
(default 10 min, at most 15: figure 5). Each refresh token is single use: using it marks it
used and returns a new pair in the same family; presenting a used refresh token again means it
was copied, so the whole family is revoked (OAuth 2.0 Security BCP, refresh token rotation).
Logout revokes the family. Access tokens are checked against the family on every request, so
revocation is immediate.

Challenges (nonces) are 32 random bytes, stored as SHA-256, valid 5 minutes, and consumed with
one conditional UPDATE before any signature is checked, so two requests racing with the same
nonce cannot both pass, on SQLite or PostgreSQL.

Each session is bound to the card certificate it was opened with (serial, end of validity):
every refresh re-checks the revocation list, and access does so at least every few minutes
(SessionPolicy.recheck_s); a revoked or expired card ends the session. A session also has an
absolute lifetime that no refresh extends (tokens never outlive it), and ends after
`idle_timeout_s` without any request (the client's 15-minute idle logout, enforced here too).

Time comes from a Clock so tests can move it; all stored times are UNIX seconds (UTC).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from server.auth_models import AuthChallenge, AuthSession, AuthToken
from server.core.jpki import JpkiError

NONCE_BYTES = 32


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class AuthFailure(Exception):
    """A refused token or challenge; `code` goes to the client, never the token itself."""

    code = "token_invalid"

    def __init__(self, code: str | None = None) -> None:
        super().__init__(code or self.code)
        if code:
            self.code = code


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    session_id: str
    user_id: str


@dataclass(frozen=True)
class Principal:
    """Who is calling: resolved from a valid access token."""

    user_id: str
    session_id: str
    access_expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


# --- challenges ------------------------------------------------------------------------------
def create_challenge(session: Session, *, now: datetime, ttl_s: int) -> tuple[str, datetime]:
    """A fresh nonce (base64url, no padding) and when it expires."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    encoded = base64.urlsafe_b64encode(nonce).rstrip(b"=").decode("ascii")
    expires_at = now + timedelta(seconds=ttl_s)
    session.execute(delete(AuthChallenge).where(col(AuthChallenge.expires_at) < _ts(now) - 3600))
    session.add(AuthChallenge(nonce_hash=hashlib.sha256(nonce).hexdigest(),
                              expires_at=_ts(expires_at)))
    session.commit()
    return encoded, expires_at


def decode_nonce(encoded: str) -> bytes:
    try:
        nonce = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except ValueError as exc:
        raise AuthFailure("challenge_unknown") from exc
    if len(nonce) != NONCE_BYTES:
        raise AuthFailure("challenge_unknown")
    return nonce


def consume_challenge(session: Session, nonce: bytes, *, now: datetime) -> None:
    """Use a nonce up, exactly once; raises AuthFailure(challenge_*) otherwise."""
    digest = hashlib.sha256(nonce).hexdigest()
    result = session.execute(
        update(AuthChallenge)
        .where(col(AuthChallenge.nonce_hash) == digest)
        .where(col(AuthChallenge.used_at).is_(None))
        .where(col(AuthChallenge.expires_at) > _ts(now))
        .values(used_at=_ts(now))
    )
    session.commit()
    if _rowcount(result) == 1:
        return
    row = session.get(AuthChallenge, digest)
    if row is None:
        raise AuthFailure("challenge_unknown")
    if row.used_at is not None:
        raise AuthFailure("challenge_used")
    raise AuthFailure("challenge_expired")


# --- sessions and tokens ---------------------------------------------------------------------
@dataclass(frozen=True)
class SessionPolicy:
    """How long sessions live and how their card is re-checked (from ServerSettings)."""

    access_ttl_s: int
    refresh_ttl_s: int
    max_lifetime_s: int
    idle_timeout_s: int
    recheck_s: int
    # Raises a JpkiError if the card (serial, as hex) is revoked now; JpkiUnavailable when
    # that cannot be known (fail closed).
    check_certificate: Callable[[str, datetime], None]


@dataclass(frozen=True)
class CardBinding:
    serial: str  # hex, as on the revocation list
    not_after: datetime


@dataclass(frozen=True)
class Device:
    device_id: str | None = None
    name: str | None = None
    place: str | None = None


TOUCH_EVERY_S = 10  # last use is written at most this often per session


def start_session(
    session: Session, *, user_id: str, card: CardBinding, now: datetime, policy: SessionPolicy,
    device: Device | None = None,
) -> IssuedTokens:
    device = device or Device()
    session.execute(delete(AuthToken).where(col(AuthToken.expires_at) < _ts(now) - 86400))
    family = AuthSession(
        id=secrets.token_hex(16), user_id=user_id, created_at=_ts(now),
        cert_serial=card.serial, cert_not_after=_ts(card.not_after),
        expires_at=_ts(now) + policy.max_lifetime_s, last_used_at=_ts(now), checked_at=_ts(now),
        device_id=device.device_id, device_name=device.name, place=device.place,
    )
    session.add(family)
    session.flush()
    tokens = _issue_pair(session, family, now=now, policy=policy)
    session.commit()
    return tokens


def _check_family(
    session: Session, family: AuthSession, *, now: datetime, policy: SessionPolicy,
    recheck: bool,
) -> None:
    """Refuse (and end) a session past its lifetime, idle too long, or whose card is no longer
    valid. `recheck` forces a revocation-list check; otherwise one runs every recheck_s."""
    if family.revoked_at is not None:
        raise AuthFailure("session_revoked")
    stamp = _ts(now)
    ending: str | None = None
    if family.cert_serial is None or family.expires_at is None or family.cert_not_after is None:
        ending = "session_revoked"  # opened before sessions were bound to a card
    elif stamp >= family.expires_at:
        ending = "session_expired"
    elif family.last_used_at is not None and stamp - family.last_used_at > policy.idle_timeout_s:
        ending = "session_idle"
    elif stamp >= family.cert_not_after:
        ending = "certificate_expired"
    elif recheck or family.checked_at is None or stamp - family.checked_at >= policy.recheck_s:
        try:
            policy.check_certificate(family.cert_serial, now)
        except JpkiError as exc:
            if exc.status != 401:
                raise  # the revocation list cannot be read: fail closed, end nothing
            ending = exc.code
        else:
            session.execute(
                update(AuthSession).where(col(AuthSession.id) == family.id)
                .values(checked_at=stamp))
            session.commit()
    if ending is not None:
        revoke(session, family.id, now=now, reason=ending)
        raise AuthFailure(ending)


def _touch(session: Session, family: AuthSession, now: datetime) -> None:
    stamp = _ts(now)
    if family.last_used_at is not None and stamp - family.last_used_at < TOUCH_EVERY_S:
        return
    session.execute(
        update(AuthSession).where(col(AuthSession.id) == family.id)
        .where(or_(col(AuthSession.last_used_at).is_(None),
                   col(AuthSession.last_used_at) < stamp))
        .values(last_used_at=stamp))
    session.commit()


def authenticate(
    session: Session, access_token: str, *, now: datetime, policy: SessionPolicy
) -> Principal:
    row = session.get(AuthToken, token_hash(access_token))
    if row is None or row.kind != "access":
        raise AuthFailure("token_invalid")
    family = session.get(AuthSession, row.session_id)
    if family is None or family.revoked_at is not None:
        raise AuthFailure("session_revoked")
    if row.expires_at <= _ts(now):
        raise AuthFailure("token_expired")
    _check_family(session, family, now=now, policy=policy, recheck=False)
    principal = Principal(
        user_id=family.user_id, session_id=family.id,
        access_expires_at=datetime.fromtimestamp(row.expires_at, UTC),
    )
    _touch(session, family, now)
    session.commit()  # end the read transaction: no connection is held between dependencies
    return principal


def rotate(
    session: Session, refresh_token: str, *, now: datetime, policy: SessionPolicy,
    device_id: str | None = None,
) -> IssuedTokens:
    """Trade a refresh token for a new pair; a second use revokes the whole family, and so
    does a refresh from another device than the one that logged in."""
    digest = token_hash(refresh_token)
    row = session.get(AuthToken, digest)
    if row is None or row.kind != "refresh":
        raise AuthFailure("token_invalid")
    family = session.get(AuthSession, row.session_id)
    if family is None or family.revoked_at is not None:
        raise AuthFailure("session_revoked")
    if row.used_at is not None:
        revoke(session, family.id, now=now, reason="refresh_token_reused")
        raise AuthFailure("refresh_token_reused")
    if row.expires_at <= _ts(now):
        raise AuthFailure("token_expired")
    if family.device_id is not None and device_id != family.device_id:
        revoke(session, family.id, now=now, reason="device_mismatch")
        raise AuthFailure("device_mismatch")
    _check_family(session, family, now=now, policy=policy, recheck=True)
    claimed = session.execute(
        update(AuthToken)
        .where(col(AuthToken.token_hash) == digest)
        .where(col(AuthToken.used_at).is_(None))
        .values(used_at=_ts(now))
    )
    if _rowcount(claimed) != 1:  # another request used it between our read and this update
        session.rollback()
        revoke(session, family.id, now=now, reason="refresh_token_reused")
        raise AuthFailure("refresh_token_reused")
    session.execute(update(AuthSession).where(col(AuthSession.id) == family.id)
                    .values(last_used_at=_ts(now)))
    tokens = _issue_pair(session, family, now=now, policy=policy)
    session.commit()
    return tokens


def revoke(session: Session, session_id: str, *, now: datetime, reason: str) -> None:
    session.execute(
        update(AuthSession)
        .where(col(AuthSession.id) == session_id)
        .where(col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=_ts(now), revoke_reason=reason[:40])
    )
    session.commit()


def live_sessions(session: Session, user_id: str, *, now: datetime,
                  policy: SessionPolicy) -> list[AuthSession]:
    """The user's sessions that could still be used (not ended, expired or idle too long)."""
    stamp = _ts(now)
    rows = session.exec(
        select(AuthSession).where(col(AuthSession.user_id) == user_id)
        .where(col(AuthSession.revoked_at).is_(None))
        .where(col(AuthSession.expires_at) > stamp)
        .where(col(AuthSession.last_used_at) >= stamp - policy.idle_timeout_s)
        .order_by(col(AuthSession.last_used_at).desc())
        .limit(100)
    ).all()
    return list(rows)


def revoke_for_user(session: Session, user_id: str, *, now: datetime, reason: str,
                    only: str | None = None, keep: str | None = None) -> int:
    """End the user's session `only`, or all but `keep`; how many were ended."""
    query = (update(AuthSession).where(col(AuthSession.user_id) == user_id)
             .where(col(AuthSession.revoked_at).is_(None)))
    if only is not None:
        query = query.where(col(AuthSession.id) == only)
    if keep is not None:
        query = query.where(col(AuthSession.id) != keep)
    ended = session.execute(query.values(revoked_at=_ts(now), revoke_reason=reason[:40])
                            .returning(col(AuthSession.id))).all()
    session.commit()
    return len(ended)


def session_of_refresh_token(session: Session, refresh_token: str) -> str | None:
    row = session.get(AuthToken, token_hash(refresh_token))
    return row.session_id if row is not None and row.kind == "refresh" else None


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", -1))


def _issue_pair(
    session: Session, family: AuthSession, *, now: datetime, policy: SessionPolicy
) -> IssuedTokens:
    """A new access and refresh token; neither outlives the session's absolute lifetime."""
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    end = family.expires_at if family.expires_at is not None else _ts(now)
    access_exp = min(_ts(now) + policy.access_ttl_s, end)
    refresh_exp = min(_ts(now) + policy.refresh_ttl_s, end)
    session.add(AuthToken(token_hash=token_hash(access), session_id=family.id, kind="access",
                          expires_at=access_exp))
    session.add(AuthToken(token_hash=token_hash(refresh), session_id=family.id, kind="refresh",
                          expires_at=refresh_exp))
    return IssuedTokens(
        access_token=access, refresh_token=refresh,
        access_expires_at=datetime.fromtimestamp(access_exp, UTC),
        refresh_expires_at=datetime.fromtimestamp(refresh_exp, UTC),
        session_id=family.id, user_id=family.user_id,
    )
