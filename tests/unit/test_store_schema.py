"""The client store survives damage and old or new layouts (issue 8, items 12 and 13).

A damaged store.db is moved aside and rebuilt (public data only: the next sync refills it); a
file at layout 0 (the layout before versioning) is migrated and keeps its rows; a file from a
newer app is moved aside, not crashed on; a data dir that cannot be written says so in a line.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.datadir import DataDirError
from services.models import NoticeWire
from services.store import NOTICES_CURSOR, SCHEMA_VERSION, LocalStore

# The layout every store had before versioning (user_version 0), as SQLModel created it.
V0_LAYOUT = (
    "CREATE TABLE cached_notice (id INTEGER NOT NULL, category VARCHAR NOT NULL, "
    "published_at DATETIME NOT NULL, revision INTEGER NOT NULL, municipality VARCHAR, "
    "texts_json VARCHAR NOT NULL, PRIMARY KEY (id))",
    "CREATE TABLE sync_cursor (name VARCHAR NOT NULL, cursor INTEGER NOT NULL, etag VARCHAR, "
    "last_success_at DATETIME, PRIMARY KEY (name))",
)
AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def notice(notice_id: int, revision: int = 1) -> NoticeWire:
    return NoticeWire.model_validate({
        "id": notice_id, "category": "general", "revision": revision, "withdrawn": False,
        "published_at": f"2026-11-{notice_id:02d}T00:00:00+00:00",
        "texts": {"ja": {"title": f"お知らせ{notice_id}", "body": "本文"}},
    })


def write_v0_store(path: Path) -> None:
    conn = sqlite3.connect(path)
    for ddl in V0_LAYOUT:
        conn.execute(ddl)
    conn.execute(
        "INSERT INTO cached_notice VALUES (7, 'general', '2026-11-07 00:00:00.000000', 3, "
        "'富山市', ?)", ('{"ja": {"title": "古いお知らせ", "body": "本文"}}',))
    conn.execute("INSERT INTO sync_cursor VALUES ('notices', 3, 'W/\"3\"', "
                 "'2026-11-29 08:00:00.000000')")
    conn.commit()
    conn.close()


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def moved_aside(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if ".corrupt-" in p.name)


def test_a_new_store_records_the_current_layout_version(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store.db")
    store.close()
    assert user_version(tmp_path / "store.db") == SCHEMA_VERSION
    reopened = LocalStore(tmp_path / "store.db")  # a second start changes nothing
    reopened.close()
    assert moved_aside(tmp_path) == []


def test_a_version_0_store_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    write_v0_store(path)
    store = LocalStore(path)
    try:
        assert user_version(path) == SCHEMA_VERSION
        [kept] = store.notices()
        assert (kept.id, kept.municipality) == (7, "富山市")
        assert kept.texts["ja"]["title"] == "古いお知らせ"
        assert kept.published_at == datetime(2026, 11, 7, tzinfo=UTC)
        cursor = store.cursor(NOTICES_CURSOR)
        assert (cursor.cursor, cursor.etag) == (3, 'W/"3"')
        # and it works as a current store afterwards
        store.apply_notices([notice(8, 4)], cursor_name=NOTICES_CURSOR, next_cursor=4,
                            etag=None, at=AT)
        assert [n.id for n in store.notices()] == [8, 7]
    finally:
        store.close()
    conn = sqlite3.connect(path)
    indexes = {name for (name,) in conn.execute("SELECT name FROM sqlite_master "
                                                 "WHERE type='index'")}
    conn.close()
    assert "ix_cached_notice_published" in indexes
    assert moved_aside(tmp_path) == []


def test_a_store_from_a_newer_app_is_moved_aside_not_crashed_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "store.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE cached_notice (id INTEGER PRIMARY KEY, something_new TEXT)")
    conn.execute("CREATE TABLE draft (id TEXT PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO draft VALUES ('d1', 'what the resident typed')")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    with caplog.at_level(logging.WARNING):
        store = LocalStore(path)
    try:
        assert store.notices() == []
        store.apply_notices([notice(1)], cursor_name=NOTICES_CURSOR, next_cursor=1, etag=None,
                            at=AT)
        assert [n.id for n in store.notices()] == [1]
    finally:
        store.close()
    [aside] = [p for p in moved_aside(tmp_path) if p.name.startswith("store.db.corrupt-")
               and not p.name.endswith(("-wal", "-shm"))]
    kept = sqlite3.connect(aside)  # the newer app's file is kept whole, drafts included
    assert kept.execute("SELECT body FROM draft").fetchall() == [("what the resident typed",)]
    kept.close()
    assert user_version(path) == SCHEMA_VERSION
    assert len([r for r in caplog.records if "moved aside" in r.getMessage()]) == 1


def test_a_file_that_is_not_a_database_is_moved_aside_and_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(b"this is not SQLite at all" * 200)
    with caplog.at_level(logging.WARNING):
        store = LocalStore(path)
    try:
        store.apply_notices([notice(2)], cursor_name=NOTICES_CURSOR, next_cursor=1, etag=None,
                            at=AT)
        assert [n.id for n in store.notices()] == [2]
    finally:
        store.close()
    [aside] = moved_aside(tmp_path)
    assert aside.read_bytes().startswith(b"this is not SQLite")
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and "store.db" in lines[0] and "moved aside" in lines[0]


def test_damaged_pages_inside_a_real_store_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = LocalStore(path)
    store.apply_notices([notice(i % 28 + 1, i) for i in range(1, 400)],
                        cursor_name=NOTICES_CURSOR, next_cursor=400, etag=None, at=AT)
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    assert pages >= 3
    with path.open("r+b") as handle:  # page 2 onwards: b-tree pages, header left intact
        handle.seek(page_size)
        handle.write(b"\xff" * page_size * (pages - 1))
    store = LocalStore(path)
    try:
        assert store.notices() == []
        assert store.cursor(NOTICES_CURSOR).cursor == 0  # the next sync starts over
    finally:
        store.close()
    assert len([p for p in moved_aside(tmp_path) if p.name.count("-") == 1]) >= 1


def test_public_tables_with_an_unexpected_layout_are_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE cached_notice (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO cached_notice VALUES (1, 'x')")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    conn.commit()
    conn.close()
    store = LocalStore(path)
    try:
        assert store.notices() == []
        store.apply_notices([notice(3)], cursor_name=NOTICES_CURSOR, next_cursor=1, etag=None,
                            at=AT)
        assert [n.id for n in store.notices()] == [3]
    finally:
        store.close()


def test_a_data_dir_under_a_regular_file_is_one_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    with pytest.raises(DataDirError) as caught:
        LocalStore(blocker / "sub" / "client" / "store.db")
    message = str(caught.value)
    assert caught.value.errno == errno.ENOTDIR
    assert message.startswith("kitokito: cannot write ")
    assert str(blocker) in message and "KITOKITO_DATA_DIR" in message
    assert "\n" not in message


def test_a_full_disk_while_opening_the_store_is_one_plain_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import services.store as store_module

    def full(path: Path) -> None:
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = 13  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(store_module, "_check_and_migrate", full)
    with pytest.raises(DataDirError) as caught:
        LocalStore(tmp_path / "store.db")
    assert caught.value.errno == errno.ENOSPC
    assert "free some disk space" in str(caught.value).lower()
    assert moved_aside(tmp_path) == []  # disk trouble is not damage: nothing moved aside
