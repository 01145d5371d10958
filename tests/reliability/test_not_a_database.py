"""`liveroom --db FILE` on something that is not a liveroom database: refused, untouched.

Each case runs the real command line in a subprocess with a short timeout (a
file wrongly accepted would start the dashboard and hang until killed).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from store import open_store
from tests.conftest import FakeClock
from tests.reliability.conftest import integrity

ROOT = Path(__file__).resolve().parents[2]
PAGE = 4096


def run_cli(home: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """`liveroom ARGUMENTS`, with a per-user data directory of its own in `home`."""
    environment = {**os.environ, "XDG_DATA_HOME": str(home / "xdg"), "LIVEROOM_DB": ""}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=20,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def real_store(path: Path) -> bytes:
    """A liveroom store with a few hundred rows, closed cleanly (no -wal left): its bytes."""
    with open_store(path, clock=FakeClock()) as store:
        room = store.create_interaction(name="Real", dm_user_id="dm").id
        for number in range(300):
            store.log_interaction_event(room, "NOTE", {"n": number, "pad": "y" * 200}, "s")
    return path.read_bytes()


def text_file(path: Path) -> None:
    path.write_text("Session notes\nthe goblins fled north\n")


def other_app(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE bookmarks (url TEXT, title TEXT)")
    connection.execute("INSERT INTO bookmarks VALUES ('https://example.org', 'x')")
    connection.commit()
    connection.close()


def newer_liveroom(path: Path) -> None:
    real_store(path)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE liveroom_meta SET value = '99' WHERE key = 'schema_version'")
    connection.commit()
    connection.close()


def truncated(path: Path) -> None:
    data = real_store(path)
    path.write_bytes(data[: len(data) // 2])


def truncated_at_a_page(path: Path) -> None:
    data = real_store(path)
    path.write_bytes(data[: (len(data) // PAGE // 2) * PAGE])


def corrupted(path: Path) -> None:
    """Bytes flipped in the middle of the file, from the start of a b-tree page on."""
    data = bytearray(real_store(path))
    middle = (len(data) // PAGE // 2) * PAGE
    for offset in range(middle, middle + 64):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "text file": (text_file, "not an SQLite file"),
    "another application's database": (other_app, "another application"),
    "newer liveroom": (newer_liveroom, "newer liveroom"),
    "truncated": (truncated, "damaged"),
    "truncated at a page boundary": (truncated_at_a_page, "damaged"),
    "corrupted": (corrupted, "damaged"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refused_with_one_line_untouched(tmp_path: Path, case: str) -> None:
    make, reason = CASES[case]
    path = tmp_path / "files" / "game.db"
    path.parent.mkdir()
    make(path)
    content = path.read_bytes()
    result = run_cli(tmp_path, "--db", str(path))
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("liveroom: ") and reason in lines[0], lines[0]
    assert path.read_bytes() == content
    assert sorted(p.name for p in path.parent.iterdir()) == ["game.db"]
    assert not (tmp_path / "xdg").exists()


def test_a_zero_byte_file_is_a_new_private_store(tmp_path: Path) -> None:
    """A command that only reads finds no store in it and leaves it empty; opening it to
    write makes it a new store."""
    path = tmp_path / "empty.db"
    path.touch()
    result = run_cli(tmp_path, "--db", str(path), "export", "1")
    assert result.returncode == 2
    assert result.stderr.strip() == f"liveroom: no liveroom store at {path}"
    assert path.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]
    with open_store(path) as store:
        assert store.list_interactions() == []
    assert integrity(path) == ["ok"]


def test_a_command_that_only_reads_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new" / "typo.db"
    result = run_cli(tmp_path, "--db", str(path), "export", "1")
    assert result.returncode == 2
    assert result.stderr.strip() == f"liveroom: no liveroom store at {path}"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_new_database_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "game.db"
    old_umask = os.umask(0o022)
    try:
        open_store(path).close()
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_its_write_ahead_log_is_private_too(tmp_path: Path) -> None:
    path = tmp_path / "game.db"
    old_umask = os.umask(0o022)
    try:
        with open_store(path) as store:
            store.create_interaction(name="Private", dm_user_id="dm")
            modes = {
                p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir() if p.is_file()
            }
    finally:
        os.umask(old_umask)
    assert modes == {"game.db": 0o600, "game.db-wal": 0o600, "game.db-shm": 0o600}
