"""Command line for the card stub.

  python -m services.mynumber new-card --name 氏名 --birth YYYY-MM-DD --address 住所
        [--sex male|female|not_known|not_applicable] [--pin 1234] [--password ABC123]
        [--data-dir DIR]
  python -m services.mynumber list-cards [--data-dir DIR] [--json]
  python -m services.mynumber demo [--data-dir DIR]            (the demo residents, idempotent)
  python -m services.mynumber revoke SERIAL [--data-dir DIR]   (adds both certificates to the CRL)
  python -m services.mynumber reset-pin SERIAL [--kind auth|sign] [--new-pin ...]
                                                               (plays the counter with the CA key)

The data dir defaults to $KITOKITO_DATA_DIR, else ~/.local/share/kitokito (as the app). A PIN
or password not given is generated and printed once, on stdout only.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import string
import sys
from datetime import date
from pathlib import Path

from services.mynumber.ca import JpkiTestCa, utc_now
from services.mynumber.card import CardSummary
from services.mynumber.errors import CardError, PinKind
from services.mynumber.facts import FourFacts, Sex
from services.mynumber.issue import (
    create_card,
    ensure_demo_cards,
    jpki_dir,
    list_cards,
    open_card,
)
from services.mynumber.tickets import issue_reset_ticket


def default_data_dir() -> Path:
    env = os.environ.get("KITOKITO_DATA_DIR")
    return Path(env) if env else Path.home() / ".local" / "share" / "kitokito"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    try:
        return args.run(args, data_dir)
    except (CardError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _new_card(args: argparse.Namespace, data_dir: Path) -> int:
    pin = args.pin or f"{secrets.randbelow(10_000):04d}"
    password = args.password or "".join(
        secrets.choice(string.ascii_uppercase + string.digits) for _ in range(8))
    facts = FourFacts(
        name=args.name, birth_date=date.fromisoformat(args.birth), address=args.address,
        sex=Sex[args.sex],
    )
    card = create_card(data_dir, facts, pin=pin, password=password)
    _print_summary(card.summary())
    if not args.pin:
        print(f"PIN: {pin}")
    if not args.password:
        print(f"signing password: {password}")
    return 0


def _list_cards(args: argparse.Namespace, data_dir: Path) -> int:
    cards = list_cards(data_dir)
    if args.json:
        print(json.dumps([_as_json(c) for c in cards], ensure_ascii=False, indent=1))
    else:
        for card in cards:
            _print_summary(card)
    return 0


def _demo(args: argparse.Namespace, data_dir: Path) -> int:
    for card in ensure_demo_cards(data_dir):
        _print_summary(card)
    return 0


def _revoke(args: argparse.Namespace, data_dir: Path) -> int:
    card = open_card(data_dir, args.serial.upper())
    ca = JpkiTestCa.ensure(jpki_dir(data_dir))
    from cryptography import x509

    sign = x509.load_pem_x509_certificate((card.card_dir / "sign-cert.pem").read_bytes())
    ca.revoke([card.auth_certificate.serial_number, sign.serial_number])
    print(f"revoked {card.serial}")
    return 0


def _reset_pin(args: argparse.Namespace, data_dir: Path) -> int:
    card = open_card(data_dir, args.serial.upper())
    ca = JpkiTestCa.ensure(jpki_dir(data_dir))
    kind = PinKind(args.kind)
    ticket = issue_reset_ticket(ca, serial=card.serial, kind=kind, now=utc_now())
    card.apply_reset_ticket(ticket, new_pin=args.new_pin)
    print(f"{kind.value} PIN of {card.serial} reset")
    return 0


def _print_summary(card: CardSummary) -> None:
    state = "LOCKED" if card.auth_locked else "ok"
    note = f"  ({card.note})" if card.note else ""
    print(f"{card.serial}  {card.name}  {card.municipality}  {card.birth_date}  "
          f"valid to {card.auth_not_after.date()}  PIN {state}{note}")


def _as_json(card: CardSummary) -> dict[str, object]:
    return {
        "serial": card.serial, "name": card.name, "municipality": card.municipality,
        "birth_date": card.birth_date.isoformat(), "sex": card.sex.name,
        "auth_not_after": card.auth_not_after.isoformat(), "auth_locked": card.auth_locked,
        "demo_id": card.demo_id, "note": card.note,
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m services.mynumber", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(required=True)

    def command(name: str, run, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--data-dir", help="default: $KITOKITO_DATA_DIR or ~/.local/share/kitokito")
        p.set_defaults(run=run)
        return p

    new = command("new-card", _new_card, "issue a new stub card")
    new.add_argument("--name", required=True)
    new.add_argument("--birth", required=True, help="YYYY-MM-DD")
    new.add_argument("--address", required=True)
    new.add_argument("--sex", choices=[s.name for s in Sex], default=Sex.not_known.name)
    new.add_argument("--pin", help="4 digits (random if omitted)")
    new.add_argument("--password", help="signing password, 6-16 A-Z/0-9 (random if omitted)")
    listing = command("list-cards", _list_cards, "list the cards in the data dir")
    listing.add_argument("--json", action="store_true")
    command("demo", _demo, "create the demo residents' cards (idempotent)")
    revoke = command("revoke", _revoke, "revoke a card's certificates (CRL)")
    revoke.add_argument("serial")
    reset = command("reset-pin", _reset_pin, "reset a locked PIN as the counter would")
    reset.add_argument("serial")
    reset.add_argument("--kind", choices=[k.value for k in PinKind], default=PinKind.auth.value)
    reset.add_argument("--new-pin")
    return parser
