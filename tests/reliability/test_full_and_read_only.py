"""A full disk and a read-only database: a clear StoreError, earlier data intact, app running.

A tiny filesystem is not available to the tests, so the disk is "full" when
SQLite's `PRAGMA max_page_count` caps the store's connection at its current
size (SQLite reports SQLITE_FULL exactly as for a full disk), and the file is
"read-only" through `PRAGMA query_only` or a connection opened with mode=ro
(chmod means nothing to root, which the tests may run as).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.app import LiveroomApp, make_app
from store import LiveStore, StoreUnavailable, open_store
from tests.conftest import FakeClock
from tests.reliability.conftest import integrity
from tests.store.helpers import ORDER, dump
from tests.ui.conftest import POLL_S, SIZE, open_room, settle
from tests.ui.scenes import Scene, build_scene

pytestmark = pytest.mark.sqlite_only

BIG = {"pad": "x" * 60_000}
"""Event data just under the 64 KiB limit: always needs new pages."""


def _pragma(store: LiveStore, sql: str) -> int | str | None:
    """Run a PRAGMA on the store's own connection (this thread's)."""
    row = store._db.execute_sql(sql).fetchone()
    return None if row is None else row[0]


def _fill_disk(store: LiveStore, interaction_id: int) -> None:
    """Cap the file at its size, then write until even a small event no longer fits."""
    _pragma(store, f"PRAGMA max_page_count = {_pragma(store, 'PRAGMA page_count')}")
    for size in (60_000, 4_000, 200):
        try:
            while True:
                store.log_interaction_event(interaction_id, "FILLER", {"pad": "x" * size}, "s")
        except StoreUnavailable:
            pass


@pytest.fixture
def room(store: LiveStore) -> int:
    created = store.create_interaction(
        name="Kept", dm_user_id="dm", initiative_order=ORDER, turn_time_limit=60
    )
    store.initialize_for_live_play(created.id, "room-k", {"hp": 7})
    for number in range(20):
        store.log_interaction_event(created.id, "NOTE", {"n": number}, "room-k")
    return created.id


def test_disk_full_is_a_clear_error_and_loses_nothing(
    store: LiveStore, room: int, db_path: Path
) -> None:
    _fill_disk(store, room)
    before = dump(store)
    batch = [
        {"type": "log_event", "data": {"event_type": "NOTE", "event_data": BIG, "session_id": "s"}}
        for _ in range(5)
    ]
    writes = [
        lambda: store.log_interaction_event(room, "NOTE", BIG, "room-k"),
        lambda: store.batch_state_operations(room, batch),
        lambda: store.save_state_snapshot(room, {"map": "y" * 100_000}),
        lambda: store.create_interaction(name="New" * 60, dm_user_id="dm", description="z" * 9000),
    ]
    for write in writes:
        with pytest.raises(StoreUnavailable, match="disk is full"):
            write()
    assert dump(store) == before
    assert integrity(db_path) == ["ok"]
    # Room again: the same store carries on.
    _pragma(store, "PRAGMA max_page_count = 1073741823")
    store.log_interaction_event(room, "NOTE", BIG, "room-k")
    assert store.get_interaction_logs(room, limit=1)[0].event_data == BIG


def test_read_only_is_a_clear_error_and_loses_nothing(store: LiveStore, room: int) -> None:
    before = dump(store)
    _pragma(store, "PRAGMA query_only = 1")
    for write in (
        lambda: store.log_interaction_event(room, "NOTE", {"n": 1}, "room-k"),
        lambda: store.advance_turn(room),
        lambda: store.update_turn_settings(room, chat_enabled=False),
    ):
        with pytest.raises(StoreUnavailable, match="read-only"):
            write()
    assert dump(store) == before  # reads still work
    _pragma(store, "PRAGMA query_only = 0")
    store.advance_turn(room)


def test_a_read_only_reopened_file_is_a_clear_error(
    store: LiveStore, room: int, db_path: Path
) -> None:
    before = dump(store)
    store.close()
    store._db.init(f"{db_path.absolute().as_uri()}?mode=ro", uri=True, timeout=1.0)
    try:
        with pytest.raises(StoreUnavailable, match="read-only"):
            store.log_interaction_event(room, "NOTE", {"n": 1}, "room-k")
        assert dump(store) == before
    finally:
        store.close()
    with open_store(db_path) as again:
        assert dump(again) == before


@pytest.fixture
def scene_app(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[LiveroomApp, LiveStore, Scene]]:
    with open_store(tmp_path / "scene.db", clock=clock) as store:
        scene = build_scene(store, clock)
        yield make_app(store, clock=clock, poll_interval=POLL_S, housekeeping=False), store, scene


@pytest.mark.parametrize("failure", ["disk full", "read-only"])
async def test_the_dashboard_reports_it_and_keeps_running(
    scene_app: tuple[LiveroomApp, LiveStore, Scene], failure: str
) -> None:
    app, store, scene = scene_app
    async with app.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        writer = app.gateway.write  # the dashboard's own writer connection
        if failure == "disk full":
            await writer(_fill_disk, store, scene.live)
        else:
            await writer(_pragma, store, "PRAGMA query_only = 1")
        before = store.get_interaction(scene.live)
        turns = store.get_turn_records(scene.live)
        await pilot.press("n")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(failure.replace("disk ", "disk is ") in m for m in messages), messages
        titles = [n.title for n in app._notifications]
        assert "Store unavailable" in titles
        assert app.is_running
        assert store.get_interaction(scene.live) == before
        assert store.get_turn_records(scene.live) == turns
        if failure == "disk full":
            await writer(_pragma, store, "PRAGMA max_page_count = 1073741823")
        else:
            await writer(_pragma, store, "PRAGMA query_only = 0")
        await pilot.press("n")
        await settle(pilot)
        assert len(store.get_turn_records(scene.live)) == len(turns) + 1
