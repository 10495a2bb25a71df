"""What a mutation handler gets (Context) and answers (None, or a Rejection), apart from the
handlers themselves so that rule modules (server.applications) and the dispatcher
(server.mutation_kinds) can both use them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlmodel import Session

from server.catalogue import Procedures
from server.core.config import ServerSettings
from server.core.jpki import TrustStore
from server.core.sealing import Sealer


@dataclass(frozen=True)
class Rejection:
    code: str
    reason: str


class CannotDecideNow(Exception):
    """The server cannot check this mutation at the moment (no fresh revocation list): nothing
    is recorded, the request answers 503 and the client sends it again later."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Context:
    session: Session
    user_id: str
    settings: ServerSettings
    now: datetime
    session_id: str  # the login making the request: its card is the resident's card
    sealer: Sealer
    trust_store: TrustStore
    procedures: Procedures


def invalid(exc: ValidationError, prefix: str = "") -> Rejection:
    # Where and what, never the refused value itself.
    first = exc.errors(include_input=False)[0]
    where = ".".join(str(part) for part in (prefix, *first["loc"]) if part != "") or "payload"
    return Rejection("invalid_payload", f"{where}: {first['msg']}"[:200])
