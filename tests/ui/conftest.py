"""Fixtures for screen tests: a seeded temporary store, a fixed clock, a fixed size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from app.app import LiveroomApp, make_app
from store import LiveStore, open_store
from tests.conftest import FakeClock
from tests.ui.scenes import Scene, build_scene

SIZE = (120, 35)
"""Every screen test renders at this terminal size."""
POLL_S = 0.05


@pytest.fixture
def scene_store(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[LiveStore, Scene]]:
    with open_store(tmp_path / "scene.db", clock=clock) as store:
        yield store, build_scene(store, clock)


@pytest.fixture
def dashboard(scene_store: tuple[LiveStore, Scene], clock: FakeClock) -> LiveroomApp:
    """The app as the command line builds it, polling fast and without housekeeping."""
    store, _ = scene_store
    return make_app(store, clock=clock, poll_interval=POLL_S, housekeeping=False)


async def settle(pilot: Pilot[None], cycles: int = 4) -> None:
    """Let the poll loop pick up the store's state (a few poll intervals)."""
    for _ in range(cycles):
        await pilot.pause(POLL_S * 2)
    await pilot.wait_for_scheduled_animations()


async def open_room(pilot: Pilot[None], interaction_id: int) -> None:
    """From the rooms screen, open one room the way a game master would."""
    from widgets.rooms_table import RoomsTable

    await settle(pilot)
    table = pilot.app.screen.query_one(RoomsTable)
    row = table.get_row_index(str(interaction_id))
    table.move_cursor(row=row)
    await pilot.press("enter")
    await settle(pilot)
