"""Screen snapshots: the rooms screen, a room in each state, every modal, the snapshot tree.

Each renders the seeded scene at a fixed size with a fixed clock; look at any
changed SVG (rsvg-convert FILE.svg -o /tmp/view.png) before accepting it.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import pytest
from textual.pilot import Pilot

from app.app import LiveroomApp, make_app
from store import LiveStore, open_store
from tests.conftest import FakeClock
from tests.ui.conftest import POLL_S, SIZE, open_room, settle
from tests.ui.scenes import Scene
from tests.ui.test_layout import build_crowd
from widgets.initiative_list import InitiativeList

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

    def test_crowded_room_small_terminal(
        self, snap_compare: SnapCompare, tmp_path: Path, clock: FakeClock
    ) -> None:
        """Six combatants, hurt, down and conditioned, and four players at 80x24: every
        panel in view, hit point bars, conditions counted rather than cut."""
        with open_store(tmp_path / "crowd.db", clock=clock) as store:
            siege, _ = build_crowd(store, clock)
            app = make_app(store, clock=clock, poll_interval=POLL_S, housekeeping=False)

            async def run_before(pilot: Pilot[None]) -> None:
                await open_room(pilot, siege)

            assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


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
    "damage": "d",
    "heal": "h",
    "conditions": "k",
    "record_turn": "r",
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

    def test_edit_combatant(
        self,
        snap_compare: SnapCompare,
        dashboard: LiveroomApp,
        scene_store: tuple[LiveStore, Scene],
    ) -> None:
        """Enter on a combatant of the initiative order: its form, filled in."""
        _, scene = scene_store

        async def run_before(pilot: Pilot[None]) -> None:
            await open_room(pilot, scene.live)
            initiative = pilot.app.screen.query_one(InitiativeList)
            initiative.focus()
            initiative.move_cursor(row=1)  # the goblin boss
            await pilot.press("enter")
            await settle(pilot)

        assert snap_compare(dashboard, terminal_size=SIZE, run_before=run_before)

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


class TestFightScreens:
    """An empty store, then a fight built from it: rolled, a turn delayed, one undone."""

    def test_empty_store(self, snap_compare: SnapCompare, tmp_path: Path, clock: FakeClock) -> None:
        with open_store(tmp_path / "empty.db", clock=clock) as store:
            app = make_app(store, clock=clock, poll_interval=POLL_S, housekeeping=False)
            assert snap_compare(app, terminal_size=SIZE, run_before=settle)

    def test_rolled_delayed_and_undone(
        self, snap_compare: SnapCompare, tmp_path: Path, clock: FakeClock
    ) -> None:
        """The log shows the rolls, the delay and the undo; the selection cursor (on the
        goblin) is apart from the ▶ of whose turn it is."""
        with open_store(tmp_path / "fight.db", clock=clock, rng=random.Random(20)) as store:
            fight = store.create_interaction(name="Goblin ambush", dm_user_id="u-dm").id
            for name, kind in (
                ("Bree", "playerCharacter"),
                ("Goblin", "monster"),
                ("Ogre", "monster"),
            ):
                store.add_combatant(
                    fight,
                    {"entity_id": name.lower(), "entity_type": kind, "name": name,
                     "dexterity_modifier": 1, "max_hp": 20},
                )  # fmt: skip
            store.roll_initiative(fight)
            store.initialize_for_live_play(fight, "room-1", {})
            clock.advance(5_000)
            store.advance_turn(fight)
            clock.advance(5_000)
            live = store.get_interaction(fight)
            store.delay_turn(fight, live.initiative_order[-1].entity_id)
            clock.advance(5_000)
            store.advance_turn(fight)
            store.undo_turn(fight)
            app = make_app(store, clock=clock, poll_interval=POLL_S, housekeeping=False)

            async def run_before(pilot: Pilot[None]) -> None:
                await open_room(pilot, fight)
                initiative = pilot.app.screen.query_one(InitiativeList)
                initiative.focus()
                ids = [row.key.value for row in initiative.ordered_rows]
                initiative.move_cursor(row=ids.index("goblin"))
                await settle(pilot)

            assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
