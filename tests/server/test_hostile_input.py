"""Issue 8, items 7 and 8: deep JSON and lone surrogates are refused with 422 before anything
is written, on every route, and no input produces a 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from server.core.config import ServerSettings
from server.main import create_app
from tests.cardworld import PINS, World
from tests.server.conftest import bearer, login


@pytest.fixture
def client(server_settings: ServerSettings, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings), raise_server_exceptions=False) as client:
        yield client


def _nested(depth: int) -> dict:
    body: dict = {}
    for _ in range(depth - 1):
        body = {"a": body}
    return body


def test_a_deeply_nested_draft_is_refused_and_the_list_still_works(
    client: TestClient, world: World
) -> None:
    alice = bearer(login(client, world.card("toyama-hanako"), PINS["toyama-hanako"]))
    for depth in (33, 500):
        refused = client.post("/v1/drafts", headers=alice,
                              json={"kind": "x", "body": _nested(depth)})
        assert refused.status_code == 422, depth
        assert refused.json()["detail"][0]["type"] == "json_too_deep"
    assert client.post("/v1/drafts", headers=alice,
                       json={"kind": "x", "body": _nested(31)}).status_code == 201
    listed = client.get("/v1/drafts", headers=alice)
    assert listed.status_code == 200 and len(listed.json()["data"]) == 1
    # Arrays count too, and brackets inside strings do not.
    deep_list: list = [1]
    for _ in range(32):
        deep_list = [deep_list]
    assert client.post("/v1/drafts", headers=alice,
                       json={"kind": "x", "body": {"a": deep_list}}).status_code == 422
    assert client.post("/v1/drafts", headers=alice, json={
        "kind": "x", "body": {"text": "[" * 1000 + "{" * 1000}}).status_code == 201


def test_a_draft_whose_answer_cannot_be_built_is_not_stored(
    server_settings: ServerSettings, world: World
) -> None:
    settings = server_settings.model_copy(update={"max_json_depth": 1000})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        alice = bearer(login(client, world.card("toyama-hanako"), PINS["toyama-hanako"]))
        refused = client.post("/v1/drafts", headers=alice,
                              json={"kind": "x", "body": _nested(500)})
        assert refused.status_code == 422
        listed = client.get("/v1/drafts", headers=alice)
        assert (listed.status_code, listed.json()["data"]) == (200, [])


@pytest.mark.parametrize("path", ["/v1/auth/verify", "/v1/auth/refresh", "/v1/auth/challenge",
                                  "/v1/drafts", "/v1/tickets", "/v1/auth/logout"])
def test_lone_surrogates_and_bad_bytes_never_give_a_server_error(
    client: TestClient, world: World, path: str
) -> None:
    alice = bearer(login(client, world.card("toyama-hanako"), PINS["toyama-hanako"]))
    json_type = {"Content-Type": "application/json"}
    bodies = [
        '{"nonce": "\\ud800", "signature": "\\udfff", "certificate": "x"}',
        '{"kind": "x", "body": {"\\ud800": "\\udc00\\ud800"}}',
        '{"refresh_token": "' + "\\ud800" * 30 + '"}',
        '"\\ud800"',
        b'{"kind": "\xff\xfe"}',
        "[" * 40000,
        '{"a": 1',
    ]
    for headers in (json_type, {**json_type, **alice}):
        for body in bodies:
            response = client.post(path, content=body, headers=headers)
            assert response.status_code < 500, (body, response.text)
            if response.status_code == 422:
                detail = response.json()["detail"]
                assert isinstance(detail, list) and "input" not in detail[0], detail
    # A valid surrogate pair (an emoji) is fine.
    ok = client.post("/v1/drafts", headers=alice,
                     content=b'{"kind": "x", "body": {"t": "\\ud83d\\ude00"}}',
                     )
    assert ok.status_code == 422  # no JSON content type: refused as not JSON, not a crash
    ok = client.post("/v1/drafts", headers={**alice, **json_type},
                     content='{"kind": "x", "body": {"t": "\\ud83d\\ude00"}}')
    assert ok.status_code == 201 and ok.json()["body"] == {"t": "😀"}


def test_validation_errors_do_not_echo_the_input(client: TestClient) -> None:
    secret = "s3cret-refresh-token-value-" + "x" * 200
    response = client.post("/v1/auth/refresh", json={"refresh_token": secret})
    assert response.status_code == 422
    assert "s3cret" not in response.text
