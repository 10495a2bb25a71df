"""Logging in with a My Number card, and the logged-in session the app holds.

    flow = LoginFlow(AuthApi(url), personal_cache=lambda uid: PersonalCache(dir, uid, keys))
    session = await flow.login(card, "1234")          # AuthSession
    session.profile, session.expires_at, await session.extend(), await session.logout()

Order matters for the resident: the card's lock state and the PIN's format are checked first,
then the challenge is fetched, and only then is the PIN tried on the card. So being offline
never costs a PIN try. Card work (scrypt, RSA) runs in a worker thread so one resident's login
does not stall other sessions served by the same process.

Tokens live only in the AuthSession object (in memory, wrapped in Secret); nothing here writes
them anywhere or logs them. `logout()` revokes on the server when it can, then always forgets
the tokens and wipes the resident's personal cache and its key.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from services.api import ApiError, Unauthorized
from services.auth_api import (
    AuthApi,
    ChallengeFailed,
    Me,
    Profile,
    Secret,
    SessionExpired,
    Tokens,
)
from services.devices import DeviceIdentity
from services.mynumber.card import MyNumberCard
from services.mynumber.errors import CardLocked, PinKind
from services.mynumber.pins import check_format
from services.personal_cache import PersonalCache

Clock = Callable[[], datetime]
CacheFactory = Callable[[str], PersonalCache]


def utc_now() -> datetime:
    return datetime.now(UTC)


class LoginFlow:
    def __init__(
        self, api: AuthApi, *, personal_cache: CacheFactory | None = None, now: Clock = utc_now
    ) -> None:
        self._api = api
        self._cache_factory = personal_cache
        self._now = now

    async def login(
        self, card: MyNumberCard, pin: str, *, signing_password: str | None = None,
        device: DeviceIdentity | None = None,
    ) -> AuthSession:
        """PIN login. With the signing password too, the server also (re)registers the
        resident's four facts from the 署名用 certificate (first login, or after a move).

        Raises (services.mynumber) InvalidPinFormat, WrongPin, CardLocked, CardDamaged;
        (services.auth_api) CertificateExpired, CertificateRevoked, CertificateUntrusted,
        SignatureRejected, RateLimited, LoginUnavailable; (services.api) Offline, ApiError.
        """
        if (await asyncio.to_thread(card.status, PinKind.auth)).locked:
            raise CardLocked(PinKind.auth)
        check_format(PinKind.auth, pin)
        if signing_password is not None:
            check_format(PinKind.sign, signing_password)
        for attempt in range(2):
            challenge = await self._api.challenge()
            signature = await asyncio.to_thread(card.sign_challenge, pin, challenge.nonce)
            signing: tuple[bytes, bytes] | tuple[None, None] = (None, None)
            if signing_password is not None:
                signing = await asyncio.to_thread(
                    card.sign_with_signing_key, signing_password, challenge.nonce)
            try:
                tokens = await self._api.verify(
                    challenge=challenge, signature=signature,
                    certificate=card.auth_certificate_der(),
                    signing_signature=signing[0], signing_certificate=signing[1],
                    device_id=device.id if device else None,
                    device_name=device.name if device else None,
                )
                break
            except ChallengeFailed:
                if attempt:  # the nonce expired while the resident typed: one fresh try
                    raise
        try:
            me = await self._api.me(tokens.access)
            cache = self._cache_factory(me.user_id) if self._cache_factory else None
            if cache is not None and me.profile is not None:
                await asyncio.to_thread(cache.put_profile, me.profile.model_dump(mode="json"))
        except Exception:
            # The server session exists but the app cannot hold it (a full disk, a backend
            # gone mid-login): end it there too, so no live session is left behind.
            with contextlib.suppress(ApiError):
                await self._api.logout(access=tokens.access, refresh=tokens.refresh)
            raise
        return AuthSession(self._api, tokens, me, cache, now=self._now,
                           device_id=device.id if device else None)


class AuthSession:
    """One resident's login, held in that browser/app session's state and nowhere else."""

    def __init__(
        self, api: AuthApi, tokens: Tokens, me: Me, cache: PersonalCache | None, *,
        now: Clock = utc_now, device_id: str | None = None,
    ) -> None:
        self._api = api
        self._device_id = device_id  # refreshes are bound to the device that logged in
        self._tokens: Tokens | None = tokens
        self._me = me
        self.personal_cache = cache
        self._now = now
        self._refresh_lock = asyncio.Lock()

    # --- what the UI reads ------------------------------------------------------------
    @property
    def user_id(self) -> str:
        return self._me.user_id

    @property
    def role(self) -> str:
        return self._me.role

    @property
    def profile(self) -> Profile | None:
        return self._me.profile

    @property
    def active(self) -> bool:
        return self._tokens is not None

    @property
    def expires_at(self) -> datetime | None:
        """When the access token ends; warn ahead of it and offer extend()."""
        return self._tokens.access_expires_at if self._tokens else None

    def expires_in(self) -> timedelta:
        if self._tokens is None:
            return timedelta(0)
        return max(self._tokens.access_expires_at - self._now(), timedelta(0))

    # --- keeping it alive ---------------------------------------------------------------
    async def extend(self) -> None:
        """Rotate the tokens now (the "extend session" button, or the background refresh).

        Serialised: two concurrent refreshes with one refresh token would look like token
        theft to the server and end the session.
        """
        async with self._refresh_lock:
            await self._rotate()

    async def ensure_fresh(self, margin: timedelta = timedelta(seconds=60)) -> None:
        async with self._refresh_lock:
            if self._tokens is None:
                raise SessionExpired(401, "logged_out")
            if self._tokens.access_expires_at - self._now() <= margin:
                await self._rotate()

    async def _rotate(self) -> None:
        if self._tokens is None:
            raise SessionExpired(401, "logged_out")
        try:
            self._tokens = await self._api.refresh(self._tokens.refresh, self._device_id)
        except SessionExpired:
            self._tokens = None
            raise

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """An authorised call; refreshes ahead of expiry and once after a 401."""
        await self.ensure_fresh()
        try:
            return await self._api.request(method, path, self._access(), **kwargs)
        except Unauthorized:
            await self.extend()
            return await self._api.request(method, path, self._access(), **kwargs)

    async def reload_profile(self) -> Profile | None:
        await self.ensure_fresh()
        self._me = await self._api.me(self._access())
        if self.personal_cache is not None and self._me.profile is not None:
            await asyncio.to_thread(
                self.personal_cache.put_profile, self._me.profile.model_dump(mode="json"))
        return self._me.profile

    async def logout(self) -> bool:
        """End the session; True if the server confirmed. Local state is cleared regardless."""
        tokens, self._tokens = self._tokens, None
        confirmed = False
        if tokens is not None:
            with contextlib.suppress(ApiError):
                await self._api.logout(access=tokens.access, refresh=tokens.refresh)
                confirmed = True
        if self.personal_cache is not None:
            await asyncio.to_thread(self.personal_cache.wipe)
        return confirmed

    def _access(self) -> Secret:
        if self._tokens is None:
            raise SessionExpired(401, "logged_out")
        return self._tokens.access

    def __repr__(self) -> str:
        return f"AuthSession(user={self.user_id[:8]}…, active={self.active})"
