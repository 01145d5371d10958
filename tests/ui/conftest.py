"""Fixtures for screen tests: a seeded temporary store, a fixed clock, a fixed size."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from app.app import LiveroomApp, make_app
from app.screens.polling import PollingScreen
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
    """The app as the command line builds it, polling fast, without housekeeping."""
    store, _ = scene_store
    return make_app(store, clock=clock, poll_interval=POLL_S, housekeeping=False)


async def settle(pilot: Pilot[None], polls: int = 2, timeout_s: float = 10.0) -> None:
    """Wait until the screen under any modal has finished `polls` more store checks.

    Counting completed polls instead of sleeping keeps screen tests exact on a
    busy machine: whatever was written before the call is on screen after it.
    """
    screens = [s for s in pilot.app.screen_stack if isinstance(s, PollingScreen)]
    if screens:
        screen = screens[-1]
        target = screen.polls_completed + polls
        deadline = time.monotonic() + timeout_s
        while screen.polls_completed < target and time.monotonic() < deadline:
            await pilot.pause(POLL_S / 2)
    for text_input in pilot.app.screen.query(Input):
        text_input.cursor_blink = False  # a blinking cursor would make snapshots flaky
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def open_room(pilot: Pilot[None], interaction_id: int) -> None:
    """From the rooms screen, open one room the way a game master would."""
    from widgets.rooms_table import RoomsTable

    await settle(pilot)
    assert pilot.app.screen.query_one(RoomsTable).select_interaction(interaction_id)
    await pilot.press("enter")
    await settle(pilot)
