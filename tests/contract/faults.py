"""An httpx transport that misbehaves like a bad mobile network, driven by a seeded Random.

Per request to a faulty path, one of: dropped before it reaches the server; delivered but its
answer lost (the server applied it; the client sees a ReadError); answered 503 without reaching
the server (a backend restarting); delivered twice, the copy late (a replay after later
requests); delayed; or delivered normally. Other paths (login) pass untouched.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import httpx

FAULTS = ("drop_request", "lose_answer", "unavailable", "duplicate", "delay")


class FaultTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, rng: random.Random, *,
                 rate: float = 0.3, paths: tuple[str, ...] = ("/v1/mutations",)) -> None:
        self.inner = inner
        self.rng = rng
        self.rate = rate
        self.paths = paths
        self.seen: Counter[str] = Counter()
        self._late_copies: set[asyncio.Task[None]] = set()
        self._in_flight: set[asyncio.Task[httpx.Response]] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.startswith(self.paths):
            return await self.inner.handle_async_request(request)
        fault = self.rng.choice(FAULTS) if self.rng.random() < self.rate else "none"
        self.seen[fault] += 1
        if fault == "drop_request":
            raise httpx.ConnectError("dropped before the server", request=request)
        if fault == "unavailable":
            return httpx.Response(503, json={"detail": "restarting"}, request=request)
        if fault == "delay":
            await asyncio.sleep(self.rng.uniform(0, 0.01))
        if fault == "duplicate":
            task = asyncio.create_task(self._late_copy(request, self.rng.uniform(0, 0.02)))
            self._late_copies.add(task)
            task.add_done_callback(self._late_copies.discard)
        response = await self._deliver(request)
        if fault == "lose_answer":
            raise httpx.ReadError("the answer was lost", request=request)
        return response

    async def _deliver(self, request: httpx.Request) -> httpx.Response:
        # The server is another process: a client killed (cancelled) while waiting does not
        # stop the server's handling of what it already sent.
        task = asyncio.create_task(self._serve(_copy(request)))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return await asyncio.shield(task)

    async def _serve(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        await response.aread()
        return response

    async def _late_copy(self, request: httpx.Request, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._deliver(request)  # its answer goes nowhere

    async def settle(self) -> None:
        """Wait for the late copies and the server's work still on their way."""
        while self._late_copies or self._in_flight:
            await asyncio.gather(*self._late_copies, *self._in_flight, return_exceptions=True)


def _copy(request: httpx.Request) -> httpx.Request:
    return httpx.Request(request.method, request.url, headers=request.headers,
                         content=request.content)
