"""The resident's logged-in devices, with the real client against the real server: each login
names its device, the list marks this one, "log out everywhere else" ends the others, and a
refresh is bound to the device that logged in (issue 8, #5)."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from services.auth_api import AuthApi, SessionExpired
from services.devices import DeviceIdentity, DeviceService, load_device
from services.login import LoginFlow
from tests.cardworld import PINS

PHONE = DeviceIdentity("a" * 32, "Chrome on Android (Pixel 8)")
LAPTOP = DeviceIdentity("b" * 32, "Edge on Windows")


async def login(app, world, device: DeviceIdentity | None):
    api = AuthApi("http://backend", transport=httpx.ASGITransport(app=app))
    return await LoginFlow(api).login(world.card("toyama-hanako"), PINS["toyama-hanako"],
                                      device=device)


async def test_the_list_shows_each_device_and_which_one_this_is(server, world) -> None:
    phone, laptop = await login(server, world, PHONE), await login(server, world, LAPTOP)
    seen_from_phone = await DeviceService(phone).list()
    assert {d.device_name for d in seen_from_phone} == {PHONE.name, LAPTOP.name}
    assert [d.device_name for d in seen_from_phone if d.current] == [PHONE.name]
    assert all(d.first_used_at <= d.last_used_at for d in seen_from_phone)
    await laptop.logout()


async def test_log_out_everywhere_else_ends_the_other_devices_only(server, world) -> None:
    phone, laptop = await login(server, world, PHONE), await login(server, world, LAPTOP)
    assert await DeviceService(phone).log_out_others() == 1
    with pytest.raises(SessionExpired):
        await laptop.extend()  # its refresh token no longer works
    await phone.extend()
    assert [d.device_name for d in await DeviceService(phone).list()] == [PHONE.name]


async def test_one_device_can_be_logged_out_from_another(server, world) -> None:
    phone, laptop = await login(server, world, PHONE), await login(server, world, LAPTOP)
    devices = DeviceService(phone)
    other = next(d for d in await devices.list() if not d.current)
    await devices.log_out(other.id)
    with pytest.raises(SessionExpired):
        await laptop.extend()


async def test_a_refresh_token_copied_to_another_device_is_refused(server, world) -> None:
    phone = await login(server, world, PHONE)
    thief = await login(server, world, LAPTOP)
    thief._tokens = replace(thief._tokens, refresh=phone._tokens.refresh)  # copied over
    with pytest.raises(SessionExpired):
        await thief.extend()
    with pytest.raises(SessionExpired):
        await phone.extend()  # the family is ended: the resident logs in again, safely


async def test_a_device_keeps_its_id_and_names_itself() -> None:
    class Storage(dict):
        async def get(self, key):
            return super().get(key)

        async def set(self, key, value):
            self[key] = value

    storage = Storage()
    first = await load_device(storage, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
                              "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148"
                              " Safari/604.1")
    assert first.name == "Mobile Safari on iOS (iPhone)" and len(first.id) == 32
    assert (await load_device(storage, None)).id == first.id
    storage["kitokito.device.v1"] = "../../etc"  # damaged: replaced, never sent
    assert (await load_device(storage, None)).id != "../../etc"
