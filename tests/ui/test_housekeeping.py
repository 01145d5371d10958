"""The dashboard keeps unattended rooms moving: expired turns advance, idle rooms close."""

from __future__ import annotations

import asyncio
import threading

import pytest

from app.app import LiveroomApp, make_app
from store import LiveStore, StoreUnavailable
from tests.conftest import FakeClock
from tests.ui.conftest import SIZE, settle
from tests.ui.scenes import Scene


async def test_an_expired_turn_is_recorded_as_timeout_and_advanced(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock
) -> None:
    store, scene = scene_store
    before = store.get_interaction(scene.live)
    clock.now = before.current_turn_timeout
    app = make_app(store, clock=clock, poll_interval=0.05, housekeeping=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(1.3)
        await settle(pilot)
    last = store.get_turn_records(scene.live)[-1]
    assert (last.status, last.round_number, last.turn_number) == (
        "timeout",
        before.round_number,
        before.turn_number,
    )
    assert store.get_interaction(scene.live).turn_number == before.turn_number + 1


async def test_idle_live_rooms_are_cleaned_up_and_paused_rooms_left_alone(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock, monkeypatch
) -> None:
    import app.app as app_module

    store, scene = scene_store
    monkeypatch.setattr(app_module, "SWEEP_INTERVAL_S", 0.2)
    clock.advance(31 * 60_000)
    paused_before = store.get_interaction(scene.paused)
    app = make_app(store, clock=clock, poll_interval=0.05, housekeeping=True, idle_minutes=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.6)
        await settle(pilot)
        messages = [n.message for n in pilot.app._notifications]
    for interaction_id in (scene.live, scene.untimed):
        interaction = store.get_interaction(interaction_id)
        assert (interaction.status, interaction.live_room_id) == ("paused", None)
    assert store.get_interaction(scene.paused) == paused_before
    assert any("cleaned up" in message for message in messages)


GONE = "the database server is gone"


def _lose_the_store(monkeypatch: pytest.MonkeyPatch, store: LiveStore, *calls: str) -> None:
    """From now on these store calls fail as they do once the database server is gone."""

    def lost(*args: object, **kwargs: object) -> None:
        raise StoreUnavailable(GONE)

    for call in calls:
        monkeypatch.setattr(store, call, lost)


async def test_a_lost_store_is_said_once_by_housekeeping_and_every_time_for_a_key(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Gone for everyone: the screen's polls fail too, as they would.
        _lose_the_store(monkeypatch, store, "change_token", "expire_turn_timeouts", "advance_turn")
        for _ in range(3):  # three sweeps, one a second in a running dashboard
            await dashboard._expire_turns()
        asked = [dashboard.store_write(store.advance_turn, scene.live) for _ in range(2)]
        for write in asked:
            await write
        await pilot.pause()
        messages = [n.message for n in dashboard._notifications]
        assert sum(m.startswith("Lost the store") for m in messages) == 1
        assert messages.count(GONE) == 2


async def test_a_read_already_under_way_when_the_store_is_lost_does_not_say_it_is_back(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = scene_store
    release = threading.Event()

    def slow_read() -> int:
        release.wait(timeout=5)
        return 1

    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _lose_the_store(monkeypatch, store, "change_token", "expire_turn_timeouts")
        under_way = asyncio.ensure_future(dashboard.store_read(slow_read))
        await pilot.pause()
        await dashboard._expire_turns()  # the store is lost while the read waits
        release.set()
        assert await under_way == 1  # it started before the loss: no proof of anything
        await dashboard._expire_turns()
        await pilot.pause()
        messages = [n.message for n in dashboard._notifications]
        assert sum(m.startswith("Lost the store") for m in messages) == 1
        assert "The store is back." not in messages
