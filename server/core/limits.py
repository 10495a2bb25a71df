"""Request limits: a sliding-window rate limiter, a request body size cap that also refuses
JSON bodies nested too deep or holding lone surrogates (server.core.bodies).

The limiter keeps its windows in this process's memory (one instance per app, in app.state,
never a module global). That is right for the embedded backend and a single worker. With
several workers or hosts behind a load balancer each would count separately, so a client could
make N x limit attempts: there, move the windows to Redis (a sorted set per key with ZADD /
ZREMRANGEBYSCORE / ZCARD in one MULTI, expiring after the window) behind the same `hit()`.

Client addresses come from server.core.net.client_address: the connection's peer, or
X-Forwarded-For only from the proxies named in KITOKITO_TRUSTED_PROXIES.

RefusalLog keeps refused logins from growing the log without bound: one line per address per
minute at most, at most `max_lines` lines a minute in all, and the rest summed up in a single
line when the minute is over.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

from server.core.bodies import is_json, json_body_problem, problem_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class RateLimiter(Protocol):
    """What the routes need of a limiter (in-process here; Redis when several workers run)."""

    def hit(self, key: str, now: float) -> float | None: ...


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


class RefusalLog:
    """Aggregated warnings: per key (an address) at most one line per minute, at most
    `max_lines` lines per minute overall; what was held back is summed up in one line."""

    def __init__(self, logger: logging.Logger, *, window_s: float = 60.0, max_lines: int = 20,
                 max_keys: int = 10_000) -> None:
        self._log = logger
        self._window_s = window_s
        self._max_lines = max_lines
        self._max_keys = max_keys
        self._lock = threading.Lock()
        self._window_start: float | None = None
        self._seen: dict[str, int] = {}  # key -> refusals this window
        self._lines = 0
        self._held_back = 0

    def refused(self, key: str, reason: str, now: float) -> None:
        with self._lock:
            summary = self._roll(now)
            count = self._seen.get(key)
            if count is not None:
                self._seen[key] = count + 1
                self._held_back += 1
                line = None
            elif self._lines >= self._max_lines or len(self._seen) >= self._max_keys:
                self._held_back += 1
                line = None
            else:
                self._seen[key] = 1
                self._lines += 1
                line = (key, reason)
        if summary:
            self._log.warning("%s", summary)
        if line is not None:
            self._log.warning("login refused from %s: %s (more from there this minute are "
                              "counted, not logged)", line[0], line[1])

    def _roll(self, now: float) -> str | None:
        if self._window_start is not None and now - self._window_start < self._window_s:
            return None
        summary = None
        if self._held_back:
            summary = (f"{self._held_back} more refused logins in the last minute "
                       f"(from {len(self._seen)} logged addresses and others), not logged")
        self._window_start = now
        self._seen = {}
        self._lines = 0
        self._held_back = 0
        return summary


class BodySizeLimit:
    """Refuse request bodies over `max_bytes` with 413, whether or not Content-Length is sent.

    Bodies are small JSON documents here, so a chunked body is read into memory up to the limit
    and replayed to the app; larger ones are refused before the app sees a byte. `uploads`
    names the few (method, path prefix) that take files, each with its own larger limit.
    """

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]],
                 max_bytes: int, max_json_depth: int = 32,
                 uploads: tuple[tuple[str, str, int], ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_json_depth = max_json_depth
        self.uploads = uploads

    def _limit(self, scope: Scope) -> int:
        method, path = scope.get("method", ""), scope.get("path", "")
        for upload_method, prefix, limit in self.uploads:
            if method == upload_method and path.startswith(prefix):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        max_bytes = self._limit(scope)
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > max_bytes
            except ValueError:
                too_big = True
            if too_big:
                await _too_large(send, max_bytes)
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
            if size > max_bytes:
                await _too_large(send, max_bytes)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if is_json(headers.get(b"content-type")):
            problem = json_body_problem(body, self.max_json_depth)
            if problem is not None:
                await _send_json(send, 422, problem_body(*problem))
                return
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
    await _send_json(send, 413, body)


async def _send_json(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
