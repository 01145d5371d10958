"""Hit points, conditions, hiding and recorded turns, pressed as a game master would."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

from app.app import LiveroomApp
from app.screens.health_forms import ConditionsScreen, HpScreen
from app.screens.record_turn import RecordTurnScreen, parse_actions
from app.screens.room import RoomScreen
from store import InitiativeEntry, LiveStore
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene
from widgets.initiative_list import InitiativeList


async def _until(pilot: Pilot[None], check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10.0
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        await pilot.pause(0.02)


def _entry(store: LiveStore, interaction_id: int, entity_id: str) -> InitiativeEntry:
    order = store.get_interaction(interaction_id).initiative_order
    return next(entry for entry in order if entry.entity_id == entity_id)


async def _select(pilot: Pilot[None], entity_id: str) -> None:
    initiative = pilot.app.screen.query_one(InitiativeList)
    initiative.focus()
    ids = [row.key.value for row in initiative.ordered_rows]
    initiative.move_cursor(row=ids.index(entity_id))
    await pilot.pause()


async def test_d_damages_the_selected_combatant_from_whoever_is_up(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await _select(pilot, "gob-1")
        await pilot.press("d")
        await _until(pilot, lambda: isinstance(pilot.app.screen, HpScreen), "the form")
        await pilot.press("4", "enter")
        await _until(pilot, lambda: _entry(store, scene.live, "gob-1").current_hp == 3, "hit")
    hit = store.get_interaction_logs(scene.live, limit=1, event_types=["HP_CHANGED"])[0]
    assert hit.event_data["source_entity_id"] == "pc-tam"  # Tam's turn


async def test_h_heals_or_gives_temporary_hit_points(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await _select(pilot, "pc-tam")
        await pilot.press("h")
        await _until(pilot, lambda: isinstance(pilot.app.screen, HpScreen), "the form")
        await pilot.press("5", "enter")
        await _until(pilot, lambda: _entry(store, scene.live, "pc-tam").current_hp == 5, "heal")
        await settle(pilot)
        await pilot.press("h")
        await _until(pilot, lambda: isinstance(pilot.app.screen, HpScreen), "the form")
        pilot.app.screen.query_one("#temp").value = True
        await pilot.press("8", "enter")
        await _until(pilot, lambda: _entry(store, scene.live, "pc-tam").temp_hp == 8, "temp")


async def test_zero_damage_is_refused_beside_the_amount(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await _select(pilot, "gob-1")
        await pilot.press("d")
        await _until(pilot, lambda: isinstance(pilot.app.screen, HpScreen), "the form")
        await pilot.press("0", "enter")
        await settle(pilot)
        assert "above 0" in str(pilot.app.screen.query_one("#amount-error").render())


async def test_k_adds_and_removes_conditions(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await _select(pilot, "pc-bree")
        await pilot.press("k")
        await _until(pilot, lambda: isinstance(pilot.app.screen, ConditionsScreen), "the form")
        await pilot.press(*"prone", "tab", "1", "enter")
        await _until(
            pilot,
            lambda: [c.name for c in _entry(store, scene.live, "pc-bree").conditions] == ["prone"],
            "prone",
        )
        await settle(pilot)
        await pilot.press("k")
        await _until(pilot, lambda: isinstance(pilot.app.screen, ConditionsScreen), "the form")
        pilot.app.screen.query_one("#held").focus()
        await pilot.pause()
        await pilot.press("delete")
        await _until(pilot, lambda: not _entry(store, scene.live, "pc-bree").conditions, "gone")


async def test_shift_h_hides_the_selected_combatant_and_shows_it_again(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await _select(pilot, "gob-1")
        await pilot.press("H")
        await _until(pilot, lambda: _entry(store, scene.live, "gob-1").hidden, "hidden")
        await settle(pilot)
        await pilot.press("H")
        await _until(pilot, lambda: not _entry(store, scene.live, "gob-1").hidden, "shown")


async def test_r_records_the_turns_actions_and_advances(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    before = len(store.get_turn_records(scene.live))
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("r")
        await _until(pilot, lambda: isinstance(pilot.app.screen, RecordTurnScreen), "the form")
        area = pilot.app.screen.query_one("#actions")
        area.text = "attack Goblin Boss: dagger, 4 piercing\nmove: 20 ft back\nshouts for help"
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: isinstance(pilot.app.screen, RoomScreen), "the room")
        await _until(
            pilot, lambda: len(store.get_turn_records(scene.live)) == before + 1, "the record"
        )
    record = store.get_turn_records(scene.live)[-1]
    assert [(a.type, a.target, a.description) for a in record.actions] == [
        ("attack", "gob-1", "dagger, 4 piercing"),
        ("move", None, "20 ft back"),
        ("note", None, "shouts for help"),
    ]


def test_an_unknown_target_names_its_line() -> None:
    order = [InitiativeEntry(entity_id="gob-1", entity_type="monster", name="Goblin")]
    try:
        parse_actions("move: 5 ft\nattack Orc: axe", order)
    except ValueError as error:
        assert "Line 2" in str(error) and "Orc" in str(error)
    else:
        raise AssertionError("an unknown target was accepted")
