"""The real login client (LoginFlow + AuthApi + card stub + PersonalCache) against the real
server app in process (httpx.ASGITransport), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from server.api.staff import grant_staff
from services.api import Offline, Rejected
from services.auth_api import (
    AuthApi,
    CertificateExpired,
    CertificateRevoked,
    CertificateUntrusted,
    SessionExpired,
)
from services.crypto import FileKeyStore
from services.login import LoginFlow
from services.mynumber import CardLocked, InvalidPinFormat, WrongPin
from services.personal_cache import PersonalCache
from tests.cardworld import PASSWORDS, PINS, STAFF_PIN


def make_flow(app, data_dir: Path, ip: str = "127.0.0.1") -> LoginFlow:
    api = AuthApi("http://backend", transport=httpx.ASGITransport(app=app, client=(ip, 1234)))
    keys = FileKeyStore(data_dir / "keys")
    return LoginFlow(api, personal_cache=lambda uid: PersonalCache(data_dir, uid, keys))


async def test_wrong_pin_once_then_right_pin_greets_the_resident(server, world, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    flow = make_flow(server, world.data_dir)
    card = world.card("toyama-hanako")
    with pytest.raises(WrongPin) as wrong:
        await flow.login(card, "0000")
    assert wrong.value.remaining_tries == 2
    session = await flow.login(card, PINS["toyama-hanako"],
                               signing_password=PASSWORDS["toyama-hanako"])
    assert session.profile is not None
    assert (session.profile.name, session.profile.municipality) == ("立山 花子", "富山市")
    assert card.status().remaining_tries == 3
    assert session.personal_cache is not None
    assert session.personal_cache.profile()["address"] == "富山県富山市新桜町7番38号"
    response = await session.request("POST", "/v1/drafts",
                                     json={"kind": "note", "body": {"text": "ひみつ"}})
    assert response.status_code == 201
    await session.extend()
    tokens = session._tokens
    assert tokens is not None
    secrets = [tokens.access.reveal(), tokens.refresh.reveal()]
    assert "Secret(***)" in repr(tokens) and secrets[0] not in repr(tokens)
    assert await session.logout() is True
    # Figure 9: nothing in the logs of a whole login (client and server, at DEBUG).
    # (Timestamps and thread ids left out: their digits held "1234" in some runs.)
    noise = {"created", "msecs", "relativeCreated", "thread", "process", "taskName"}
    text = "\n".join(
        f"{r.getMessage()} {r.args!r} { {k: v for k, v in r.__dict__.items() if k not in noise} }"
        for r in caplog.records)
    assert any(r.name == "kitokito.auth" for r in caplog.records)  # the capture works
    for value in [*secrets, PINS["toyama-hanako"], PASSWORDS["toyama-hanako"], "立山",
                  "新桜町", "1948", "ひみつ"]:
        assert value not in text, value


async def test_two_residents_at_once_see_only_their_own_data(server, world) -> None:
    flow = make_flow(server, world.data_dir)
    alice, bob = await asyncio.gather(
        flow.login(world.card("toyama-hanako"), "1234", signing_password="HANAKO1948"),
        flow.login(world.card("takaoka-kenta"), "2345", signing_password="KENTA1990"),
    )
    assert alice.user_id != bob.user_id
    created = await alice.request("POST", "/v1/drafts", json={"kind": "x", "body": {"a": 1}})
    draft_id = created.json()["id"]
    with pytest.raises(Rejected) as not_found:
        await bob.request("GET", f"/v1/drafts/{draft_id}")
    assert not_found.value.status == 404
    assert (await alice.request("GET", f"/v1/drafts/{draft_id}")).json()["body"] == {"a": 1}
    assert (await bob.request("GET", "/v1/drafts")).json()["data"] == []
    assert (await alice.reload_profile()).name == "立山 花子"
    assert (await bob.reload_profile()).name == "高岡 健太"
    assert alice.personal_cache.path != bob.personal_cache.path
    await alice.logout()
    assert not alice.active and not alice.personal_cache.path.exists()
    assert bob.active and (await bob.reload_profile()).municipality == "高岡市"
    assert bob.personal_cache.profile()["name"] == "高岡 健太"
    with pytest.raises(SessionExpired):
        await alice.request("GET", "/v1/drafts")


async def test_a_stolen_refresh_token_ends_the_session(server, world) -> None:
    flow = make_flow(server, world.data_dir)
    session = await flow.login(world.card("toyama-hanako"), "1234")
    stolen = session._tokens.refresh
    await session.extend()
    api = AuthApi("http://backend", transport=httpx.ASGITransport(app=server))
    with pytest.raises(SessionExpired):
        await api.refresh(stolen)
    with pytest.raises(SessionExpired):
        await session.extend()
    assert not session.active


async def test_certificate_problems_come_back_as_typed_errors(server, world) -> None:
    flow = make_flow(server, world.data_dir)
    with pytest.raises(CertificateExpired):
        await flow.login(world.card("imizu-hiroto"), PINS["imizu-hiroto"])
    with pytest.raises(CertificateRevoked):
        await flow.login(world.card("uozu-misaki"), PINS["uozu-misaki"])
    with pytest.raises(CertificateUntrusted):
        await flow.login(world.foreign_card(), "1234")


async def test_offline_and_malformed_pins_cost_no_try(world) -> None:
    flow = LoginFlow(AuthApi("http://127.0.0.1:9"))
    card = world.card("toyama-hanako")
    with pytest.raises(Offline):
        await flow.login(card, "0000")
    with pytest.raises(InvalidPinFormat):
        await flow.login(card, "12a4")
    assert card.status().remaining_tries == 3


async def test_a_locked_card_is_unlocked_with_a_ticket_from_the_counter(server, world) -> None:
    flow = make_flow(server, world.data_dir)
    card = world.card("takaoka-kenta")
    for _ in range(2):
        with pytest.raises(WrongPin):
            await flow.login(card, "0000")
    with pytest.raises(CardLocked):
        await flow.login(card, "0000")
    with pytest.raises(CardLocked):
        await flow.login(card, "2345")
    staff = await flow.login(world.staff_card(), STAFF_PIN)
    resident = await make_flow(server, world.data_dir).login(world.card("toyama-hanako"), "1234")
    body = {"card_serial": card.serial, "pin_kind": "auth"}
    with pytest.raises(Rejected) as refused:
        await resident.request("POST", "/v1/staff/pin-resets", json=body)
    assert (refused.value.status, refused.value.reason) == (403, "staff_only")
    with Session(server.state.engine) as db:
        grant_staff(db, user_id=staff.user_id, display_name="窓口")
    ticket = (await staff.request("POST", "/v1/staff/pin-resets", json=body)).json()["ticket"]
    card.apply_reset_ticket(ticket, new_pin="7777")
    session = await flow.login(card, "7777")
    assert session.active
