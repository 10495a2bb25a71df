"""Local store and notice sync against a scripted server (httpx.MockTransport)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from services.api import ApiClient
from services.models import NoticeWire
from services.store import NOTICES_CURSOR, LocalStore
from services.sync import NoticeSync, PullOutcome


def wire(notice_id: int, revision: int, *, withdrawn: bool = False, title: str = "") -> dict:
    return {
        "id": notice_id,
        "category": "general",
        "published_at": f"2026-11-{notice_id:02d}T00:00:00+00:00",
        "revision": revision,
        "withdrawn": withdrawn,
        "texts": {} if withdrawn else {
            "ja": {"title": title or f"お知らせ{notice_id}", "body": "本文"},
            "en": {"title": title or f"Notice {notice_id}", "body": "Body"},
        },
    }


class ScriptedServer:
    """Serves notices by revision like the real backend, and records every request."""

    def __init__(self, notices: list[dict]) -> None:
        self.notices = notices
        self.requests: list[httpx.Request] = []
        self.down = False
        self.fail_with: int | None = None

    def etag(self, since: int, limit: int) -> str:
        latest = max((n["revision"] for n in self.notices), default=0)
        return f'W/"{latest}-{since}-{limit}"'

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if self.fail_with:
            return httpx.Response(self.fail_with, json={"detail": "boom"})
        since = int(request.url.params["since"])
        limit = int(request.url.params["limit"])
        etag = self.etag(since, limit)
        if request.headers.get("If-None-Match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        newer = sorted((n for n in self.notices if n["revision"] > since),
                       key=lambda n: n["revision"])
        page = newer[:limit]
        body = {
            "data": page,
            "next_cursor": page[-1]["revision"] if page else since,
            "has_more": len(newer) > limit,
        }
        return httpx.Response(200, json=body, headers={"ETag": etag})


@pytest.fixture
def store(tmp_path) -> LocalStore:
    store = LocalStore(tmp_path / "store.db")
    yield store
    store.close()


def client_for(server: ScriptedServer) -> ApiClient:
    return ApiClient("http://backend.test", transport=httpx.MockTransport(server),
                     retry_delay_s=0)


async def test_first_pull_fetches_every_page_and_stores_the_cursor(store: LocalStore) -> None:
    server = ScriptedServer([wire(i, i) for i in range(1, 8)])
    sync = NoticeSync(store, page_size=3)
    result = await sync.pull(client_for(server))
    assert result.outcome == PullOutcome.updated
    assert result.changed == 7
    assert result.requests == 3  # 3 + 3 + 1
    assert sorted(n.id for n in store.notices()) == list(range(1, 8))
    assert store.cursor(NOTICES_CURSOR).cursor == 7


async def test_a_pull_with_nothing_new_is_one_request(store: LocalStore) -> None:
    server = ScriptedServer([wire(1, 1), wire(2, 2)])
    sync = NoticeSync(store)
    api = client_for(server)
    await sync.pull(api)
    await sync.pull(api)  # learns the ETag for "since=2" from an empty page
    server.requests.clear()
    result = await sync.pull(api)
    assert result.outcome == PullOutcome.unchanged
    assert len(server.requests) == 1
    assert server.requests[0].headers.get("If-None-Match")


async def test_edits_and_withdrawals_reach_the_store(store: LocalStore) -> None:
    server = ScriptedServer([wire(1, 1), wire(2, 2), wire(3, 3)])
    sync = NoticeSync(store)
    api = client_for(server)
    await sync.pull(api)
    server.notices = [wire(1, 4, title="Updated"), wire(2, 5, withdrawn=True), wire(3, 3)]
    result = await sync.pull(api)
    assert result.changed == 2
    stored = {n.id: n for n in store.notices()}
    assert set(stored) == {1, 3}
    assert stored[1].texts["en"]["title"] == "Updated"


async def test_offline_keeps_what_the_device_has(store: LocalStore) -> None:
    server = ScriptedServer([wire(1, 1)])
    sync = NoticeSync(store)
    api = client_for(server)
    await sync.pull(api)
    before = store.cursor(NOTICES_CURSOR)
    server.down = True
    result = await sync.pull(api)
    assert result.outcome == PullOutcome.offline
    assert [n.id for n in store.notices()] == [1]
    assert store.cursor(NOTICES_CURSOR) == before


async def test_server_errors_are_retried_once_then_reported(store: LocalStore) -> None:
    server = ScriptedServer([wire(1, 1)])
    server.fail_with = 500
    result = await NoticeSync(store).pull(client_for(server))
    assert result.outcome == PullOutcome.failed
    assert len(server.requests) == 2  # GET is idempotent: one retry
    assert store.notices() == []


async def test_a_response_that_breaks_the_contract_is_a_failure_not_a_crash(
    store: LocalStore,
) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [{"id": "x"}], "next_cursor": 1})

    api = ApiClient("http://backend.test", transport=httpx.MockTransport(broken))
    result = await NoticeSync(store).pull(api)
    assert result.outcome == PullOutcome.failed
    assert "contract" in (result.error or "")
    assert store.cursor(NOTICES_CURSOR).cursor == 0


def test_a_failed_page_write_leaves_the_cursor_where_it_was(store: LocalStore) -> None:
    good = NoticeWire.model_validate(wire(1, 1))
    store.apply_notices([good], cursor_name=NOTICES_CURSOR, next_cursor=1, etag=None,
                        at=datetime.now(UTC))

    class Exploding:
        def __iter__(self):
            yield NoticeWire.model_validate(wire(2, 2))
            raise RuntimeError("killed mid-write")

    with pytest.raises(RuntimeError):
        store.apply_notices(Exploding(), cursor_name=NOTICES_CURSOR, next_cursor=2, etag=None,
                            at=datetime.now(UTC))
    assert store.cursor(NOTICES_CURSOR).cursor == 1
    assert [n.id for n in store.notices()] == [1]


def test_an_older_revision_never_overwrites_a_newer_one(store: LocalStore) -> None:
    now = datetime.now(UTC)
    newer = NoticeWire.model_validate(wire(1, 5, title="new"))
    older = NoticeWire.model_validate(wire(1, 3, title="old"))
    store.apply_notices([newer], cursor_name="n", next_cursor=5, etag=None, at=now)
    store.apply_notices([older], cursor_name="n", next_cursor=3, etag=None, at=now)
    assert store.notice(1).texts["en"]["title"] == "new"
    assert store.cursor("n").cursor == 5


def test_the_store_uses_wal_and_keeps_data_across_reopen(tmp_path) -> None:
    path = tmp_path / "s.db"
    store = LocalStore(path)
    store.apply_notices([NoticeWire.model_validate(wire(1, 1))], cursor_name="n",
                        next_cursor=1, etag="e", at=datetime(2026, 11, 29, tzinfo=UTC))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()
    reopened = LocalStore(path)
    state = reopened.cursor("n")
    assert (state.cursor, state.etag) == (1, "e")
    assert state.last_success_at == datetime(2026, 11, 29, tzinfo=UTC)
    assert json.dumps(reopened.notice(1).texts, ensure_ascii=False).count("お知らせ1") == 1
    reopened.close()
