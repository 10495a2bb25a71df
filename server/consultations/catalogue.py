"""The consultation services, their rules and exceptions: seeded from
server/seed/consultations/services.json on a first start (KITOKITO_SEED_CONSULTATIONS), read
from the tables afterwards (what an administrator changes there is what residents see)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from server.consultations.models import (
    HHMM,
    ConsultationService,
    OpeningException,
    OpeningRule,
    Service,
    ServiceCatalogue,
)
from server.consultations.slots import DateException, Day, ExceptionKind, Rule, Window

SEED_FILE = Path(__file__).resolve().parents[1] / "seed" / "consultations" / "services.json"
SEED_LOCK = 7_210_011  # workers starting together seed once


class _RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    day: Day
    start: str = PydanticField(pattern=HHMM)
    end: str = PydanticField(pattern=HHMM)
    slot_min: int = PydanticField(ge=5, le=480)


class _ExceptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: date
    kind: ExceptionKind
    start: str | None = PydanticField(default=None, pattern=HHMM)
    end: str | None = PydanticField(default=None, pattern=HHMM)
    slot_min: int | None = PydanticField(default=None, ge=5, le=480)


class _ServiceIn(Service):
    rules: list[_RuleIn]
    exceptions: list[_ExceptionIn] = []


class _SeedFile(BaseModel):
    services: list[_ServiceIn]


def _time(value: str) -> time:
    return time.fromisoformat(value)


@dataclass(frozen=True)
class Schedule:
    """A service with what its slots are made from."""

    service: Service
    rules: tuple[Rule, ...]
    exceptions: tuple[DateException, ...]

    def window(self, now: Any) -> Window:
        return Window.at(now, book_from_days=self.service.book_from_days,
                         book_until_hours=self.service.book_until_hours)


def seed_consultations(engine: Engine, path: Path = SEED_FILE) -> int:
    """Load the bundled services if there are none yet; how many were added."""
    seed = _SeedFile.model_validate_json(path.read_text(encoding="utf-8"))
    with Session(engine) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEED_LOCK})
        if session.exec(select(func.count()).select_from(ConsultationService)).one() > 0:
            return 0
        for position, item in enumerate(seed.services):
            add_service(session, item, position=position)
        session.commit()
        return len(seed.services)


def add_service(session: Session, item: _ServiceIn, *, position: int) -> None:
    body = Service.model_validate(item.model_dump(exclude={"rules", "exceptions"}))
    session.add(ConsultationService(id=item.id, position=position,
                                    body=body.model_dump_json()))
    session.flush()
    for rule in item.rules:
        session.add(OpeningRule(service_id=item.id, day=rule.day.value, start=rule.start,
                                end=rule.end, slot_min=rule.slot_min))
    for extra in item.exceptions:
        session.add(OpeningException(service_id=item.id, on_date=extra.date,
                                     kind=extra.kind.value, start=extra.start, end=extra.end,
                                     slot_min=extra.slot_min))
    session.flush()


def service_input(data: dict[str, Any]) -> _ServiceIn:
    """A service with its rules as the seed file writes it (tests and tools add their own)."""
    return _ServiceIn.model_validate(data)


def catalogue(session: Session) -> tuple[ServiceCatalogue, str]:
    """Every service in order, and its version (also the ETag)."""
    rows = session.exec(select(ConsultationService)
                        .order_by(col(ConsultationService.position),
                                  col(ConsultationService.id))).all()
    services = [Service.model_validate_json(row.body) for row in rows]
    digest = hashlib.sha256(json.dumps(
        [s.model_dump(mode="json") for s in services], sort_keys=True,
        ensure_ascii=False).encode("utf-8")).hexdigest()[:20]
    return ServiceCatalogue(version=digest, services=services), digest


def schedule(session: Session, service_id: str) -> Schedule | None:
    row = session.get(ConsultationService, service_id)
    if row is None:
        return None
    rules = session.exec(select(OpeningRule).where(col(OpeningRule.service_id) == service_id)
                         .order_by(col(OpeningRule.id))).all()
    extras = session.exec(select(OpeningException)
                          .where(col(OpeningException.service_id) == service_id)
                          .order_by(col(OpeningException.id))).all()
    return Schedule(
        service=Service.model_validate_json(row.body),
        rules=tuple(Rule(Day(r.day), _time(r.start), _time(r.end), r.slot_min) for r in rules),
        exceptions=tuple(DateException(
            e.on_date, ExceptionKind(e.kind), _time(e.start) if e.start else None,
            _time(e.end) if e.end else None, e.slot_min) for e in extras))
