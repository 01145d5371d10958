"""What players type is shown literally: no styling, no links, no actions, no terminal escapes.

A snapshot of a room full of hostile chat and event data, and a pilot that
clicks all over those lines and presses keys: nothing quits, nothing writes.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from app.app import LiveroomApp, make_app
from app.screens.entry import EntryScreen
from app.screens.room import RoomScreen
from store import LiveStore, open_store
from tests.conftest import FakeClock
from tests.reliability.hostile_scene import ESCAPING_ROOM_NAME, build_hostile_room
from tests.ui.conftest import POLL_S, SIZE, open_room, settle

SnapCompare = Callable[..., bool]

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach the terminal as text: C0/C1 controls (ESC among them), bidi overrides."""


@pytest.fixture
def hostile(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[LiveroomApp, LiveStore, int]]:
    with open_store(tmp_path / "hostile.db", clock=clock) as store:
        room = build_hostile_room(store, clock)
        app = make_app(store, clock=clock, poll_interval=POLL_S, housekeeping=False)
        yield app, store, room


def test_hostile_room_snapshot(
    snap_compare: SnapCompare, hostile: tuple[LiveroomApp, LiveStore, int]
) -> None:
    app, _, room = hostile

    async def run_before(pilot: Pilot[None]) -> None:
        await open_room(pilot, room)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def _screen_segments(app: LiveroomApp) -> list[tuple[str, object]]:
    """Every (text, style) the terminal would get for the whole screen."""
    update = app.screen._compositor.render_full_update()
    return [
        (segment.text, segment.style)
        for line in update.strips
        for strip in line
        for segment in strip
        if segment.control is None
    ]


async def test_hostile_text_is_inert(
    hostile: tuple[LiveroomApp, LiveStore, int], tmp_path: Path
) -> None:
    app, store, room = hostile
    witness = sqlite3.connect(tmp_path / "hostile.db", isolation_level=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_room(pilot, room)
            screen = app.screen
            assert isinstance(screen, RoomScreen)
            version = witness.execute("PRAGMA data_version").fetchone()[0]

            segments = _screen_segments(app)
            text = "".join(t for t, _ in segments)
            assert "[@click=app.quit]" in text  # shown, as the characters typed
            for chunk, style in segments:
                assert not UNSAFE.search(chunk), repr(chunk)
                if style is not None:
                    assert not getattr(style, "link", None), (chunk, style)
                    assert "@click" not in (getattr(style, "meta", None) or {}), (chunk, style)

            region = screen.query_one("#log").region
            # Every third log row, at a column that moves along the line, then the side panels.
            clicks = [
                (region.x + 2 + (y * 13) % (region.width - 4), y)
                for y in range(region.y + 1, region.bottom - 1, 3)
            ]
            for side in ("#initiative", "#participants", "#room-header"):
                area = screen.query_one(side).region
                clicks += [(area.x + area.width // 3, y) for y in range(area.y + 1, area.bottom, 3)]
            for number, offset in enumerate(clicks):
                await pilot.click(offset=offset, times=1 + number % 2)
                await _close_entry_views(pilot, app)
            await pilot.hover(offset=(region.x + 30, region.y + 3))
            for key in (
                "up",
                "down",
                "pageup",
                "pagedown",
                "home",
                "end",
                "left",
                "right",
                "enter",
                "space",
                "tab",
                "shift+tab",
            ):
                await pilot.press(key)
                await _close_entry_views(pilot, app)
            await settle(pilot)

            assert app.is_running and app.return_code is None
            assert app.screen is screen, "a click or key left the room screen"
            assert witness.execute("PRAGMA data_version").fetchone()[0] == version, (
                "clicking or pressing keys wrote to the store"
            )
            assert not [n for n in app._notifications if n.severity == "error"]
    finally:
        witness.close()
    assert store.get_interaction(room).status == "live"


async def _close_entry_views(pilot: Pilot[None], app: LiveroomApp) -> None:
    """A double click or Enter on a log line shows the entry whole (EntryScreen): its
    text must be as inert as the log's; then it is closed, back to the room."""
    await pilot.pause()
    while isinstance(app.screen, EntryScreen):
        for chunk, style in _screen_segments(app):
            assert not UNSAFE.search(chunk), repr(chunk)
            assert style is None or not getattr(style, "link", None), (chunk, style)
        await pilot.press("escape")
        await pilot.pause()


async def test_a_room_name_with_escapes_reaches_the_terminal_as_text(
    tmp_path: Path, clock: FakeClock
) -> None:
    with open_store(tmp_path / "escaping.db", clock=clock) as store:
        room = build_hostile_room(store, clock, name=ESCAPING_ROOM_NAME)
        app = make_app(store, clock=clock, poll_interval=POLL_S, housekeeping=False)
        async with app.run_test(size=SIZE) as pilot:
            await open_room(pilot, room)
            unsafe = [chunk for chunk, _ in _screen_segments(app) if UNSAFE.search(chunk)]
    assert unsafe == []
