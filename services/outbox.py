"""The outbox: changes the resident made on this device, in order, until the server has them.

    with store.write() as tx:                 # one local transaction:
        tx.add(local_row)                     #   the optimistic local change
        outbox.enqueue(tx, MutationKind.draft_save, {...})  # and what tells the server
    await drain(outbox, auth_session)         # services/outbox_sender.py

Each item gets a client-generated id and the next seq of its resident, in the transaction that
enqueues it, so seqs have no gaps (the server refuses a gap). States: waiting -> sending ->
done, or rejected (with the server's code and reason). An item is marked done or rejected only
after the server's answer; one left at "sending" by a killed process is simply sent again, and
the server's (client, seq) bookkeeping answers it as a duplicate. Nothing is ever dropped: a
rejected item stays until the resident discards it (`discard`).

Items belong to the resident who made them; each resident has its own client id and sequence.
Payloads hold personal data (a signed application), so with a `sealer` (the resident's key,
services/crypto.Sealer) they are stored sealed: the shared store file shows kinds and order,
never contents.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from sqlmodel import Session, col, select

from services.store import LocalStore, OutboxClientRow, OutboxRow

# The server takes bodies up to 64 KiB nested up to 32 levels, envelope included: an item
# that could never be sent is refused here, with the local change it belongs to.
MAX_PAYLOAD_BYTES = 48 * 1024
MAX_PAYLOAD_DEPTH = 24


class MutationKind(StrEnum):
    """What a queued change does on the server (POST /v1/mutations)."""

    draft_save = "draft.save"
    draft_delete = "draft.delete"
    application_submit = "application.submit"
    application_withdraw = "application.withdraw"
    application_resubmit = "application.resubmit"
    booking_create = "booking.create"  # docs/booking.md
    booking_cancel = "booking.cancel"
    booking_reschedule = "booking.reschedule"


class PayloadSealer(Protocol):
    def seal(self, plaintext: bytes, associated_data: bytes) -> bytes: ...

    def open(self, sealed: bytes, associated_data: bytes) -> bytes: ...


SEALED_PREFIX = "sealed:v1:"


class OutboxState(StrEnum):
    waiting = "waiting"
    sending = "sending"
    rejected = "rejected"
    done = "done"


UNSETTLED = (OutboxState.waiting, OutboxState.sending)


class Rejection(NamedTuple):
    """The server's verdict on one change: a machine code and a reason to show."""

    code: str
    reason: str


class PayloadTooLarge(ValueError):
    """The change is too large or too deeply nested for the server ever to take it."""


@dataclass(frozen=True)
class OutboxItem:
    id: str
    seq: int
    kind: str
    payload: dict[str, Any]
    state: OutboxState
    code: str | None
    reason: str | None
    created_at: datetime

    @property
    def payload_json(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False, separators=(",", ":"))


def utc_now() -> datetime:
    return datetime.now(UTC)


class Outbox:
    """One resident's queue in the device's store."""

    def __init__(self, store: LocalStore, user_id: str, *,
                 now: Callable[[], datetime] = utc_now,
                 sealer: PayloadSealer | None = None) -> None:
        self.store = store
        self.user_id = user_id
        self._now = now
        self._sealer = sealer

    # --- adding -------------------------------------------------------------------------
    def enqueue(self, tx: Session, kind: MutationKind, payload: dict[str, Any]) -> OutboxItem:
        """Queue a change inside the caller's store transaction (LocalStore.write)."""
        payload_json = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        if (len(payload_json.encode("utf-8")) > MAX_PAYLOAD_BYTES
                or _depth(payload) > MAX_PAYLOAD_DEPTH):
            raise PayloadTooLarge(kind)
        client = self._client_row(tx)
        client.last_seq += 1
        item_id = uuid.uuid4().hex
        stored = payload_json
        if self._sealer is not None:
            sealed = self._sealer.seal(payload_json.encode("utf-8"), self._aad(item_id))
            stored = SEALED_PREFIX + base64.b64encode(sealed).decode("ascii")
        row = OutboxRow(user_id=self.user_id, seq=client.last_seq, id=item_id,
                        kind=kind, payload_json=stored, state=OutboxState.waiting.value,
                        created_at=self._now())
        tx.add(client)
        tx.add(row)
        tx.flush()
        return self._item(row)

    def add(self, kind: MutationKind, payload: dict[str, Any]) -> OutboxItem:
        """Queue a change that has no local row of its own (its own transaction)."""
        with self.store.write() as tx:
            return self.enqueue(tx, kind, payload)

    # --- reading ------------------------------------------------------------------------
    def client_id(self) -> str:
        with self.store.write() as tx:
            return self._client_row(tx).client_id

    def items(self, *states: OutboxState) -> list[OutboxItem]:
        """This resident's items in order (all, or those in `states`)."""
        with Session(self.store.engine) as tx:
            query = select(OutboxRow).where(col(OutboxRow.user_id) == self.user_id)
            if states:
                query = query.where(col(OutboxRow.state).in_([s.value for s in states]))
            return [self._item(row) for row in tx.exec(query.order_by(col(OutboxRow.seq))).all()]

    def pending(self, limit: int) -> list[OutboxItem]:
        """The first `limit` items not yet answered, in order."""
        with Session(self.store.engine) as tx:
            rows = tx.exec(
                select(OutboxRow)
                .where(col(OutboxRow.user_id) == self.user_id,
                       col(OutboxRow.state).in_([s.value for s in UNSETTLED]))
                .order_by(col(OutboxRow.seq)).limit(limit)).all()
            return [self._item(row) for row in rows]

    # --- what the sender records ----------------------------------------------------------
    def mark_sending(self, items: Sequence[OutboxItem]) -> None:
        """Before the request: a kill from here on leaves them "sending", sent again later."""
        with self.store.write() as tx:
            rows = tx.exec(select(OutboxRow).where(
                col(OutboxRow.user_id) == self.user_id,
                col(OutboxRow.id).in_([item.id for item in items]),
                col(OutboxRow.state) == OutboxState.waiting.value)).all()
            for row in rows:
                row.state = OutboxState.sending.value
                tx.add(row)

    def settle(self, done: Sequence[str], rejected: Mapping[str, Rejection]) -> None:
        """Record the server's answer for a batch, in one transaction. Items already settled
        (an answer recorded by an earlier drain) are left as they are."""
        with self.store.write() as tx:
            rows = tx.exec(select(OutboxRow).where(
                col(OutboxRow.user_id) == self.user_id,
                col(OutboxRow.id).in_([*done, *rejected]),
                col(OutboxRow.state).in_([s.value for s in UNSETTLED]))).all()
            for row in rows:
                if row.id in rejected:
                    row.state = OutboxState.rejected.value
                    row.code, row.reason = rejected[row.id]
                else:
                    row.state = OutboxState.done.value
                tx.add(row)

    # --- what the resident decides --------------------------------------------------------
    def discard(self, item_id: str) -> None:
        """Forget a rejected item, on the resident's word. Only rejected ones: anything else
        may still reach the server (or has), and its seq must stay."""
        with self.store.write() as tx:
            row = self._row(tx, item_id)
            if row is None:
                raise KeyError(item_id)
            if row.state != OutboxState.rejected.value:
                raise ValueError(f"only a rejected item can be discarded, not a {row.state} one")
            tx.delete(row)

    def forget(self) -> int:
        """Delete this resident's queue and sequence from the device (at logout, when the key
        that seals it goes). Returns how many items had not been answered."""
        with self.store.write() as tx:
            rows = tx.exec(select(OutboxRow).where(col(OutboxRow.user_id) == self.user_id)).all()
            unsent = sum(1 for row in rows if row.state in {s.value for s in UNSETTLED})
            for row in rows:
                tx.delete(row)
            client = tx.get(OutboxClientRow, self.user_id)
            if client is not None:
                tx.delete(client)
        return unsent

    # --- inside ---------------------------------------------------------------------------
    def _client_row(self, tx: Session) -> OutboxClientRow:
        row = tx.get(OutboxClientRow, self.user_id)
        if row is None:
            row = OutboxClientRow(user_id=self.user_id, client_id=uuid.uuid4().hex, last_seq=0)
            tx.add(row)
            tx.flush()
        return row

    def _row(self, tx: Session, item_id: str) -> OutboxRow | None:
        return tx.exec(select(OutboxRow).where(col(OutboxRow.user_id) == self.user_id,
                                               col(OutboxRow.id) == item_id)).first()

    def _aad(self, item_id: str) -> bytes:
        return f"kitokito.outbox.v1|{self.user_id}|{item_id}".encode()

    def _item(self, row: OutboxRow) -> OutboxItem:
        created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
        text = row.payload_json
        if text.startswith(SEALED_PREFIX):
            if self._sealer is None:
                raise ValueError("this outbox item is sealed; open the outbox with its key")
            sealed = base64.b64decode(text[len(SEALED_PREFIX):])
            text = self._sealer.open(sealed, self._aad(row.id)).decode("utf-8")
        return OutboxItem(id=row.id, seq=row.seq, kind=row.kind,
                          payload=json.loads(text), state=OutboxState(row.state),
                          code=row.code, reason=row.reason, created_at=created)


def _depth(value: Any) -> int:
    """Nesting of dicts and lists (iterative: no recursion on whatever a caller passes)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item)
    return deepest
