"""The resident's own bookings from the server (authenticated, like services/applications.py:
through the login's `request`, which adds the bearer token and refreshes it)."""

from __future__ import annotations

import re
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from services.consultations.models import Booking, BookingList
from services.errors import BadResponse, Rejected

_BOOKING_ID = re.compile(r"[0-9a-f]{32}")


class Requester(Protocol):
    """What the reads need of a login (services.login.AuthSession)."""

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response: ...


class ResidentBookingsApi:
    def __init__(self, session: Requester) -> None:
        self._session = session

    async def bookings(self) -> list[Booking]:
        """GET /v1/bookings: upcoming first, then past, newest first (at most 200)."""
        response = await self._session.request("GET", "/v1/bookings")
        return _parse(BookingList, response).data

    async def booking(self, booking_id: str) -> Booking | None:
        """One booking; None when the server has none of this resident's with that id."""
        if not _BOOKING_ID.fullmatch(booking_id):
            raise ValueError("not a booking id")
        try:
            response = await self._session.request("GET", f"/v1/bookings/{booking_id}")
        except Rejected as exc:
            if exc.status == 404:
                return None
            raise
        return _parse(Booking, response)


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        raise BadResponse(f"{model.__name__} does not match the contract") from None
