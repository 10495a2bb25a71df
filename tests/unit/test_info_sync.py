"""The one sync path (services/sync.py) pulling the info datasets, and their cache table."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from services.api import ApiClient
from services.errors import BadResponse
from services.models import InfoDataset, InfoRecordWire
from services.store import SCHEMA_VERSION, LocalStore, info_cursor
from services.sync import FeedSync, PullOutcome, info_feed, info_syncs
from tests.unit.info_fakes import InfoServer, client_for, clinic, record, shelter

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MEDICAL = InfoDataset.medical


@pytest.fixture
def store(tmp_path: Path):
    store = LocalStore(tmp_path / "store.db")
    yield store
    store.close()


def medical_records(n: int, first_revision: int = 1) -> list[dict]:
    return [record(f"m{i}", first_revision + i, clinic(f"医院{i}", f"イイン{i}"))
            for i in range(n)]


async def test_an_info_feed_pulls_every_page_and_keeps_its_own_cursor(store: LocalStore) -> None:
    server = InfoServer({"medical": medical_records(7)})
    sync = FeedSync(store, info_feed(MEDICAL), page_size=3)
    result = await sync.pull(client_for(server))
    assert (result.outcome, result.changed, result.requests) == (PullOutcome.updated, 7, 3)
    assert [r.id for r in store.info_records(MEDICAL)] == [f"m{i}" for i in range(7)]
    assert store.cursor(info_cursor(MEDICAL)).cursor == 7
    assert store.cursor("notices").cursor == 0  # feeds never share a cursor
    assert store.info_records(InfoDataset.shelters) == []
    assert [r.url.params["since"] for r in server.requests] == ["0", "3", "6"]


async def test_a_no_change_info_pull_is_one_request(store: LocalStore) -> None:
    server = InfoServer({"medical": medical_records(2)})
    sync = FeedSync(store, info_feed(MEDICAL))
    api = client_for(server)
    await sync.pull(api)
    await sync.pull(api)  # an empty final page: its ETag is kept
    server.requests.clear()
    generation = store.info_generation(MEDICAL)
    result = await sync.pull(api)
    assert result.outcome == PullOutcome.unchanged
    assert len(server.requests) == 1
    assert server.requests[0].headers["If-None-Match"] == server.etag("medical", 2, 100)
    assert store.info_generation(MEDICAL) == generation  # readers keep what they parsed


async def test_a_withdrawal_deletes_the_record_and_an_edit_replaces_it(store: LocalStore) -> None:
    server = InfoServer({"medical": medical_records(3)})
    sync = FeedSync(store, info_feed(MEDICAL))
    api = client_for(server)
    await sync.pull(api)
    server.records["medical"] = [
        record("m0", 1, clinic("医院0", "イイン0")),
        record("m1", 10, {}, withdrawn=True),
        record("m2", 11, clinic("新しい医院", "アタラシイイイン"), lat=36.7, lon=137.2)]
    result = await sync.pull(api)
    assert result.changed == 2
    records = {r.id: r for r in store.info_records(MEDICAL)}
    assert set(records) == {"m0", "m2"}
    assert records["m2"].body["name"] == "新しい医院"
    assert (records["m2"].lat, records["m2"].lon) == (36.7, 137.2)
    assert store.info_record(MEDICAL, "m1") is None


async def test_concurrent_pulls_of_one_feed_fold_into_one(store: LocalStore) -> None:
    server = InfoServer({"shelters": [record("s1", 1, shelter("避難所"))]})
    syncs = info_syncs(store)
    api = client_for(server)
    sync = syncs[InfoDataset.shelters]
    first, second = await asyncio.gather(sync.pull(api), sync.pull(api))
    assert sorted([first.changed, second.changed]) == [0, 1]
    assert len(server.requests) == 2  # the second waited, then asked once (an empty page)
    assert set(syncs) == set(InfoDataset)


def test_a_page_and_its_cursor_commit_together(store: LocalStore) -> None:
    good = InfoRecordWire.model_validate(record("a", 1, shelter("A")))
    store.apply_info(InfoDataset.shelters, [good], cursor_name="info.shelters", next_cursor=1,
                     etag=None, at=AT)

    class Exploding:
        def __iter__(self):
            yield InfoRecordWire.model_validate(record("b", 2, shelter("B")))
            raise RuntimeError("killed mid-write")

    with pytest.raises(RuntimeError):
        store.apply_info(InfoDataset.shelters, Exploding(), cursor_name="info.shelters",
                         next_cursor=2, etag=None, at=AT)
    assert store.cursor("info.shelters").cursor == 1
    assert [r.id for r in store.info_records(InfoDataset.shelters)] == ["a"]


async def test_a_page_that_breaks_the_contract_fails_the_pull_and_keeps_the_cursor(
    store: LocalStore,
) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [{"id": "", "revision": 1, "withdrawn": False,
                                                   "body": {}}], "next_cursor": 1,
                                         "has_more": False})

    api = ApiClient("http://backend.test", transport=httpx.MockTransport(broken))
    with pytest.raises(BadResponse):
        await api.info(MEDICAL, since=0)
    result = await FeedSync(store, info_feed(MEDICAL)).pull(api)
    assert result.outcome == PullOutcome.failed
    assert store.cursor(info_cursor(MEDICAL)).cursor == 0


async def test_offline_keeps_the_cached_records(store: LocalStore) -> None:
    server = InfoServer({"medical": medical_records(2)})
    sync = FeedSync(store, info_feed(MEDICAL))
    api = client_for(server)
    await sync.pull(api)
    server.down = True
    result = await sync.pull(api)
    assert result.outcome == PullOutcome.offline
    assert len(store.info_records(MEDICAL)) == 2


def test_reads_by_dataset_use_the_primary_key_index(store: LocalStore) -> None:
    with store.engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT * FROM cached_info WHERE dataset = 'shelters'"))
    assert "USING INDEX" in plan


def test_a_layout_2_store_is_migrated_and_keeps_the_outbox(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    conn = sqlite3.connect(path)
    # The layout-2 file as that app version left it (v0 tables + index + outbox tables).
    conn.execute("CREATE TABLE cached_notice (id INTEGER NOT NULL, category VARCHAR NOT NULL, "
                 "published_at DATETIME NOT NULL, revision INTEGER NOT NULL, "
                 "municipality VARCHAR, texts_json VARCHAR NOT NULL, PRIMARY KEY (id))")
    conn.execute("CREATE INDEX ix_cached_notice_published ON cached_notice (published_at, id)")
    conn.execute("CREATE TABLE sync_cursor (name VARCHAR NOT NULL, cursor INTEGER NOT NULL, "
                 "etag VARCHAR, last_success_at DATETIME, PRIMARY KEY (name))")
    conn.execute(
        "CREATE TABLE outbox (user_id VARCHAR NOT NULL, seq INTEGER NOT NULL, "
        "id VARCHAR NOT NULL, kind VARCHAR NOT NULL, payload_json VARCHAR NOT NULL, "
        "state VARCHAR NOT NULL, code VARCHAR, reason VARCHAR, "
        "created_at DATETIME NOT NULL, PRIMARY KEY (user_id, seq), UNIQUE (id))")
    conn.execute(
        "CREATE TABLE outbox_client (user_id VARCHAR NOT NULL, "
        "client_id VARCHAR NOT NULL, last_seq INTEGER NOT NULL, PRIMARY KEY (user_id))")
    conn.execute("INSERT INTO outbox VALUES ('u1', 1, 'abc', 'application', '{}', 'waiting', "
                 "NULL, NULL, '2026-11-29 08:00:00.000000')")
    conn.execute("INSERT INTO outbox_client VALUES ('u1', 'client-1', 1)")
    conn.execute("INSERT INTO sync_cursor VALUES ('notices', 3, NULL, NULL)")
    conn.execute("PRAGMA user_version=2")
    conn.commit()
    conn.close()

    store = LocalStore(path)
    try:
        assert store.cursor("notices").cursor == 3
        store.apply_info(InfoDataset.aeds, [InfoRecordWire.model_validate(
            record("aed1", 4, {"name": "AED"}))], cursor_name="info.aeds", next_cursor=4,
            etag=None, at=AT)
        assert [r.id for r in store.info_records(InfoDataset.aeds)] == ["aed1"]
    finally:
        store.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT user_id, id, state FROM outbox").fetchall() == [
            ("u1", "abc", "waiting")]
        assert conn.execute("SELECT client_id, last_seq FROM outbox_client").fetchall() == [
            ("client-1", 1)]
    finally:
        conn.close()
