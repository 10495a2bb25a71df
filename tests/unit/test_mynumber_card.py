"""The My Number card stub: keys, certificates, PIN counters, signing, reset tickets, demo
cards and the CLI (figures 1, 2 and 4)."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from services.mynumber import (
    DEMO_RESIDENTS,
    CardLocked,
    CardNotFound,
    InvalidPinFormat,
    InvalidResetTicket,
    MyNumberCard,
    PinKind,
    WrongPin,
    canonical_json,
    ensure_demo_cards,
    list_cards,
    municipality_of,
    open_card,
)
from services.mynumber.ca import JpkiTestCa
from services.mynumber.cli import main as cli
from services.mynumber.facts import OID_ADDRESS, OID_NAME
from services.mynumber.issue import fifth_birthday_after
from services.mynumber.tickets import issue_reset_ticket
from tests.cardworld import PASSWORDS, PINS, World, card_world


@pytest.fixture
def world(tmp_path) -> World:
    return card_world(tmp_path / "data")


@pytest.fixture
def card(world: World) -> MyNumberCard:
    return world.card("takaoka-kenta")


PIN = PINS["takaoka-kenta"]
PASSWORD = PASSWORDS["takaoka-kenta"]


def verify(cert: x509.Certificate, signature: bytes, data: bytes) -> None:
    cert.public_key().verify(signature, data, padding.PKCS1v15(), hashes.SHA256())


# --- figure 1 --------------------------------------------------------------------------
def test_the_auth_key_is_rsa_2048_and_signs_sha256_with_rsa(card: MyNumberCard) -> None:
    key = card.auth_certificate.public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048
    signature = card.sign_challenge(PIN, b"nonce-bytes")
    assert len(signature) == 256
    verify(card.auth_certificate, signature, b"nonce-bytes")
    with pytest.raises(InvalidSignature):
        verify(card.auth_certificate, signature, b"nonce-bytez")


def test_the_auth_certificate_chains_to_the_ca_and_says_nothing_about_the_person(
    world: World, card: MyNumberCard
) -> None:
    ca = x509.load_pem_x509_certificate((world.data_dir / "jpki" / "ca.pem").read_bytes())
    card.auth_certificate.verify_directly_issued_by(ca)
    der = card.auth_certificate_der()
    facts = card.facts()
    for value in (facts.name, facts.address, "高岡", facts.birth_date.strftime("%Y%m%d")):
        assert value.encode("utf-8") not in der
    with pytest.raises(x509.ExtensionNotFound):
        card.auth_certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert {a.oid._name for a in card.auth_certificate.subject} == {"countryName", "commonName"}


def test_the_signing_certificate_carries_the_four_facts(world: World, card: MyNumberCard) -> None:
    signature, der = card.sign_with_signing_key(PASSWORD, b"doc")
    cert = x509.load_der_x509_certificate(der)
    verify(cert, signature, b"doc")
    key = cert.public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048
    assert key.public_numbers() != card.auth_certificate.public_key().public_numbers()
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    values = {o.type_id: o.value for o in san.get_values_for_type(x509.OtherName)}
    assert "高岡 健太".encode() in values[OID_NAME]
    assert "富山県高岡市広小路7番50号".encode() in values[OID_ADDRESS]


def test_private_keys_are_encrypted_and_owner_only(world: World, card: MyNumberCard) -> None:
    for name in ("auth-key.pem", "sign-key.pem"):
        text = (card.card_dir / name).read_text()
        assert text.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    for path in [*card.card_dir.iterdir(), world.data_dir / "jpki" / "ca-key.pem"]:
        if path.name != ".lock":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(card.card_dir.stat().st_mode) == 0o700
    secrets = (card.card_dir / "secrets.json").read_text()
    assert PIN not in secrets and PASSWORD not in secrets


# --- figure 2 --------------------------------------------------------------------------
@pytest.mark.parametrize("pin", ["123", "12345", "abcd", "12 4", "１２３４", "", None, 1234])
def test_malformed_pins_are_refused_without_using_a_try(card: MyNumberCard, pin) -> None:
    with pytest.raises(InvalidPinFormat):
        card.sign_challenge(pin, b"n")
    assert card.status().remaining_tries == 3


def test_three_wrong_pins_lock_and_the_right_pin_then_does_not_help(card: MyNumberCard) -> None:
    remaining = []
    for _ in range(2):
        with pytest.raises(WrongPin) as wrong:
            card.sign_challenge("0000", b"n")
        remaining.append(wrong.value.remaining_tries)
    assert remaining == [2, 1]
    with pytest.raises(CardLocked):
        card.sign_challenge("0000", b"n")
    assert card.status().locked
    with pytest.raises(CardLocked):
        card.sign_challenge(PIN, b"n")
    assert card.summary().auth_locked


def test_a_right_pin_resets_the_counter(card: MyNumberCard) -> None:
    for _ in range(2):
        with pytest.raises(WrongPin):
            card.sign_challenge("0000", b"n")
    card.sign_challenge(PIN, b"n")
    assert card.status().remaining_tries == 3
    for _ in range(2):
        with pytest.raises(WrongPin):
            card.sign_challenge("0000", b"n")
    assert card.status().remaining_tries == 1


def test_the_counter_survives_a_restart(world: World, card: MyNumberCard) -> None:
    for _ in range(2):
        with pytest.raises(WrongPin):
            card.sign_challenge("0000", b"n")
    reopened = open_card(world.data_dir, card.serial)  # a new object, from disk only
    assert reopened.status().remaining_tries == 1
    with pytest.raises(CardLocked):
        reopened.sign_challenge("0000", b"n")
    assert open_card(world.data_dir, card.serial).status().locked
    assert not [p for p in card.card_dir.iterdir() if p.name.endswith(".tmp")]


def test_an_unreadable_counter_fails_closed(card: MyNumberCard) -> None:
    (card.card_dir / "state.json").write_text("{half")
    from services.mynumber import CardDamaged

    with pytest.raises(CardDamaged):
        card.sign_challenge(PIN, b"n")


def test_the_signing_password_has_its_own_rules_and_five_tries(card: MyNumberCard) -> None:
    for bad in ("ABC12", "abcdef12", "A" * 17, "ABC-123"):
        with pytest.raises(InvalidPinFormat):
            card.sign_with_signing_key(bad, b"d")
    for expected in (4, 3, 2, 1):
        with pytest.raises(WrongPin) as wrong:
            card.sign_with_signing_key("WRONG123", b"d")
        assert wrong.value.remaining_tries == expected
    with pytest.raises(CardLocked) as locked:
        card.sign_with_signing_key("WRONG123", b"d")
    assert locked.value.kind is PinKind.sign
    # The authentication PIN is a separate counter.
    card.sign_challenge(PIN, b"n")


# --- figure 4 --------------------------------------------------------------------------
def test_documents_are_signed_as_canonical_json(card: MyNumberCard) -> None:
    doc = {"procedure": "転入届", "to": {"city": "高岡市"}, "members": 2}
    signed = card.sign_document(PASSWORD, doc)
    assert signed.document == canonical_json({"members": 2, "to": {"city": "高岡市"},
                                               "procedure": "転入届"})
    assert signed.document == '{"members":2,"procedure":"転入届","to":{"city":"高岡市"}}'.encode()
    cert = x509.load_der_x509_certificate(signed.certificate)
    verify(cert, signed.signature, signed.document)
    changed = bytearray(signed.document)
    changed[5] ^= 1
    with pytest.raises(InvalidSignature):
        verify(cert, signed.signature, bytes(changed))
    with pytest.raises(TypeError):
        canonical_json({"amount": 1.5})


# --- the counter's reset -----------------------------------------------------------------
def _lock(card: MyNumberCard) -> None:
    for _ in range(3):
        with pytest.raises((WrongPin, CardLocked)):
            card.sign_challenge("0000", b"n")
    assert card.status().locked


def test_a_ca_signed_ticket_unlocks_once_and_can_set_a_new_pin(
    world: World, card: MyNumberCard
) -> None:
    _lock(card)
    ca = JpkiTestCa.load(world.data_dir / "jpki")
    ticket = issue_reset_ticket(ca, serial=card.serial, kind=PinKind.auth,
                                now=datetime.now(UTC))
    card.apply_reset_ticket(ticket, new_pin="8642")
    assert card.status().remaining_tries == 3
    with pytest.raises(WrongPin):
        card.sign_challenge(PIN, b"n")  # the old PIN is gone
    card.sign_challenge("8642", b"n")
    _lock(card)
    with pytest.raises(InvalidResetTicket, match="already used"):
        card.apply_reset_ticket(ticket)
    assert card.status().locked


def test_forged_expired_and_misdirected_tickets_are_refused(
    world: World, card: MyNumberCard
) -> None:
    _lock(card)
    now = datetime.now(UTC)
    foreign_ca = JpkiTestCa.load(world.data_dir / "foreign" / "jpki")
    ca = JpkiTestCa.load(world.data_dir / "jpki")
    forged = issue_reset_ticket(foreign_ca, serial=card.serial, kind=PinKind.auth, now=now)
    old = issue_reset_ticket(ca, serial=card.serial, kind=PinKind.auth,
                             now=now - timedelta(minutes=11))
    other = issue_reset_ticket(ca, serial="0" * 40, kind=PinKind.auth, now=now)
    good = issue_reset_ticket(ca, serial=card.serial, kind=PinKind.auth, now=now)
    body, signature = good.split(".")
    tampered = f"{body[:-2]}{'A' if body[-2] != 'A' else 'B'}{body[-1]}.{signature}"
    for ticket in (forged, old, other, tampered, "nonsense", ""):
        with pytest.raises(InvalidResetTicket):
            card.apply_reset_ticket(ticket)
    assert card.status().locked
    card.apply_reset_ticket(good)
    assert not card.status().locked


# --- demo cards, listing, CLI ----------------------------------------------------------------
def test_demo_cards_are_created_once(tmp_path) -> None:
    first = ensure_demo_cards(tmp_path)
    second = ensure_demo_cards(tmp_path)
    assert [c.serial for c in first] == [c.serial for c in second]
    assert [c.municipality for c in first] == ["富山市", "高岡市", "魚津市", "射水市"]
    assert len({c.birth_date.year for c in first}) == 4
    assert len(list((tmp_path / "cards").iterdir())) == 4 + 1  # + the lock file
    ca = JpkiTestCa.load(tmp_path / "jpki")
    revoked = ca.revoked_serials()
    by_id = {c.demo_id: c for c in first}
    assert int(by_id["uozu-misaki"].serial, 16) in revoked
    assert int(by_id["toyama-hanako"].serial, 16) not in revoked
    assert by_id["imizu-hiroto"].auth_not_after < datetime.now(UTC)
    assert by_id["toyama-hanako"].auth_not_after > datetime.now(UTC)
    assert stat.S_IMODE((tmp_path / "jpki" / "ca-key.pem").stat().st_mode) == 0o600
    assert [r.demo_id for r in DEMO_RESIDENTS] == [c.demo_id for c in first]


def test_the_cli_issues_and_lists_cards(tmp_path, capsys) -> None:
    assert cli(["new-card", "--name", "氷見 太郎", "--birth", "1999-12-31", "--address",
                "富山県氷見市丸の内1番1号", "--sex", "male", "--pin", "1357",
                "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "氷見 太郎" in out and "氷見市" in out and "1357" not in out
    assert cli(["list-cards", "--json", "--data-dir", str(tmp_path)]) == 0
    cards = json.loads(capsys.readouterr().out)
    assert [(c["name"], c["municipality"], c["sex"]) for c in cards] == [
        ("氷見 太郎", "氷見市", "male")]
    card = open_card(tmp_path, cards[0]["serial"])
    card.sign_challenge("1357", b"n")
    assert cli(["new-card", "--name", "x", "--birth", "2000-01-01", "--address", "a",
                "--pin", "12", "--data-dir", str(tmp_path)]) == 2
    assert len(list_cards(tmp_path)) == 1


def test_the_cli_reads_the_data_dir_from_the_environment(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("KITOKITO_DATA_DIR", str(tmp_path))
    assert cli(["new-card", "--name", "砺波 次郎", "--birth", "1970-01-01",
                "--address", "富山県砺波市栄町7番3号"]) == 0
    out = capsys.readouterr().out
    assert "PIN: " in out and "signing password: " in out
    assert [c.name for c in list_cards(tmp_path)] == ["砺波 次郎"]


def test_unknown_serials_are_not_cards(tmp_path) -> None:
    for serial in ("../../etc", "A" * 40, ""):
        with pytest.raises(CardNotFound):
            open_card(tmp_path, serial)


def test_municipalities_and_validity() -> None:
    assert municipality_of("富山県中新川郡上市町法音寺1") == "上市町"
    assert municipality_of("富山県射水市新開発410番地1") == "射水市"
    assert municipality_of("石川県金沢市広坂1丁目1番1号") == "金沢市"
    assert fifth_birthday_after(date(2026, 11, 29), date(1990, 11, 3)) == date(2031, 11, 3)
    assert fifth_birthday_after(date(2026, 1, 10), date(1990, 11, 3)) == date(2030, 11, 3)
    assert fifth_birthday_after(date(2026, 1, 10), date(2000, 2, 29)) == date(2030, 2, 28)


def test_no_temporary_files_are_left_after_many_writes(card: MyNumberCard) -> None:
    for _ in range(5):
        card.sign_challenge(PIN, b"n")
    assert sorted(p.name for p in card.card_dir.iterdir() if p.name.startswith(".")) == [".lock"]
    assert os.stat(card.card_dir / "state.json").st_size > 0
