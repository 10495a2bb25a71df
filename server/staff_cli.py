"""`python -m server.staff_cli`: counter staff's work on e-applications without a staff card,
straight on the server's database (the server's settings: KITOKITO_DATA_DIR, DATABASE_URL,
KITOKITO_SERVER_KEY_FILE), through the same functions as the staff routes
(server.application_review). For demos and administrators: whoever can run it can read the
database and the key anyway. Answers are JSON on stdout; exit status 1 with a code on stderr
when the application or code is not found or a move is not allowed.

    python -m server.staff_cli list [--status submitted]
    python -m server.staff_cli show APPLICATION_ID
    python -m server.staff_cli advance APPLICATION_ID received [--comment TEXT]
    python -m server.staff_cli verify-receipt 12345678
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlmodel import Session

from server import application_review as review
from server.application_models import Application, ApplicationStatus
from server.core.config import ServerSettings
from server.core.db import make_engine
from server.core.jpki import TrustStore
from server.core.migrate import migrate
from server.core.sealing import Sealer, load_or_create_key


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m server.staff_cli",
                                     description="Counter staff's work on e-applications.")
    parser.add_argument("--staff", help="who is acting (recorded); default cli:<login name>")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="applications, newest first")
    listing.add_argument("--status", choices=[s.value for s in ApplicationStatus])
    listing.add_argument("--limit", type=int, default=50)
    show = commands.add_parser("show", help="one application, its signature checked now")
    show.add_argument("application_id")
    advance = commands.add_parser("advance", help="move an application on")
    advance.add_argument("application_id")
    advance.add_argument("to", choices=[s.value for s in ApplicationStatus])
    advance.add_argument("--comment")
    verify = commands.add_parser("verify-receipt", help="check a resident's receipt code")
    verify.add_argument("code")
    return parser


def _staff_id(given: str | None) -> str:
    if given:
        return given[:64]
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (OSError, KeyError):  # no login name in this environment
        return "cli"


def _print(answer: BaseModel | Sequence[BaseModel]) -> None:
    if not isinstance(answer, BaseModel):
        print(json.dumps([item.model_dump(mode="json") for item in answer],
                         ensure_ascii=False, indent=2))
    else:
        print(answer.model_dump_json(indent=2))


def _fail(code: str) -> int:
    print(code, file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None, settings: ServerSettings | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = settings or ServerSettings()
    key_file = settings.resolved_server_key_file()
    if not key_file.exists():  # a new key would open nothing the server sealed
        return _fail(f"no server key at {key_file}: start the server once first")
    sealer = Sealer(load_or_create_key(key_file))
    engine = make_engine(settings.resolved_database_url())
    migrate(engine, sealer)
    now = datetime.now(UTC)
    try:
        with Session(engine) as session:
            return _run(args, session, sealer, TrustStore(settings.resolved_jpki_dir()), now)
    finally:
        engine.dispose()


def _run(args: argparse.Namespace, session: Session, sealer: Sealer, store: TrustStore,
         now: datetime) -> int:
    staff_id = _staff_id(args.staff)
    if args.command == "list":
        status = ApplicationStatus(args.status) if args.status else None
        _print(review.newest(session, status=status, limit=max(1, min(args.limit, 500))))
        return 0
    if args.command == "verify-receipt":
        found = review.verify_receipt(session, sealer, args.code.strip(),
                                      staff_user_id=staff_id, now=now)
        if found is None:
            return _fail("not_found: a used, expired or unknown code")
        _print(found)
        return 0
    application = session.get(Application, args.application_id)
    if application is None:
        return _fail("not_found")
    if args.command == "show":
        _print(review.inspect(session, sealer, store, application, now=now))
        return 0
    try:
        _print(review.advance(session, sealer, application, to=ApplicationStatus(args.to),
                              comment=args.comment, staff_user_id=staff_id, now=now))
    except review.TransitionNotAllowed as exc:
        return _fail(f"transition_not_allowed: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
