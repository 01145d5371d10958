"""Shared use of one database file: WAL, busy timeout, foreign keys, several stores at once.

The connection settings are checked from outside, with a raw sqlite3
connection to the file: a trigger it installs records the pragmas of the
connection that fires it, which is the store's own.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Conflict, LiveStore, TurnRecord, open_store
from tests.conftest import FakeClock
from tests.store.helpers import LIMIT_MS, ORDER, ROOM


@pytest.fixture
def raw(db_path: Path, store: LiveStore) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection to the store's file, usable from any thread."""
    connection = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
    yield connection
    connection.close()


def test_wal_mode(raw: sqlite3.Connection) -> None:
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_connection_has_foreign_keys_and_a_busy_timeout(
    store: LiveStore, raw: sqlite3.Connection, idle: int
) -> None:
    raw.execute("CREATE TABLE probe (foreign_keys INTEGER, busy_timeout INTEGER)")
    raw.execute(
        "CREATE TRIGGER probe_pragmas AFTER INSERT ON live_interaction_logs BEGIN "
        "INSERT INTO probe SELECT (SELECT foreign_keys FROM pragma_foreign_keys), "
        "(SELECT timeout FROM pragma_busy_timeout); END"
    )
    store.log_interaction_event(idle, "NOTE", None, "s")
    [(foreign_keys, busy_timeout)] = raw.execute("SELECT * FROM probe").fetchall()
    assert foreign_keys == 1
    assert busy_timeout >= 1000


def test_a_writer_waits_for_the_lock_instead_of_failing(
    store: LiveStore, raw: sqlite3.Connection, idle: int
) -> None:
    raw.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.3, lambda: raw.execute("COMMIT"))
    releaser.start()
    started = time.monotonic()
    try:
        store.log_interaction_event(idle, "NOTE", None, "s")
    finally:
        releaser.join()
    assert time.monotonic() - started >= 0.25
    assert store.get_interaction_logs(idle)[0].event_type == "NOTE"


def test_readers_are_not_blocked_by_a_writer(
    store: LiveStore, raw: sqlite3.Connection, idle: int
) -> None:
    raw.execute("BEGIN IMMEDIATE")
    raw.execute("UPDATE interactions SET name = 'uncommitted'")
    try:
        started = time.monotonic()
        assert store.get_interaction(idle).name == "Goblin ambush"
        assert time.monotonic() - started < 1
    finally:
        raw.execute("ROLLBACK")


def test_two_stores_on_one_file_see_each_others_writes(
    db_path: Path, store: LiveStore, clock: FakeClock, idle: int
) -> None:
    with open_store(db_path, clock=clock) as other:
        token = store.change_token()
        other.initialize_for_live_play(idle, ROOM, {"from": "other"})
        assert store.change_token() != token
        assert store.get_interaction(idle).status == "live"
        assert store.load_state_snapshot(idle).state_snapshot == {"from": "other"}
        store.advance_turn(idle)
        assert other.get_interaction(idle).turn_number == 2
        created = other.create_interaction(name="Second", dm_user_id="d")
        assert [i.id for i in store.list_interactions()] == [idle, created.id]


def test_expiry_from_several_stores_at_once_records_each_turn_once(
    db_path: Path, store: LiveStore, clock: FakeClock
) -> None:
    rooms = []
    for number in range(4):
        created = store.create_interaction(
            name=f"fight {number}", dm_user_id="d", initiative_order=ORDER, turn_time_limit=60
        )
        store.initialize_for_live_play(created.id, f"room-{number}", None)
        rooms.append(created.id)
    clock.advance(LIMIT_MS)
    others = [open_store(db_path, clock=clock) for _ in range(3)]
    results: list[list[TurnRecord]] = []
    barrier = threading.Barrier(len(others) + 1)

    def expire(target: LiveStore) -> None:
        barrier.wait()
        results.append(target.expire_turn_timeouts())
        target.close()

    threads = [threading.Thread(target=expire, args=(s,)) for s in [store, *others]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.interaction_id for batch in results for r in batch) == rooms
    for interaction_id in rooms:
        assert len(store.get_turn_records(interaction_id)) == 1
        assert store.get_interaction(interaction_id).turn_number == 2
    for other in others:
        other.close()


def test_racing_advances_with_the_same_expected_turn_advance_once(
    db_path: Path, store: LiveStore, clock: FakeClock, live: int
) -> None:
    others = [open_store(db_path, clock=clock) for _ in range(3)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(others) + 1)

    def advance(target: LiveStore) -> None:
        barrier.wait()
        try:
            target.advance_turn(live, expected_turn=(1, 1))
            outcomes.append("advanced")
        except Conflict:
            outcomes.append("conflict")
        finally:
            target.close()

    threads = [threading.Thread(target=advance, args=(s,)) for s in [store, *others]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["advanced", "conflict", "conflict", "conflict"]
    assert len(store.get_turn_records(live)) == 1
    assert store.get_interaction(live).turn_number == 2
    for other in others:
        other.close()


def test_a_store_is_usable_from_several_threads(store: LiveStore, idle: int) -> None:
    errors: list[BaseException] = []

    def log_many(worker: int) -> None:
        try:
            for number in range(20):
                store.log_interaction_event(idle, "NOTE", {"w": worker, "n": number}, "s")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=log_many, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.get_interaction_logs(idle, limit=1000)) == 80


def test_importing_the_store_does_not_import_the_ui() -> None:
    code = (
        "import sys, store\n"
        "ui = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(ui)\n"
        "sys.exit(1 if ui else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
