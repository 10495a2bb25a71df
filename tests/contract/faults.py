"""An httpx transport that misbehaves like a bad mobile network, driven by a seeded Random.

Per request to a faulty path, one of: dropped before it reaches the server; delivered but its
answer lost (the server applied it; the client sees a ReadError); answered 503 without reaching
the server (a backend restarting); delivered twice, the copy late (a replay after later
requests); delayed; or delivered normally. And reordering: held back until later requests
(of this caller after a retry, or of other callers) have overtaken it, its caller either told
it timed out ("overtaken": the original still arrives, late) or kept waiting ("held"); or
delivered at once but its answer held until a later answer went back ("answer_held"). Other
paths (login) pass untouched.

The seed picks the faults; with several callers at once the event loop's timing picks who
meets which, so a seed is a fault mix, not a bit-exact replay.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable

import httpx
from sqlalchemy.exc import OperationalError

FAULTS = ("drop_request", "lose_answer", "unavailable", "duplicate", "delay",
          "overtaken", "held", "answer_held")
MAX_HOLD_S = 0.02  # a held request or answer waits for overtakers at most this long


class FaultTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, rng: random.Random, *,
                 rate: float = 0.3, paths: tuple[str, ...] = ("/v1/mutations",),
                 faults: tuple[str, ...] = FAULTS) -> None:
        self.inner = inner
        self.rng = rng
        self.rate = rate
        self.paths = paths
        self.faults = faults
        self.seen: Counter[str] = Counter()
        self._late: set[asyncio.Task[None]] = set()
        self._in_flight: set[asyncio.Task[httpx.Response]] = set()
        self._delivered = 0  # requests handed to the server so far
        self._answered = 0  # answers handed back to callers so far
        self._progress = asyncio.Condition()
        self.failures: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.startswith(self.paths):
            return await self.inner.handle_async_request(request)
        fault = self.rng.choice(self.faults) if self.rng.random() < self.rate else "none"
        self.seen[fault] += 1
        if fault == "drop_request":
            raise httpx.ConnectError("dropped before the server", request=request)
        if fault == "unavailable":
            return httpx.Response(503, json={"detail": "restarting"}, request=request)
        if fault == "delay":
            await asyncio.sleep(self.rng.uniform(0, 0.01))
        if fault == "duplicate":
            self._later(self._late_copy(request, self.rng.uniform(0, 0.02)))
        if fault == "overtaken":
            # The caller's timeout ran out; the original is still on its way and lands after
            # later requests (the caller's own retry among them).
            self._later(self._deliver_after(request, self.rng.randint(1, 3)))
            raise httpx.ReadTimeout("held back in the network", request=request)
        if fault == "held":
            await self._wait_until(lambda: self._delivered, self.rng.randint(1, 2))
        response = await self._deliver(request)
        if fault == "lose_answer":
            raise httpx.ReadError("the answer was lost", request=request)
        if fault == "answer_held":
            await self._wait_until(lambda: self._answered, 1)
        async with self._progress:
            self._answered += 1
            self._progress.notify_all()
        return response

    async def _deliver(self, request: httpx.Request) -> httpx.Response:
        # The server is another process: a client killed (cancelled) while waiting does not
        # stop the server's handling of what it already sent.
        async with self._progress:
            self._delivered += 1
            self._progress.notify_all()
        task = asyncio.create_task(self._serve(_copy(request)))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        task.add_done_callback(self._note_failure)
        return await asyncio.shield(task)

    async def _serve(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self.inner.handle_async_request(request)
        except OperationalError as exc:
            # An in-process server's exception reaches us raw; over a network it would be a
            # 500 and the client would retry. Only SQLite's busy timeout running out under
            # many writers is let through as such (counted); anything else fails the test.
            if "database is locked" not in str(exc):
                raise
            self.seen["server_500_sqlite_busy"] += 1
            return httpx.Response(500, text="Internal Server Error", request=request)
        await response.aread()
        return response

    async def _wait_until(self, counter: Callable[[], int], later: int) -> None:
        """Until `later` more requests (or answers) have gone by, or MAX_HOLD_S: alone on the
        network, nothing overtakes."""
        mark = counter() + later
        try:
            async with asyncio.timeout(self.rng.uniform(0, MAX_HOLD_S)), self._progress:
                await self._progress.wait_for(lambda: counter() >= mark)
        except TimeoutError:
            pass

    def _later(self, work) -> None:
        task = asyncio.create_task(work)
        self._late.add(task)
        task.add_done_callback(self._late.discard)
        task.add_done_callback(self._note_failure)

    async def _deliver_after(self, request: httpx.Request, later: int) -> None:
        await self._wait_until(lambda: self._delivered, later)
        await self._deliver(request)  # its answer goes nowhere

    async def _late_copy(self, request: httpx.Request, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._deliver(request)  # its answer goes nowhere

    def _note_failure(self, task: asyncio.Task) -> None:
        """Network errors are what a late copy may well meet (a server killed meanwhile); any
        other error is the server failing on a request whose caller is gone, kept for
        settle() to report rather than lost."""
        if task.cancelled():
            return
        error = task.exception()
        if error is not None and not isinstance(error, httpx.TransportError | OSError):
            self.failures.append(repr(error)[:300])

    async def settle(self) -> None:
        """Wait for the late copies, held requests and the server's work still on their way;
        fail if the server failed on any of them."""
        while self._late or self._in_flight:
            await asyncio.gather(*self._late, *self._in_flight, return_exceptions=True)
        failures, self.failures = self.failures, []
        assert not failures, f"the server failed on a request: {failures[0]}"


def _copy(request: httpx.Request) -> httpx.Request:
    return httpx.Request(request.method, request.url, headers=request.headers,
                         content=request.content)
