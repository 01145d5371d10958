"""Keys pressed quickly act as if pressed slowly; refused keys say why; a closed room reopens."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

from app.app import LiveroomApp
from app.screens.go_live import GoLiveScreen
from store import LiveStore
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene


async def _until(pilot: Pilot[None], check: Callable[[], bool], what: str) -> None:
    """Wait for the writes the keys queued to reach the store, with a deadline."""
    deadline = time.monotonic() + 10.0
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        await pilot.pause(0.02)


def _notices(app: LiveroomApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_n_pressed_five_times_quickly_advances_five_turns(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    before = len(store.get_turn_records(scene.live))
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press(*"nnnnn")
        await _until(pilot, lambda: len(store.get_turn_records(scene.live)) == before + 5, "5")
        await settle(pilot)
        assert not [notice for notice in _notices(pilot.app) if "moved on" in notice]
    assert [r.status for r in store.get_turn_records(scene.live)[before:]] == ["completed"] * 5


async def test_c_pressed_twice_quickly_leaves_chat_as_it_was(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("c", "c")
        await _until(
            pilot,
            lambda: (
                sum(
                    entry.event_type == "SETTINGS_UPDATED"
                    for entry in store.get_interaction_logs(scene.live, limit=5)
                )
                == 2
            ),
            "two settings changes",
        )
        await settle(pilot)
    assert store.get_interaction(scene.live).chat_enabled is True


async def test_p_pressed_twice_quickly_pauses_then_resumes(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("p", "p")
        await _until(
            pilot,
            lambda: (
                store.get_interaction_logs(scene.live, limit=1)[0].event_type
                in ("INTERACTION_RESUMED", "TURN_STARTED")
            ),
            "the resume",
        )
        await settle(pilot)
        assert not [notice for notice in _notices(pilot.app) if "cannot" in notice]
    types = [entry.event_type for entry in store.get_interaction_logs(scene.live, limit=5)]
    assert "INTERACTION_PAUSED" in types and "INTERACTION_RESUMED" in types
    assert store.get_interaction(scene.live).status == "live"


async def test_a_dimmed_key_says_why_it_does_nothing(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    before = store.get_interaction(scene.paused)
    async with dashboard.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await open_room(pilot, scene.paused)
        await pilot.press("n")
        await settle(pilot)
        assert "Next: the room is paused; resume it first (p)." in _notices(pilot.app)
    assert store.get_interaction(scene.paused) == before


async def test_g_on_a_live_room_says_it_is_live_already(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("g")
        await settle(pilot)
        assert "Go live: the room is live already." in _notices(pilot.app)


async def test_the_palette_offers_only_what_the_status_allows(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await open_room(pilot, scene.paused)
        titles = [command.title for command in pilot.app.get_system_commands(pilot.app.screen)]
    assert "room: Resume" in titles
    assert "room: Pause" not in titles
    assert "turn: Next" not in titles


async def test_a_cleaned_up_room_resumes_in_a_room_the_game_master_names(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("x", "y")
        await _until(
            pilot, lambda: store.get_interaction(scene.live).live_room_id is None, "the clean-up"
        )
        await settle(pilot)
        await pilot.press("p")
        await _until(pilot, lambda: isinstance(pilot.app.screen, GoLiveScreen), "the form")
        await settle(pilot)
        assert pilot.app.screen.query_one("#room-id").value == "room-tallow"  # the old one
        await pilot.press("enter")
        await _until(pilot, lambda: store.get_interaction(scene.live).status == "live", "live")
    assert store.get_interaction(scene.live).live_room_id == "room-tallow"


async def test_g_reopens_a_cleaned_up_room_too(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    store.cleanup_inactive_room(scene.live, reason="closed_by_game_master")
    async with dashboard.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await open_room(pilot, scene.live)
        await pilot.press("g")
        await _until(pilot, lambda: isinstance(pilot.app.screen, GoLiveScreen), "the form")
        await settle(pilot)
        pilot.app.screen.query_one("#room-id").value = "room-new"
        await pilot.press("enter")
        await _until(pilot, lambda: store.get_interaction(scene.live).status == "live", "live")
    assert store.get_interaction(scene.live).live_room_id == "room-new"


async def test_the_message_forms_recipients_follow_who_is_connected(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    store.upsert_user("u-cid", "Cid")
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("m")
        await settle(pilot)
        recipients = pilot.app.screen.query_one("#recipients")
        shown = [recipients.get_option_at_index(i).value for i in range(recipients.option_count)]
        assert shown == ["u-bree", "u-tam"]
        recipients.select("u-bree")
        store.update_connected_participants(scene.live, "u-cid", "join")
        store.update_connected_participants(scene.live, "u-tam", "leave")
        await _until(
            pilot,
            lambda: (
                recipients.option_count == 2
                and "u-cid"
                in [recipients.get_option_at_index(i).value for i in range(recipients.option_count)]
            ),
            "Cid to be offered",
        )
        assert recipients.selected == ["u-bree"]  # the choice made stays
        prompts = [str(recipients.get_option_at_index(i).prompt) for i in range(2)]
        assert prompts == ["✓ Bree Underhill", "  Cid"]
