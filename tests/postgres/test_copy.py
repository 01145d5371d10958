"""`liveroom copy`: a whole store into a new one, between any two engines, verified.

The SQLite-to-SQLite cases run everywhere; the ones with a PostgreSQL side
need the test server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.copy import copy_store
from store import Conflict, InvalidInput, LiveStore, StoreError, open_store
from store.transfer import TRANSFER_TABLES
from tests.conftest import FakeClock
from tests.store.helpers import ORDER, ROOM, dump


def fill(store: LiveStore, clock: FakeClock) -> None:
    """A bit of everything: users, every status, events with tied timestamps, turns, snapshots."""
    store.upsert_user("u-bree", "Bree")
    store.upsert_user("dm-ana", "Ana")
    for number in range(3):
        created = store.create_interaction(
            name=f"Fight {number}", dm_user_id="dm-ana", initiative_order=ORDER
        )
        store.initialize_for_live_play(created.id, f"{ROOM}-{number}", {"hp": {"gob": number}})
        store.update_connected_participants(created.id, "u-bree", "join")
        for _ in range(number + 2):
            store.log_interaction_event(created.id, "DICE_ROLL", {"d20": 17, "é": "🐉"}, ROOM)
        clock.advance(1_500)
        store.advance_turn(created.id, actions=[{"type": "attack", "target": "gob-1"}])
        store.advance_turn(created.id, status="skipped")
    store.pause_interaction(1, reason="break")
    store.finalize_live_interaction(2, {"hp": {}}, "won")
    idle = store.create_interaction(name="Later", dm_user_id="dm-ana", description="next week")
    store.update_live_room_status(idle.id, "cancelled")


@pytest.fixture
def source(tmp_path: Path, clock: FakeClock) -> Iterator[Path]:
    path = tmp_path / "source.db"
    with open_store(path, clock=clock) as store:
        fill(store, clock)
    yield path


def everything(target: Any) -> tuple[Any, ...]:
    """What the public API shows, plus the users: equal stores give equal results."""
    with open_store(target) as store:
        return dump(store), store.display_names(["u-bree", "dm-ana", "nobody"])


@pytest.fixture(params=["sqlite", "postgres"])
def destination(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "destination.db")


def test_a_copy_keeps_everything_ids_and_times_included(source: Path, destination: str) -> None:
    report = copy_store(source, destination)
    assert everything(destination) == everything(source)
    assert report.copied == report.verified
    assert report.copied["interactions"] == 4 and report.copied["users"] == 2
    with open_store(source) as original:
        assert report.copied == original.table_counts()


def test_new_rows_in_the_copy_get_new_ids(source: Path, destination: str) -> None:
    copy_store(source, destination)
    with open_store(destination) as copied:
        rooms = copied.list_interactions()
        newest_event = max(copied.get_interaction_logs(i.id, limit=1)[0].id for i in rooms)
        created = copied.create_interaction(name="New", dm_user_id="dm")
        assert created.id == max(i.id for i in rooms) + 1
        assert copied.log_interaction_event(created.id, "NOTE", None, ROOM).id == newest_event + 1


def test_back_and_forth_through_postgresql(source: Path, tmp_path: Path, postgres_url: str) -> None:
    copy_store(source, postgres_url)
    back = tmp_path / "back.db"
    copy_store(postgres_url, back)
    assert everything(back) == everything(source)


def test_a_store_with_data_is_refused_and_left_as_it_was(
    source: Path, destination: str, clock: FakeClock
) -> None:
    with open_store(destination, clock=clock) as store:
        store.create_interaction(name="Precious", dm_user_id="dm")
    before = everything(destination)
    with pytest.raises(Conflict, match="not empty"):
        copy_store(source, destination)
    assert everything(destination) == before


def test_a_copy_that_fails_midway_writes_nothing(
    source: Path, destination: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = LiveStore.export_tables

    def failing(self: LiveStore) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
        for name, rows in original(self):
            yield name, rows
            if name == "live_interaction_logs":
                raise StoreError("the source went away")

    monkeypatch.setattr(LiveStore, "export_tables", failing)
    with pytest.raises(StoreError, match="went away"):
        copy_store(source, destination)
    monkeypatch.undo()
    with open_store(destination) as store:
        assert store.table_counts() == dict.fromkeys(TRANSFER_TABLES, 0)


def test_the_same_store_twice_is_refused(source: Path) -> None:
    with pytest.raises(InvalidInput, match="same store"):
        copy_store(source, str(source))


def test_the_command_prints_the_verified_counts(
    source: Path, destination: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["copy", "--from", str(source), "--to", destination]) == 0
    out = capsys.readouterr().out
    assert "Verified" in out
    for name in TRANSFER_TABLES:
        assert name in out
    assert main(["copy", "--from", str(source), "--to", destination]) == 2
    assert "not empty" in capsys.readouterr().err
