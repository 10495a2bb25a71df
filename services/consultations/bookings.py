"""One logged-in resident's consultation bookings, offline-first through the outbox.

`book`, `cancel` and `reschedule` check what the device can check (problems.py), then queue
`booking.create` / `booking.cancel` / `booking.reschedule` in the resident's sealed outbox, the
booking id made here. Until the server answers, the change shows at once (a new booking as
pending, a cancelled one as cancelled, a moved one at its new time, each with `waiting` set);
a refusal stays shown with its reason — for `slot_full` with the next free times offered —
until the resident dismisses it. Nothing the resident entered is dropped silently.

`bookings()` folds, in order, what waits or was refused in the outbox over the server's list as
last read (sealed in the PersonalCache, so it reads offline). Changes the server had already
applied when the list was read are not folded again (the ids of the done items are kept with
the list); those done since are, so the list is right between a send and the next read.

The telemedicine questionnaire is personal health data: its draft is kept sealed in the
PersonalCache until a booking that carries it has been accepted by the server.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from pydantic import ValidationError

from services.consultations.api import Requester, ResidentBookingsApi
from services.consultations.models import (
    Booking,
    BookingStatus,
    Channel,
    Prescription,
    Questionnaire,
    Service,
)
from services.consultations.problems import (
    BookingProblem,
    BookingProblemCode,
    change_deadline_problems,
    questionnaire_problems,
    text_problems,
    window_problems,
)
from services.consultations.refusals import RefusalCode, alternatives
from services.i18n import JAPAN_TZ
from services.outbox import MutationKind, Outbox, OutboxItem, OutboxState, PayloadTooLarge
from services.outbox_sender import DrainReport, RetryPolicy, drain
from services.personal_cache import PersonalCache

RECORD_KIND = "booking"  # the server's records, by booking id
LOCAL_KIND = "booking_local"  # bookings made here the server has not listed yet
META_KIND, META_ID = "booking_meta", "list"
DRAFTS_KIND, DRAFTS_ID = "booking_questionnaire", "drafts"  # one item: service ids stay sealed
BOOKING_KINDS = (MutationKind.booking_create, MutationKind.booking_cancel,
                 MutationKind.booking_reschedule)


class BookingState(StrEnum):
    pending = "pending"  # a new booking waiting to be sent
    confirmed = "confirmed"
    cancelled = "cancelled"
    completed = "completed"
    rejected = "rejected"  # the server refused to make it: see `refusal`


class Change(StrEnum):
    create = "create"
    cancel = "cancel"
    reschedule = "reschedule"


_CHANGE_OF = {MutationKind.booking_create.value: Change.create,
              MutationKind.booking_cancel.value: Change.cancel,
              MutationKind.booking_reschedule.value: Change.reschedule}
_STATE_OF = {BookingStatus.confirmed: BookingState.confirmed,
             BookingStatus.cancelled: BookingState.cancelled,
             BookingStatus.completed: BookingState.completed}


@dataclass(frozen=True)
class Refusal:
    """The server's refusal of one change, kept until the resident dismisses it."""

    item_id: str  # the outbox item (for `dismiss`)
    change: Change
    code: RefusalCode
    reason: str
    wanted: datetime | None  # the time asked for (create, reschedule)
    alternatives: tuple[datetime, ...]  # slot_full: the next free starts offered (up to 3)


@dataclass(frozen=True)
class MyBooking:
    id: str
    service_id: str
    start: datetime
    end: datetime
    state: BookingState
    channel: Channel | None
    booked_at: datetime
    waiting: Change | None = None  # a change not yet answered by the server
    refusal: Refusal | None = None
    record: Booking | None = None  # the server's record, once it has listed it

    @property
    def live(self) -> bool:
        """Booked, or on its way: it holds (or will hold) a place."""
        return self.state in (BookingState.pending, BookingState.confirmed)

    @property
    def join_url(self) -> str | None:
        return self.record.join_url if self.record else None

    @property
    def visit_code(self) -> str | None:
        return self.record.visit_code if self.record else None

    @property
    def prescription(self) -> Prescription | None:
        return self.record.prescription if self.record else None


@dataclass(frozen=True)
class BookingResult:
    """What `book`, `cancel` and `reschedule` did: the booking as it shows now, or the
    problems that kept the change from being queued."""

    booking: MyBooking | None
    problems: tuple[BookingProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


class ServiceLookup(Protocol):
    """What the bookings need of the catalogue (ConsultationCatalogue.get)."""

    def get(self, service_id: str) -> Service | None: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


class BookingService:
    def __init__(self, session: Requester, cache: PersonalCache, outbox: Outbox,
                 services: ServiceLookup, *, now: Callable[[], datetime] = utc_now,
                 retry: RetryPolicy | None = None) -> None:
        self._session = session
        self._api = ResidentBookingsApi(session)
        self._cache = cache
        self.outbox = outbox
        self._services = services
        self._now = now
        self._retry = retry or RetryPolicy()

    # --- changes ------------------------------------------------------------------------
    def book(self, service: Service, start: datetime, language: str | None = None,
             questionnaire: Questionnaire | None = None, note: str = "") -> BookingResult:
        now = self._now()
        problems = [*window_problems(service, start, now),
                    *questionnaire_problems(service, questionnaire),
                    *text_problems(questionnaire, note)]
        if any(b.live and b.service_id == service.id and b.start == start
               for b in self.bookings()):
            problems.append(BookingProblem(BookingProblemCode.already_booked))
        if problems:
            return BookingResult(None, tuple(problems))
        booking_id = _new_id()
        end = start + timedelta(minutes=service.duration_min)
        self._cache.put(LOCAL_KIND, booking_id, {
            "id": booking_id, "service_id": service.id, "start": _wire(start),
            "end": _wire(end), "channel": service.channel.value, "created_at": now.isoformat()})
        try:
            self.outbox.add(MutationKind.booking_create, {
                "booking_id": booking_id, "service_id": service.id, "start": _wire(start),
                "language": language,
                "questionnaire": questionnaire.model_dump() if questionnaire else None,
                "note": note})
        except PayloadTooLarge:  # the text limits keep it far below; never half-made
            self._cache.delete(LOCAL_KIND, booking_id)
            raise
        return BookingResult(self.booking(booking_id))

    def cancel(self, booking_id: str) -> BookingResult:
        current, problems = self._changeable(booking_id)
        if current is None or problems:
            return BookingResult(current, tuple(problems))
        self.outbox.add(MutationKind.booking_cancel, {"booking_id": booking_id})
        return BookingResult(self.booking(booking_id))

    def reschedule(self, booking_id: str, start: datetime) -> BookingResult:
        current, problems = self._changeable(booking_id)
        if current is None or problems:
            return BookingResult(current, tuple(problems))
        service = self._services.get(current.service_id)
        if start == current.start:
            problems.append(BookingProblem(BookingProblemCode.same_time))
        elif service is not None:
            problems += window_problems(service, start, self._now())
        if any(b.live and b.id != booking_id and b.service_id == current.service_id
               and b.start == start for b in self.bookings()):
            problems.append(BookingProblem(BookingProblemCode.already_booked))
        if problems:
            return BookingResult(current, tuple(problems))
        self.outbox.add(MutationKind.booking_reschedule,
                        {"booking_id": booking_id, "start": _wire(start)})
        return BookingResult(self.booking(booking_id))

    def _changeable(self, booking_id: str) -> tuple[MyBooking | None, list[BookingProblem]]:
        current = self.booking(booking_id)
        if current is None:
            return None, [BookingProblem(BookingProblemCode.not_found)]
        if not current.live or current.waiting is Change.cancel:
            return current, [BookingProblem(BookingProblemCode.not_active)]
        service = self._services.get(current.service_id)
        if service is None:  # not in the catalogue this device has: the server decides
            return current, []
        return current, change_deadline_problems(service, current.start, self._now())

    def dismiss(self, refused: MyBooking | Refusal | str) -> None:
        """The resident read a refusal and let it go (a refused new booking disappears)."""
        if isinstance(refused, MyBooking):
            if refused.refusal is None:
                raise ValueError("this booking has no refusal to dismiss")
            item_id = refused.refusal.item_id
        else:
            item_id = refused.item_id if isinstance(refused, Refusal) else refused
        item = next((i for i in self.outbox.items(OutboxState.rejected) if i.id == item_id),
                    None)
        self.outbox.discard(item_id)
        if item is not None and item.kind == MutationKind.booking_create.value:
            self._cache.delete(LOCAL_KIND, str(item.payload.get("booking_id", "")))

    # --- the questionnaire draft (sealed) -------------------------------------------------
    def save_questionnaire(self, service_id: str, questionnaire: Questionnaire) -> None:
        drafts = self._drafts()
        drafts[service_id] = questionnaire.model_dump()
        self._cache.put(DRAFTS_KIND, DRAFTS_ID, drafts)

    def questionnaire(self, service_id: str) -> Questionnaire | None:
        data = self._drafts().get(service_id)
        try:
            return Questionnaire.model_validate(data) if data is not None else None
        except ValidationError:
            return None

    def discard_questionnaire(self, service_id: str) -> None:
        drafts = self._drafts()
        if drafts.pop(service_id, None) is not None:
            self._cache.put(DRAFTS_KIND, DRAFTS_ID, drafts)

    def _drafts(self) -> dict[str, Any]:
        drafts = self._cache.get(DRAFTS_KIND, DRAFTS_ID)
        return dict(drafts) if isinstance(drafts, dict) else {}

    # --- the server ------------------------------------------------------------------------
    async def send(self) -> DrainReport:
        """Deliver what waits (the whole outbox: it is the resident's one queue), then read
        the list again. Offline etc. go to the caller; everything stays queued."""
        report = await drain(self.outbox, self._session, policy=self._retry)
        await self.refresh()
        return report

    async def refresh(self) -> list[MyBooking]:
        """Read the server's list and keep it (sealed) for offline reading."""
        seen = [i.id for i in self.outbox.items(OutboxState.done) if i.kind in BOOKING_KINDS]
        records = await self._api.bookings()
        for stale in set(self._cache.items(RECORD_KIND)) - {b.id for b in records}:
            self._cache.delete(RECORD_KIND, stale)
        for record in records:
            self._cache.put(RECORD_KIND, record.id, record.model_dump(mode="json"))
        self._cache.put(META_KIND, META_ID, {"seen_done": seen,
                                             "read_at": self._now().isoformat()})
        self._tidy({b.id for b in records})
        return self.bookings()

    def read_at(self) -> datetime | None:
        """When the server's list was last read (None: never on this device)."""
        meta = self._cache.get(META_KIND, META_ID) or {}
        return datetime.fromisoformat(meta["read_at"]) if meta.get("read_at") else None

    def _tidy(self, listed: set[str]) -> None:
        """Forget optimistic copies the server lists now, and questionnaire drafts that went
        with an accepted booking."""
        for booking_id in set(self._cache.items(LOCAL_KIND)) & listed:
            self._cache.delete(LOCAL_KIND, booking_id)
        for item in self.outbox.items(OutboxState.done):
            if item.kind == MutationKind.booking_create.value and item.payload.get(
                    "questionnaire"):
                self.discard_questionnaire(str(item.payload.get("service_id", "")))

    # --- reading ------------------------------------------------------------------------------
    def booking(self, booking_id: str) -> MyBooking | None:
        return next((b for b in self.bookings() if b.id == booking_id), None)

    def bookings(self) -> list[MyBooking]:
        """Refusals first, then upcoming (soonest first), then the rest (newest first)."""
        entries: dict[str, MyBooking] = {}
        for data in self._cache.items(RECORD_KIND).values():
            try:
                record = Booking.model_validate(data)
            except ValidationError:
                continue
            entries[record.id] = MyBooking(
                id=record.id, service_id=record.service_id, start=record.start,
                end=record.end, state=_STATE_OF[record.status], channel=record.channel,
                booked_at=record.created_at, record=record)
        meta = self._cache.get(META_KIND, META_ID) or {}
        seen = set(meta.get("seen_done") or ())
        local = self._cache.items(LOCAL_KIND)
        for item in self.outbox.items(OutboxState.waiting, OutboxState.sending,
                                      OutboxState.rejected, OutboxState.done):
            change = _CHANGE_OF.get(item.kind)
            if change is None or (item.state is OutboxState.done and item.id in seen):
                continue
            booking_id = str(item.payload.get("booking_id", ""))
            folded = _fold(entries.get(booking_id), item, change, local.get(booking_id))
            if folded is not None:
                entries[booking_id] = folded
        now = self._now()
        refused = [b for b in entries.values() if b.refusal is not None]
        upcoming = sorted((b for b in entries.values() if b.refusal is None and b.live
                           and b.end > now), key=lambda b: b.start)
        rest = sorted((b for b in entries.values() if b.refusal is None
                       and not (b.live and b.end > now)), key=lambda b: b.start, reverse=True)
        return [*sorted(refused, key=lambda b: b.start), *upcoming, *rest]


def _fold(base: MyBooking | None, item: OutboxItem, change: Change,
          local: dict[str, Any] | None) -> MyBooking | None:
    """The booking after one queued change (None: nothing to show for it)."""
    waiting = item.state in (OutboxState.waiting, OutboxState.sending)
    wanted = _time(item.payload.get("start"))
    refusal = None
    if item.state is OutboxState.rejected:
        code = RefusalCode.of(item.code)
        refusal = Refusal(item.id, change, code, item.reason or "", wanted,
                          alternatives(item.reason) if code is RefusalCode.slot_full else ())
    if change is Change.create:
        if base is not None or wanted is None:
            return None  # the server lists it already
        end = _time(local.get("end")) if local else None
        channel = str(local.get("channel")) if local else ""
        state = (BookingState.pending if waiting else BookingState.rejected if refusal
                 else BookingState.confirmed)
        return MyBooking(
            id=str(item.payload["booking_id"]), service_id=str(item.payload.get("service_id")),
            start=wanted, end=end or wanted, state=state,
            channel=Channel(channel) if channel in Channel._value2member_map_ else None,
            booked_at=item.created_at, waiting=Change.create if waiting else None,
            refusal=refusal)
    if base is None:
        return None
    if refusal is not None:
        return replace(base, refusal=refusal)
    waits = change if waiting else base.waiting
    if change is Change.cancel:
        return replace(base, state=BookingState.cancelled, waiting=waits)
    if wanted is None:
        return None
    return replace(base, start=wanted, end=wanted + (base.end - base.start), waiting=waits)


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=JAPAN_TZ)


def _wire(moment: datetime) -> str:
    """ISO 8601 with the +09:00 offset, as the contract writes every time."""
    return moment.astimezone(JAPAN_TZ).isoformat()


def _new_id() -> str:
    return uuid.uuid4().hex
