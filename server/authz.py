"""Who is calling, and may they touch this object.

Every route that takes an object id loads it through `owned_or_404`: an object that belongs to
someone else is reported exactly like one that does not exist (404), so ids cannot be probed
(OWASP API1, broken object-level authorization; figure 11). Staff routes depend on `StaffUser`,
which checks the staff table on every request and answers 403 to residents (figure 13).
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from server.api.deps import SessionDep
from server.auth_models import StaffMember
from server.core.config import ServerSettings
from server.core.jpki import JpkiError, TrustStore
from server.core.limits import SlidingWindowLimiter
from server.core.security import AuthFailure, Clock, Principal, SessionPolicy, authenticate

T = TypeVar("T")
_bearer = HTTPBearer(auto_error=False, description="Access token from /v1/auth/verify")
BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def get_clock(request: Request) -> Clock:
    return request.app.state.clock


def get_trust_store(request: Request) -> TrustStore:
    return request.app.state.trust_store


def get_auth_limiter(request: Request) -> SlidingWindowLimiter:
    return request.app.state.auth_limiter


ClockDep = Annotated[Clock, Depends(get_clock)]
TrustStoreDep = Annotated[TrustStore, Depends(get_trust_store)]
LimiterDep = Annotated[SlidingWindowLimiter, Depends(get_auth_limiter)]


def session_policy(request: Request) -> SessionPolicy:
    """The app's session rules; the trust store answers whether a session's card is revoked."""
    settings: ServerSettings = request.app.state.settings
    store: TrustStore = request.app.state.trust_store
    return SessionPolicy(
        access_ttl_s=settings.access_token_ttl_s, refresh_ttl_s=settings.refresh_token_ttl_s,
        max_lifetime_s=settings.session_max_lifetime_s,
        idle_timeout_s=settings.session_idle_timeout_s, recheck_s=settings.session_recheck_s,
        check_certificate=store.check_serial,
    )


PolicyDep = Annotated[SessionPolicy, Depends(session_policy)]


def unauthorized(code: str) -> HTTPException:
    return HTTPException(status_code=401, detail=code, headers=BEARER_CHALLENGE)


def current_principal(
    session: SessionDep,
    clock: ClockDep,
    policy: PolicyDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("not_authenticated")
    token = credentials.credentials
    if not 20 <= len(token) <= 128:
        raise unauthorized("token_invalid")
    try:
        return authenticate(session, token, now=clock.now(), policy=policy)
    except AuthFailure as exc:
        raise unauthorized(exc.code) from None
    except JpkiError as exc:  # no fresh revocation list: fail closed
        raise HTTPException(status_code=exc.status, detail=exc.code) from None


CurrentUser = Annotated[Principal, Depends(current_principal)]


def is_staff(session: Session, user_id: str) -> bool:
    return session.get(StaffMember, user_id) is not None


def staff_principal(principal: CurrentUser, session: SessionDep) -> Principal:
    staff = is_staff(session, principal.user_id)
    session.commit()  # hold no connection until the route runs
    if not staff:
        raise HTTPException(status_code=403, detail="staff_only")
    return principal


StaffUser = Annotated[Principal, Depends(staff_principal)]


def owned_or_404(session: Session, model: type[T], object_id: Any, principal: Principal) -> T:
    """Load `model` by primary key if it belongs to `principal`; 404 otherwise, never 403."""
    obj = session.get(model, object_id)
    if obj is None or getattr(obj, "user_id", None) != principal.user_id:
        raise HTTPException(status_code=404, detail="not_found")
    return obj
