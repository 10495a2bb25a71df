"""Issue 8, item 9 (figure 14): the OpenAPI document is what the server does. Schemathesis
generates requests for every operation (valid and invalid ones, a bounded number with a fixed
seed), anonymously and with a logged-in resident's token; no answer may be a 5xx, have a status
the document does not declare, or a body that does not match the declared schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from server.core.config import ServerSettings
from server.main import create_app
from tests.cardworld import PINS, World, card_world
from tests.server.conftest import bearer, login

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 20


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict]]:
    data_dir = tmp_path_factory.mktemp("fuzz")
    world: World = card_world(data_dir)
    # Limits high enough that the fuzzer reaches the routes behind them.
    app = create_app(ServerSettings(data_dir=data_dir, auth_rate_limit_per_minute=100_000))
    with TestClient(app, raise_server_exceptions=False) as client:
        tokens = login(client, world.card("toyama-hanako"), PINS["toyama-hanako"])
        yield client, bearer(tokens)


def _operations(client: TestClient):
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Logging out ends the resident's session: last, so the others run logged in.
    return sorted(operations, key=lambda op: op.label == "POST /v1/auth/logout")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_the_server_does_what_its_openapi_document_says(
    served: tuple[TestClient, dict], who: str, mode: GenerationMode
) -> None:
    client, headers = served
    failures: list[str] = []
    for operation in _operations(client):
        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case) -> None:
            if who == "resident":
                case.headers = {**(case.headers or {}), **headers}
            response = case.call(session=client)
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # collect all, report together
                failures.append(f"{case.operation.label}: {exc}"[:1500])
                raise

        try:
            run()
        except Exception:  # noqa: BLE001 - reported below
            pass
    assert failures == [], "\n\n".join(failures[:10])


def test_unparsable_json_is_a_declared_422(served: tuple[TestClient, dict]) -> None:
    client, headers = served
    spec = client.get("/openapi.json").json()
    for body in ("not json", '{"kind": ', b'{"kind": "\xff"}', "[" * 5000):
        response = client.post("/v1/drafts", content=body,
                               headers={**headers, "Content-Type": "application/json"})
        assert response.status_code == 422, body[:20]
        assert isinstance(response.json()["detail"], list)
        assert "422" in spec["paths"]["/v1/drafts"]["post"]["responses"]


def test_405_names_every_method_of_the_path(served: tuple[TestClient, dict]) -> None:
    client, _ = served
    for path, allowed in [("/v1/drafts", "GET, HEAD, POST"),
                          ("/v1/drafts/" + "0" * 32, "DELETE, GET, HEAD"),
                          ("/v1/auth/verify", "POST")]:
        for method in ("OPTIONS", "PUT"):
            response = client.request(method, path)
            assert (response.status_code, response.headers["Allow"]) == (405, allowed), path


def test_the_schema_states_the_route_name_rule(served: tuple[TestClient, dict]) -> None:
    client, _ = served
    schema = client.get("/openapi.json").json()["components"]["schemas"]["TicketCreate"]
    assert schema["properties"]["routes"]["items"] == {
        "type": "string", "minLength": 1, "maxLength": 100}
