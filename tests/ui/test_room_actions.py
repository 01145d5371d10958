"""Each room key, pressed as a game master would, checked in the store afterwards."""

from __future__ import annotations

import pytest

from app.app import LiveroomApp
from store import LiveStore
from tests.conftest import FakeClock
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene


async def test_p_pauses_and_resumes(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("p")
        await settle(pilot)
        assert store.get_interaction(scene.live).status == "paused"
        await pilot.press("p")
        await settle(pilot)
        assert store.get_interaction(scene.live).status == "live"


async def test_n_records_the_turn_and_advances(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    before = store.get_interaction(scene.live)
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("n")
        await settle(pilot)
    after = store.get_interaction(scene.live)
    records = store.get_turn_records(scene.live)
    assert records[-1].status == "completed"
    assert (records[-1].round_number, records[-1].turn_number) == (
        before.round_number,
        before.turn_number,
    )
    assert after.turn_number == before.turn_number + 1


async def test_s_skips_the_turn(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("s")
        await settle(pilot)
    assert store.get_turn_records(scene.live)[-1].status == "skipped"


async def test_cancelled_finalize_changes_nothing(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    before = store.get_interaction(scene.live)
    logs_before = store.get_interaction_logs(scene.live, limit=1000)
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press(*"victory")
        await pilot.press("escape")
        await settle(pilot)
    assert store.get_interaction(scene.live) == before
    assert store.get_interaction_logs(scene.live, limit=1000) == logs_before


async def test_confirmed_finalize_completes_with_the_reason(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press(*"goblins routed", "enter")
        await settle(pilot)
    assert store.get_interaction(scene.live).status == "completed"
    newest = store.get_interaction_logs(scene.live, limit=1)[0]
    assert newest.event_type == "INTERACTION_COMPLETED"
    assert newest.event_data == {"completion_reason": "goblins routed"}


async def test_settings_out_of_range_are_refused_with_a_message(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("t")
        await settle(pilot)
        limit = pilot.app.screen.query_one("#time-limit")
        limit.value = "5"
        await pilot.click("#save")
        await settle(pilot)
        error = pilot.app.screen.query_one("#time-limit-error")
        assert "0 (untimed) or 10–3600 seconds" in str(error.render())
        assert pilot.app.screen.__class__.__name__ == "SettingsScreen"
    assert store.get_interaction(scene.live).turn_time_limit == 300


async def test_settings_saved_apply_to_the_store(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("t")
        await settle(pilot)
        pilot.app.screen.query_one("#time-limit").value = "120"
        await pilot.click("#chat-enabled")
        await pilot.click("#save")
        await settle(pilot)
    interaction = store.get_interaction(scene.live)
    assert (interaction.turn_time_limit, interaction.chat_enabled) == (120, False)


async def test_c_and_v_toggle_chat_settings(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
    interaction = store.get_interaction(scene.live)
    assert (interaction.chat_enabled, interaction.allow_private_chat) == (False, False)


async def test_m_sends_a_party_message(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"Roll initiative!", "enter")
        await settle(pilot)
    newest = store.get_interaction_logs(scene.live, limit=1)[0]
    assert newest.event_type == "CHAT_MESSAGE"
    assert newest.event_data["channel"] == "party"
    assert newest.event_data["content"] == "Roll initiative!"
    assert newest.session_id == "room-tallow"


async def test_x_cleans_up_after_confirmation(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    interaction = store.get_interaction(scene.live)
    assert interaction.status == "paused"
    assert interaction.live_room_id is None


def _notices(app: LiveroomApp) -> list[str]:
    """The notifications shown so far, oldest first."""
    return [str(notification.message) for notification in app._notifications]


def _server_saves_after_each_read(
    store: LiveStore, interaction_id: int, monkeypatch: pytest.MonkeyPatch
) -> list[object]:
    """A game server saving the state just after any read of it through the dashboard.

    Returns the states saved so far, the last being what the store must keep:
    a dashboard that read the state and wrote that copy back would lose it.
    """
    latest: list[object] = [store.load_state_snapshot(interaction_id).state_snapshot]
    load = store.load_state_snapshot

    def load_then_server_saves(*args: object, **kwargs: object) -> object:
        snapshot = load(*args, **kwargs)  # type: ignore[arg-type]
        latest.append({"saved_by": "server", "after_read": len(latest)})
        store.save_state_snapshot(interaction_id, latest[-1])
        return snapshot

    monkeypatch.setattr(store, "load_state_snapshot", load_then_server_saves)
    return latest


async def test_g_takes_an_idle_room_live(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, scene = scene_store
    store.save_state_snapshot(scene.idle, {"prep": "old"})
    latest = _server_saves_after_each_read(store, scene.idle, monkeypatch)
    async with dashboard.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await open_room(pilot, scene.idle)
        await pilot.press("g")
        await settle(pilot)
        await pilot.click("#save")
        await settle(pilot)
    interaction = store.get_interaction(scene.idle)
    assert interaction.status == "live"
    assert interaction.live_room_id == f"room-{scene.idle}"
    assert (interaction.round_number, interaction.turn_number) == (1, 1)
    assert interaction.last_state_snapshot == latest[-1]  # no older copy written back


async def test_shift_s_saves_a_snapshot(
    dashboard: LiveroomApp,
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, scene = scene_store
    clock.advance(1_000)
    latest = _server_saves_after_each_read(store, scene.live, monkeypatch)
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("S")
        await settle(pilot)
        assert "Snapshot saved" in _notices(pilot.app)[-1]
    interaction = store.get_interaction(scene.live, with_snapshot=True)
    assert interaction.snapshot_timestamp == clock.now
    assert interaction.last_state_snapshot == latest[-1]  # no older copy written back


async def test_shift_s_without_a_saved_state_says_so(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, _ = scene_store
    bare = store.create_interaction(name="Empty table", dm_user_id="u-dm").id
    async with dashboard.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await open_room(pilot, bare)
        await pilot.press("S")
        await settle(pilot)
        assert "no saved state" in _notices(pilot.app)[-1]
    assert store.load_state_snapshot(bare).timestamp is None


async def test_a_message_the_store_refuses_stays_in_the_form_with_the_reason(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("m")
        await settle(pilot)
        pilot.app.poll_interval = 3600.0  # the form cannot learn of the change below
        await settle(pilot, polls=1)  # the poll already asleep wakes once more
        store.update_turn_settings(scene.live, chat_enabled=False)  # another console
        await pilot.press(*"anyone there?", "enter")
        form = pilot.app.screen
        assert form.__class__.__name__ == "MessageScreen"
        error = form.query_one("#channel-error")
        for _ in range(500):  # until the store's answer is back from the writer thread
            if str(error.render()):
                break
            await pilot.pause(0.01)
        assert pilot.app.screen is form
        assert "chat is disabled" in str(error.render())
        assert form.query_one("#content").value == "anyone there?"
    assert store.get_interaction_logs(scene.live, limit=1)[0].event_type == "SETTINGS_UPDATED"
