"""The outbox's server side: per-client bookkeeping tables and the wire models of
POST /v1/mutations.

A client (one install of the app, `client_id`) numbers its mutations 1, 2, 3, ... The server
keeps, per (resident, client), the last seq it applied (`MutationClient`) and what became of
each one (`ClientMutation`), written in the same transaction as the mutation itself. So a
retry after a lost acknowledgement finds its seq already recorded and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlalchemy import BigInteger, Column, DateTime
from sqlmodel import Field, SQLModel

HEX_ID = r"^[0-9a-f]{32}$"  # a uuid4 as 32 lowercase hex digits, like draft ids
MAX_BATCH = 50
MAX_SEQ = 2**62  # fits PostgreSQL's BIGINT


class MutationClient(SQLModel, table=True):
    """The last seq applied for one resident's client (row lock = one writer at a time)."""

    __tablename__ = "mutation_client"

    user_id: str = Field(primary_key=True, max_length=64)
    client_id: str = Field(primary_key=True, max_length=32)
    last_seq: int = Field(sa_column=Column(BigInteger, nullable=False))


class ClientMutation(SQLModel, table=True):
    """What became of one applied seq: answered again, unchanged, to any retry of it."""

    __tablename__ = "client_mutation"

    user_id: str = Field(primary_key=True, max_length=64)
    client_id: str = Field(primary_key=True, max_length=32)
    seq: int = Field(sa_column=Column(BigInteger, primary_key=True))
    mutation_id: str = Field(max_length=32)
    fingerprint: str = Field(max_length=64)  # sha256 of kind + payload: a reused seq shows
    outcome: str = Field(max_length=10)  # applied | rejected
    code: str | None = Field(default=None, max_length=40)
    reason: str | None = Field(default=None, max_length=200)
    applied_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


# --- wire models -------------------------------------------------------------------------
class MutationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = PydanticField(pattern=HEX_ID, description="Client-generated uuid4 (hex)")
    seq: int = PydanticField(ge=1, le=MAX_SEQ, description="Per client, 1, 2, 3, ...")
    # Any string: a kind this server does not know is one rejected mutation, not a refused
    # batch, so an older server never blocks a newer client's queue.
    kind: str = PydanticField(min_length=1, max_length=40)
    payload: dict[str, Any]


class MutationBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: str = PydanticField(pattern=HEX_ID)
    mutations: list[MutationIn] = PydanticField(min_length=1, max_length=MAX_BATCH)


class MutationResult(BaseModel):
    id: str
    seq: int
    outcome: Literal["applied", "duplicate", "rejected"] = PydanticField(
        description="duplicate: this seq was applied before; code and reason are set when it "
                    "was rejected then")
    code: str | None = None
    reason: str | None = None


class MutationResults(BaseModel):
    results: list[MutationResult]


class MutationConflict(BaseModel):
    """409: the batch does not continue the client's sequence (nothing after it was applied)."""

    detail: Literal["seq_gap", "seq_reused"]
    expected_seq: int
