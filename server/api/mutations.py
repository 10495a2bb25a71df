"""POST /v1/mutations: a client's outbox, applied in order, exactly once per (client, seq).

Each mutation is its own transaction holding both the change (server.mutation_kinds) and its
bookkeeping (server.mutation_models): the client's last seq and the outcome of this one. The
transaction starts by writing the client's row (insert-if-missing, then locked), so two copies
of one request take turns: on SQLite the insert takes the single write lock before anything is
read; on PostgreSQL the row lock holds until commit. The second copy then finds its seq done.

A problem with one mutation (validation, the draft cap, an unknown kind) is recorded as that
mutation's rejection, so the client's queue moves on; only a batch that does not continue the
client's sequence is refused as a whole (409, with the seq expected).
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from server.api.deps import SessionDep, SettingsDep
from server.authz import ClockDep, CurrentUser
from server.core.bodies import INVALID
from server.mutation_kinds import CannotDecideNow, Context, apply
from server.mutation_models import (
    ClientMutation,
    MutationBatch,
    MutationClient,
    MutationConflict,
    MutationIn,
    MutationResult,
    MutationResults,
)

router = APIRouter(prefix="/v1", tags=["mutations"])


class _OutOfSequence(Exception):
    def __init__(self, detail: Literal["seq_gap", "seq_reused"], expected_seq: int) -> None:
        self.detail = detail
        self.expected_seq = expected_seq


@router.post("/mutations", response_model=MutationResults, responses={
    401: {"description": "No valid access token"},
    409: {"model": MutationConflict, "description": "The batch does not continue the sequence"},
    **INVALID,
    503: {"description": "A mutation cannot be checked now (no fresh revocation list): the "
                         "ones before it are applied, it and the rest are not; send again"}})
def post_mutations(
    batch: MutationBatch, principal: CurrentUser, session: SessionDep, settings: SettingsDep,
    clock: ClockDep, request: Request,
) -> MutationResults | JSONResponse:
    results = []
    state = request.app.state
    for mutation in batch.mutations:
        ctx = Context(session=session, user_id=principal.user_id, settings=settings,
                      now=clock.now(), session_id=principal.session_id, sealer=state.sealer,
                      trust_store=state.trust_store, procedures=state.procedures)
        try:
            results.append(_apply_once(ctx, batch.client_id, mutation))
        except _OutOfSequence as problem:
            return JSONResponse(status_code=409, content=MutationConflict(
                detail=problem.detail,
                expected_seq=problem.expected_seq).model_dump())
        except CannotDecideNow as problem:
            return JSONResponse(status_code=503, content={"detail": problem.code})
    return MutationResults(results=results)


def _apply_once(ctx: Context, client_id: str, mutation: MutationIn) -> MutationResult:
    """One transaction: lock the client's row, then apply, answer again, or refuse."""
    session = ctx.session
    try:
        last_seq = _lock_client(session, ctx.user_id, client_id)
        fingerprint = _fingerprint(mutation)
        if mutation.seq <= last_seq:
            return _answer_again(session, ctx.user_id, client_id, mutation, fingerprint)
        if mutation.seq != last_seq + 1:
            raise _OutOfSequence("seq_gap", last_seq + 1)
        rejection = apply(ctx, mutation.kind, mutation.payload)
        session.add(ClientMutation(
            user_id=ctx.user_id, client_id=client_id, seq=mutation.seq,
            mutation_id=mutation.id, fingerprint=fingerprint,
            outcome="rejected" if rejection else "applied",
            code=rejection.code if rejection else None,
            reason=rejection.reason if rejection else None, applied_at=ctx.now))
        client = session.get(MutationClient, (ctx.user_id, client_id))
        assert client is not None  # locked above
        client.last_seq = mutation.seq
        session.add(client)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    if rejection:
        return MutationResult(id=mutation.id, seq=mutation.seq, outcome="rejected",
                              code=rejection.code, reason=rejection.reason)
    return MutationResult(id=mutation.id, seq=mutation.seq, outcome="applied")


def _lock_client(session: Session, user_id: str, client_id: str) -> int:
    """The client's last applied seq, its row created if new and held until commit."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(MutationClient).values(
        user_id=user_id, client_id=client_id, last_seq=0).on_conflict_do_nothing())
    row = session.exec(
        select(MutationClient.last_seq)
        .where(col(MutationClient.user_id) == user_id,
               col(MutationClient.client_id) == client_id)
        .with_for_update()).one()
    return int(row)


def _answer_again(session: Session, user_id: str, client_id: str, mutation: MutationIn,
                  fingerprint: str) -> MutationResult:
    record = session.get(ClientMutation, (user_id, client_id, mutation.seq))
    seen = None if record is None else (record.mutation_id, record.fingerprint)
    code, reason = (record.code, record.reason) if record else (None, None)
    session.rollback()  # nothing to write: release the lock
    if seen != (mutation.id, fingerprint):
        # The client numbered two different changes alike: never guess which one it meant.
        raise _OutOfSequence("seq_reused", _next_seq(session, user_id, client_id))
    return MutationResult(id=mutation.id, seq=mutation.seq, outcome="duplicate",
                          code=code, reason=reason)


def _next_seq(session: Session, user_id: str, client_id: str) -> int:
    client = session.get(MutationClient, (user_id, client_id))
    session.rollback()
    return (client.last_seq if client else 0) + 1


def _fingerprint(mutation: MutationIn) -> str:
    canonical = json.dumps([mutation.kind, mutation.payload], sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
