"""A room key is judged on the room as it will be when it acts, and a focused widget's
own key is the widget's; `?` help dims what the room's status refuses."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from app.app import LiveroomApp
from app.screens.entry import EntryScreen
from app.screens.go_live import GoLiveScreen
from app.screens.help import HelpScreen
from app.screens.room_actions import RoomActions
from store import Interaction, LiveStore
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene


async def _until(pilot: Pilot[None], check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10.0
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        await pilot.pause(0.02)


def _notices(app: LiveroomApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def _type_together(pilot: Pilot[None], *keys: str) -> None:
    """Keys typed together, as a terminal hands them over in one read: each reaches the
    screen before the key before it has acted (pilot.press lets each act first), and no
    poll runs in between."""
    pilot.app.poll_interval = 3600.0
    await settle(pilot, polls=1)  # the poll already asleep wakes once more, then sleeps long
    for key in keys:
        pilot.app.post_message(events.Key(key, key))
    await pilot.pause()


async def _hold_writes(pilot: Pilot[None]) -> asyncio.Event:
    """Keep the room's write queue busy until the returned event is set, with no poll to
    come in the meantime: keys pressed now meet the queue as fast typing does, with the
    screen still showing the room as it was."""
    screen = next(s for s in pilot.app.screen_stack if isinstance(s, RoomActions))
    pilot.app.poll_interval = 3600.0
    await settle(pilot, polls=1)  # the poll already asleep wakes once more, then sleeps long
    release = asyncio.Event()

    async def hold(room: Interaction) -> Interaction:
        await release.wait()
        return room

    screen._writes.submit(hold)
    return release


async def test_p_n_typed_together_on_a_paused_room_resumes_then_advances(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    before = len(store.get_turn_records(scene.paused))
    async with dashboard.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await open_room(pilot, scene.paused)
        await _type_together(pilot, "p", "n")
        await _until(
            pilot, lambda: len(store.get_turn_records(scene.paused)) == before + 1, "the advance"
        )
        assert not [notice for notice in _notices(pilot.app) if notice.startswith("Next:")]
    assert store.get_interaction(scene.paused).status == "live"


async def test_p_n_behind_a_queued_write_on_a_paused_room_resume_then_advance(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    before = len(store.get_turn_records(scene.paused))
    async with dashboard.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await open_room(pilot, scene.paused)
        release = await _hold_writes(pilot)
        await pilot.press("p", "n")
        release.set()
        await _until(
            pilot, lambda: len(store.get_turn_records(scene.paused)) == before + 1, "the advance"
        )
        assert not [notice for notice in _notices(pilot.app) if notice.startswith("Next:")]
    assert store.get_interaction(scene.paused).status == "live"


async def test_p_n_typed_together_on_a_live_room_pauses_and_refuses_the_next(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    before = len(store.get_turn_records(scene.live))
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        release = await _hold_writes(pilot)
        await pilot.press("p", "n")
        release.set()
        await _until(
            pilot,
            lambda: "Next: the room is paused; resume it first (p)." in _notices(pilot.app),
            "the refusal, said when the n's turn came",
        )
    assert store.get_interaction(scene.live).status == "paused"
    assert len(store.get_turn_records(scene.live)) == before


async def test_x_y_g_typed_together_cleans_up_then_offers_to_reopen(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("x")  # the question, asked at once
        release = await _hold_writes(pilot)
        await pilot.press("y", "g")
        release.set()
        await _until(pilot, lambda: isinstance(pilot.app.screen, GoLiveScreen), "the form")
        assert "Go live: the room is live already." not in _notices(pilot.app)
        assert pilot.app.screen.query_one("#room-id").value == "room-tallow"  # resume it
    assert store.get_interaction(scene.live).live_room_id is None


async def test_enter_on_a_log_entry_of_a_completed_room_shows_the_entry(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await open_room(pilot, scene.completed)
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#log")
        await pilot.press("up", "enter")
        await _until(pilot, lambda: isinstance(pilot.app.screen, EntryScreen), "the entry")
        assert not [notice for notice in _notices(pilot.app) if notice.startswith("Edit:")]


async def test_a_refused_screen_key_still_says_why_with_the_log_focused(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await open_room(pilot, scene.completed)
        await pilot.press("n")
        await settle(pilot)
        assert "Next: the session is completed and can no longer change." in _notices(pilot.app)


def _help_rows(app: LiveroomApp) -> dict[str, tuple[Text, Text]]:
    """The help's rows by what each key does, the room's own keys first (the log's Next
    comes after the room's): (the description, the text beside it)."""
    table = app.screen.query(Static)[-1].content
    assert isinstance(table, Table)
    described, about = table.columns[1]._cells, table.columns[2]._cells
    rows: dict[str, tuple[Text, Text]] = {}
    for row, cell in enumerate(described):
        if isinstance(cell, Text) and cell.plain:
            rows.setdefault(cell.plain, (cell, about[row]))
    return rows


async def test_help_dims_the_keys_the_rooms_status_refuses_and_says_why(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await open_room(pilot, scene.paused)
        await pilot.press("question_mark")
        await _until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help")
        rows = _help_rows(pilot.app)
    description, about = rows["Next"]
    assert any("dim" in str(span.style) for span in description.spans)
    assert about.plain == "not now: the room is paused; resume it first (p)."
    description, about = rows["Resume"]
    assert not description.spans
    assert about.plain == "Resume the room with the time that was left."
    assert "Pause" not in rows  # hidden, as in the footer: p resumes


async def test_help_keeps_markup_in_a_room_id_literal(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    store.cleanup_inactive_room(scene.live, reason="closed_by_game_master")
    store.resume_interaction(scene.live, "[bold]room[/bold]")
    store.pause_interaction(scene.live)
    async with dashboard.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await open_room(pilot, scene.live)
        await pilot.press("question_mark")
        await _until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help")
        _, about = _help_rows(pilot.app)["Go live"]
    assert about.plain == "not now: the room is paused in room [bold]room[/bold]; p resumes it."
