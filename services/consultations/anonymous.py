"""Anonymous bookings (services with `anonymous_allowed`, such as こころの相談): no login.

A booking goes straight to the server (there is no resident outbox without a login), so it
needs a connection. The choice is written to the device's storage, with its Idempotency-Key,
before the request: after Offline (or an answer lost on the way) `book` again with the same
choice is the same booking on the server, never a second one. What the server answers —
{booking_id, code, service, start} — is kept in the device's storage (the browser's own in web
mode, never shared between people), so the resident can see and cancel it later; the code is
also shown to them once, to write down (the server keeps only its hash).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from services.api import ApiClient
from services.consultations.models import AnonymousBookingState, Service
from services.consultations.problems import (
    BookingProblem,
    BookingProblemCode,
    change_deadline_problems,
    window_problems,
)
from services.consultations.refusals import RefusalCode, SlotRefused
from services.errors import Rejected
from services.i18n import JAPAN_TZ
from services.preferences import KeyValueStore

STORAGE_KEY = "kitokito.anonymous_bookings.v1"
MAX_KEPT = 20


@dataclass(frozen=True)
class AnonymousTicket:
    """An anonymous booking as this device keeps it."""

    booking_id: str
    code: str
    service_id: str
    start: datetime
    end: datetime

    @property
    def spoken_code(self) -> str:
        """The code in two groups of five, easier to read out and write down."""
        return f"{self.code[:5]} {self.code[5:]}".strip()


@dataclass(frozen=True)
class AnonymousChoice:
    """A booking asked for whose answer has not arrived (Offline): book it again as is."""

    service_id: str
    start: datetime
    key: str


@dataclass(frozen=True)
class AnonymousResult:
    ticket: AnonymousTicket | None
    problems: tuple[BookingProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def utc_now() -> datetime:
    return datetime.now(UTC)


class AnonymousBookings:
    """Per session (the storage is the browser's / device's own)."""

    def __init__(self, storage: KeyValueStore, api: ApiClient, *,
                 now: Callable[[], datetime] = utc_now) -> None:
        self._storage = storage
        self._api = api
        self._now = now

    async def book(self, service: Service, start: datetime) -> AnonymousResult:
        """Book now. Problems the device can see are returned; the server's refusal is
        raised as SlotRefused (with `alternatives` for slot_full) and drops the choice;
        Offline keeps the choice (`waiting`), so the same booking can be asked again."""
        problems = ([] if service.anonymous_allowed
                    else [BookingProblem(BookingProblemCode.anonymous_not_offered)])
        problems += window_problems(service, start, self._now())
        if problems:
            return AnonymousResult(None, tuple(problems))
        saved = await self._load()
        choice = saved.get("choice") or {}
        if choice.get("service_id") == service.id and _time(choice.get("start")) == start:
            key = str(choice["key"])
        else:
            key = secrets.token_urlsafe(24)
            saved["choice"] = {"service_id": service.id, "start": _wire(start), "key": key}
            await self._save(saved)
        try:
            booked = await self._api.anonymous_book(service.id, start, key=key)
        except Rejected:
            saved["choice"] = None
            await self._save(saved)
            raise
        ticket = AnonymousTicket(booked.booking_id, booked.code, service.id, booked.start,
                                 booked.end)
        kept = [t for t in saved.get("kept") or [] if t.get("booking_id") != ticket.booking_id]
        saved["kept"] = [*kept, _dump(ticket)][-MAX_KEPT:]
        saved["choice"] = None
        await self._save(saved)
        return AnonymousResult(ticket)

    async def waiting(self) -> AnonymousChoice | None:
        """The booking asked for that had no answer (to offer "try again")."""
        choice = (await self._load()).get("choice")
        start = _time(choice.get("start")) if isinstance(choice, dict) else None
        if not isinstance(choice, dict) or start is None:
            return None
        return AnonymousChoice(str(choice.get("service_id")), start, str(choice.get("key")))

    async def drop_waiting(self) -> None:
        saved = await self._load()
        saved["choice"] = None
        await self._save(saved)

    async def kept(self) -> list[AnonymousTicket]:
        """The anonymous bookings this device holds, soonest first."""
        found = []
        for data in (await self._load()).get("kept") or []:
            ticket = _ticket(data)
            if ticket is not None:
                found.append(ticket)
        return sorted(found, key=lambda t: t.start)

    async def status(self, ticket: AnonymousTicket) -> AnonymousBookingState | None:
        """The server's view (None: it knows no such booking with this code any more)."""
        try:
            return await self._api.anonymous_booking(ticket.booking_id, ticket.code)
        except Rejected as exc:
            if exc.status == 404:
                return None
            raise

    async def cancel(self, ticket: AnonymousTicket,
                     service: Service | None = None) -> tuple[BookingProblem, ...]:
        """Cancel on the server (needs a connection), then forget it here. With the service,
        a cancellation past its deadline is a problem at once (nothing sent). A 404 (the
        server has no such booking any more) or `not_active` (already cancelled or done):
        forgotten too. SlotRefused `too_late` goes to the caller."""
        if service is not None:
            problems = change_deadline_problems(service, ticket.start, self._now())
            if problems:
                return tuple(problems)
        try:
            await self._api.anonymous_cancel(ticket.booking_id, ticket.code)
        except SlotRefused as refused:
            if refused.code is not RefusalCode.not_active:
                raise
        except Rejected as exc:
            if exc.status != 404:
                raise
        await self.forget(ticket.booking_id)
        return ()

    async def forget(self, booking_id: str) -> None:
        saved = await self._load()
        saved["kept"] = [t for t in saved.get("kept") or [] if t.get("booking_id") != booking_id]
        await self._save(saved)

    async def _load(self) -> dict[str, Any]:
        raw = await self._storage.get(STORAGE_KEY)
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    async def _save(self, data: dict[str, Any]) -> None:
        await self._storage.set(STORAGE_KEY, json.dumps(data, ensure_ascii=False))


def _dump(ticket: AnonymousTicket) -> dict[str, str]:
    data = asdict(ticket)
    data["start"], data["end"] = _wire(ticket.start), _wire(ticket.end)
    return data


def _ticket(data: object) -> AnonymousTicket | None:
    if not isinstance(data, dict):
        return None
    start, end = _time(data.get("start")), _time(data.get("end"))
    fields = [data.get(k) for k in ("booking_id", "code", "service_id")]
    if start is None or end is None or not all(isinstance(f, str) for f in fields):
        return None
    return AnonymousTicket(str(fields[0]), str(fields[1]), str(fields[2]), start, end)


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _wire(moment: datetime) -> str:
    return moment.astimezone(JAPAN_TZ).isoformat()
