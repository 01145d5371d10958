"""Typed turn actions: TurnAction models or dicts in, TurnAction models out; records stored
before actions were typed (and before schema 4) stay readable."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from store import InvalidInput, LiveStore, TurnAction, open_store
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import ORDER, ROOM, writes_nothing


def test_models_and_dicts_are_stored_and_returned_as_models(store: LiveStore, live: int) -> None:
    given: list[Any] = [
        TurnAction(type="move", parameters={"feet": 30}),
        {"type": "attack", "target": "gob-1", "item_id": "longbow", "description": "two arrows"},
        {"type": "cast", "spell_id": "bless", "action_id": "a-1", "entity_id": "npc-tom"},
        {"type": "useItem", "item_id": "potion"},
        {"type": "interact", "parameters": [1, {"door": "open"}]},
        {"type": "note", "description": "x" * 500},
        {"type": "end"},
    ]
    made = store.advance_turn(live, actions=given)
    assert all(isinstance(action, TurnAction) for action in made.actions)
    assert [a.entity_id for a in made.actions] == ["pc-bree"] * 2 + ["npc-tom"] + ["pc-bree"] * 4
    assert made.actions[1] == TurnAction(
        type="attack",
        entity_id="pc-bree",
        target="gob-1",
        item_id="longbow",
        description="two arrows",
    )
    assert store.get_turn_records(live) == [made]


def test_record_turn_fills_in_its_entity(store: LiveStore, idle: int) -> None:
    made = store.record_turn(
        idle, "gob-1", "monster", 1, 1, [{"type": "end"}], START_MS, "completed"
    )
    assert made.actions == [TurnAction(type="end", entity_id="gob-1")]


@pytest.mark.parametrize(
    ("actions", "field"),
    [
        ([{"type": "dash"}], r"actions\[0\]\.type"),
        ([{}], r"actions\[0\]\.type: is required"),
        ([{"type": "move", "feet": 30}], r"actions\[0\]\.feet: unknown field"),
        (
            [{"type": "end"}, {"type": "note", "description": "x" * 501}],
            r"actions\[1\]\.description",
        ),
        ([{"type": "attack", "target": " "}], r"actions\[0\]\.target"),
        ([{"type": "attack", "target": 7}], r"actions\[0\]\.target"),
        ([{"type": "note", "description": "a\x00"}], r"actions\[0\]\.description"),
        ([{"type": "note", "description": "\ud800"}], r"actions\[0\]\.description"),
        ([{"type": "note", "parameters": {1: 2}}], r"actions\[0\]\.parameters"),
        ([{"type": "note", "parameters": float("nan")}], r"actions\[0\]\.parameters"),
        ([{"type": "note", "parameters": "x" * 70_000}], r"actions\[0\]\.parameters"),
        ([{"type": "note", "parameters": "x" * 40_000}] * 2, r"^actions: "),
        (["attack"], r"actions\[0\]: must be an object"),
        ("attack", "actions"),
    ],
)
def test_bad_actions_name_the_field(store: LiveStore, live: int, actions: Any, field: str) -> None:
    with writes_nothing(store):
        with pytest.raises(InvalidInput, match=field):
            store.advance_turn(live, actions=actions)
        with pytest.raises(InvalidInput, match=field):
            store.record_turn(live, "gob-1", "monster", 4, 4, actions, START_MS, "completed")


def test_a_batch_record_turn_is_typed_too(store: LiveStore, live: int) -> None:
    turn = {
        "entity_id": "gob-1",
        "entity_type": "monster",
        "turn_number": 2,
        "round_number": 3,
        "start_time": START_MS,
        "status": "completed",
    }
    with (
        writes_nothing(store),
        pytest.raises(InvalidInput, match=r"operation 0\.data\.actions\[0\]\.type"),
    ):
        store.batch_state_operations(
            live, [{"type": "record_turn", "data": {**turn, "actions": [{"type": "x"}]}}]
        )
    store.batch_state_operations(
        live, [{"type": "record_turn", "data": {**turn, "actions": [{"type": "move"}]}}]
    )
    [record] = store.get_turn_records(live)
    assert record.actions == [TurnAction(type="move", entity_id="gob-1")]


OLD_ACTIONS: list[Any] = [
    {"type": "move", "feet": 10},
    {"type": "attack", "target": "gob-1", "roll": 17, "hit": True, "damage": 6},
    {"type": "spell", "spell": "fire bolt", "target": "gob-1"},
    {"type": "attack", "target": 5},
    "parley",
    [1, 2],
    {"type": "end"},
]


@pytest.mark.sqlite_only
def test_records_of_a_schema_3_store_stay_readable(db_path: Path, clock: FakeClock) -> None:
    """A store made before schema 4, with free-form actions, upgrades and reads them as
    TurnActions; its undo still works (nothing to put back)."""
    with open_store(db_path, clock=clock) as store:
        fight = store.create_interaction(name="Old", dm_user_id="dm", initiative_order=ORDER).id
        store.initialize_for_live_play(fight, ROOM, {})
        store.advance_turn(fight)
    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute("UPDATE turn_records SET actions = ?", [json.dumps(OLD_ACTIONS)])
        connection.execute("ALTER TABLE turn_records DROP COLUMN reason")
        connection.execute("ALTER TABLE turn_records DROP COLUMN ticked_conditions")
        connection.execute("UPDATE liveroom_meta SET value = '3' WHERE key = 'schema_version'")
    connection.close()

    with open_store(db_path, clock=clock) as store:
        [record] = store.get_turn_records(fight)
        assert record.reason is None
        move, attack, spell, bad_target, word, pair, end = record.actions
        assert move == TurnAction(type="move", entity_id="pc-bree", parameters={"feet": 10})
        assert attack == TurnAction(
            type="attack",
            entity_id="pc-bree",
            target="gob-1",
            parameters={"roll": 17, "hit": True, "damage": 6},
        )
        assert spell.type == "note"
        assert spell.parameters == OLD_ACTIONS[2]
        assert spell.description == json.dumps(OLD_ACTIONS[2], separators=(",", ":"))
        assert (bad_target.type, bad_target.target, bad_target.parameters) == (
            "attack",
            None,
            {"target": 5},
        )
        assert (word.type, word.parameters, word.description) == ("note", "parley", '"parley"')
        assert (pair.type, pair.parameters) == ("note", [1, 2])
        assert end == TurnAction(type="end", entity_id="pc-bree")
        assert store.undo_turn(fight).current_entry.entity_id == "pc-bree"  # type: ignore[union-attr]
    connection = sqlite3.connect(db_path)
    columns = [row[1] for row in connection.execute("PRAGMA table_info(turn_records)")]
    connection.close()
    assert columns[-2:] == ["reason", "ticked_conditions"]


def test_a_long_old_action_reads_as_a_note_cut_to_500() -> None:
    from store.models import readable_action

    note = readable_action({"blob": "x" * 600}, "gob-1")
    assert note.type == "note" and note.description is not None
    assert len(note.description) == 500 and note.description.endswith("\u2026")
    assert note.parameters == {"blob": "x" * 600}
