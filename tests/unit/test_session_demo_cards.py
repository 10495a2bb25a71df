"""Web mode: each browser session has its own demo cards (issue 8, #4). Nobody sees another
visitor's cards or a real card, and nobody can lock another visitor's card."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.mynumber import CardLocked, PinKind, WrongPin
from services.mynumber.errors import CardNotFound
from services.mynumber.facts import FourFacts, Sex
from services.mynumber.issue import create_card, ensure_demo_cards
from services.mynumber.reader import CardReader, SessionDemoCards


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    ensure_demo_cards(data)  # the device's demo cards, as `make run` makes them
    from datetime import date
    create_card(data, FourFacts("本物 太郎", date(1970, 1, 1), "富山県富山市1", Sex.male),
                pin="9876", password="REAL1970")
    return data


def test_each_session_gets_its_own_set_and_no_one_elses(data_dir: Path) -> None:
    alice = SessionDemoCards(data_dir, data_dir / "web-cards" / "a")
    bob = SessionDemoCards(data_dir, data_dir / "web-cards" / "b")
    a_cards, b_cards = alice.cards(), bob.cards()
    assert [c.name for c in a_cards] == [c.name for c in b_cards] == [
        "立山 花子", "高岡 健太", "魚津 美咲", "射水 大翔"]
    assert not {c.serial for c in a_cards} & {c.serial for c in b_cards}
    device = {c.serial for c in CardReader(data_dir).cards()}
    assert not device & {c.serial for c in a_cards}  # neither the device's nor a real card
    assert "本物 太郎" not in [c.name for c in a_cards]
    assert alice.cards() == a_cards  # made once per session
    with pytest.raises(CardNotFound):
        alice.open(b_cards[0].serial)
    with pytest.raises(CardNotFound):
        alice.open("../" * 10 + "etc")


def test_locking_a_card_in_one_session_leaves_the_others_usable(data_dir: Path) -> None:
    alice = SessionDemoCards(data_dir, data_dir / "web-cards" / "c")
    bob = SessionDemoCards(data_dir, data_dir / "web-cards" / "d")
    hanako_a, hanako_b = alice.cards()[0], bob.cards()[0]
    card = alice.open(hanako_a.serial)
    for _ in range(3):
        with pytest.raises((WrongPin, CardLocked)):
            card.sign_challenge("0000", b"x" * 32)
    assert alice.open(hanako_a.serial).status(PinKind.auth).locked
    assert not bob.open(hanako_b.serial).status(PinKind.auth).locked
    assert bob.open(hanako_b.serial).sign_challenge("1234", b"x" * 32)


def test_the_cards_end_with_the_session(data_dir: Path) -> None:
    root = data_dir / "web-cards" / "e"
    session = SessionDemoCards(data_dir, root)
    serial = session.cards()[0].serial
    session.close()
    assert not root.exists()
    with pytest.raises(CardNotFound):
        session.open(serial)
