"""Sending the outbox to POST /v1/mutations, in order, in small batches.

Network trouble and 5xx are retried with exponential backoff and jitter (stamina); when the
retries run out the error goes to the caller and the items stay queued for the next drain. A
per-mutation rejection (the server's 4xx-type verdict on one change) is recorded with its
reason and the queue moves on. Items are marked only after the server's answer, so a process
killed mid-send resends them and the server answers "duplicate": nothing lost, nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import stamina

from services.errors import ApiError, BadResponse, Conflict, Offline, ServerError
from services.outbox import Outbox, OutboxItem, Rejection

MUTATIONS_PATH = "/v1/mutations"
BATCH_SIZE = 10  # server takes up to 50; small batches keep a lost answer cheap
BATCH_BYTES = 48 * 1024  # below the server's 64 KiB body limit, envelope included


class Requester(Protocol):
    """What the sender needs of a login (services.login.AuthSession)."""

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response: ...


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    timeout_s: float = 60.0
    wait_initial_s: float = 0.5
    wait_max_s: float = 30.0
    wait_jitter_s: float = 1.0


class OutOfSequence(ApiError):
    """The server's sequence for this client is not ours (it lost data, or we did): the items
    stay queued and the problem is the app's to report, never to paper over."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class DrainReport:
    done: int = 0
    rejected: int = 0


async def drain(outbox: Outbox, session: Requester, *, policy: RetryPolicy = RetryPolicy(),
                batch_size: int = BATCH_SIZE) -> DrainReport:
    """Send everything waiting, in order; returns how many were settled.

    Raises Offline / ServerError once the retries run out, OutOfSequence, and whatever the
    session raises for a login that has ended (services.auth_api.SessionExpired)."""
    client_id = outbox.client_id()
    done = rejected = 0
    while batch := _batch(outbox.pending(batch_size)):
        outbox.mark_sending(batch)
        results = await _send(session, client_id, batch, policy)
        sent = {item.id for item in batch}
        settled: list[str] = []
        refused: dict[str, Rejection] = {}
        for result in results:
            item_id, outcome, code = result.get("id"), result.get("outcome"), result.get("code")
            if item_id not in sent or outcome not in ("applied", "duplicate", "rejected"):
                raise BadResponse("an answer that does not match what was sent")
            if outcome == "rejected" or code:  # a duplicate of a rejection carries its code
                refused[item_id] = Rejection(code or "rejected", result.get("reason") or "")
            else:
                settled.append(item_id)
        outbox.settle(settled, refused)
        done, rejected = done + len(settled), rejected + len(refused)
        if len(results) != len(batch):
            raise BadResponse("fewer answers than mutations sent")
    return DrainReport(done=done, rejected=rejected)


def _batch(items: list[OutboxItem]) -> list[OutboxItem]:
    """The first items whose payloads fit one request (at least one: enqueue bounds each)."""
    batch: list[OutboxItem] = []
    size = 0
    for item in items:
        size += len(item.payload_json.encode("utf-8")) + 200  # the item's envelope
        if batch and size > BATCH_BYTES:
            break
        batch.append(item)
    return batch


async def _send(session: Requester, client_id: str, batch: list[OutboxItem],
                policy: RetryPolicy) -> list[dict[str, Any]]:
    body = {"client_id": client_id, "mutations": [
        {"id": item.id, "seq": item.seq, "kind": item.kind, "payload": item.payload}
        for item in batch]}
    async for attempt in stamina.retry_context(
        on=(Offline, ServerError), attempts=policy.attempts, timeout=policy.timeout_s,
        wait_initial=policy.wait_initial_s, wait_max=policy.wait_max_s,
        wait_jitter=policy.wait_jitter_s,
    ):
        with attempt:
            try:
                response = await session.request("POST", MUTATIONS_PATH, json=body)
            except Conflict as conflict:  # 409 seq_gap / seq_reused: not for retrying
                raise OutOfSequence(conflict.reason) from None
    try:
        results = response.json()["results"]
    except (ValueError, KeyError, TypeError):
        raise BadResponse("mutations answer") from None
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise BadResponse("mutations answer")
    return results

