"""HTTP client for the Kitokito backend.

Every failure surfaces as one of the typed errors below, so callers decide by type:
  ApiError
  ├── Offline        network unreachable, timed out, or the server is down (retry later)
  ├── ServerError    5xx (retry later)
  └── Rejected       4xx with the server's reason (show it to the user, keep their input)
      ├── Unauthorized 401
      └── Conflict     409
Only idempotent requests (GET) are retried here.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from forms.definition import Catalogue
from services.consultations.models import (
    AnonymousBooked,
    AnonymousBookingState,
    ServiceCatalogue,
    SlotPage,
)
from services.consultations.refusals import SlotRefused
from services.errors import (  # noqa: F401 - the client's errors, re-exported for callers
    ApiError,
    BadResponse,
    Conflict,
    Offline,
    Rejected,
    ServerError,
    Unauthorized,
    raise_for_status,
)
from services.models import InfoDataset, InfoPage, NoticesPage
from services.tourism.crowds import SPOT_ID, DayCrowds, Quieter, parse_day, parse_quieter

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


@dataclass(frozen=True)
class NotModified:
    etag: str


@dataclass(frozen=True)
class NoticesResponse:
    page: NoticesPage
    etag: str | None


@dataclass(frozen=True)
class InfoResponse:
    page: InfoPage
    etag: str | None


class ApiClient:
    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        get_retries: int = 1,
        retry_delay_s: float = 0.3,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), transport=transport, timeout=timeout
        )
        self._get_retries = get_retries
        self._retry_delay_s = retry_delay_s

    @property
    def base_url(self) -> str:
        return str(self._client.base_url)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def health(self) -> dict[str, Any]:
        response = await self._get("/health")
        return response.json()

    async def notices(
        self, *, since: int, limit: int = 100, etag: str | None = None
    ) -> NoticesResponse | NotModified:
        headers = {"If-None-Match": etag} if etag else {}
        response = await self._get(
            "/v1/notices", params={"since": since, "limit": limit}, headers=headers
        )
        if response.status_code == 304:
            return NotModified(etag=response.headers.get("ETag", etag or ""))
        try:
            page = NoticesPage.model_validate_json(response.content)
        except ValidationError as exc:
            raise BadResponse(f"notices page does not match the contract: {exc}") from exc
        return NoticesResponse(page=page, etag=response.headers.get("ETag"))

    async def info(
        self, dataset: InfoDataset, *, since: int, limit: int = 200, etag: str | None = None
    ) -> InfoResponse | NotModified:
        """A page of one info dataset after revision `since` (public; docs/info-data.md)."""
        headers = {"If-None-Match": etag} if etag else {}
        response = await self._get(
            f"/v1/info/{InfoDataset(dataset).value}", params={"since": since, "limit": limit},
            headers=headers)
        if response.status_code == 304:
            return NotModified(etag=response.headers.get("ETag", etag or ""))
        try:
            page = InfoPage.model_validate_json(response.content)
        except ValidationError as exc:
            raise BadResponse(f"{dataset} page does not match the contract: {exc}") from exc
        return InfoResponse(page=page, etag=response.headers.get("ETag"))

    async def procedures(
        self, *, etag: str | None = None
    ) -> tuple[Catalogue, str | None] | NotModified:
        """The catalogue of procedures (public), revalidated with its ETag."""
        headers = {"If-None-Match": etag} if etag else {}
        response = await self._get("/v1/procedures", headers=headers)
        if response.status_code == 304:
            return NotModified(etag=response.headers.get("ETag", etag or ""))
        try:
            catalogue = Catalogue.model_validate_json(response.content)
        except ValidationError as exc:
            raise BadResponse(f"the procedure catalogue does not fit the contract: {exc}") from exc
        return catalogue, response.headers.get("ETag")

    # --- consultations (docs/booking.md) ---------------------------------------------------
    async def consultation_services(
        self, *, etag: str | None = None
    ) -> tuple[ServiceCatalogue, str | None] | NotModified:
        """The consultation services (public), revalidated with their ETag."""
        headers = {"If-None-Match": etag} if etag else {}
        response = await self._get("/v1/consultations/services", headers=headers)
        if response.status_code == 304:
            return NotModified(etag=response.headers.get("ETag", etag or ""))
        return _model(ServiceCatalogue, response), response.headers.get("ETag")

    async def consultation_slots(
        self, service_id: str, *, first_day: date | None = None, days: int | None = None,
        etag: str | None = None,
    ) -> tuple[SlotPage, str | None] | NotModified:
        """A service's bookable slots (public); Rejected 404 for a service the server lacks."""
        params: dict[str, str | int] = {}
        if first_day is not None:
            params["from"] = first_day.isoformat()
        if days is not None:
            params["days"] = max(1, min(31, days))
        headers = {"If-None-Match": etag} if etag else {}
        response = await self._get(
            f"/v1/consultations/services/{_service_id(service_id)}/slots", params=params,
            headers=headers)
        if response.status_code == 304:
            return NotModified(etag=response.headers.get("ETag", etag or ""))
        return _model(SlotPage, response), response.headers.get("ETag")

    async def anonymous_book(self, service_id: str, start: datetime, *,
                             key: str) -> AnonymousBooked:
        """Book without a login. Sent once (the caller keeps `key` and sends the same choice
        again after Offline: the server answers the same booking). SlotRefused on a 409."""
        response = await self._send(
            "POST", "/v1/anonymous-bookings", headers={"Idempotency-Key": key},
            json={"service_id": _service_id(service_id), "start": start.isoformat()})
        if response.status_code == 409:
            code, reason = _refusal(response)
            raise SlotRefused(code, reason)
        return _model(AnonymousBooked, raise_for_status(response))

    async def anonymous_booking(self, booking_id: str, code: str) -> AnonymousBookingState:
        """Rejected 404 for a wrong code or a booking that does not exist (no telling)."""
        response = await self._get(f"/v1/anonymous-bookings/{_booking_id(booking_id)}",
                                   headers={"X-Booking-Code": code})
        return _model(AnonymousBookingState, response)

    async def anonymous_cancel(self, booking_id: str, code: str) -> None:
        """Rejected 404 as for reading; SlotRefused `not_active` / `too_late` on a 409."""
        response = await self._send("DELETE", f"/v1/anonymous-bookings/{_booking_id(booking_id)}",
                                    headers={"X-Booking-Code": code})
        if response.status_code == 409:
            refused, reason = _refusal(response)
            raise SlotRefused(refused, reason)
        raise_for_status(response)

    # --- tourism (docs/tourism-crowds.md) ---------------------------------------------------
    async def tourism_crowds(self, spot_id: str, day: date, *,
                             fetched_at: datetime | None = None) -> DayCrowds | None:
        """A spot's crowd levels by hour on `day` (public); None for a spot the server does
        not know (404). Offline when it cannot be reached; BadResponse when the answer lacks
        its spot, date or hours."""
        response = await self._public_or_none(
            f"/v1/tourism/crowds/{_spot_id(spot_id)}", params={"date": day.isoformat()})
        if response is None:
            return None
        return _read(response, lambda body: parse_day(body, fetched_at=fetched_at or _now()))

    async def tourism_quieter(self, spot_id: str, day: date, hour: int | None = None, *,
                              fetched_at: datetime | None = None) -> Quieter | None:
        """Quieter spots nearby and quieter hours at `hour` (the server's choice without one:
        now when `day` is today, else the usual peak); None for an unknown spot (404)."""
        params: dict[str, str | int] = {"date": day.isoformat()}
        if hour is not None:
            if not 0 <= hour <= 23:
                raise ValueError("not an hour of the day")
            params["hour"] = hour
        response = await self._public_or_none(
            f"/v1/tourism/crowds/{_spot_id(spot_id)}/quieter", params=params)
        if response is None:
            return None
        return _read(response, lambda body: parse_quieter(body, fetched_at=fetched_at or _now()))

    async def _public_or_none(self, path: str, **kwargs: Any) -> httpx.Response | None:
        """GET a public resource; None when the server says it does not exist (404)."""
        try:
            return await self._get(path, **kwargs)
        except Rejected as exc:
            if exc.status == 404:
                return None
            raise

    async def _get(self, path: str, **kwargs: Any) -> httpx.Response:
        attempt = 0
        while True:
            try:
                return raise_for_status(await self._send("GET", path, **kwargs))
            except (Offline, ServerError):
                if attempt >= self._get_retries:
                    raise
                attempt += 1
                await asyncio.sleep(self._retry_delay_s * attempt)

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._client.request(method, path, **kwargs)
        except (httpx.TransportError, OSError) as exc:
            # The type only: an exception's text may quote the request, tokens included.
            raise Offline(type(exc).__name__) from exc


_SERVICE_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
_BOOKING_ID = re.compile(r"[0-9a-f]{32}")


def _service_id(value: str) -> str:
    if not _SERVICE_ID.fullmatch(value):
        raise ValueError("not a consultation service id")
    return value


def _spot_id(value: str) -> str:
    if not SPOT_ID.fullmatch(value):
        raise ValueError("not a spot id")
    return value


def _now() -> datetime:
    return datetime.now(UTC)


def _read(response: httpx.Response, parse: Callable[[dict[str, Any]], R]) -> R:
    """A JSON object read by a forgiving parser; BadResponse when it is not one or lacks what
    the parser cannot do without."""
    try:
        body = response.json()
        if not isinstance(body, dict):
            raise ValueError("not a JSON object")
        return parse(body)
    except (ValueError, TypeError) as exc:
        raise BadResponse(f"{response.url.path} does not match the contract: {exc}") from exc


def _booking_id(value: str) -> str:
    if not _BOOKING_ID.fullmatch(value):
        raise ValueError("not a booking id")
    return value


def _model(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise BadResponse(f"{model.__name__} does not match the contract: {exc}") from exc


def _refusal(response: httpx.Response) -> tuple[str, str]:
    """A 409's `{code, reason}` (also read inside FastAPI's `detail`)."""
    try:
        body = response.json()
    except ValueError:
        return "other", ""
    if isinstance(body, dict) and isinstance(body.get("detail"), dict):
        body = body["detail"]
    if isinstance(body, dict):
        code = body.get("code") or body.get("detail")
        return (code if isinstance(code, str) else "other",
                str(body.get("reason") or ""))
    return "other", ""
