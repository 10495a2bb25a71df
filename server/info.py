"""Info record storage (keyword-only helpers, like server/notices.py).

An ingest hands over the full list of one feed for a scope (a file's municipalities, an
earthquake's event...). Each record's content hash decides: the same → nothing written, the
revision stays; different or new → a new revision; a record of that scope missing from the list
→ withdrawn (a tombstone with body {}). Everything is done with a few multi-row statements so a
whole seed is quick.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, insert, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from server.info_models import InfoDataset, InfoRecord, InfoRecordRow
from server.revisions import next_revisions

ENTITY = "info"
# Past this many ids a file's records are looked up by reading the whole dataset instead (bound
# parameters are limited: 32766 on SQLite, 65535 on PostgreSQL).
_MAX_LISTED = 20_000


@dataclass(frozen=True)
class RecordInput:
    """A record as a loader made it from its source."""

    record_id: str
    municipality: str | None
    lat: float | None
    lon: float | None
    body: dict[str, Any]


@dataclass(frozen=True)
class WithdrawScope:
    """The stored records of the same feed (`source`) that the new list replaces: those of these
    municipalities, those whose id starts with `id_prefix`, and those named in `ids`."""

    municipalities: frozenset[str] = frozenset()
    id_prefix: str | None = None
    ids: frozenset[str] = frozenset()

    def covers(self, record_id: str, municipality: str | None) -> bool:
        return (municipality in self.municipalities
                or (self.id_prefix is not None and record_id.startswith(self.id_prefix))
                or record_id in self.ids)


@dataclass
class IngestCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    withdrawn: int = 0

    def __iadd__(self, other: IngestCounts) -> IngestCounts:
        self.added += other.added
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.withdrawn += other.withdrawn
        return self


@dataclass
class _Stored:
    id: int
    source: str
    municipality: str | None
    content_hash: str
    withdrawn: bool
    body: str


@dataclass
class _Plan:
    new: list[RecordInput] = field(default_factory=list)
    changed: list[tuple[int, RecordInput]] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)


def content_hash(record: RecordInput) -> str:
    payload = [record.municipality, record.lat, record.lon, record.body]
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _stored(session: Session, dataset: InfoDataset, source: str, scope: WithdrawScope,
            listed: Collection[str]) -> dict[str, _Stored]:
    """The stored records an ingest can touch: those listed, and those of its feed and scope
    (not the whole dataset: a bundle of thirty shelter files would read it thirty times)."""
    row = InfoRecordRow
    in_scope: list[ColumnElement[bool]] = [col(row.municipality).in_(scope.municipalities),
                                           col(row.record_id).in_(scope.ids)]
    if scope.id_prefix is not None:
        in_scope.append(col(row.record_id).startswith(scope.id_prefix, autoescape=True))
    touched = and_(col(row.source) == source, or_(*in_scope))
    if len(listed) <= _MAX_LISTED:
        touched = or_(touched, col(row.record_id).in_(list(listed)))
    query = (sa_select(col(row.record_id), col(row.id), col(row.source), col(row.municipality),
                       col(row.content_hash), col(row.withdrawn), col(row.body))
             .where(col(row.dataset) == dataset.value))
    if len(listed) <= _MAX_LISTED:
        query = query.where(touched)
    return {r[0]: _Stored(id=r[1] or 0, source=r[2], municipality=r[3], content_hash=r[4],
                          withdrawn=r[5], body=r[6]) for r in session.execute(query).all()}


def apply_records(
    *,
    session: Session,
    dataset: InfoDataset,
    source: str,
    records: Sequence[RecordInput],
    scope: WithdrawScope,
    keep: Collection[str] = (),
    preserve: Sequence[str] = (),
) -> IngestCounts:
    """Store `records` as the full list of `source` for `scope`. Ids in `keep` (rows that could
    not be read this time) are left as they are; body keys in `preserve` are carried over from
    the stored record (another feed fills them: the duty rota in medical records)."""
    stored = _stored(session, dataset, source, scope, {r.record_id for r in records})
    plan, counts = _Plan(), IngestCounts()
    listed: set[str] = set()
    for record in records:
        listed.add(record.record_id)
        old = stored.get(record.record_id)
        if old is not None and preserve and not old.withdrawn:
            carried = json.loads(old.body)
            record = RecordInput(record.record_id, record.municipality, record.lat, record.lon,
                                 {**record.body, **{k: carried[k] for k in preserve
                                                    if k in carried}})
        if old is None:
            plan.new.append(record)
        elif old.withdrawn or old.content_hash != content_hash(record) or old.source != source:
            plan.changed.append((old.id, record))
        else:
            counts.unchanged += 1
    for record_id, old in stored.items():
        if (old.source == source and not old.withdrawn and record_id not in listed
                and record_id not in keep and scope.covers(record_id, old.municipality)):
            plan.withdrawn.append(old.id)
    counts.added, counts.changed = len(plan.new), len(plan.changed)
    counts.withdrawn = len(plan.withdrawn)
    _write(session, dataset, source, plan)
    return counts


def _fields(record: RecordInput) -> dict[str, Any]:
    return {"municipality": record.municipality, "lat": record.lat, "lon": record.lon,
            "body": json.dumps(record.body, ensure_ascii=False, separators=(",", ":")),
            "content_hash": content_hash(record), "withdrawn": False}


def _write(session: Session, dataset: InfoDataset, source: str, plan: _Plan) -> None:
    new_ids: list[int] = []
    if plan.new:
        statement = insert(InfoRecordRow).returning(col(InfoRecordRow.id),
                                                    sort_by_parameter_order=True)
        rows = [{"dataset": dataset.value, "record_id": r.record_id, "source": source,
                 "revision": 0, **_fields(r)} for r in plan.new]
        new_ids = [i for i in session.scalars(statement, rows) if i is not None]
    changed_ids = [row_id for row_id, _ in plan.changed]
    revisions = iter(next_revisions(session=session, entity=ENTITY,
                                    entity_ids=[*new_ids, *changed_ids, *plan.withdrawn]))
    # Revisions are given in list order: new and changed records as the source lists them,
    # then the tombstones.
    updates: list[dict[str, Any]] = [{"id": row_id, "revision": next(revisions)}
                                     for row_id in new_ids]
    if updates:
        session.execute(update(InfoRecordRow), updates)
    updates = [{"id": row_id, "revision": next(revisions), "source": source, **_fields(r)}
               for row_id, r in plan.changed]
    if updates:
        session.execute(update(InfoRecordRow), updates)
    updates = [{"id": row_id, "revision": next(revisions), "withdrawn": True, "body": "{}",
                "content_hash": ""} for row_id in plan.withdrawn]
    if updates:
        session.execute(update(InfoRecordRow), updates)


def update_bodies(
    *,
    session: Session,
    dataset: InfoDataset,
    change: Callable[[str, str | None, dict[str, Any]], dict[str, Any] | None],
) -> IngestCounts:
    """Rewrite live records' bodies in place: `change(record_id, municipality, body)` returns the
    new body, or None to leave the record alone. Only bodies that really differ get a revision."""
    rows = session.exec(
        select(InfoRecordRow).where(InfoRecordRow.dataset == dataset.value,
                                    col(InfoRecordRow.withdrawn).is_(False))
    ).all()
    counts, changed = IngestCounts(), []
    for row in rows:
        body = change(row.record_id, row.municipality, json.loads(row.body))
        if body is None:
            continue
        record = RecordInput(row.record_id, row.municipality, row.lat, row.lon, body)
        if content_hash(record) == row.content_hash:
            counts.unchanged += 1
        else:
            changed.append((row.id or 0, record))
    counts.changed = len(changed)
    revisions = next_revisions(session=session, entity=ENTITY,
                               entity_ids=[row_id for row_id, _ in changed])
    updates = [{"id": row_id, "revision": revision, **_fields(record)}
               for (row_id, record), revision in zip(changed, revisions, strict=True)]
    if updates:
        session.execute(update(InfoRecordRow), updates)
    return counts


def live_municipalities(*, session: Session, dataset: InfoDataset) -> dict[str, str | None]:
    """The municipality of each record not withdrawn, by id (what references are checked
    against)."""
    rows = session.exec(
        select(InfoRecordRow.record_id, InfoRecordRow.municipality)
        .where(InfoRecordRow.dataset == dataset.value, col(InfoRecordRow.withdrawn).is_(False))
    ).all()
    return dict(rows)


def latest_revision(*, session: Session, dataset: InfoDataset) -> int:
    return session.exec(
        select(func.coalesce(func.max(InfoRecordRow.revision), 0))
        .where(InfoRecordRow.dataset == dataset.value)
    ).one()


def count_records(*, session: Session, dataset: InfoDataset | None = None,
                  live_only: bool = False) -> int:
    query = select(func.count()).select_from(InfoRecordRow)
    if dataset is not None:
        query = query.where(InfoRecordRow.dataset == dataset.value)
    if live_only:
        query = query.where(col(InfoRecordRow.withdrawn).is_(False))
    return session.exec(query).one()


def _public(row: InfoRecordRow) -> InfoRecord:
    return InfoRecord(id=row.record_id, revision=row.revision, withdrawn=row.withdrawn,
                      municipality=row.municipality, lat=row.lat, lon=row.lon,
                      body={} if row.withdrawn else json.loads(row.body))


def records_since(
    *, session: Session, dataset: InfoDataset, since: int, limit: int
) -> tuple[list[InfoRecord], bool]:
    """Records of `dataset` changed after revision `since`, oldest change first, and whether
    more remain."""
    rows = session.exec(
        select(InfoRecordRow)
        .where(InfoRecordRow.dataset == dataset.value, InfoRecordRow.revision > since)
        .order_by(col(InfoRecordRow.revision))
        .limit(limit + 1)
    ).all()
    return [_public(row) for row in rows[:limit]], len(rows) > limit


def all_records(rows: Iterable[InfoRecordRow]) -> list[InfoRecord]:
    return [_public(row) for row in rows]
