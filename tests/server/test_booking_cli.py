"""The clinic's side (python -m server.booking_cli) on the server's database: the list shows
what the resident wrote, a join link reaches the resident, completing and prescribing, and
the prescription moving forward only. On SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from server import booking_cli
from tests.server.booking_support import (
    MENTAL,
    NAIKA,
    QUESTIONNAIRE,
    create,
    mutation,
    residents,
    send,
)

START = "2026-12-07T13:00:00+09:00"


def cli(client: TestClient, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    status = booking_cli.main(list(argv), settings=client.app.state.settings)  # type: ignore[attr-defined]
    out = capsys.readouterr()
    return status, out.out if status == 0 else out.err


def test_the_clinic_completes_prescribes_and_links(
    booking_app: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    client = booking_app
    [resident] = residents(client.app, 1, client.app.state.clock.now())  # type: ignore[attr-defined]
    video, phone = create(NAIKA, START, note="午後希望"), create(MENTAL, START)
    send(client, resident, mutation("booking.create", video),
         mutation("booking.create", phone, 2), client_id="f" * 32)
    booking_id = video["booking_id"]
    status, out = cli(client, capsys, "list", "--service", NAIKA, "--day", "2026-12-07")
    listed = json.loads(out)
    assert status == 0 and [b["id"] for b in listed] == [booking_id]
    assert listed[0]["answers"] == {"questionnaire": QUESTIONNAIRE, "note": "午後希望"}
    assert cli(client, capsys, "join-url", phone["booking_id"], "https://meet.example/x") == (
        1, "not_video: only a video booking has a join link\n")
    assert cli(client, capsys, "join-url", booking_id, "http://meet.example/x")[0] == 1
    assert cli(client, capsys, "join-url", booking_id, "https://meet.example/r/42")[0] == 0
    read = client.get(f"/v1/bookings/{booking_id}", headers=resident).json()
    assert read["join_url"] == "https://meet.example/r/42"
    assert cli(client, capsys, "prescription", booking_id, "--note", "解熱剤 3日分",
               "--fulfilment", "delivery")[1].startswith("not_completed")
    assert cli(client, capsys, "complete", booking_id)[0] == 0
    assert cli(client, capsys, "complete", booking_id)[1].startswith("not_active")
    assert cli(client, capsys, "prescription", booking_id, "--note", "解熱剤 3日分",
               "--fulfilment", "delivery")[0] == 0
    assert cli(client, capsys, "prescription-status", booking_id, "ready")[1].startswith(
        "status_not_allowed")
    assert cli(client, capsys, "prescription-status", booking_id, "shipped")[0] == 0
    assert cli(client, capsys, "prescription-status", booking_id, "preparing")[0] == 1
    read = client.get(f"/v1/bookings/{booking_id}", headers=resident).json()
    assert read["status"] == "completed" and read["join_url"] is None
    assert read["prescription"] == {"note": "解熱剤 3日分", "fulfilment": "delivery",
                                    "status": "shipped"}
    assert cli(client, capsys, "prescription", phone["booking_id"], "--note", "x",
               "--fulfilment", "pickup")[1].startswith("not_telemedicine")
    assert cli(client, capsys, "complete", "0" * 32) == (1, "not_found\n")
    # A completed booking is no longer the resident's to cancel.
    assert send(client, resident, mutation("booking.cancel", {"booking_id": booking_id}, 3),
                client_id="f" * 32)[0][1] == "not_active"
