"""This device's identity, and the resident's logged-in devices (issue 8, #5).

    device = await load_device(storage, user_agent)    # id kept on the device, readable name
    session = await flow.login(card, pin, device=device)
    devices = DeviceService(session)                   # the container makes one per login
    await devices.list(); await devices.log_out(id); await devices.log_out_others()

The device id is a random value kept in the device's own storage (the browser's, in web mode):
the backend binds the session's refresh tokens to it, so a refresh token copied to another
device is refused there and ends the session.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError
from ua_parser import parse

from services.errors import BadResponse
from services.preferences import KeyValueStore

DEVICE_KEY = "kitokito.device.v1"
_ID_CHARS = set("0123456789abcdef")


@dataclass(frozen=True)
class DeviceIdentity:
    id: str  # 32 hex characters, made once on this device
    name: str | None  # "Chrome on Android (Pixel 8)": what the resident sees in the list


def device_name(user_agent: str | None) -> str | None:
    """A name a resident recognises, from the browser's user agent (ua-parser's rules);
    None when it says nothing useful (the list then says "unknown device", translated)."""
    if not user_agent:
        return None
    found = parse(user_agent[:512])
    browser = found.user_agent.family if found.user_agent else None
    system = found.os.family if found.os else None
    model = found.device.family if found.device and found.device.family not in (
        "Other", "Generic Smartphone", "K") else None
    name = " on ".join(part for part in (browser, system) if part and part != "Other")
    if model and model not in name:
        name = f"{name} ({model})" if name else model
    return name[:100] or None


async def load_device(storage: KeyValueStore, user_agent: str | None) -> DeviceIdentity:
    """This device's identity: its id is made on first use and kept in its own storage."""
    stored = await storage.get(DEVICE_KEY)
    if stored is None or len(stored) != 32 or not set(stored) <= _ID_CHARS:
        stored = secrets.token_hex(16)
        await storage.set(DEVICE_KEY, stored)
    return DeviceIdentity(stored, device_name(user_agent))


class Device(BaseModel):
    """One logged-in device of the resident, as the backend lists it."""

    model_config = ConfigDict(frozen=True)

    id: str
    device_name: str | None
    place: str | None
    first_used_at: datetime
    last_used_at: datetime
    current: bool


class _DevicesPage(BaseModel):
    data: list[Device]


class _Revoked(BaseModel):
    revoked: int


class AuthorizedRequester(Protocol):
    """What services.login.AuthSession offers: an authorised request with mapped errors."""

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response: ...


class DeviceService:
    """The logged-in resident's devices. Errors are services.errors': Offline, Rejected (404:
    that device had already logged out), SessionExpired."""

    def __init__(self, session: AuthorizedRequester) -> None:
        self._session = session

    async def list(self) -> list[Device]:
        response = await self._session.request("GET", "/v1/auth/sessions")
        return _parse(_DevicesPage, response).data

    async def log_out(self, device_id: str) -> None:
        if len(device_id) != 32 or not set(device_id) <= _ID_CHARS:
            raise ValueError("not a session id")
        await self._session.request("DELETE", f"/v1/auth/sessions/{device_id}")

    async def log_out_others(self) -> int:
        response = await self._session.request("POST", "/v1/auth/sessions/log-out-others")
        return _parse(_Revoked, response).revoked


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        raise BadResponse(f"{model.__name__} does not match the contract") from None
