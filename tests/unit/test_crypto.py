"""AES-256-GCM at rest and the per-resident personal cache (figures 7 and 8)."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from services.crypto import DecryptionFailed, FileKeyStore, MemoryKeyStore, Sealer
from services.personal_cache import PersonalCache

ALICE = "a" * 64
BOB = "b" * 64
MARKS = {
    "name": "MARK-NAME-越中花子-7f3a",
    "address": "MARK-ADDR-富山県富山市新桜町7番38号-91c2",
    "note": "MARK-MEDICAL-糖尿病-e55d",
    "birth": "MARK-BIRTH-1948-04-10-2b1f",
}


def sealer() -> Sealer:
    return Sealer(bytes(range(32)))


def test_sealing_round_trips_with_a_fresh_nonce_each_time() -> None:
    s = sealer()
    one, two = s.seal(b"secret", b"ad"), s.seal(b"secret", b"ad")
    assert one != two and one[1:13] != two[1:13]
    assert len(one) == 1 + 12 + len(b"secret") + 16
    assert s.open(one, b"ad") == s.open(two, b"ad") == b"secret"
    assert b"secret" not in one


@pytest.mark.parametrize("index", [0, 1, 12, 13, -1])
def test_a_flipped_byte_anywhere_is_refused(index: int) -> None:
    sealed = bytearray(sealer().seal(b"personal value", b"ad"))
    sealed[index] ^= 0x01
    with pytest.raises(DecryptionFailed):
        sealer().open(bytes(sealed), b"ad")


def test_associated_data_binds_a_value_to_its_place_and_keys_are_not_interchangeable() -> None:
    sealed = sealer().seal(b"v", b"resident-a|profile|me")
    with pytest.raises(DecryptionFailed):
        sealer().open(sealed, b"resident-b|profile|me")
    with pytest.raises(DecryptionFailed):
        Sealer(bytes(32)).open(sealed, b"resident-a|profile|me")
    with pytest.raises(DecryptionFailed):
        sealer().open(sealed[:20], b"resident-a|profile|me")
    with pytest.raises(ValueError):
        Sealer(b"short")
    assert "00010203" not in repr(sealer())


def test_file_keys_are_owner_only_32_bytes_and_stable(tmp_path: Path) -> None:
    keys = FileKeyStore(tmp_path / "keys")
    assert keys.get(ALICE) is None
    key = keys.create(ALICE)
    assert len(key) == 32 and keys.get(ALICE) == key and keys.create(ALICE) == key
    path = tmp_path / "keys" / f"{ALICE}.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert keys.create(BOB) != key
    keys.delete(ALICE)
    assert keys.get(ALICE) is None and not path.exists()
    for bad in ("../" + "a" * 61, "A" * 64, "a" * 63, ""):
        with pytest.raises(ValueError):
            keys.get(bad)


def _raw_bytes(cache: PersonalCache) -> bytes:
    blobs = b""
    for suffix in ("", "-wal", "-journal", "-shm"):
        path = cache.path.with_name(cache.path.name + suffix)
        if path.exists():
            blobs += path.read_bytes()
    return blobs


def _encodings(value: str) -> list[bytes]:
    return [value.encode("utf-8"), value.encode("utf-16-le"), value.encode("utf-16-be"),
            value.split("-")[1].encode("ascii") + b"-"]


def test_seeded_personal_values_never_reach_the_files_in_clear(tmp_path: Path) -> None:
    keys = FileKeyStore(tmp_path / "keys")
    cache = PersonalCache(tmp_path, ALICE, keys)
    cache.put_profile({"name": MARKS["name"], "address": MARKS["address"],
                       "birth_date": MARKS["birth"]})
    cache.put("medical", "n1", {"note": MARKS["note"]})
    cache.put("medical", "n1", {"note": MARKS["note"] + "-edited"})
    cache.delete("medical", "n1")
    cache.put("medical", "n2", {"note": MARKS["note"]})
    assert cache.profile()["name"] == MARKS["name"]
    assert cache.path.with_name(cache.path.name + "-wal").stat().st_size > 0  # WAL in use
    raw = _raw_bytes(cache)
    assert len(raw) > 4096
    hits = [m for value in MARKS.values() for m in _encodings(value) if m in raw]
    assert hits == []
    # The test would notice a leak: an unencrypted write of the same value is found.
    leak = sqlite3.connect(cache.path)
    leak.execute("CREATE TABLE leak(v TEXT)")
    leak.execute("INSERT INTO leak VALUES (?)", (MARKS["note"],))
    leak.commit()
    assert MARKS["note"].encode() in _raw_bytes(cache)
    leak.close()
    cache.close()


def test_after_a_checkpoint_and_close_there_is_still_nothing_in_clear(tmp_path: Path) -> None:
    cache = PersonalCache(tmp_path, ALICE, FileKeyStore(tmp_path / "keys"))
    for i in range(50):
        cache.put("booking", f"b{i}", {"who": MARKS["name"], "where": MARKS["address"]})
    cache.close()
    raw = _raw_bytes(cache)
    assert [m for value in MARKS.values() for m in _encodings(value) if m in raw] == []
    assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600
    # The key is not in the database file either.
    key = FileKeyStore(tmp_path / "keys").get(ALICE)
    assert key is not None and key not in raw and key.hex().encode() not in raw


def test_a_flipped_ciphertext_byte_in_the_file_is_refused(tmp_path: Path) -> None:
    cache = PersonalCache(tmp_path, ALICE, FileKeyStore(tmp_path / "keys"))
    cache.put_profile({"name": MARKS["name"]})
    db = sqlite3.connect(cache.path)
    (sealed,) = db.execute("SELECT sealed FROM personal_item").fetchone()
    flipped = bytearray(sealed)
    flipped[20] ^= 0x80
    db.execute("UPDATE personal_item SET sealed=?", (bytes(flipped),))
    db.commit()
    db.close()
    with pytest.raises(DecryptionFailed):
        cache.profile()


def test_a_value_moved_to_another_row_is_refused(tmp_path: Path) -> None:
    cache = PersonalCache(tmp_path, ALICE, FileKeyStore(tmp_path / "keys"))
    cache.put("booking", "b1", {"clinic": "A"})
    cache.put("booking", "b2", {"clinic": "B"})
    db = sqlite3.connect(cache.path)
    (b1,) = db.execute("SELECT sealed FROM personal_item WHERE item_id='b1'").fetchone()
    db.execute("UPDATE personal_item SET sealed=? WHERE item_id='b2'", (b1,))
    db.commit()
    db.close()
    assert cache.get("booking", "b1") == {"clinic": "A"}
    with pytest.raises(DecryptionFailed):
        cache.get("booking", "b2")


def test_residents_are_separate_files_and_keys(tmp_path: Path) -> None:
    keys = FileKeyStore(tmp_path / "keys")
    alice, bob = PersonalCache(tmp_path, ALICE, keys), PersonalCache(tmp_path, BOB, keys)
    alice.put_profile({"name": "Alice"})
    bob.put_profile({"name": "Bob"})
    assert alice.path != bob.path
    assert (alice.profile(), bob.profile()) == ({"name": "Alice"}, {"name": "Bob"})
    alice.wipe()
    assert bob.profile() == {"name": "Bob"}


def test_wipe_removes_the_file_its_side_files_and_the_key(tmp_path: Path) -> None:
    keys = FileKeyStore(tmp_path / "keys")
    cache = PersonalCache(tmp_path, ALICE, keys)
    cache.put_profile({"name": MARKS["name"]})
    journal = cache.path.with_name(cache.path.name + "-journal")
    journal.write_bytes(b"left over")
    side = [cache.path.with_name(cache.path.name + s) for s in ("-wal", "-shm")]
    assert all(p.exists() for p in side)
    cache.wipe()
    assert not cache.path.exists() and not journal.exists()
    assert not any(p.exists() for p in side)
    assert keys.get(ALICE) is None
    assert list((tmp_path / "personal").iterdir()) == []


def test_a_cache_whose_key_is_gone_starts_empty(tmp_path: Path) -> None:
    keys = FileKeyStore(tmp_path / "keys")
    cache = PersonalCache(tmp_path, ALICE, keys)
    cache.put_profile({"name": "x"})
    cache.close()
    keys.delete(ALICE)
    reopened = PersonalCache(tmp_path, ALICE, keys)
    assert reopened.profile() is None
    reopened.close()


def test_memory_keys_work_the_same(tmp_path: Path) -> None:
    keys = MemoryKeyStore()
    cache = PersonalCache(tmp_path, ALICE, keys)
    cache.put_profile({"name": "x"})
    assert cache.profile() == {"name": "x"}
    cache.wipe()
    assert keys.get(ALICE) is None
