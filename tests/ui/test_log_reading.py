"""Reading the event log: Home and End go to its ends, paging either way; Enter shows an
entry whole."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

from app.app import LiveroomApp
from app.room_feed import LOG_PAGE
from app.screens.entry import EntryScreen
from store import LiveStore
from tests.conftest import FakeClock
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene
from widgets.event_log import MAX_ENTRIES, EventLog

HISTORY = 3 * LOG_PAGE + 50


def _log_history(store: LiveStore, clock: FakeClock, interaction_id: int, count: int) -> None:
    clock.advance(1_000)
    store.batch_state_operations(
        interaction_id,
        [
            {
                "type": "log_event",
                "data": {
                    "event_type": "DICE_ROLL",
                    "event_data": {"notation": "1d20", "result": number % 20 + 1},
                    "session_id": "r",
                },
            }
            for number in range(count)
        ],
    )


async def _until(pilot: Pilot[None], check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10.0
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        await pilot.pause(0.01)


async def test_home_shows_the_first_event_and_end_the_newest(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene], clock: FakeClock
) -> None:
    store, scene = scene_store
    _log_history(store, clock, scene.live, HISTORY)
    first = store.get_logs_after(scene.live, 0, limit=1)[0].id
    newest = store.get_interaction_logs(scene.live, limit=1)[0].id
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        log = pilot.app.screen.query_one(EventLog)
        await pilot.press("home")
        await _until(pilot, lambda: log.oldest_id == first, "the first page")
        await settle(pilot)
        assert log.entry_at(log.scroll_offset.y)[0].id == first  # type: ignore[index]
        assert not log.at_bottom
        await pilot.press("end")
        await _until(pilot, lambda: log.newest_id == newest and log.at_bottom, "the newest")


async def test_reading_down_from_the_first_event_pages_newer_entries_in_order(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene], clock: FakeClock
) -> None:
    store, scene = scene_store
    _log_history(store, clock, scene.live, HISTORY)
    everything = [entry.id for entry in store.get_logs_after(scene.live, 0, limit=1_000)]
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        log = pilot.app.screen.query_one(EventLog)
        await pilot.press("home")
        await _until(pilot, lambda: log.oldest_id == everything[0], "the first page")
        while log.newest_id != everything[-1]:
            newest = log.newest_id
            log.scroll_end(animate=False, immediate=True)
            await _until(pilot, lambda newest=newest: log.newest_id != newest, "a newer page")
        held = [entry.id for entry in log.entries]
        assert held == everything[-len(held) :] and len(held) <= MAX_ENTRIES
        # Caught up: the log follows new events again.
        clock.advance(1_000)
        _log_history(store, clock, scene.live, 1)
        log.scroll_end(animate=False, immediate=True)
        await _until(pilot, lambda: log.newest_id != everything[-1], "the new event")


async def test_enter_shows_the_entry_under_the_cursor_whole(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    long_message = "The dragon speaks: " + "ancient words " * 130
    store.log_interaction_event(
        scene.live,
        "CHAT_MESSAGE",
        {"channel": "party", "content": long_message},
        "room-tallow",
        user_id="u-bree",
    )
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        log = pilot.app.screen.query_one(EventLog)
        await pilot.press("up")  # the cursor on the newest entry at the view's bottom
        assert log.cursor_entry is not None
        assert log.cursor_entry.event_data["content"] == long_message
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(pilot.app.screen, EntryScreen), "the entry")
        shown = "".join(str(static.render()) for static in pilot.app.screen.query(".entry-data"))
        assert long_message.strip() in shown.replace("\n", "")
        await pilot.press("escape")
        await _until(pilot, lambda: not isinstance(pilot.app.screen, EntryScreen), "closed")


async def test_up_and_down_move_the_cursor_entry_by_entry(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        log = pilot.app.screen.query_one(EventLog)
        ids = [entry.id for entry in log.entries]
        await pilot.press("up")
        assert log.cursor_entry is not None and log.cursor_entry.id == ids[-1]
        await pilot.press("up", "up")
        assert log.cursor_entry.id == ids[-3]
        await pilot.press("down")
        assert log.cursor_entry.id == ids[-2]
