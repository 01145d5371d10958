"""Screen snapshots: the rooms screen, a room in each state, every modal, the snapshot tree.

Each renders the seeded scene at a fixed size with a fixed clock; look at any
changed SVG (rsvg-convert FILE.svg -o /tmp/view.png) before accepting it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import pytest
from textual.pilot import Pilot

from app.app import LiveroomApp
from store import LiveStore
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene

SnapCompare = Callable[..., bool]


def _in_room(
    room: Callable[[Scene], int], keys: Sequence[str] = (), status_key: str = "0"
) -> Callable[[Scene], Callable[[Pilot[None]], Awaitable[None]]]:
    def prepare(scene: Scene) -> Callable[[Pilot[None]], Awaitable[None]]:
        async def run_before(pilot: Pilot[None]) -> None:
            await pilot.press(status_key)
            await open_room(pilot, room(scene))
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            await settle(pilot)

        return run_before

    return prepare


class TestRoomsScreen:
    def test_all_rooms(self, snap_compare: SnapCompare, dashboard: LiveroomApp) -> None:
        assert snap_compare(dashboard, terminal_size=SIZE, run_before=settle)

    def test_live_filter(self, snap_compare: SnapCompare, dashboard: LiveroomApp) -> None:
        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("1")
            await settle(pilot)

        assert snap_compare(dashboard, terminal_size=SIZE, run_before=run_before)

    def test_small_terminal(self, snap_compare: SnapCompare, dashboard: LiveroomApp) -> None:
        assert snap_compare(dashboard, terminal_size=(80, 24), run_before=settle)

    def test_wide_terminal(self, snap_compare: SnapCompare, dashboard: LiveroomApp) -> None:
        assert snap_compare(dashboard, terminal_size=(200, 50), run_before=settle)

    def test_new_encounter_form(self, snap_compare: SnapCompare, dashboard: LiveroomApp) -> None:
        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)

        assert snap_compare(dashboard, terminal_size=(80, 24), run_before=run_before)


ROOMS = {
    "live": lambda scene: scene.live,
    "paused": lambda scene: scene.paused,
    "untimed": lambda scene: scene.untimed,
    "completed": lambda scene: scene.completed,
}


class TestRoomScreen:
    @pytest.mark.parametrize("state", list(ROOMS))
    def test_room(
        self,
        state: str,
        snap_compare: SnapCompare,
        dashboard: LiveroomApp,
        scene_store: tuple[LiveStore, Scene],
    ) -> None:
        _, scene = scene_store
        run_before = _in_room(ROOMS[state])(scene)
        assert snap_compare(dashboard, terminal_size=SIZE, run_before=run_before)

    def test_room_small_terminal(
        self,
        snap_compare: SnapCompare,
        dashboard: LiveroomApp,
        scene_store: tuple[LiveStore, Scene],
    ) -> None:
        _, scene = scene_store
        run_before = _in_room(ROOMS["live"])(scene)
        assert snap_compare(dashboard, terminal_size=(80, 24), run_before=run_before)

    def test_room_wide_terminal(
        self,
        snap_compare: SnapCompare,
        dashboard: LiveroomApp,
        scene_store: tuple[LiveStore, Scene],
    ) -> None:
        _, scene = scene_store
        run_before = _in_room(ROOMS["live"])(scene)
        assert snap_compare(dashboard, terminal_size=(200, 50), run_before=run_before)


MODALS = {
    "settings": "t",
    "finalize": "f",
    "cleanup": "x",
    "message": "m",
    "help": "?",
    "snapshot_tree": "z",
    "recap": "R",
    "add_combatants": "a",
    "delay": "w",
    "remove_combatant": "delete",
}


class TestModals:
    @pytest.mark.parametrize("modal", list(MODALS))
    def test_modal(
        self,
        modal: str,
        snap_compare: SnapCompare,
        dashboard: LiveroomApp,
        scene_store: tuple[LiveStore, Scene],
    ) -> None:
        _, scene = scene_store
        run_before = _in_room(ROOMS["live"], keys=[MODALS[modal]])(scene)
        assert snap_compare(dashboard, terminal_size=SIZE, run_before=run_before)

    def test_go_live(
        self,
        snap_compare: SnapCompare,
        dashboard: LiveroomApp,
        scene_store: tuple[LiveStore, Scene],
    ) -> None:
        _, scene = scene_store
        run_before = _in_room(lambda s: s.idle, keys=["g"])(scene)
        assert snap_compare(dashboard, terminal_size=SIZE, run_before=run_before)

    def test_go_live_small_terminal(
        self,
        snap_compare: SnapCompare,
        dashboard: LiveroomApp,
        scene_store: tuple[LiveStore, Scene],
    ) -> None:
        """The longest form still shows its buttons at 80x24."""
        _, scene = scene_store
        run_before = _in_room(lambda s: s.idle, keys=["g"])(scene)
        assert snap_compare(dashboard, terminal_size=(80, 24), run_before=run_before)

    def test_log_entry_whole(
        self,
        snap_compare: SnapCompare,
        dashboard: LiveroomApp,
        scene_store: tuple[LiveStore, Scene],
    ) -> None:
        """Up puts the cursor on the newest entry (a DM line full of markup), Enter shows it."""
        _, scene = scene_store
        run_before = _in_room(ROOMS["live"], keys=["up", "enter"])(scene)
        assert snap_compare(dashboard, terminal_size=SIZE, run_before=run_before)
