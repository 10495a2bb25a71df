"""A damaged personal cache or key file never blocks a login (issue 8, item 12).

It is discarded (deleted: no stray copy of personal data) and rebuilt empty with a new key, with
one log line; the login goes on and the server session is the one the app holds.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from services.auth_api import Challenge, Me, Profile, Secret, Tokens
from services.crypto import KEY_BYTES, FileKeyStore
from services.login import LoginFlow
from services.mynumber.errors import PinKind
from services.personal_cache import PersonalCache

ALICE = "c" * 64
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
PROFILE = Profile(name="越中 花子", birth_date=date(1950, 4, 10), address="富山県富山市",
                  sex="2", municipality="富山市")


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def filled(tmp_path: Path, keys: FileKeyStore) -> PersonalCache:
    cache = PersonalCache(tmp_path, ALICE, keys)
    cache.put_profile({"name": "before"})
    cache.close()
    return cache


def test_a_damaged_key_file_is_replaced_and_the_cache_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keys = FileKeyStore(tmp_path / "keys")
    filled(tmp_path, keys)
    (tmp_path / "keys" / f"{ALICE}.key").write_bytes(b"short")
    with caplog.at_level(logging.WARNING):
        cache = PersonalCache(tmp_path, ALICE, keys)
    assert cache.profile() is None
    cache.put_profile({"name": "after"})
    assert cache.profile() == {"name": "after"}
    new_key = keys.get(ALICE)
    assert new_key is not None and len(new_key) == KEY_BYTES
    [line] = warnings(caplog)
    assert "discarded" in line and ALICE not in line
    cache.close()


def test_a_personal_file_that_is_not_a_database_is_deleted_and_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keys = FileKeyStore(tmp_path / "keys")
    path = filled(tmp_path, keys).path
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    path.write_bytes(b"\x00garbage that is not SQLite" * 100)
    with caplog.at_level(logging.WARNING):
        cache = PersonalCache(tmp_path, ALICE, keys)
    assert cache.profile() is None
    cache.put_profile({"name": "after"})
    assert cache.profile() == {"name": "after"}
    assert len(warnings(caplog)) == 1
    # personal data is deleted, never moved aside
    assert [p.name for p in (tmp_path / "personal").iterdir() if ".corrupt" in p.name] == []
    cache.close()


def test_a_cache_its_key_does_not_open_is_discarded_at_open(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keys = FileKeyStore(tmp_path / "keys")
    filled(tmp_path, keys)
    (tmp_path / "keys" / f"{ALICE}.key").write_bytes(bytes(range(KEY_BYTES)))  # another key
    with caplog.at_level(logging.WARNING):
        cache = PersonalCache(tmp_path, ALICE, keys)
    assert cache.profile() is None  # rebuilt, not DecryptionFailed on every read
    assert len(warnings(caplog)) == 1
    cache.close()
    again = PersonalCache(tmp_path, ALICE, keys)  # and the rebuilt cache opens cleanly
    assert again.profile() is None
    again.close()


def test_a_cache_from_before_the_check_value_with_a_wrong_key_is_discarded(
    tmp_path: Path,
) -> None:
    keys = FileKeyStore(tmp_path / "keys")
    path = filled(tmp_path, keys).path
    db = sqlite3.connect(path)
    db.execute("DELETE FROM personal_item WHERE kind <> 'profile'")
    db.commit()
    db.close()
    (tmp_path / "keys" / f"{ALICE}.key").write_bytes(bytes(range(KEY_BYTES)))
    cache = PersonalCache(tmp_path, ALICE, keys)
    assert cache.profile() is None
    cache.close()


def test_a_good_cache_is_kept(tmp_path: Path) -> None:
    keys = FileKeyStore(tmp_path / "keys")
    filled(tmp_path, keys)
    cache = PersonalCache(tmp_path, ALICE, keys)
    assert cache.profile() == {"name": "before"}
    assert cache.items("profile") == {"me": {"name": "before"}}
    cache.close()


class FakeAuthApi:
    def __init__(self) -> None:
        self.logouts = 0

    async def challenge(self) -> Challenge:
        return Challenge("enc", b"n" * 32, NOW + timedelta(minutes=5))

    async def verify(self, **_kwargs) -> Tokens:
        return Tokens(Secret("a"), Secret("r"), NOW + timedelta(minutes=10),
                      NOW + timedelta(hours=1), ALICE)

    async def me(self, _access: Secret) -> Me:
        return Me(user_id=ALICE, role="resident", profile=PROFILE,
                  session_expires_at=NOW + timedelta(hours=1))

    async def logout(self, **_kwargs) -> None:
        self.logouts += 1


def fake_card() -> SimpleNamespace:
    return SimpleNamespace(
        status=lambda kind=PinKind.auth: SimpleNamespace(locked=False),
        sign_challenge=lambda pin, nonce: b"signature",
        auth_certificate_der=lambda: b"certificate",
    )


async def test_login_succeeds_over_a_damaged_cache_and_key(tmp_path: Path) -> None:
    keys = FileKeyStore(tmp_path / "keys")
    path = filled(tmp_path, keys).path
    path.write_bytes(b"not a database" * 50)
    (tmp_path / "keys" / f"{ALICE}.key").write_bytes(b"\x00" * 5)
    api = FakeAuthApi()
    flow = LoginFlow(api, personal_cache=lambda uid: PersonalCache(tmp_path, uid, keys),
                     now=lambda: NOW)
    session = await flow.login(fake_card(), "1234")
    assert session.active and api.logouts == 0
    assert session.personal_cache is not None
    assert session.personal_cache.profile() == PROFILE.model_dump(mode="json")
    await session.logout()
    assert api.logouts == 1 and not path.exists() and keys.get(ALICE) is None


async def test_a_cache_that_cannot_be_written_ends_the_server_session_too(
        tmp_path: Path) -> None:
    """A full disk at login: the login fails with the cause, and no live server session is
    left behind for a resident who was never told they were logged in."""
    api = FakeAuthApi()

    def no_room(_uid: str) -> PersonalCache:
        raise OSError(28, "No space left on device")

    flow = LoginFlow(api, personal_cache=no_room, now=lambda: NOW)
    with pytest.raises(OSError):
        await flow.login(fake_card(), "1234")
    assert api.logouts == 1
