"""Why a login failed, in the terms the login screen turns into advice.

The card's and the server's errors are many; the resident needs to know only what happened and
what to do next. `LOGIN_ERRORS` are the failures a login can end in; anything else is a bug,
left to propagate so that it is logged with its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.auth_api import (
    CertificateExpired,
    CertificateRevoked,
    CertificateUntrusted,
    LoginRefused,
    LoginUnavailable,
    RateLimited,
    SignatureRejected,
)
from services.errors import ApiError, Offline
from services.mynumber.errors import CardError, CardLocked, InvalidPinFormat, WrongPin


class LoginProblemKind(StrEnum):
    wrong_pin = "wrong_pin"
    locked = "locked"
    pin_format = "pin_format"
    expired = "expired"
    revoked = "revoked"
    rate_limited = "rate_limited"
    offline = "offline"
    card_refused = "card_refused"
    unexpected = "unexpected"


@dataclass(frozen=True)
class LoginProblem:
    kind: LoginProblemKind
    remaining_tries: int | None = None
    retry_after_s: int | None = None


LOGIN_ERRORS: tuple[type[Exception], ...] = (CardError, ApiError)


def login_problem(exc: Exception) -> LoginProblem:
    """Map one of LOGIN_ERRORS to what the login screen explains."""
    kind = LoginProblemKind
    if isinstance(exc, WrongPin):
        return LoginProblem(kind.wrong_pin, remaining_tries=exc.remaining_tries)
    if isinstance(exc, CardLocked):
        return LoginProblem(kind.locked)
    if isinstance(exc, InvalidPinFormat):
        return LoginProblem(kind.pin_format)
    if isinstance(exc, CertificateExpired):
        return LoginProblem(kind.expired)
    if isinstance(exc, CertificateRevoked):
        return LoginProblem(kind.revoked)
    if isinstance(exc, RateLimited):
        return LoginProblem(kind.rate_limited, retry_after_s=exc.retry_after)
    if isinstance(exc, (Offline, LoginUnavailable)):
        return LoginProblem(kind.offline)
    if isinstance(exc, (CertificateUntrusted, SignatureRejected, LoginRefused, CardError)):
        return LoginProblem(kind.card_refused)
    return LoginProblem(kind.unexpected)
