"""The errors every backend call can raise (documented tree in services/api.py).

Kept apart from the HTTP client so screens and controllers can catch them without depending
on the client itself.
"""

from __future__ import annotations


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
