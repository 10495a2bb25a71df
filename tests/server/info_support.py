"""Helpers of the info tests: ingest a file into the running app's database, read a dataset
back through the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from server.info import IngestCounts
from server.ingest.files import parse, store
from server.ingest.problems import RowProblem

DATA = Path(__file__).resolve().parents[1] / "data" / "info"


def ingest(client: TestClient, kind: str, path: Path) -> tuple[IngestCounts, list[RowProblem]]:
    with Session(client.app.state.engine) as session:
        result = store(session=session, parsed=parse(kind, path))
        session.commit()
    return result


def pull(client: TestClient, dataset: str, since: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Every record changed after `since`, following the pages, and the final cursor."""
    records: list[dict[str, Any]] = []
    while True:
        page = client.get(f"/v1/info/{dataset}", params={"since": since, "limit": 200}).json()
        records += page["data"]
        since = page["next_cursor"]
        if not page["has_more"]:
            return records, since


def by_id(client: TestClient, dataset: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in pull(client, dataset)[0]}
