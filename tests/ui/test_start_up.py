"""Start-up: one process, the store opened first, the heap frozen once the first screen shows."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from app.app import LiveroomApp
from app.cli import dashboard_app
from store import LiveStore, StoreError
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene
from widgets.rooms_table import RoomsTable


async def _until(pilot: Pilot[None], check: Callable[[], bool], what: str) -> None:
    """Wait for `check()`, with a deadline rather than a fixed pause."""
    deadline = time.monotonic() + 10.0
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        await pilot.pause(0.01)


async def test_the_first_screen_shown_freezes_the_heap_once(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    gc.unfreeze()
    try:
        async with dashboard.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await _until(pilot, lambda: gc.get_freeze_count() > 0, "the heap to be frozen")
            frozen = gc.get_freeze_count()
            await open_room(pilot, scene.live)
            assert gc.get_freeze_count() <= frozen  # a room opened later freezes nothing more
    finally:
        gc.unfreeze()


async def test_the_rooms_are_shown_by_the_first_poll(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, _ = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one(RoomsTable)
        assert table.row_count == len(store.list_room_summaries())


def test_a_store_that_cannot_be_opened_fails_before_any_screen(tmp_path: Path) -> None:
    not_a_store = tmp_path / "notes.txt"
    not_a_store.write_text("shopping list\n" * 100)
    with pytest.raises(StoreError):
        dashboard_app(str(not_a_store))
    assert not_a_store.read_text() == "shopping list\n" * 100


def test_the_dashboard_opens_the_store_in_its_own_process(tmp_path: Path) -> None:
    app = dashboard_app(str(tmp_path / "game.db"))
    try:
        assert app.store.list_room_summaries() == []
    finally:
        app.store.close()
