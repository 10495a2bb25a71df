"""The reference backend's notices API, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.core.config import ServerSettings
from server.ingest.seed import load_notice_seed
from server.main import create_app
from server.models import NoticeCategory
from server.notices import upsert_notice, withdraw_notice

SEEDED = len(load_notice_seed())


@pytest.fixture
def client(server_settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings)) as client:
        yield client


def _engine(client: TestClient):
    return client.app.state.engine


def test_health_names_the_database(client: TestClient, server_settings: ServerSettings) -> None:
    body = client.get("/health").json()
    expected = "postgresql" if server_settings.database_url else "sqlite"
    assert body == {"status": "ok", "database": expected}


def test_first_start_seeds_the_bundled_notices_in_japanese_and_english(
    client: TestClient,
) -> None:
    page = client.get("/v1/notices").json()
    assert len(page["data"]) == SEEDED
    assert page["has_more"] is False
    for notice in page["data"]:
        assert {"ja", "en"} <= set(notice["texts"])
        assert notice["texts"]["ja"]["title"]
        # Times go out as UTC with an offset, never naive.
        assert notice["published_at"].endswith("+00:00")
    first = page["data"][0]
    seed_first = load_notice_seed()[0]
    assert first["texts"]["ja"]["title"] == seed_first["texts"]["ja"]["title"]
    # 09:00 in Japan is 00:00 UTC: the offset in the seed is honoured.
    assert first["published_at"] == "2026-11-27T00:00:00+00:00"


def test_a_second_start_does_not_seed_again(server_settings: ServerSettings) -> None:
    with TestClient(create_app(server_settings)) as first:
        assert len(first.get("/v1/notices").json()["data"]) == SEEDED
    with TestClient(create_app(server_settings)) as second:
        assert len(second.get("/v1/notices").json()["data"]) == SEEDED


def test_pages_follow_the_cursor_without_gaps_or_repeats(client: TestClient) -> None:
    seen: list[int] = []
    cursor = 0
    for _ in range(SEEDED + 1):
        page = client.get("/v1/notices", params={"since": cursor, "limit": 3}).json()
        seen += [n["id"] for n in page["data"]]
        assert page["next_cursor"] >= cursor
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert len(seen) == SEEDED and len(set(seen)) == SEEDED
    assert client.get("/v1/notices", params={"since": cursor}).json()["data"] == []


def test_unchanged_data_answers_304_to_the_etag(client: TestClient) -> None:
    first = client.get("/v1/notices", params={"since": 0})
    etag = first.headers["ETag"]
    again = client.get("/v1/notices", params={"since": 0}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_an_edit_changes_the_etag_and_comes_after_the_cursor(client: TestClient) -> None:
    page = client.get("/v1/notices").json()
    cursor, etag = page["next_cursor"], client.get("/v1/notices").headers["ETag"]
    with Session(_engine(client)) as session:
        upsert_notice(
            session=session,
            external_id="2026-11-snow-preparation",
            category=NoticeCategory.disaster,
            published_at=datetime(2026, 11, 28, 9, tzinfo=timezone(timedelta(hours=9))),
            texts={"ja": ("大雪警報", "本文"), "en": ("Heavy snow warning", "Body")},
        )
        session.commit()
    changed = client.get("/v1/notices", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    after = client.get("/v1/notices", params={"since": cursor}).json()
    assert [n["texts"]["en"]["title"] for n in after["data"]] == ["Heavy snow warning"]
    assert after["data"][0]["published_at"] == "2026-11-28T00:00:00+00:00"


def test_a_withdrawn_notice_is_sent_as_a_tombstone_without_text(client: TestClient) -> None:
    page = client.get("/v1/notices").json()
    target = page["data"][2]["id"]
    with Session(_engine(client)) as session:
        withdraw_notice(session=session, notice_id=target)
        session.commit()
    after = client.get("/v1/notices", params={"since": page["next_cursor"]}).json()
    assert [(n["id"], n["withdrawn"], n["texts"]) for n in after["data"]] == [(target, True, {})]


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 201}, {"since": -1}, {"since": "abc"}, {"limit": "many"}],
)
def test_bad_paging_parameters_are_refused_with_422(client: TestClient, params) -> None:
    response = client.get("/v1/notices", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_naive_publication_times_are_refused(client: TestClient) -> None:
    with Session(_engine(client)) as session, pytest.raises(ValueError, match="time zone"):
        upsert_notice(
            session=session,
            external_id="naive",
            category=NoticeCategory.general,
            published_at=datetime(2026, 1, 1),
            texts={"ja": ("t", "b")},
        )


def test_openapi_documents_the_notices_contract(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/v1/notices"]["get"]
    assert {"200", "304", "422"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} >= {"since", "limit", "if-none-match"}
    assert "NoticePublic" in spec["components"]["schemas"]


def test_published_at_written_as_utc_round_trips(client: TestClient) -> None:
    with Session(_engine(client)) as session:
        notice = upsert_notice(
            session=session,
            external_id="utc",
            category=NoticeCategory.general,
            published_at=datetime(2026, 12, 1, 15, 30, tzinfo=UTC),
            texts={"en": ("t", "b")},
        )
        session.commit()
        notice_id = notice.id
    data = client.get("/v1/notices").json()["data"]
    assert next(n for n in data if n["id"] == notice_id)["published_at"] == (
        "2026-12-01T15:30:00+00:00"
    )
