"""open_store(read_only=True): reads everything, creates nothing, writes nothing.

For commands that only read (`liveroom export`): a typo in --db must be an
error naming the file, not a new empty store, and reading a game master's
file must leave it byte for byte as it was.
"""

from __future__ import annotations

import inspect
import os
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from store import InvalidInput, LiveStore, StoreUnavailable, open_store
from tests.conftest import FakeClock
from tests.store.helpers import ORDER, ROOM, dump
from tests.store.operations import QUERIES, WRITES

READ_ONLY = "the store is open read-only"

OTHER_WRITES: dict[str, Callable[[LiveStore, int], object]] = {
    "create_interaction": lambda s, i: s.create_interaction(name="n", dm_user_id="d"),
    "upsert_user": lambda s, i: s.upsert_user("u", "U"),
    "checkpoint_state_snapshot": lambda s, i: s.checkpoint_state_snapshot(i),
    "cleanup_inactive_rooms": lambda s, i: s.cleanup_inactive_rooms(0),
    "expire_turn_timeouts": lambda s, i: s.expire_turn_timeouts(),
    "import_tables": lambda s, i: s.import_tables(list),
}
"""The writes tests/store/operations.py leaves out, each as a valid call."""
ALL_WRITES = {**WRITES, **OTHER_WRITES}

READS: dict[str, Callable[[LiveStore, int], object]] = {
    **QUERIES,
    "list_interactions": lambda s, i: s.list_interactions(),
    "list_room_summaries": lambda s, i: s.list_room_summaries(),
    "interaction_revisions": lambda s, i: s.interaction_revisions(),
    "display_names": lambda s, i: s.display_names(["u-bree"]),
    "get_all_live_interactions": lambda s, i: s.get_all_live_interactions(),
    "change_token": lambda s, i: s.change_token(),
    "table_counts": lambda s, i: s.table_counts(),
    "export_tables": lambda s, i: list(s.export_tables()),
}


def _fill(store: LiveStore) -> int:
    """A live fight with a turn recorded, a message and a user."""
    fight = store.create_interaction(
        name="Goblin ambush", dm_user_id="dm", initiative_order=ORDER, turn_time_limit=60
    ).id
    store.initialize_for_live_play(fight, ROOM, {"map": "road"})
    store.advance_turn(fight, actions=[{"type": "attack"}])
    store.log_interaction_event(fight, "NOTE", {"n": 1}, ROOM)
    store.upsert_user("u-bree", "Bree")
    return fight


@pytest.fixture
def reader(store: LiveStore, store_target: str | Path, clock: FakeClock) -> Iterator[LiveStore]:
    """A read-only store on the `store` fixture's database, which has a live fight (id 1)."""
    _fill(store)
    with open_store(store_target, clock=clock, read_only=True) as opened:
        yield opened


def test_every_public_operation_is_a_read_or_a_write() -> None:
    public = {
        name
        for name, _ in inspect.getmembers(LiveStore, inspect.isfunction)
        if not name.startswith("_")
    }
    assert public - {"close"} == set(ALL_WRITES) | set(READS)


@pytest.mark.parametrize("operation", sorted(ALL_WRITES))
def test_every_write_is_refused_and_writes_nothing(
    store: LiveStore, reader: LiveStore, operation: str
) -> None:
    before = dump(store)
    with pytest.raises(StoreUnavailable, match=READ_ONLY):
        ALL_WRITES[operation](reader, 1)
    assert dump(store) == before


@pytest.mark.parametrize("operation", sorted(READS))
def test_every_read_works(store: LiveStore, reader: LiveStore, operation: str) -> None:
    result = READS[operation](reader, 1)
    if operation != "change_token":  # a number of its connection's own
        assert result == READS[operation](store, 1)


def test_it_says_it_is_read_only(store: LiveStore, reader: LiveStore) -> None:
    assert reader.read_only and not store.read_only


def test_a_writer_s_changes_show(store: LiveStore, reader: LiveStore) -> None:
    store.log_interaction_event(1, "LATER", None, ROOM)
    assert reader.get_interaction_logs(1, limit=1)[0].event_type == "LATER"


def test_read_only_must_be_a_flag(store_target: str | Path) -> None:
    with pytest.raises(InvalidInput, match="read_only"):
        open_store(store_target, read_only=1)  # type: ignore[arg-type]


class TestSqliteFile:
    @pytest.fixture
    def closed_store(self, db_path: Path, clock: FakeClock) -> Path:
        with open_store(db_path, clock=clock) as store:
            _fill(store)
        assert sorted(os.listdir(db_path.parent)) == [db_path.name]
        return db_path

    def test_a_missing_file_is_named_and_not_created(self, tmp_path: Path) -> None:
        path = tmp_path / "typo.db"
        with pytest.raises(StoreUnavailable, match=f"^no liveroom store at {path}$"):
            open_store(path, read_only=True)
        assert os.listdir(tmp_path) == []

    def test_a_missing_directory_is_not_created(self, tmp_path: Path) -> None:
        with pytest.raises(StoreUnavailable, match="no liveroom store at"):
            open_store(tmp_path / "nowhere" / "typo.db", read_only=True)
        assert os.listdir(tmp_path) == []

    def test_an_empty_file_is_no_store(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.db"
        path.touch()
        with pytest.raises(StoreUnavailable, match="no liveroom store at"):
            open_store(path, read_only=True)
        assert path.read_bytes() == b""
        assert os.listdir(tmp_path) == ["empty.db"]

    def test_not_a_database_is_refused_untouched(self, tmp_path: Path) -> None:
        path = tmp_path / "notes.txt"
        path.write_text("x" * 200)
        with pytest.raises(StoreUnavailable, match="not a liveroom database"):
            open_store(path, read_only=True)
        assert os.listdir(tmp_path) == ["notes.txt"]

    def test_reads_leave_the_file_byte_for_byte_and_create_nothing(
        self, closed_store: Path, clock: FakeClock
    ) -> None:
        content = closed_store.read_bytes()
        stat = closed_store.stat()
        with open_store(closed_store, clock=clock, read_only=True) as reader:
            for name, read in READS.items():
                assert read(reader, 1) is not None, name
            with pytest.raises(StoreUnavailable, match=READ_ONLY):
                reader.log_interaction_event(1, "NOTE", None, ROOM)
            assert sorted(os.listdir(closed_store.parent)) == [closed_store.name]
        assert closed_store.read_bytes() == content
        assert closed_store.stat().st_mtime_ns == stat.st_mtime_ns
        assert sorted(os.listdir(closed_store.parent)) == [closed_store.name]

    def test_an_older_store_is_not_upgraded(self, closed_store: Path) -> None:
        import sqlite3

        connection = sqlite3.connect(closed_store)
        with connection:
            connection.execute("UPDATE liveroom_meta SET value = '2' WHERE key = 'schema_version'")
        connection.close()
        content = closed_store.read_bytes()
        with pytest.raises(StoreUnavailable, match=r"older liveroom store \(schema 2\)"):
            open_store(closed_store, read_only=True)
        assert closed_store.read_bytes() == content

    def test_a_newer_store_is_refused(self, closed_store: Path) -> None:
        import sqlite3

        connection = sqlite3.connect(closed_store)
        with connection:
            connection.execute("UPDATE liveroom_meta SET value = '99' WHERE key = 'schema_version'")
        connection.close()
        with pytest.raises(StoreUnavailable, match="newer liveroom"):
            open_store(closed_store, read_only=True)


def test_rng_must_be_a_random(store_target: str | Path) -> None:
    with pytest.raises(InvalidInput, match="rng"):
        open_store(store_target, rng=3)  # type: ignore[arg-type]
    with open_store(store_target, rng=random.Random(7)) as opened:
        assert opened.list_interactions() == []
