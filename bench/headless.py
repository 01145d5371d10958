"""The liveroom dashboard (and a bare Textual app) run headless inside the bench process.

Built with the same factory the command line uses, `make_app`, on a store
opened by explicit path. "Painted" means: the content is in the widgets and
the screen has refreshed since (Screen.wait_for_refresh).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Label

from app.app import LiveroomApp, make_app
from app.screens.room import RoomScreen
from app.screens.rooms import RoomsScreen
from bench.probe import painted
from store import open_store
from widgets.event_log import EventLog
from widgets.rooms_table import RoomsTable

POLL_S = 0.002
WAIT_S = 120.0


async def wait_until(
    app: App[Any], check: Callable[[], bool], what: str, timeout: float = WAIT_S
) -> None:
    """Poll `check()` every couple of milliseconds, leaving the loop to the app in between.

    Gives up when the app stops (it crashed: run_test re-raises why on exit)
    or after `timeout` seconds.
    """
    deadline = time.perf_counter() + timeout
    while not check():
        if not app.is_running:
            raise RuntimeError(f"the app stopped while waiting for {what}")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        await asyncio.sleep(POLL_S)


@asynccontextmanager
async def dashboard(
    path: Path, size: tuple[int, int], *, poll_interval: float = 0.25, housekeeping: bool = True
) -> AsyncIterator[LiveroomApp]:
    """The dashboard on the store at `path`, running headless, rooms screen painted."""
    with open_store(path) as store:
        app = make_app(store, poll_interval=poll_interval, housekeeping=housekeeping)
        async with app.run_test(size=size):
            expected = len(store.list_interactions())

            def rooms_shown() -> bool:
                screen = app.screen
                return isinstance(screen, RoomsScreen) and (
                    screen.query_one(RoomsTable).row_count == expected
                )

            await wait_until(app, rooms_shown, "the rooms table")
            await painted(app)
            yield app


async def open_room(app: LiveroomApp, interaction_id: int) -> EventLog:
    """Push the room screen and return its EventLog once the first page is painted."""
    await app.push_screen(RoomScreen(interaction_id))

    def room_shown() -> bool:
        screen = app.screen
        return isinstance(screen, RoomScreen) and bool(screen.query_one(EventLog).entries)

    await wait_until(app, room_shown, f"room {interaction_id}'s first page")
    await painted(app)
    return app.screen.query_one(EventLog)


async def close_room(app: LiveroomApp) -> None:
    """Back to the rooms screen, painted."""
    await app.pop_screen()
    await wait_until(app, lambda: isinstance(app.screen, RoomsScreen), "the rooms screen")
    await painted(app)


class BareApp(App[None]):
    """The baseline: a Textual app that paints one label."""

    def compose(self) -> ComposeResult:
        yield Label("hello")


@asynccontextmanager
async def bare_app(size: tuple[int, int]) -> AsyncIterator[BareApp]:
    app = BareApp()
    async with app.run_test(size=size):
        await wait_until(app, lambda: bool(app.screen.query(Label)), "the label")
        await painted(app)
        yield app
