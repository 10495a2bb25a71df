"""The real ticket client (TicketClient over a logged-in AuthSession) against the real server:
issue a ticket for a planned journey, verify it with the published key, draw its QR."""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
import pytest
from PIL import Image

from server.core.config import ServerSettings
from server.main import create_app
from services.api import Rejected
from services.auth_api import AuthApi
from services.i18n import language
from services.login import AuthSession, LoginFlow
from services.qr import qr_png
from services.tickets import Ticket, TicketClient, order_for, verify_ticket
from services.transit.journey import Journey, RideLeg, StopInfo, WalkLeg
from tests.cardworld import PINS, World, card_world

DAY = date(2019, 6, 12)
ARAYA = StopInfo("toyama_city_2019:feeder:15_1", "荒屋", name_en="Araya")
HASUMACHI = StopInfo("toyama_city_2019:feeder:12_1", "蓮町", name_en="Hasumachi")
TRAM = StopInfo("toyama_city_2019:portram:3", "蓮町電停")
RIDE = RideLeg("toyama_city_2019:feeder:2_1+平日+1", "feeder:2_1", "フィーダーバス", "蓮町",
               "富山地方鉄道", ARAYA, HASUMACHI, 22440, 23040, (), 4, 10, "toyama_city_2019")
JOURNEY = Journey((RIDE, WalkLeg(HASUMACHI, TRAM, 23040, 23160)), 22200, 23160)


async def login(app, world: World, demo_id: str) -> AuthSession:
    api = AuthApi("http://backend", transport=httpx.ASGITransport(app=app))
    return await LoginFlow(api).login(world.card(demo_id), PINS[demo_id])


def test_an_order_is_the_journey_from_first_boarding_to_last_alighting() -> None:
    order = order_for(JOURNEY, DAY, fare_yen=200)
    assert (order.origin.name, order.destination.name) == ("荒屋", "蓮町電停")
    assert (order.departure, order.arrival) == ("06:14:00", "06:26:00")
    assert order.routes == ("フィーダーバス",) and order.service_date == DAY
    assert order_for(JOURNEY, DAY, language=language("en")).origin.name == "Araya"
    with pytest.raises(ValueError):
        order_for(Journey((JOURNEY.legs[1],), 0, 120), DAY)


async def test_issue_verify_fetch_and_draw_a_ticket(server, world: World) -> None:
    session = await login(server, world, "toyama-hanako")
    client = TicketClient(session)
    ticket = await client.issue(order_for(JOURNEY, DAY, fare_yen=200))
    key = await client.public_key()
    assert len(key) == 32
    assert verify_ticket(ticket, key)
    assert ticket.payload["origin"] == {"id": ARAYA.id, "name": "荒屋"}
    assert ticket.payload["departure"] == "06:14:00" and ticket.payload["fare_yen"] == 200
    assert not ticket.is_valid_at(ticket.valid_until.replace(year=2030))
    assert await client.get(ticket.id) == ticket

    png = qr_png(ticket.qr_text)
    image = Image.open(io.BytesIO(png))
    assert image.size[0] == image.size[1] >= 400
    zxingcpp = pytest.importorskip("zxingcpp")
    # QR codes only: among all formats zxing now and then also "finds" a linear barcode in
    # the random-looking modules of a signed ticket (one full run in five failed on that).
    [read] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert read.text == ticket.qr_text
    assert verify_ticket(ticket.model_copy(update={"qr_text": read.text}), key)


def flip_first_byte(b64url: str) -> str:
    """Change the signature for certain (editing base64 text can leave the bytes the same)."""
    raw = bytearray(base64.urlsafe_b64decode(b64url + "=" * (-len(b64url) % 4)))
    raw[0] ^= 0xFF
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")


async def test_a_tampered_or_foreign_ticket_does_not_verify(
    server, world: World, tmp_path: Path
) -> None:
    client = TicketClient(await login(server, world, "toyama-hanako"))
    ticket = await client.issue(order_for(JOURNEY, DAY))
    key = await client.public_key()
    cheaper = {**ticket.payload, "fare_yen": 0}
    prefix, body, signature = ticket.qr_text.split(".")
    other = ticket.model_copy(update={"id": "0" * 32})
    for bad in (
        ticket.model_copy(update={"payload": cheaper}),
        ticket.model_copy(update={"signature": flip_first_byte(ticket.signature)}),
        ticket.model_copy(update={"qr_text": f"{prefix}.{body[:-4]}.{signature}"}),
        ticket.model_copy(update={"qr_text": "garbage"}),
        ticket.model_copy(update={"valid_until": ticket.valid_until.replace(year=2099)}),
        other,
    ):
        assert not verify_ticket(bad, key)
    assert not verify_ticket(ticket, bytes(32))
    assert not verify_ticket(ticket, b"short")
    # another issuer (another data dir, so another key) signs with a key we do not trust
    foreign_settings = ServerSettings(data_dir=tmp_path / "elsewhere",
                                      database_url=f"sqlite:///{tmp_path / 'x.db'}")
    card_world(foreign_settings.data_dir)
    app = create_app(foreign_settings)
    async with app.router.lifespan_context(app):
        foreign = await TicketClient(await login(app, world, "toyama-hanako")).issue(
            order_for(JOURNEY, DAY))
    assert isinstance(foreign, Ticket) and not verify_ticket(foreign, key)


async def test_another_residents_ticket_is_not_found(server, world: World) -> None:
    ticket = await TicketClient(await login(server, world, "toyama-hanako")).issue(
        order_for(JOURNEY, DAY))
    bob = TicketClient(await login(server, world, "takaoka-kenta"))
    with pytest.raises(Rejected) as refused:
        await bob.get(ticket.id)
    assert refused.value.status == 404


async def test_a_journey_the_issuer_refuses_is_rejected(server, world: World) -> None:
    client = TicketClient(await login(server, world, "toyama-hanako"))
    far = order_for(JOURNEY, date(2099, 1, 1))
    with pytest.raises(Rejected) as refused:
        await client.issue(far)
    assert (refused.value.status, refused.value.reason) == (422, "service_date_too_far")
    long_ride = replace(RIDE, route_name="x" * 101)
    with pytest.raises(Rejected):
        await client.issue(order_for(Journey((long_ride,), 0, 23040), DAY))


def test_easy_japanese_tickets_name_stops_as_the_screen_does() -> None:
    """やさしい日本語 shows kanji stop names on screen; the ticket must say the same."""
    assert order_for(JOURNEY, DAY, language=language("ja-easy")).origin.name == \
        order_for(JOURNEY, DAY, language=language("ja")).origin.name
    assert order_for(JOURNEY, DAY, language=language("ja-easy")).origin.name != "Araya"
