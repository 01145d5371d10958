"""The rooms screen as a game master uses it: status keys, the name filter, opening a room."""

from __future__ import annotations

from textual.widgets import Input

from app.app import LiveroomApp
from app.screens.room import RoomScreen
from store import LiveStore
from tests.ui.conftest import SIZE, settle
from tests.ui.scenes import Scene
from widgets.rooms_table import RoomsTable


def _shown(app: LiveroomApp) -> list[int]:
    return app.screen.query_one(RoomsTable).interaction_ids


async def test_number_keys_filter_by_status(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert sorted(_shown(pilot.app)) == sorted(vars(scene).values())
        expected = {
            "1": [scene.live, scene.untimed],
            "2": [scene.paused],
            "3": [scene.idle],
            "4": [scene.completed],
            "5": [scene.cancelled],
        }
        for key, ids in expected.items():
            await pilot.press(key)
            assert sorted(_shown(pilot.app)) == sorted(ids), key
        await pilot.press("0")
        assert len(_shown(pilot.app)) == 6


async def test_live_rooms_are_listed_first(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _shown(pilot.app)[:3] == [scene.live, scene.untimed, scene.paused]


async def test_name_filter_and_enter_selects_the_first_match(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lich")
        assert _shown(pilot.app) == [scene.paused]
        await pilot.press("enter")
        table = pilot.app.screen.query_one(RoomsTable)
        assert pilot.app.focused is table
        assert table.selected_interaction_id == scene.paused
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RoomScreen)
        assert pilot.app.screen.interaction_id == scene.paused


async def test_escape_clears_the_name_filter(dashboard: LiveroomApp) -> None:
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzz")
        assert _shown(pilot.app) == []
        await pilot.press("escape")
        assert len(_shown(pilot.app)) == 6
        await pilot.press("slash")  # the same filter again, empty
        [name_filter] = pilot.app.screen.query(Input)
        assert name_filter.display and name_filter.has_focus and name_filter.value == ""


async def test_escape_in_a_room_goes_back(dashboard: LiveroomApp) -> None:
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RoomScreen)
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, RoomScreen)


async def test_the_name_filter_showing_leaves_every_column(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    async with dashboard.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one(RoomsTable)
        every = table.column_keys
        assert "room" in every
        await pilot.press("slash")
        await settle(pilot)
        assert table.size.width == 120
        assert table.column_keys == every
