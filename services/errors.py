"""The errors every backend call can raise (documented tree in services/api.py).

Kept apart from the HTTP client so screens and controllers can catch them without depending
on the client itself.
"""

from __future__ import annotations

import httpx


class ApiError(Exception):
    """Base of every error the API client raises."""


class Offline(ApiError):
    """The backend could not be reached."""


class ServerError(ApiError):
    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(f"server error {status}: {message}".strip())
        self.status = status


class Rejected(ApiError):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status}: {reason}")
        self.status = status
        self.reason = reason


class Unauthorized(Rejected):
    pass


class Conflict(Rejected):
    pass


class BadResponse(ApiError):
    """The server answered with something that does not match the contract."""


def raise_for_status(response: httpx.Response) -> httpx.Response:
    """Turn an error status into the typed error callers decide by; pass 2xx/3xx through."""
    status = response.status_code
    if status < 400:
        return response
    reason = reason_of(response)
    if status == 401:
        raise Unauthorized(status, reason)
    if status == 409:
        raise Conflict(status, reason)
    if status < 500:
        raise Rejected(status, reason)
    if status in (502, 503, 504):
        # A gateway in front of a stopped backend: the same as being offline for the user.
        raise Offline(f"{status} {reason}")
    raise ServerError(status, reason)


def reason_of(response: httpx.Response) -> str:
    """The server's short reason (FastAPI's `detail`), never a whole body."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return ""
    return detail if isinstance(detail, str) else "invalid_request"
