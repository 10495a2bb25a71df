"""The outbox queue (issue 9): order, atomic with the local change, nothing dropped, the store
migration that brings it; and the sender against a scripted server."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.errors import Conflict, Offline, Rejected, ServerError
from services.outbox import (
    MAX_PAYLOAD_BYTES,
    Outbox,
    OutboxState,
    PayloadTooLarge,
    Rejection,
)
from services.outbox_sender import OutOfSequence, RetryPolicy, drain
from services.store import LocalStore, SyncCursor
from tests.unit.test_store_schema import write_v0_store

ALICE, BOB = "a" * 64, "b" * 64
NO_WAIT = RetryPolicy(attempts=4, wait_initial_s=0, wait_max_s=0, wait_jitter_s=0)


@pytest.fixture
def store(tmp_path: Path):
    store = LocalStore(tmp_path / "store.db")
    yield store
    store.close()


def test_items_keep_their_order_and_each_resident_has_its_own_sequence(store) -> None:
    alice, bob = Outbox(store, ALICE), Outbox(store, BOB)
    for n in range(3):
        alice.add("draft.save", {"n": n})
    bob.add("draft.save", {"n": "bob"})
    items = alice.pending(10)
    assert [(i.seq, i.payload["n"]) for i in items] == [(1, 0), (2, 1), (3, 2)]
    assert len({i.id for i in items}) == 3
    assert [i.seq for i in bob.pending(10)] == [1]
    assert alice.client_id() != bob.client_id()
    assert [i.seq for i in alice.pending(2)] == [1, 2]


def test_enqueue_commits_with_the_local_change_or_not_at_all(store) -> None:
    outbox = Outbox(store, ALICE)
    with pytest.raises(RuntimeError), store.write() as tx:
        tx.add(SyncCursor(name="local-draft", cursor=1))
        outbox.enqueue(tx, "draft.save", {"n": 1})
        raise RuntimeError("the app fails before the commit")
    assert outbox.items() == [] and store.cursor("local-draft").cursor == 0
    with store.write() as tx:
        tx.add(SyncCursor(name="local-draft", cursor=1))
        outbox.enqueue(tx, "draft.save", {"n": 1})
    assert [i.seq for i in outbox.items()] == [1] and store.cursor("local-draft").cursor == 1
    # The failed attempt did not use up a seq: the server would see a gap.
    assert outbox.add("draft.save", {"n": 2}).seq == 2


def test_a_change_too_large_to_ever_send_is_refused_with_its_local_write(store) -> None:
    outbox = Outbox(store, ALICE)
    for payload in ({"text": "x" * MAX_PAYLOAD_BYTES}, {"deep": _nested(30)}):
        with pytest.raises(PayloadTooLarge), store.write() as tx:
            tx.add(SyncCursor(name="local-draft", cursor=1))
            outbox.enqueue(tx, "draft.save", payload)
    assert outbox.items() == [] and store.cursor("local-draft").cursor == 0


def _nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def test_rejected_items_stay_until_discarded(store) -> None:
    outbox = Outbox(store, ALICE)
    first, second = outbox.add("draft.save", {"n": 1}), outbox.add("draft.save", {"n": 2})
    outbox.mark_sending([first, second])
    outbox.settle([second.id], {
        first.id: Rejection("draft_limit_reached", "At most 50 drafts are kept")})
    outbox.settle([first.id], {})  # a late answer does not overwrite the first one
    rejected = outbox.items(OutboxState.rejected)
    assert [(i.id, i.code, i.reason) for i in rejected] == [
        (first.id, "draft_limit_reached", "At most 50 drafts are kept")]
    assert outbox.pending(10) == []
    with pytest.raises(ValueError):
        outbox.discard(second.id)  # done: its seq is the server's, it stays
    outbox.discard(first.id)
    assert [i.state for i in outbox.items()] == [OutboxState.done]
    with pytest.raises(KeyError):
        outbox.discard(first.id)


def test_the_queue_survives_reopening(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store.db")
    outbox = Outbox(store, ALICE)
    item = outbox.add("draft.save", {"n": 1})
    outbox.mark_sending([item])  # and then the process dies
    client_id = outbox.client_id()
    store.close()
    reopened = Outbox(LocalStore(tmp_path / "store.db"), ALICE)
    assert [(i.id, i.state) for i in reopened.pending(10)] == [(item.id, OutboxState.sending)]
    assert reopened.client_id() == client_id
    reopened.store.close()


def _v1_store(path: Path) -> None:
    """A store as the app before the outbox left it (layout 1)."""
    write_v0_store(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE INDEX ix_cached_notice_published ON cached_notice (published_at, id)")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()


def _columns(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA table_info({table})").fetchall()
    finally:
        conn.close()


def test_a_layout_1_store_gets_the_outbox_and_keeps_its_rows(tmp_path: Path) -> None:
    _v1_store(tmp_path / "old.db")
    store = LocalStore(tmp_path / "old.db")
    try:
        assert [n.id for n in store.notices()] == [7]
        assert store.cursor("notices").cursor == 3
        assert Outbox(store, ALICE).add("draft.save", {"n": 1}).seq == 1
    finally:
        store.close()
    LocalStore(tmp_path / "new.db").close()
    for table in ("outbox", "outbox_client"):  # the step makes what a new store has
        assert _columns(tmp_path / "old.db", table) == _columns(tmp_path / "new.db", table)
    assert not list(tmp_path.glob("*.corrupt-*"))


# --- the sender against a scripted server ---------------------------------------------------
class ScriptedServer:
    """Answers POST /v1/mutations like the real one would, after `failures` (exceptions)."""

    def __init__(self, failures: list[Exception] | None = None,
                 reject: dict[int, str] | None = None) -> None:
        self.failures = list(failures or [])
        self.reject = reject or {}
        self.applied: list[int] = []
        self.calls: list[list[int]] = []

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        assert (method, path) == ("POST", "/v1/mutations")
        body = kwargs["json"]
        self.calls.append([m["seq"] for m in body["mutations"]])
        if self.failures:
            raise self.failures.pop(0)
        results = []
        for m in body["mutations"]:
            if m["seq"] in self.applied:
                results.append({"id": m["id"], "seq": m["seq"], "outcome": "duplicate"})
                continue
            self.applied.append(m["seq"])
            code = self.reject.get(m["seq"])
            results.append({"id": m["id"], "seq": m["seq"],
                            "outcome": "rejected" if code else "applied",
                            "code": code, "reason": f"because {code}" if code else None})
        return httpx.Response(200, json={"results": results})


async def test_drain_sends_in_order_in_small_batches_and_records_rejections(store) -> None:
    outbox = Outbox(store, ALICE)
    for n in range(1, 8):
        outbox.add("draft.save", {"n": n})
    server = ScriptedServer(reject={3: "draft_limit_reached"})
    report = await drain(outbox, server, policy=NO_WAIT, batch_size=3)
    assert server.calls == [[1, 2, 3], [4, 5, 6], [7]]
    assert (report.done, report.rejected) == (6, 1)
    assert [(i.seq, i.reason) for i in outbox.items(OutboxState.rejected)] == [
        (3, "because draft_limit_reached")]
    assert outbox.pending(10) == []


async def test_network_errors_and_5xx_are_retried_then_left_queued(store) -> None:
    outbox = Outbox(store, ALICE)
    outbox.add("draft.save", {"n": 1})
    server = ScriptedServer(failures=[Offline("ConnectError"), ServerError(500)])
    assert (await drain(outbox, server, policy=NO_WAIT)).done == 1
    assert server.calls == [[1], [1], [1]] and server.applied == [1]
    outbox.add("draft.save", {"n": 2})
    server.failures = [Offline("ConnectError")] * NO_WAIT.attempts
    with pytest.raises(Offline):
        await drain(outbox, server, policy=NO_WAIT)
    assert [i.seq for i in outbox.pending(10)] == [2]  # kept for the next drain
    assert (await drain(outbox, server, policy=NO_WAIT)).done == 1


async def test_a_lost_answer_is_sent_again_and_counted_once(store) -> None:
    outbox = Outbox(store, ALICE)
    outbox.add("draft.save", {"n": 1})
    server = ScriptedServer()

    class LosesFirstAnswer:
        lost = False

        async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
            response = await server.request(method, path, **kwargs)
            if not self.lost:
                self.lost = True
                raise Offline("ReadError")  # applied on the server, answer never arrived
            return response

    assert (await drain(outbox, LosesFirstAnswer(), policy=NO_WAIT)).done == 1
    assert server.applied == [1] and server.calls == [[1], [1]]


async def test_client_errors_are_not_retried_and_keep_the_items(store) -> None:
    outbox = Outbox(store, ALICE)
    outbox.add("draft.save", {"n": 1})
    for error, raised in ((Conflict(409, "seq_gap"), OutOfSequence),
                          (Rejected(413, "too_large"), Rejected)):
        server = ScriptedServer(failures=[error])
        with pytest.raises(raised):
            await drain(outbox, server, policy=NO_WAIT)
        assert len(server.calls) == 1 and len(outbox.pending(10)) == 1
