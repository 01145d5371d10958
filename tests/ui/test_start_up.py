"""Start-up: the `liveroom` command pauses the garbage collector; the first screen resumes it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app.app import LiveroomApp
from app.cli import pause_collector_for_start_up
from store import LiveStore
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene


@pytest.fixture
def paused_collector() -> Iterator[None]:
    pause_collector_for_start_up()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("paused_collector")
async def test_the_first_screen_shown_switches_the_collector_back_on(
    dashboard: LiveroomApp,
) -> None:
    assert not gc.isenabled()
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.isenabled()


@pytest.mark.usefixtures("paused_collector")
async def test_a_store_lost_at_start_still_switches_it_back_on(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene], monkeypatch: pytest.MonkeyPatch
) -> None:
    from store import StoreUnavailable

    store, _ = scene_store

    def unavailable(*args: object, **kwargs: object) -> object:
        raise StoreUnavailable("the disk went away")

    monkeypatch.setattr(store, "change_token", unavailable)
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.isenabled()


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
