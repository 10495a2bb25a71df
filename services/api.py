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
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import ValidationError

from forms.definition import Catalogue
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

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)


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
