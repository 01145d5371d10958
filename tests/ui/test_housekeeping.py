"""The dashboard keeps unattended rooms moving: expired turns advance, idle rooms close."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import pytest
from textual.app import App
from textual.pilot import Pilot

from app.app import LiveroomApp, make_app
from store import LiveStore, StoreUnavailable
from tests.conftest import FakeClock
from tests.ui.conftest import POLL_S, SIZE, open_room, settle
from tests.ui.scenes import Scene

WAIT_S = 10.0
"""The longest any test here waits for what it expects (a busy machine included)."""


async def _until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until `condition()` holds; fail saying `what` never happened."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {WAIT_S} s")
        await pilot.pause(0.02)


async def _handled(app: App[None]) -> None:
    """Wait until the app has handled every message posted so far (notifications included).

    The app handles its messages in order, so a callback posted now runs after them.
    """
    done = asyncio.Event()
    app.call_later(done.set)
    await asyncio.wait_for(done.wait(), WAIT_S)


def _messages(app: App[None]) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_an_expired_turn_is_recorded_as_timeout_and_advanced(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock
) -> None:
    store, scene = scene_store
    before = store.get_interaction(scene.live)
    clock.now = before.current_turn_timeout
    app = make_app(store, clock=clock, poll_interval=0.05, housekeeping=True)
    async with app.run_test(size=SIZE) as pilot:
        # The app checks for expired turns once a second.
        await _until(
            pilot,
            lambda: store.get_interaction(scene.live).turn_number != before.turn_number,
            "advancing the expired turn",
        )
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
        # Said once the sweep's write has returned: the rooms are closed by then.
        await _until(
            pilot,
            lambda: any("cleaned up" in message for message in _messages(pilot.app)),
            "the idle rooms' clean-up notice",
        )
    for interaction_id in (scene.live, scene.untimed):
        interaction = store.get_interaction(interaction_id)
        assert (interaction.status, interaction.live_room_id) == ("paused", None)
    assert store.get_interaction(scene.paused) == paused_before


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
        await _handled(dashboard)
        messages = _messages(dashboard)
        assert sum(m.startswith("Lost the store") for m in messages) == 1
        assert messages.count(GONE) == 2


async def test_a_read_already_under_way_when_the_store_is_lost_does_not_say_it_is_back(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = scene_store
    started, release = threading.Event(), threading.Event()

    def slow_read() -> int:
        started.set()
        release.wait(timeout=WAIT_S)
        return 1

    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _lose_the_store(monkeypatch, store, "change_token", "expire_turn_timeouts")
        under_way = asyncio.ensure_future(dashboard.store_read(slow_read))
        assert await asyncio.to_thread(started.wait, WAIT_S), "the slow read never started"
        await dashboard._expire_turns()  # the store is lost while the read waits
        release.set()
        assert await under_way == 1  # it started before the loss: no proof of anything
        await dashboard._expire_turns()
        await _handled(dashboard)
        messages = _messages(dashboard)
        assert sum(m.startswith("Lost the store") for m in messages) == 1
        assert "The store is back." not in messages


async def test_the_sweep_spares_the_room_open_on_screen(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock
) -> None:
    """An untimed fight the game master is watching is not idle, however long it sits."""
    store, scene = scene_store
    app = make_app(store, clock=clock, poll_interval=POLL_S, housekeeping=False, idle_minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.untimed)
        clock.advance(3_600_000)
        await app._sweep_idle_rooms()
        await settle(pilot)
    assert store.get_interaction(scene.untimed).status == "live"
    assert store.get_interaction(scene.live).status == "paused"  # not watched: swept
