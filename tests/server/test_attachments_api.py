"""Attachments (docs/e-applications.md; figures 11, 13): uploads are idempotent by id and bytes,
checked against their magic bytes, bounded in size and number per resident (also when sent
all at once), sealed at rest and only their owner's. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import hashlib

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import text

from server.core.config import ServerSettings
from server.main import create_app
from tests.cardworld import PINS, World
from tests.server.conftest import bearer, login
from tests.server.e_apps import ALICE, JPEG, PDF, PNG, hex_id, upload


def test_an_upload_is_idempotent_by_id_and_bytes(client: TestClient, alice: dict) -> None:
    attachment_id = hex_id()
    first = upload(client, alice, attachment_id=attachment_id)
    assert first.status_code == 201, first.text
    assert first.json() == {"id": attachment_id, "media_type": "image/jpeg", "size": len(JPEG),
                            "sha256": hashlib.sha256(JPEG).hexdigest()}
    again = upload(client, alice, attachment_id=attachment_id)
    assert (again.status_code, again.json()) == (200, first.json())
    other = upload(client, alice, JPEG + b"\x00", attachment_id=attachment_id)
    assert (other.status_code, other.json()["detail"]) == (409, "attachment_exists")
    got = client.get(f"/v1/attachments/{attachment_id}", headers=alice)
    assert (got.content, got.headers["content-type"]) == (JPEG, "image/jpeg")


def test_the_media_type_must_be_what_the_bytes_are(client: TestClient, alice: dict) -> None:
    for data, media in ((PNG, "image/png"), (PDF, "application/pdf"),
                        (JPEG, "image/jpeg; charset=binary")):
        assert upload(client, alice, data, media).status_code == 201, media
    for data, media in ((PNG, "image/jpeg"), (b"<script>alert(1)</script>", "image/png"),
                        (b"", "application/pdf"), (b"%PDF", "application/pdf")):
        refused = upload(client, alice, data, media)
        assert (refused.status_code, refused.json()["detail"]) == (
            422, "content_not_media_type"), media
    for media in ("text/html", "image/gif", "application/octet-stream", ""):
        assert upload(client, alice, JPEG, media).status_code == 415, media
    # Labelled JSON, it is refused as JSON first (not UTF-8).
    assert upload(client, alice, JPEG, "application/json").status_code == 422
    assert client.put(f"/v1/attachments/{hex_id()}", content=JPEG,
                      headers={"Content-Type": "image/jpeg"}).status_code == 401
    assert upload(client, alice, attachment_id="NOT-HEX").status_code == 422


def test_uploads_are_bounded_in_size(client: TestClient, alice: dict) -> None:
    limit = 10 * 1024 * 1024
    big = JPEG + b"\x00" * (limit - len(JPEG))
    assert upload(client, alice, big).status_code == 201
    too_big = upload(client, alice, big + b"\x00")
    assert too_big.status_code == 413
    # Other routes keep their small limit.
    assert client.post("/v1/drafts", headers=alice, content=b"{" + b" " * 70_000 + b"}",
                       ).status_code == 413


def test_a_residents_files_are_bounded_even_all_at_once(
    server_settings: ServerSettings, world: World
) -> None:
    settings = server_settings.model_copy(update={"max_attachments_per_user": 5,
                                                  "max_attachment_total_bytes": 1024 * 1024})
    app = create_app(settings)
    with TestClient(app) as client:
        alice = bearer(login(client, world.card(ALICE), PINS[ALICE]))

        async def burst() -> list[int]:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                         base_url="http://test") as http:
                responses = await asyncio.gather(*(http.put(
                    f"/v1/attachments/{hex_id()}", content=JPEG,
                    headers={**alice, "Content-Type": "image/jpeg"}) for _ in range(30)))
            return [r.status_code for r in responses]

        statuses = asyncio.run(burst())
        assert statuses.count(201) == 5 and set(statuses) == {201, 409}, statuses
        with app.state.engine.connect() as conn:
            assert conn.execute(text(
                "SELECT count(*) FROM application_attachment")).scalar_one() == 5
    # The total too: two files of 600 KiB do not fit in 1 MiB.
    settings = settings.model_copy(update={"max_attachments_per_user": 100})
    with TestClient(create_app(settings)) as client:
        bob = bearer(login(client, world.card("takaoka-kenta"), PINS["takaoka-kenta"]))
        half = JPEG + b"\x00" * (600 * 1024)
        assert upload(client, bob, half).status_code == 201
        full = upload(client, bob, half)
        assert (full.status_code, full.json()["detail"]) == (409, "attachment_limit_reached")


def test_the_same_upload_at_once_is_stored_once(client: TestClient, alice: dict) -> None:
    attachment_id = hex_id()

    async def burst() -> list[int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=client.app),
                                     base_url="http://test") as http:
            responses = await asyncio.gather(*(http.put(
                f"/v1/attachments/{attachment_id}", content=PNG,
                headers={**alice, "Content-Type": "image/png"}) for _ in range(8)))
        return [r.status_code for r in responses]

    assert sorted(asyncio.run(burst())) == [200] * 7 + [201]


def test_files_are_sealed_at_rest(
    client: TestClient, alice: dict, server_settings: ServerSettings
) -> None:
    marker = b"KITOKITO-SECRET-SCAN-OF-A-LICENCE"
    assert upload(client, alice, JPEG + marker).status_code == 201
    with client.app.state.engine.connect() as conn:
        assert marker.decode() not in repr(conn.execute(text(
            "SELECT * FROM application_attachment")).all())
    if client.app.state.engine.dialect.name == "sqlite":
        raw = b"".join(p.read_bytes() for p in server_settings.data_dir.glob("server.db*"))
        assert marker not in raw
