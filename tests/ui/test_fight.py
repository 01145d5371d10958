"""A whole fight run from the console, from an empty store, as a new game master would."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from app.app import LiveroomApp, make_app
from app.screens.combatant import CombatantScreen
from app.screens.confirm import ConfirmScreen
from app.screens.delay import DelayScreen
from app.screens.encounter import EncounterScreen
from app.screens.room import RoomScreen
from store import Interaction, LiveStore, open_store
from tests.conftest import FakeClock
from tests.ui.conftest import POLL_S, SIZE, settle
from widgets.initiative_list import InitiativeList


@pytest.fixture
def empty_store(tmp_path: Path, clock: FakeClock) -> Iterator[LiveStore]:
    with open_store(tmp_path / "new.db", clock=clock, rng=random.Random(20)) as store:
        yield store


@pytest.fixture
def console(empty_store: LiveStore, clock: FakeClock) -> LiveroomApp:
    return make_app(
        empty_store, clock=clock, poll_interval=POLL_S, housekeeping=False, dm_user_id="u-ana"
    )


async def _until(pilot: Pilot[None], check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10.0
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        await pilot.pause(0.02)


def _only(store: LiveStore) -> Interaction:
    (room,) = store.list_interactions()
    return room


def _notices(app: LiveroomApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def _type(pilot: Pilot[None], field: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{field}").value = text
    await pilot.pause()


async def _create_encounter(pilot: Pilot[None], store: LiveStore) -> Interaction:
    await settle(pilot)
    await pilot.press("n")
    await _until(pilot, lambda: isinstance(pilot.app.screen, EncounterScreen), "the form")
    await pilot.press(*"Goblin ambush", "enter")
    await _until(pilot, lambda: isinstance(pilot.app.screen, RoomScreen), "the room")
    await settle(pilot)
    return _only(store)


async def _add(pilot: Pilot[None], name: str, count: int = 1, **fields: str) -> None:
    await pilot.press("a")
    await _until(pilot, lambda: isinstance(pilot.app.screen, CombatantScreen), "the form")
    await _type(pilot, "name", name)
    await _type(pilot, "count", str(count))
    for field, value in fields.items():
        await _type(pilot, field, value)
    await pilot.press("enter")
    await _until(pilot, lambda: isinstance(pilot.app.screen, RoomScreen), "the room")
    await settle(pilot)


async def test_an_empty_store_says_what_to_do(console: LiveroomApp) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await settle(pilot)
        empty = pilot.app.screen.query_one("#rooms-empty")
        assert empty.display
        assert "Press n to create one" in str(empty.render())


async def test_n_creates_an_encounter_and_opens_it(
    console: LiveroomApp, empty_store: LiveStore
) -> None:
    async with console.run_test(size=SIZE) as pilot:
        room = await _create_encounter(pilot, empty_store)
        assert pilot.app.screen.interaction_id == room.id
    assert (room.name, room.status, room.dm_user_id) == ("Goblin ambush", "idle", "u-ana")


async def test_a_nameless_encounter_is_refused_beside_the_name(console: LiveroomApp) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await _until(pilot, lambda: isinstance(pilot.app.screen, EncounterScreen), "the form")
        await pilot.press("tab", *"notes", "enter")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, EncounterScreen)
        assert "needs a name" in str(form.query_one("#name-error").render())
        assert form.query_one("#description").value == "notes"  # kept


async def test_a_whole_fight_from_an_empty_store(
    console: LiveroomApp, empty_store: LiveStore
) -> None:
    store = empty_store
    async with console.run_test(size=SIZE) as pilot:
        room = await _create_encounter(pilot, store)
        await _add(pilot, "Goblin", 3, dexterity="2")
        await _add(pilot, "Bree", 1, type="playerCharacter", roll="17", player="u-bree")
        order = store.get_interaction(room.id).initiative_order
        assert [e.name for e in order] == ["Bree", "Goblin 1", "Goblin 2", "Goblin 3"]
        assert [e.entity_id for e in order][1:] == ["goblin-1", "goblin-2", "goblin-3"]

        await pilot.press("i")
        await _until(
            pilot,
            lambda: all(
                e.initiative_roll is not None
                for e in store.get_interaction(room.id).initiative_order
            ),
            "the rolls",
        )
        rolled = store.get_interaction_logs(room.id, limit=1, event_types=["INITIATIVE_ROLLED"])
        assert set(rolled[0].event_data["rolls"]) == {"goblin-1", "goblin-2", "goblin-3"}

        await settle(pilot)
        await pilot.press("g")
        await _until(pilot, lambda: pilot.app.screen.__class__.__name__ == "GoLiveScreen", "go")
        await pilot.press("enter")
        await _until(pilot, lambda: store.get_interaction(room.id).status == "live", "live")
        await settle(pilot)

        await pilot.press("n", "n", "n")
        await _until(pilot, lambda: len(store.get_turn_records(room.id)) == 3, "three turns")
        await pilot.press("u")
        await _until(pilot, lambda: len(store.get_turn_records(room.id)) == 2, "the undo")
        await settle(pilot)
        assert any(notice.startswith("Turn undone:") for notice in _notices(pilot.app))

        live = store.get_interaction(room.id)
        assert live.current_initiative_index is not None
        current = live.initiative_order[live.current_initiative_index]
        await pilot.press("w")
        await _until(pilot, lambda: isinstance(pilot.app.screen, DelayScreen), "the delay")
        await pilot.press("end", "enter")  # after the last in the order
        await _until(
            pilot,
            lambda: (
                store.get_interaction(room.id).initiative_order[-1].entity_id == current.entity_id
            ),
            "the delay",
        )
        await settle(pilot)

        await pilot.press("f")
        await _until(pilot, lambda: pilot.app.screen.__class__.__name__ == "FinalizeScreen", "f")
        await pilot.press(*"goblins fled", "enter")
        await _until(
            pilot, lambda: store.get_interaction(room.id).status == "completed", "completed"
        )


async def test_the_selected_combatant_is_edited_moved_and_removed(
    console: LiveroomApp, empty_store: LiveStore
) -> None:
    store = empty_store
    async with console.run_test(size=SIZE) as pilot:
        room = await _create_encounter(pilot, store)
        await _add(pilot, "Goblin", 2, roll="10")
        await _add(pilot, "Ogre", 1, roll="5")
        initiative = pilot.app.screen.query_one(InitiativeList)
        initiative.focus()
        initiative.move_cursor(row=2)  # the ogre
        await pilot.pause()
        assert initiative.selected_entity_id == "ogre"

        await pilot.press("shift+up")
        await _until(
            pilot,
            lambda: (
                [e.entity_id for e in store.get_interaction(room.id).initiative_order]
                == ["goblin-1", "ogre", "goblin-2"]
            ),
            "the move",
        )
        await settle(pilot)
        assert initiative.selected_entity_id == "ogre"  # the cursor moved with it

        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(pilot.app.screen, CombatantScreen), "edit")
        assert pilot.app.screen.query_one("#name").value == "Ogre"
        await _type(pilot, "name", "Ogre Chief")
        await pilot.press("enter")
        await _until(
            pilot,
            lambda: store.get_interaction(room.id).initiative_order[1].name == "Ogre Chief",
            "the edit",
        )
        await settle(pilot)

        await pilot.press("delete")
        await _until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await _until(
            pilot,
            lambda: (
                [e.entity_id for e in store.get_interaction(room.id).initiative_order]
                == ["goblin-1", "goblin-2"]
            ),
            "the removal",
        )


async def test_fight_keys_the_status_forbids_say_why(
    console: LiveroomApp, empty_store: LiveStore
) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await _create_encounter(pilot, empty_store)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        notices = _notices(pilot.app)
        assert "Delay: the room is idle; go live first (g)." in notices
        assert "Undo: the room is idle; go live first (g)." in notices
