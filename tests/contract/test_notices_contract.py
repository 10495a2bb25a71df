"""The real client (ApiClient + NoticeSync + LocalStore + NoticeService) against the real
server app, in process through httpx.ASGITransport, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import Session

from server.ingest.seed import load_notice_seed
from server.models import NoticeCategory
from server.notices import upsert_notice, withdraw_notice
from services.api import ApiClient
from services.notices import NoticeService
from services.store import LocalStore
from services.sync import NoticeSync, PullOutcome


class Client:
    def __init__(self, app, store: LocalStore, page_size: int = 3) -> None:
        self.requests: list[httpx.Request] = []

        async def record(request: httpx.Request) -> None:
            self.requests.append(request)

        transport = httpx.ASGITransport(app=app)
        self.api = ApiClient("http://backend", transport=transport)
        self.api._client.event_hooks["request"].append(record)
        self.service = NoticeService(store, NoticeSync(store, page_size=page_size), self.api)


@pytest.fixture
def store(tmp_path) -> LocalStore:
    store = LocalStore(tmp_path / "client" / "store.db")
    yield store
    store.close()


async def test_client_syncs_seeded_notices_in_both_languages(server, store) -> None:
    client = Client(server, store)
    result = await client.service.refresh()
    assert result.outcome == PullOutcome.updated
    seed = load_notice_seed()
    ja = await client.service.list("ja")
    en = await client.service.list("en")
    assert {n.title for n in ja} == {item["texts"]["ja"]["title"] for item in seed}
    assert {n.title for n in en} == {item["texts"]["en"]["title"] for item in seed}
    # Newest first, as the screen lists them.
    assert [n.published_at for n in ja] == sorted((n.published_at for n in ja), reverse=True)
    status = await client.service.status()
    assert status.offline is False and status.last_updated is not None


async def test_a_sync_with_no_change_is_a_single_request(server, store) -> None:
    client = Client(server, store)
    await client.service.refresh()
    await client.service.refresh()
    client.requests.clear()
    result = await client.service.refresh()
    assert result.outcome == PullOutcome.unchanged
    assert len(client.requests) == 1


async def test_server_edits_and_withdrawals_reach_the_device(server, store) -> None:
    client = Client(server, store)
    await client.service.refresh()
    ids = [n.id for n in await client.service.list("en")]
    with Session(server.state.engine) as session:
        upsert_notice(
            session=session,
            external_id="2026-12-snow-warning",
            category=NoticeCategory.disaster,
            published_at=datetime(2026, 12, 1, tzinfo=UTC),
            texts={"ja": ("大雪警報が出ています", "外出を控えてください。"),
                   "en": ("Heavy snow warning", "Avoid going out.")},
        )
        withdraw_notice(session=session, notice_id=ids[-1])
        session.commit()
    result = await client.service.refresh()
    assert result.changed == 2
    titles = [n.title for n in await client.service.list("ja")]
    assert titles[0] == "大雪警報が出ています"
    assert ids[-1] not in [n.id for n in await client.service.list("ja")]


async def test_notices_stay_readable_when_the_server_is_gone(server, store) -> None:
    client = Client(server, store)
    await client.service.refresh()
    offline = NoticeService(store, NoticeSync(store),
                            ApiClient("http://127.0.0.1:9", retry_delay_s=0))
    result = await offline.refresh()
    assert result.outcome == PullOutcome.offline
    assert len(await offline.list("ja")) == len(load_notice_seed())
    status = await offline.status()
    assert status.offline is True and status.last_updated is not None


async def test_language_without_a_translation_falls_back(server, store) -> None:
    client = Client(server, store)
    await client.service.refresh()
    vi = await client.service.list("vi")  # the seed has ja and en only
    assert vi and all(n.lang == "en" for n in vi)
