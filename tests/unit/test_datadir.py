"""A data dir that cannot be written ends in one plain line and a non-zero exit (issue 8,
item 13), and the file helpers the caches use (checksums, moving damaged files aside)."""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from services import datadir
from services.datadir import (
    DamagedFile,
    DataDirError,
    describe_write_error,
    ensure_writable,
    quarantine,
    read_checked,
    startup_failure,
    write_checked,
)

REPO = Path(__file__).resolve().parents[2]


def test_python_m_app_with_a_data_dir_under_a_file_says_so_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("a regular file, not a folder")
    env = {**os.environ, "KITOKITO_DATA_DIR": str(blocker / "sub"),
           "KITOKITO_API_URL": "http://127.0.0.1:9", "KITOKITO_VIEW": "web"}
    done = subprocess.run([sys.executable, "-m", "app"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr
    assert lines == [f"kitokito: cannot write {blocker / 'sub'} (Not a directory). "
                     "Set KITOKITO_DATA_DIR to a writable folder."]
    assert not (blocker.parent / "sub").exists()


def test_main_with_an_unwritable_client_folder_exits_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import app.__main__ as entry

    (tmp_path / "client").write_text("in the way of the client's folder")
    monkeypatch.setenv("KITOKITO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KITOKITO_API_URL", "http://127.0.0.1:9")
    monkeypatch.setattr(entry, "prepare_demo_cards", lambda config: [])
    monkeypatch.setattr(entry, "desktop_available", lambda: False)
    monkeypatch.setattr(entry.logging, "basicConfig", lambda **_kwargs: None)
    levels = {name: logging.getLogger(name).level for name in ("app", "services", "kitokito")}
    try:
        assert entry.main() == 2
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"kitokito: cannot write {tmp_path / 'client'} (")
    assert line.endswith("). Set KITOKITO_DATA_DIR to a writable folder.")


@pytest.mark.parametrize(
    ("number", "advice"),
    [
        (errno.ENOSPC, "Free some disk space and start again."),
        (errno.EROFS, "Set KITOKITO_DATA_DIR to a writable folder."),
        (errno.EACCES, "Set KITOKITO_DATA_DIR to a writable folder."),
        (errno.EPERM, "Set KITOKITO_DATA_DIR to a writable folder."),
    ],
)
def test_ensure_writable_names_the_path_and_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, advice: str
) -> None:
    def refuse(*_args, **_kwargs):
        raise OSError(number, os.strerror(number), str(tmp_path / "data" / ".probe"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(DataDirError) as caught:
        ensure_writable(tmp_path / "data")
    line = str(caught.value)
    assert caught.value.errno == number
    assert line == (f"kitokito: cannot write {tmp_path / 'data' / '.probe'} "
                    f"({os.strerror(number)}). {advice}")
    assert startup_failure(caught.value) == line


def test_a_full_disk_during_the_probe_write_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_fd: int, _data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(datadir.os, "write", full)
    with pytest.raises(DataDirError) as caught:
        ensure_writable(tmp_path)
    assert "No space left on device" in str(caught.value)
    assert "free some disk space" in str(caught.value).lower()
    assert [p for p in tmp_path.iterdir()] == []  # the probe file is not left behind


def test_startup_failure_leaves_other_errors_alone() -> None:
    assert startup_failure(ConnectionRefusedError(errno.ECONNREFUSED, "refused")) is None
    assert startup_failure(ValueError("a bug")) is None
    line = startup_failure(OSError(errno.ENOSPC, "No space left on device", "/x/y"))
    assert line == ("kitokito: cannot write /x/y (No space left on device). "
                    "Free some disk space and start again.")
    assert describe_write_error(OSError(errno.EROFS, "Read-only file system"), "/ro") == (
        "kitokito: cannot write /ro (Read-only file system). "
        "Set KITOKITO_DATA_DIR to a writable folder.")


def test_checked_files_round_trip_and_refuse_any_change(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "x.bin"
    assert read_checked(path) is None
    write_checked(path, b"payload \x00\xff")
    assert read_checked(path) == b"payload \x00\xff"
    blob = path.read_bytes()
    for index in (0, 10, len(blob) - 1):
        changed = bytearray(blob)
        changed[index] ^= 1
        path.write_bytes(bytes(changed))
        with pytest.raises(DamagedFile):
            read_checked(path)
    path.write_bytes(blob[:20])
    with pytest.raises(DamagedFile):
        read_checked(path)
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.bin"]  # no temp files left


def test_quarantine_moves_the_file_and_its_side_files(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(b"db")
    (tmp_path / "store.db-wal").write_bytes(b"wal")
    target = quarantine(path, "damaged", side_files=("-wal", "-shm"))
    assert target is not None and target.name.startswith("store.db.corrupt-")
    assert not path.exists() and not (tmp_path / "store.db-wal").exists()
    assert target.read_bytes() == b"db"
    assert target.with_name(target.name + "-wal").read_bytes() == b"wal"
    assert quarantine(path, "damaged") is None


def test_only_the_newest_few_moved_aside_copies_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    for n in range(datadir.KEEP_CORRUPT + 3):
        path.write_bytes(b"broken %d" % n)
        (tmp_path / "store.db-wal").write_bytes(b"wal %d" % n)
        quarantine(path, "damaged", side_files=("-wal",))
    copies = sorted(p for p in tmp_path.iterdir() if not p.name.endswith("-wal"))
    wals = sorted(p for p in tmp_path.iterdir() if p.name.endswith("-wal"))
    assert len(copies) == len(wals) == datadir.KEEP_CORRUPT
    assert copies[-1].read_bytes() == b"broken %d" % (datadir.KEEP_CORRUPT + 2)
