"""Request limits: a sliding-window rate limiter and a request body size cap.

The limiter keeps its windows in this process's memory (one instance per app, in app.state,
never a module global). That is right for the embedded backend and a single worker. With
several workers or hosts behind a load balancer each would count separately, so a client could
make N x limit attempts: there, move the windows to Redis (a sorted set per key with ZADD /
ZREMRANGEBYSCORE / ZCARD in one MULTI, expiring after the window) behind the same `hit()`.

Client IPs are taken from the connection (request.client.host), not from X-Forwarded-For,
which any client can forge; behind a trusted proxy, configure uvicorn's --forwarded-allow-ips.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class SlidingWindowLimiter:
    """At most `limit` hits per `window_s` seconds per key."""

    def __init__(self, limit: int, window_s: float = 60.0, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()  # sync routes run in a thread pool

    def hit(self, key: str, now: float) -> float | None:
        """Record a hit; None if allowed, else the seconds to wait (for Retry-After)."""
        with self._lock:
            window = self._hits.get(key)
            if window is None:
                window = self._hits[key] = deque()
                while len(self._hits) > self._max_keys:
                    self._hits.popitem(last=False)
            self._hits.move_to_end(key)
            while window and window[0] <= now - self.window_s:
                window.popleft()
            if len(window) >= self.limit:
                return max(window[0] + self.window_s - now, 0.001)
            window.append(now)
            return None


class BodySizeLimit:
    """Refuse request bodies over `max_bytes` with 413, whether or not Content-Length is sent.

    Bodies are small JSON documents here, so a chunked body is read into memory up to the limit
    and replayed to the app; larger ones are refused before the app sees a byte.
    """

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]],
                 max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                too_big = True
            if too_big:
                await _too_large(send, self.max_bytes)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _too_large(send, self.max_bytes)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        await self.app(scope, _replay([{"type": "http.request", "body": body}], receive), send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"request body larger than {limit} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
