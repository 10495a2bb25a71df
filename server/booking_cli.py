"""`python -m server.booking_cli`: the clinic's and the counter's side of consultation
bookings (docs/booking.md), straight on the server's database with the server's settings
(KITOKITO_DATA_DIR, DATABASE_URL, KITOKITO_SERVER_KEY_FILE), like server.staff_cli. Answers
are JSON on stdout; exit status 1 with a code on stderr when the booking is not found or the
change does not apply.

    python -m server.booking_cli list [--service ID] [--day YYYY-MM-DD]
    python -m server.booking_cli complete BOOKING_ID
    python -m server.booking_cli prescription BOOKING_ID --note TEXT --fulfilment pickup|delivery
    python -m server.booking_cli prescription-status BOOKING_ID preparing|ready|shipped|delivered
    python -m server.booking_cli join-url BOOKING_ID URL
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlmodel import Session

from server.consultations import clinic
from server.consultations.models import Booking, Fulfilment, PrescriptionStatus
from server.consultations.reads import public
from server.core.config import ServerSettings
from server.core.db import make_engine
from server.core.migrate import migrate
from server.core.sealing import Sealer, load_or_create_key


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m server.booking_cli",
                                     description="The clinic's side of consultation bookings.")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="bookings by start, with what residents wrote")
    listing.add_argument("--service")
    listing.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD, Japan time")
    complete = commands.add_parser("complete", help="the consultation took place")
    complete.add_argument("booking_id")
    prescription = commands.add_parser("prescription", help="issue a prescription")
    prescription.add_argument("booking_id")
    prescription.add_argument("--note", required=True)
    prescription.add_argument("--fulfilment", required=True, choices=[f.value for f in Fulfilment])
    status = commands.add_parser("prescription-status", help="move a prescription on")
    status.add_argument("booking_id")
    status.add_argument("status", choices=[s.value for s in PrescriptionStatus])
    join = commands.add_parser("join-url", help="the video link of a booking")
    join.add_argument("booking_id")
    join.add_argument("url")
    return parser


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
    try:
        with Session(engine) as session:
            return _run(args, session, sealer, datetime.now(UTC))
    finally:
        engine.dispose()


def _run(args: argparse.Namespace, session: Session, sealer: Sealer, now: datetime) -> int:
    if args.command == "list":
        print(json.dumps(clinic.listing(session, sealer, service_id=args.service,
                                        day=args.day), ensure_ascii=False, indent=2))
        return 0
    booking = session.get(Booking, args.booking_id)
    if booking is None:
        return _fail("not_found")
    try:
        if args.command == "complete":
            clinic.complete(session, booking, now)
        elif args.command == "prescription":
            clinic.prescribe(session, sealer, booking, note=args.note,
                             fulfilment=Fulfilment(args.fulfilment), now=now)
        elif args.command == "prescription-status":
            clinic.prescription_status(session, booking, PrescriptionStatus(args.status), now)
        else:
            clinic.join_url(session, booking, args.url, now)
    except clinic.NotAllowed as exc:
        session.rollback()
        return _fail(str(exc))
    session.refresh(booking)
    print(public(sealer, booking).model_dump_json(indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
