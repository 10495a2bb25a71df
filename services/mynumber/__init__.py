"""My Number card stub (client side): a simulated card that behaves like a real one in every way
that matters to security and to the user, behind methods a real reader can implement later.

    ensure_demo_cards(data_dir) -> list[CardSummary]   demo residents, idempotent
    list_cards(data_dir) / open_card(data_dir, serial)  the card picker
    card.status() -> PinStatus                          remaining tries, locked
    card.sign_challenge(pin, nonce) -> bytes             利用者証明用 key, SHA256withRSA
    card.sign_document(password, doc) -> SignedDocument  署名用 key over canonical JSON
    card.apply_reset_ticket(ticket, new_pin=...)         the counter's reset (tickets.py)

CLI: `python -m services.mynumber new-card|list-cards|revoke|reset-pin` (see cli.py).
"""

from services.mynumber.canonical import canonical_json
from services.mynumber.card import CardSummary, MyNumberCard, SignedDocument
from services.mynumber.errors import (
    CardDamaged,
    CardError,
    CardLocked,
    CardNotFound,
    InvalidPinFormat,
    InvalidResetTicket,
    PinKind,
    WrongPin,
)
from services.mynumber.facts import FourFacts, Sex, municipality_of
from services.mynumber.issue import (
    DEMO_RESIDENTS,
    create_card,
    ensure_demo_cards,
    list_cards,
    open_card,
)
from services.mynumber.pins import PinStatus

__all__ = [
    "DEMO_RESIDENTS",
    "CardDamaged",
    "CardError",
    "CardLocked",
    "CardNotFound",
    "CardSummary",
    "FourFacts",
    "InvalidPinFormat",
    "InvalidResetTicket",
    "MyNumberCard",
    "PinKind",
    "PinStatus",
    "Sex",
    "SignedDocument",
    "WrongPin",
    "canonical_json",
    "create_card",
    "ensure_demo_cards",
    "list_cards",
    "municipality_of",
    "open_card",
]
