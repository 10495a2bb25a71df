"""My Number card login (JPKI user authentication, stubbed CA) and the resident's profile.

    POST /v1/auth/challenge  -> {nonce, expires_at}        single use, 5 minutes
    POST /v1/auth/verify     {nonce, signature, certificate[, signing_certificate,
                              signing_signature]} -> tokens
    POST /v1/auth/refresh    {refresh_token} -> tokens      rotating; reuse revokes the session
    POST /v1/auth/logout     bearer (or {refresh_token}) -> 204
    GET  /v1/me              bearer -> {user_id, role, profile, session_expires_at}
    GET  /v1/auth/sessions   bearer -> the resident's logged-in devices
    DELETE /v1/auth/sessions/{id}            log one of them out
    POST /v1/auth/sessions/log-out-others    log out every device but this one

A login may name its device (device_id: a random id the device keeps; device_name); its
refresh tokens are then bound to that id: a refresh without it or from another id is refused
and ends the session (a copied refresh token is useless on another device).

The signature is SHA256withRSA (PKCS#1 v1.5) over the 32 raw nonce bytes. The nonce is used up
before any certificate or signature is looked at, so every attempt costs a fresh challenge.

Where the profile comes from: the 利用者証明用 certificate carries no name, so the profile is
registered from the 署名用 certificate. A client MAY send it with a login, together with a
signature over the same nonce by the 署名用 key (which needs the card's signing password).
Possession matters: the certificate alone is not secret. The four facts are then stored in
resident_profile under the user id and updated at every such login (an address change shows up
at the next one); logins with the PIN only reuse the stored profile, or have none yet.

Refusals are 401 with a stable code in `detail` (challenge_unknown, challenge_used,
challenge_expired, certificate_untrusted, certificate_expired, certificate_revoked,
certificate_profile, signature_invalid), 429 with Retry-After past 10 attempts a minute per
client address, or past 10 logins a minute with one card (counted only once the card's chain and
signature verified), 503 jpki_unavailable when the CA or a fresh CRL is missing. Refusals are
logged aggregated per address and minute (server.core.limits.RefusalLog).
Nothing here logs a token, nonce, PIN or personal value; user ids are logged shortened.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import model_validator

from server.api.deps import Responses, SessionDep, SettingsDep
from server.auth_models import (
    ChallengePublic,
    DevicePublic,
    DevicesPage,
    LogoutRequest,
    MePublic,
    ProfilePublic,
    RefreshRequest,
    ResidentProfile,
    RevokedCount,
    TokenPair,
    VerifyRequest,
)
from server.authz import (
    BEARER_CHALLENGE,
    ClockDep,
    CurrentUser,
    LimiterDep,
    PolicyDep,
    TrustStoreDep,
    is_staff,
    session_policy,
    unauthorized,
)
from server.core.bodies import INVALID
from server.core.config import ServerSettings
from server.core.jpki import (
    FourFacts,
    JpkiError,
    TrustStore,
    four_facts,
    same_card,
    verify_signature,
)
from server.core.limits import RateLimiter, RefusalLog, SlidingWindowLimiter
from server.core.net import approximate_place, client_address, parse_trusted_proxies
from server.core.sealing import Sealer, SealingError, load_or_create_key
from server.core.security import (
    AuthFailure,
    CardBinding,
    Device,
    IssuedTokens,
    SystemClock,
    authenticate,
    consume_challenge,
    create_challenge,
    decode_nonce,
    live_sessions,
    revoke,
    revoke_for_user,
    rotate,
    session_of_refresh_token,
    start_session,
)

log = logging.getLogger("kitokito.auth")
router = APIRouter(prefix="/v1", tags=["auth"])
_optional_bearer = HTTPBearer(auto_error=False)

REFUSED: Responses = {401: {"description": "Refused; `detail` names the reason"}}
LIMITED: Responses = {429: {"description": "Too many attempts; see Retry-After"}}
UNAVAILABLE: Responses = {503: {"description": "No trusted CA or no fresh revocation list"}}


class _VerifyBody(VerifyRequest):
    @model_validator(mode="after")
    def _signing_pair(self) -> _VerifyBody:
        if (self.signing_certificate is None) != (self.signing_signature is None):
            raise ValueError("signing_certificate and signing_signature go together")
        return self


def install(app: FastAPI, settings: ServerSettings) -> None:
    """Per-app state (never module globals: one process may serve many apps in tests)."""
    app.state.clock = SystemClock()
    app.state.trust_store = TrustStore(settings.resolved_jpki_dir())
    app.state.auth_limiter = SlidingWindowLimiter(settings.auth_rate_limit_per_minute, 60.0)
    app.state.refusal_log = RefusalLog(log)
    app.state.trusted_proxies = parse_trusted_proxies(settings.trusted_proxies)
    app.state.sealer = Sealer(load_or_create_key(settings.resolved_server_key_file()))
    app.include_router(router)


def _limit(request: Request, limiter: RateLimiter, key: str, now: datetime) -> None:
    wait = limiter.hit(key, now.timestamp())
    if wait is not None:
        _refusals(request).refused(client_address(request), "rate_limited", now.timestamp())
        raise HTTPException(status_code=429, detail="rate_limited",
                            headers={"Retry-After": str(max(1, math.ceil(wait)))})


def _refusals(request: Request) -> RefusalLog:
    refusals: RefusalLog = request.app.state.refusal_log
    return refusals


def _b64(value: str) -> bytes:
    text = value.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise HTTPException(status_code=422, detail="invalid_base64") from None


def _refused(exc: JpkiError | AuthFailure) -> HTTPException:
    status = exc.status if isinstance(exc, JpkiError) else 401
    headers = BEARER_CHALLENGE if status == 401 else None
    return HTTPException(status_code=status, detail=exc.code, headers=headers)


def _pair(tokens: IssuedTokens, now: datetime) -> TokenPair:
    return TokenPair(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=int((tokens.access_expires_at - now).total_seconds()),
        refresh_expires_in=int((tokens.refresh_expires_at - now).total_seconds()),
        user_id=tokens.user_id,
    )


@router.post("/auth/challenge", response_model=ChallengePublic, responses=LIMITED)
def challenge(
    request: Request, session: SessionDep, settings: SettingsDep, clock: ClockDep,
    limiter: LimiterDep,
) -> ChallengePublic:
    now = clock.now()
    _limit(request, limiter, f"challenge-ip:{client_address(request)}", now)
    nonce, expires_at = create_challenge(session, now=now, ttl_s=settings.challenge_ttl_s)
    return ChallengePublic(nonce=nonce, expires_at=expires_at)


@router.post("/auth/verify", response_model=TokenPair,
             responses={**REFUSED, **LIMITED, **UNAVAILABLE, **INVALID})
def verify(
    body: _VerifyBody, request: Request, session: SessionDep, settings: SettingsDep,
    clock: ClockDep, store: TrustStoreDep, limiter: LimiterDep,
) -> TokenPair:
    now = clock.now()
    # Every attempt counts against the caller's address. The per-card limit counts only
    # logins that proved possession of a card the trusted CA issued (chain and signature
    # checked): a serial is public, so counting anything earlier would let anyone who knows
    # it lock the resident out.
    _limit(request, limiter, f"verify-ip:{client_address(request)}", now)
    try:
        der = _b64(body.certificate)
        nonce = decode_nonce(body.nonce)
        consume_challenge(session, nonce, now=now)
        verified = store.verify(der, purpose="auth", now=now)
        verify_signature(verified, nonce, _b64(body.signature))
        _limit(request, limiter, f"verify-card:{verified.serial:X}", now)
        if body.signing_certificate and body.signing_signature:
            signing = store.verify(_b64(body.signing_certificate), purpose="sign", now=now)
            verify_signature(signing, nonce, _b64(body.signing_signature))
            if not same_card(verified.certificate, signing.certificate):
                # Another card's signing certificate must never name this account.
                raise AuthFailure("certificate_mismatch")
            _store_profile(session, request.app.state.sealer, verified.user_id,
                           four_facts(signing.certificate), now)
    except (JpkiError, AuthFailure) as exc:
        _refusals(request).refused(client_address(request), exc.code, now.timestamp())
        raise _refused(exc) from None
    tokens = start_session(
        session, user_id=verified.user_id, now=now, policy=session_policy(request),
        card=CardBinding(serial=f"{verified.serial:X}", not_after=verified.not_after),
        device=Device(device_id=body.device_id, name=body.device_name,
                      place=approximate_place(client_address(request))),
    )
    log.info("login ok: user %s…", verified.user_id[:8])
    return _pair(tokens, now)


def _store_profile(session: SessionDep, sealer: Sealer, user_id: str, facts: FourFacts,
                   now: datetime) -> None:
    plain = json.dumps({
        "name": facts.name, "birth_date": facts.birth_date.isoformat(), "address": facts.address,
        "sex": facts.sex, "municipality": facts.municipality,
    }, ensure_ascii=False).encode("utf-8")
    row = session.get(ResidentProfile, user_id) or ResidentProfile(
        user_id=user_id, sealed="", updated_at=now)
    row.sealed = sealer.seal(plain, context=f"resident_profile:{user_id}")
    row.updated_at = now
    session.add(row)
    session.commit()


def _open_profile(sealer: Sealer, row: ResidentProfile) -> ProfilePublic | None:
    try:
        facts = json.loads(sealer.open(row.sealed, context=f"resident_profile:{row.user_id}"))
        facts["sex"] = facts["sex"] if facts["sex"] in ("0", "1", "2", "9") else "0"
        return ProfilePublic.model_validate(facts)
    except (SealingError, ValueError, KeyError, TypeError):
        log.error("a stored profile does not open with the server key (user %s…)",
                  row.user_id[:8])
        return None


@router.post("/auth/refresh", response_model=TokenPair, responses={**REFUSED, **UNAVAILABLE})
def refresh(
    body: RefreshRequest, session: SessionDep, clock: ClockDep, policy: PolicyDep
) -> TokenPair:
    now = clock.now()
    try:
        tokens = rotate(session, body.refresh_token, now=now, policy=policy,
                        device_id=body.device_id)
    except JpkiError as exc:
        raise _refused(exc) from None
    except AuthFailure as exc:
        if exc.code in ("refresh_token_reused", "device_mismatch"):
            log.warning("refresh refused (%s): session revoked", exc.code)
        raise _refused(exc) from None
    return _pair(tokens, now)


@router.post("/auth/logout", status_code=204, responses=REFUSED)
def logout(
    session: SessionDep,
    clock: ClockDep,
    policy: PolicyDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_optional_bearer)],
    body: LogoutRequest | None = None,
) -> Response:
    """Revoke the session of the bearer access token, or of the refresh token in the body."""
    now = clock.now()
    session_id: str | None = None
    if credentials is not None:
        try:
            session_id = authenticate(session, credentials.credentials, now=now,
                                      policy=policy).session_id
        except (AuthFailure, JpkiError):
            session_id = None
    if session_id is None and body is not None and body.refresh_token:
        session_id = session_of_refresh_token(session, body.refresh_token)
    if session_id is None:
        raise unauthorized("not_authenticated")
    revoke(session, session_id, now=now, reason="logout")
    return Response(status_code=204)


@router.get("/me", response_model=MePublic, responses=REFUSED)
def me(principal: CurrentUser, session: SessionDep, request: Request) -> MePublic:
    row = session.get(ResidentProfile, principal.user_id)
    profile = _open_profile(request.app.state.sealer, row) if row is not None else None
    return MePublic(
        user_id=principal.user_id,
        role="staff" if is_staff(session, principal.user_id) else "resident",
        profile=profile,
        session_expires_at=principal.access_expires_at.astimezone(UTC),
    )


# --- logged-in devices --------------------------------------------------------------------
SessionId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
NOT_FOUND: Responses = {404: {"description": "No such session of this resident"}}


def _stamp(seconds: int | None) -> datetime:
    return datetime.fromtimestamp(seconds or 0, UTC)


@router.get("/auth/sessions", response_model=DevicesPage, responses=REFUSED)
def list_devices(
    principal: CurrentUser, session: SessionDep, clock: ClockDep, policy: PolicyDep
) -> DevicesPage:
    """The resident's logged-in devices, most recently used first."""
    rows = live_sessions(session, principal.user_id, now=clock.now(), policy=policy)
    return DevicesPage(data=[
        DevicePublic(id=row.id, device_name=row.device_name, place=row.place,
                     first_used_at=_stamp(row.created_at),
                     last_used_at=_stamp(row.last_used_at or row.created_at),
                     current=row.id == principal.session_id)
        for row in rows
    ])


@router.delete("/auth/sessions/{session_id}", status_code=204,
               responses={**REFUSED, **NOT_FOUND})
def log_out_device(
    session_id: SessionId, principal: CurrentUser, session: SessionDep, clock: ClockDep
) -> Response:
    """Log one of the resident's devices out (this one too, if it names itself)."""
    if not revoke_for_user(session, principal.user_id, now=clock.now(),
                           reason="logged_out_by_owner", only=session_id):
        raise HTTPException(status_code=404, detail="not_found")
    return Response(status_code=204)


@router.post("/auth/sessions/log-out-others", response_model=RevokedCount, responses=REFUSED)
def log_out_other_devices(
    principal: CurrentUser, session: SessionDep, clock: ClockDep
) -> RevokedCount:
    """Log out every device of the resident but the one making this request."""
    count = revoke_for_user(session, principal.user_id, now=clock.now(),
                            reason="logged_out_elsewhere", keep=principal.session_id)
    return RevokedCount(revoked=count)
