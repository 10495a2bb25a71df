"""Tourist spot crowd levels (docs/tourism-crowds.md): by hour for a date, the sensor readings of
that date, else past readings of the same kind of day, else the survey estimate; quieter places
nearby and quieter hours. A request reads its readings in one query (the nearby spots' too).
Reading the levels is public (nothing personal); recording sensor readings is for staff only (a
signed-in staff member: 401 without a token, 403 for residents)."""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from datetime import date as Date
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from server.api.deps import SessionDep
from server.authz import ClockDep, StaffUser
from server.info_models import InfoDataset, InfoRecordRow
from server.tourism import crowds
from server.tourism.readings import SensorReading, occupancies, store_readings

router = APIRouter(prefix="/v1/tourism", tags=["tourism"])
JST = ZoneInfo("Asia/Tokyo")
RADIUS_KM = 3.0  # "nearby": a short walk, bus or drive between spots
MAX_ALTERNATIVES = 3
PEAK_HOUR = crowds.HOURLY_PROFILE.index(max(crowds.HOURLY_PROFILE))
SpotId = Annotated[str, Path(min_length=1, max_length=80, pattern=r"^[0-9A-Za-z_-]+$")]
DateQuery = Annotated[Date, Query(alias="date", description="YYYY-MM-DD (Japan)")]


class Now(BaseModel):
    level: crowds.Level
    index: float
    source: crowds.Source = crowds.Source.survey


class Hour(BaseModel):
    hour: int
    level: crowds.Level
    index: float
    measured: bool = False
    source: crowds.Source = crowds.Source.survey


class Crowds(BaseModel):
    spot_id: str
    date: Date
    basis: crowds.Basis
    hours: list[Hour]
    now: Now | None


class Alternative(BaseModel):
    spot_id: str
    name: str
    distance_km: float
    level: crowds.Level
    index: float


class Quieter(BaseModel):
    spot_id: str
    date: Date
    hour: int
    level: crowds.Level
    radius_km: float
    alternatives: list[Alternative]
    quieter_hours: list[int]


class Reading(BaseModel):
    spot_id: str = Field(min_length=1, max_length=80)
    date: Date
    hour: int = Field(ge=0, le=23)
    occupancy: float = Field(ge=0, le=1, description="Share of capacity in use, 0..1")


class Readings(BaseModel):
    readings: list[Reading] = Field(min_length=1, max_length=500)


class Stored(BaseModel):
    stored: int


class _Spot(BaseModel):
    id: str
    name: str
    lat: float | None
    lon: float | None


def _spots(session: Session) -> dict[str, _Spot]:
    rows = session.exec(select(InfoRecordRow).where(
        InfoRecordRow.dataset == InfoDataset.spots.value,
        col(InfoRecordRow.withdrawn).is_(False))).all()
    return {r.record_id: _Spot(id=r.record_id, name=json.loads(r.body).get("name", ""),
                               lat=r.lat, lon=r.lon) for r in rows}


def _spot_or_404(spots: dict[str, _Spot], spot_id: str) -> _Spot:
    if spot_id not in spots:
        raise HTTPException(status_code=404, detail="Unknown spot")
    return spots[spot_id]


class _Day:
    """The day's hours of any of `spot_ids`, from their readings fetched in one query."""

    def __init__(self, session: Session, spot_ids: Collection[str], day: Date,
                 today: Date) -> None:
        self.day, self.today = day, today
        self.readings = occupancies(session, spot_ids, *crowds.readings_span(day, today))

    def of(self, spot_id: str) -> tuple[list[Hour], crowds.Basis]:
        result = crowds.day_forecast(
            self.day, self.today, crowds.day_index(crowds.survey_popularity(), spot_id, self.day),
            self.readings.get(spot_id, {}))
        return [Hour(hour=h.hour, level=h.level, index=h.index, source=h.source,
                     measured=h.source is crowds.Source.measured)
                for h in result.hours], result.basis


def _at(hours: list[Hour], hour: int) -> Hour:
    return next((h for h in hours if h.hour == hour),
                Hour(hour=hour, level=crowds.Level.quiet, index=0.0))


def distance_km(a: _Spot, b: _Spot) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


@router.get("/crowds/{spot_id}", response_model=Crowds,
            responses={404: {"description": "No such spot"}})
def spot_crowds(session: SessionDep, clock: ClockDep, spot_id: SpotId,
                day: DateQuery) -> Crowds:
    _spot_or_404(_spots(session), spot_id)
    now_jst = clock.now().astimezone(JST)
    hours, basis = _Day(session, [spot_id], day, now_jst.date()).of(spot_id)
    now = None
    if now_jst.date() == day:
        current = _at(hours, now_jst.hour)
        now = Now(level=current.level, index=current.index, source=current.source)
    return Crowds(spot_id=spot_id, date=day, basis=basis, hours=hours, now=now)


@router.get("/crowds/{spot_id}/quieter", response_model=Quieter,
            responses={404: {"description": "No such spot"}})
def quieter(session: SessionDep, clock: ClockDep, spot_id: SpotId, day: DateQuery,
            hour: Annotated[int | None, Query(ge=0, le=23)] = None) -> Quieter:
    """Up to three spots within RADIUS_KM that are quieter at the same hour (the given hour;
    else now when the date is today; else the usual peak hour), nearest first, and the hours of
    the day when the spot itself is quieter than then."""
    spots = _spots(session)
    spot = _spot_or_404(spots, spot_id)
    now_jst: datetime = clock.now().astimezone(JST)
    if hour is None:
        hour = now_jst.hour if now_jst.date() == day else PEAK_HOUR
    near: list[tuple[float, _Spot]] = []
    if spot.lat is not None and spot.lon is not None:
        near = sorted(((d, other) for other in spots.values()
                       if other.id != spot_id and other.lat is not None and other.lon is not None
                       and (d := distance_km(spot, other)) <= RADIUS_KM),
                      key=lambda pair: pair[0])
    forecasts = _Day(session, [spot_id, *(other.id for _, other in near)], day, now_jst.date())
    hours, _ = forecasts.of(spot_id)
    here = _at(hours, hour)
    order = list(crowds.Level)
    alternatives: list[Alternative] = []
    for distance, other in near:
        if len(alternatives) == MAX_ALTERNATIVES:
            break
        there = _at(forecasts.of(other.id)[0], hour)
        if order.index(there.level) < order.index(here.level):
            alternatives.append(Alternative(spot_id=other.id, name=other.name,
                                            distance_km=round(distance, 2),
                                            level=there.level, index=there.index))
    quieter_hours = [h.hour for h in hours if order.index(h.level) < order.index(here.level)]
    return Quieter(spot_id=spot_id, date=day, hour=hour, level=here.level, radius_km=RADIUS_KM,
                   alternatives=alternatives, quieter_hours=quieter_hours)


@router.post("/readings", response_model=Stored,
             responses={401: {"description": "Not signed in"},
                        403: {"description": "Not staff"},
                        404: {"description": "Unknown spot"},
                        413: {"description": "Body over the server's size limit"}})
def record_readings(session: SessionDep, clock: ClockDep, staff: StaffUser,
                    payload: Readings) -> Stored:
    """Sensor occupancy readings (staff only); a reading of an hour already recorded with
    another occupancy replaces it. They override the estimate for their spot and date, and
    forecast later days of the same kind."""
    spots = _spots(session)
    for reading in payload.readings:
        _spot_or_404(spots, reading.spot_id)
    store_readings(session, [SensorReading(r.spot_id, r.date, r.hour, r.occupancy)
                             for r in payload.readings],
                   recorded_by=staff.user_id, now=clock.now())
    session.commit()
    return Stored(stored=len(payload.readings))
