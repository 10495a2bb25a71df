"""The booking workload of the fault harness (tests/contract/test_booking_outbox.py): a few
residents, each on one device, book, cancel and reschedule among the few places of one
service's three slots, so that they compete for places. Which of those changes the server
accepts depends on who gets there first, so the checks are what must hold whatever the order:
each change applied at most once (the audit), the server holding exactly what the accepted
changes make, no slot over its capacity and its counter equal to its live bookings, and every
change ending accepted or rejected with a reason, the planted invalid ones with their code.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.consultations.catalogue import add_service, service_input
from server.consultations.slots import JST, iso
from services.outbox import OutboxItem, OutboxState
from tests.contract.harness import Change

CAPACITY = 1  # two residents: one place a slot is what they compete for
# The codes a change may meet when others got there first (anything else fails the run).
RACE_CODES = {
    "booking.create": {"slot_full", "already_booked", "booking_id_taken"},
    "booking.cancel": {"not_active", "not_found"},
    "booking.reschedule": {"slot_full", "already_booked", "not_active", "not_found"},
}
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"]


def add_harness_service(engine: Engine, service_id: str, now: datetime) -> list[str]:
    """A service open every day, hourly slots of CAPACITY places, bookable up to the start;
    the three starts of tomorrow 10:00-12:00 (Japan time) the workload uses."""
    data = {
        "id": service_id, "kind": "consumer", "name": {"ja": "試験", "en": "Test"},
        "description": {"ja": "試験", "en": "Test"}, "needs": {"ja": [], "en": []},
        "provider": "試験", "languages": ["ja"], "channel": "phone", "duration_min": 30,
        "capacity": CAPACITY, "book_from_days": 2, "book_until_hours": 0,
        "cancel_until_hours": 0, "login_required": True, "anonymous_allowed": False,
        "phone": "000",
        "rules": [{"day": d, "start": "00:00", "end": "23:00", "slot_min": 60} for d in DAYS]}
    with Session(engine) as session:
        add_service(session, service_input(data), position=1000)
        session.commit()
    tomorrow = (now.astimezone(JST) + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    return [iso(tomorrow + timedelta(hours=h)) for h in range(3)]


@dataclass
class BookingWorkload:
    """One resident's changes: change n depends only on (seed, n)."""

    seed: str
    service_id: str
    starts: list[str]
    bookings: int = 2
    booking_ids: list[str] = field(init=False)

    def __post_init__(self) -> None:
        rng = random.Random(f"booking-ids-{self.seed}")
        self.booking_ids = [f"{rng.getrandbits(128):032x}" for _ in range(self.bookings)]

    def change(self, n: int) -> Change:
        rng = random.Random(f"{self.seed}-{n}")
        booking_id, start = rng.choice(self.booking_ids), rng.choice(self.starts)
        roll = rng.random()
        create = {"booking_id": booking_id, "service_id": self.service_id, "start": start}
        if roll < 0.08:
            return Change("booking.create", create | {"note": "x" * 401},
                          rejected="invalid_payload")
        if roll < 0.14:
            return Change("booking.cancel", {"booking_id": f"{rng.getrandbits(128):032x}"},
                          rejected="not_found")
        if roll < 0.55:
            return Change("booking.create", create)
        if roll < 0.75:
            return Change("booking.cancel", {"booking_id": booking_id})
        return Change("booking.reschedule", {"booking_id": booking_id, "start": start})

    def expected(self, items: Sequence[OutboxItem]) -> dict[str, tuple[str, str]]:
        """What the accepted changes make: booking id -> (start, status)."""
        held: dict[str, tuple[str, str]] = {}
        for item in items:
            if item.state == OutboxState.rejected:
                continue
            booking_id = item.payload["booking_id"]
            if item.kind == "booking.create":
                held.setdefault(booking_id, (item.payload["start"], "confirmed"))
            elif item.kind == "booking.cancel":
                held[booking_id] = (held[booking_id][0], "cancelled")
            else:
                held[booking_id] = (item.payload["start"], held[booking_id][1])
        return held


def check_rejections(items: Sequence[OutboxItem], changes: Sequence[Change]) -> None:
    assert not [i for i in items if i.state not in (OutboxState.done, OutboxState.rejected)], \
        "every change ends accepted or rejected"
    for item, change in zip(items, changes, strict=True):
        if change.rejected:
            assert (item.state, item.code) == (OutboxState.rejected, change.rejected), \
                f"planted {change.rejected} at seq {item.seq}: {item.code}"
        elif item.state == OutboxState.rejected:
            assert item.code in RACE_CODES[item.kind], f"{item.kind}: {item.code}"
        if item.state == OutboxState.rejected:
            assert item.reason, f"a reason for seq {item.seq}"


def check_capacity(engine: Engine, service_id: str) -> None:
    with engine.connect() as conn:
        live = dict(conn.execute(text(
            "SELECT start, count(*) FROM consultation_booking WHERE service_id = :s AND "
            "status = 'confirmed' GROUP BY start"), {"s": service_id}).all())
        counted = dict(conn.execute(text(
            "SELECT start, booked FROM consultation_slot WHERE service_id = :s"),
            {"s": service_id}).all())
    assert all(n <= CAPACITY for n in live.values()), f"over capacity: {live}"
    assert {s: n for s, n in counted.items() if n} == live, f"counters {counted} != {live}"


def on_server(bookings: list[dict[str, Any]], ids: list[str]) -> dict[str, tuple[str, str]]:
    return {b["id"]: (b["start"], b["status"]) for b in bookings if b["id"] in ids}
