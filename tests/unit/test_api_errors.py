"""The API client's typed errors: callers decide by type, never by parsing messages."""

from __future__ import annotations

import httpx
import pytest

from services.api import ApiClient, Conflict, Offline, Rejected, ServerError, Unauthorized


def api(status: int, body: dict | None = None) -> ApiClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body or {"detail": "reason from server"})

    return ApiClient("http://backend.test", transport=httpx.MockTransport(handler),
                     retry_delay_s=0)


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, Unauthorized), (409, Conflict), (404, Rejected), (422, Rejected),
     (500, ServerError), (503, Offline)],
)
async def test_status_codes_map_to_typed_errors(status: int, error: type) -> None:
    with pytest.raises(error) as raised:
        await api(status).notices(since=0)
    if isinstance(raised.value, Rejected):
        assert raised.value.reason == "reason from server"
        assert raised.value.status == status


async def test_an_unreachable_backend_is_offline() -> None:
    client = ApiClient("http://127.0.0.1:9", retry_delay_s=0)  # port 9: nothing listens
    with pytest.raises(Offline):
        await client.health()
    await client.aclose()
