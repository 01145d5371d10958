"""Start-up: the `liveroom` command pauses the garbage collector; the first screen resumes it."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from app.app import LiveroomApp, make_app
from app.collector import YOUNG_GENERATION
from app.first_rooms import ListedRoom
from app.screens.room import RoomScreen
from app.screens.rooms import RoomsScreen
from store import LiveStore, StoreUnavailable
from tests.conftest import FakeClock
from tests.ui.conftest import POLL_S, SIZE, open_room, settle
from tests.ui.scenes import Scene
from widgets.rooms_table import RoomsTable


@pytest.fixture
def paused(scene_store: tuple[LiveStore, Scene], clock: FakeClock) -> Iterator[LiveroomApp]:
    """The dashboard as the `liveroom` command starts it: the collector off until shown."""
    store, _ = scene_store
    gc.disable()
    try:
        yield make_app(
            store, clock=clock, poll_interval=POLL_S, housekeeping=False, collector_paused=True
        )
    finally:
        gc.enable()


async def _until(pilot: Pilot[None], check: Callable[[], bool], what: str) -> None:
    """Wait for `check()`, with a deadline rather than a fixed pause."""
    deadline = time.monotonic() + 10.0
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        await pilot.pause(0.01)


async def _until_collector_enabled(pilot: Pilot[None]) -> None:
    """Wait for the first poll's end (it switches the collector on after a refresh)."""
    await _until(pilot, gc.isenabled, "the collector to be switched on")


async def test_the_first_screen_shown_switches_the_collector_back_on(
    paused: LiveroomApp,
) -> None:
    async with paused.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _until_collector_enabled(pilot)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        ("change_token", StoreUnavailable("the disk went away")),
        ("list_room_summaries", RuntimeError("a bug, not a store error")),
    ],
    ids=["store-lost-at-start", "first-read-crashes"],
)
async def test_a_failed_first_poll_still_switches_it_back_on(
    paused: LiveroomApp,
    scene_store: tuple[LiveStore, Scene],
    monkeypatch: pytest.MonkeyPatch,
    call: str,
    error: Exception,
) -> None:
    store, _ = scene_store

    def failing(*args: object, **kwargs: object) -> object:
        raise error

    monkeypatch.setattr(store, call, failing)
    async with paused.run_test(size=SIZE) as pilot:
        await _until_collector_enabled(pilot)


async def test_a_collector_the_host_switched_off_stays_off(dashboard: LiveroomApp) -> None:
    gc.disable()
    try:
        async with dashboard.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert not gc.isenabled()
    finally:
        gc.enable()


async def test_a_room_opened_later_freezes_its_heap_too(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        frozen = gc.get_freeze_count()
        await open_room(pilot, scene.live)
        assert gc.get_freeze_count() > frozen
        assert gc.isenabled()


async def test_the_young_generation_is_larger_while_the_dashboard_runs(
    dashboard: LiveroomApp,
) -> None:
    before = gc.get_threshold()
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.get_threshold() == (YOUNG_GENERATION, *before[1:])
    assert gc.get_threshold() == before  # the host program's own setting, back


def _as_listed(store: LiveStore) -> list[ListedRoom]:
    return [
        ListedRoom(*(getattr(room, field) for field in ListedRoom._fields))
        for room in store.list_room_summaries()
    ]


class GatedOpener:
    """A store opener that hands over `outcome` (a store, or an error to raise) only once
    the test lets it go; it notes the thread each call ran on and calls `on_call` first."""

    def __init__(
        self, outcome: LiveStore | Exception, on_call: Callable[[], object] = lambda: None
    ) -> None:
        self.outcome = outcome
        self.on_call = on_call
        self.go_on = threading.Event()
        self.threads: list[str] = []

    def __call__(self) -> LiveStore:
        self.threads.append(threading.current_thread().name)
        self.on_call()
        assert self.go_on.wait(10.0)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def _opening_dashboard(
    opener: GatedOpener, first_rooms: list[ListedRoom], clock: FakeClock
) -> LiveroomApp:
    """The dashboard as the command builds it with the helper's rooms, polling fast and
    without housekeeping."""
    return make_app(
        opener=opener,
        first_rooms=first_rooms,
        clock=clock,
        poll_interval=POLL_S,
        housekeeping=False,
    )


async def test_the_helpers_rooms_show_until_the_store_is_open_then_the_stores(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `liveroom` starts: the helper's rooms first (here one is renamed since, and one
    was made since), the store opened after they are painted, then the store's rooms."""
    store, scene = scene_store
    frames_drawn = 0
    draw = RoomsScreen._compositor_refresh

    def counted_draw(screen: RoomsScreen) -> None:
        nonlocal frames_drawn
        frames_drawn += 1
        draw(screen)

    monkeypatch.setattr(RoomsScreen, "_compositor_refresh", counted_draw)
    helper_rooms = [
        room._replace(name="As the helper read it") if room.id == scene.live else room
        for room in _as_listed(store)
        if room.id != scene.idle
    ]
    drawn_before_opening: list[int] = []
    opener = GatedOpener(store, on_call=lambda: drawn_before_opening.append(frames_drawn))
    app = _opening_dashboard(opener, helper_rooms, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(RoomsTable)
        assert sorted(table.interaction_ids) == sorted(room.id for room in helper_rooms)
        assert table.cells(scene.live)["name"].plain == "As the helper read it"
        await _until(pilot, lambda: bool(opener.threads), "the store to be asked for")
        assert opener.threads[0].startswith("liveroom-read")
        assert drawn_before_opening[0] >= 1  # the import does not compete with the first paint
        assert not app.gateway.is_open
        opener.go_on.set()
        await _until(pilot, lambda: scene.idle in table.interaction_ids, "the store's rooms")
        await settle(pilot)
        assert sorted(table.interaction_ids) == sorted(vars(scene).values())
        assert table.cells(scene.live)["name"].plain == store.get_interaction(scene.live).name


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (StoreUnavailable("the disk\nwent away"), "the disk went away"),
        (RuntimeError("a bug"), "RuntimeError('a bug')"),
    ],
    ids=["store-error", "bug"],
)
async def test_a_store_that_fails_to_open_after_the_paint_ends_the_dashboard_once(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock, error: Exception, reason: str
) -> None:
    """The poll and the housekeeping timers all wait for the store: one exit, one line."""
    store, _ = scene_store
    opener = GatedOpener(error)
    app = make_app(opener=opener, first_rooms=_as_listed(store), clock=clock)
    exits: list[int | None] = []
    exit_app = app.exit

    def counted_exit(*args: Any, **kwargs: Any) -> None:
        exits.append(kwargs.get("return_code"))
        exit_app(*args, **kwargs)

    app.exit = counted_exit  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(1.2)  # the turn-timeout timer (every second) waits for it too
        opener.go_on.set()
        await _until(pilot, lambda: app.return_code is not None, "the dashboard to exit")
    assert exits == [2]
    assert app.open_failure == reason


async def test_a_room_chosen_before_the_store_is_open_opens_once_it_is(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock
) -> None:
    """The screen stays live meanwhile: a room screen reads the store as it mounts."""
    store, scene = scene_store
    opener = GatedOpener(store)
    app = _opening_dashboard(opener, _as_listed(store), clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(RoomsTable)
        assert table.select_interaction(scene.paused)
        await pilot.press("enter")
        await pilot.press("1")  # keys still work while the room waits for the store
        assert sorted(table.interaction_ids) == sorted([scene.live, scene.untimed])
        assert not isinstance(app.screen, RoomScreen)
        await _until(
            pilot,
            lambda: any("Opening the store" in str(n.message) for n in app._notifications),
            "a word that the room waits for the store",
        )
        opener.go_on.set()
        await _until(pilot, lambda: isinstance(app.screen, RoomScreen), "the room to open")
        room_screen = app.screen
        assert isinstance(room_screen, RoomScreen)
        assert room_screen.interaction_id == scene.paused
