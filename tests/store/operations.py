"""Every public operation that takes an interaction id, as a call the tests can parametrize over.

Each call is valid for a live interaction made by the `live` fixture, so a
failure of the call is due to what the test changed (the id, the status).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from store import LiveStore
from tests.conftest import START_MS
from tests.store.helpers import ORDER, ROOM

Call = Callable[[LiveStore, Any], object]

WRITES: dict[str, Call] = {
    "set_initiative_order": lambda s, i: s.set_initiative_order(i, ORDER),
    "save_state_snapshot": lambda s, i: s.save_state_snapshot(i, {"hp": 3}),
    "update_live_room_status": lambda s, i: s.update_live_room_status(i, "paused"),
    "update_connected_participants": lambda s, i: s.update_connected_participants(
        i, "u-new", "join"
    ),
    "set_current_turn_timeout": lambda s, i: s.set_current_turn_timeout(i, START_MS + 5),
    "log_interaction_event": lambda s, i: s.log_interaction_event(i, "NOTE", {"a": 1}, ROOM),
    "record_turn": lambda s, i: s.record_turn(
        i, "gob-1", "monster", 7, 9, [], START_MS, "completed"
    ),
    "update_turn_settings": lambda s, i: s.update_turn_settings(i, turn_time_limit=30),
    "cleanup_inactive_room": lambda s, i: s.cleanup_inactive_room(i),
    "batch_state_operations": lambda s, i: s.batch_state_operations(
        i, [{"type": "log_event", "data": {"event_type": "NOTE", "session_id": ROOM}}]
    ),
    "initialize_for_live_play": lambda s, i: s.initialize_for_live_play(i, ROOM, {}),
    "finalize_live_interaction": lambda s, i: s.finalize_live_interaction(i, {}, "done"),
    "advance_turn": lambda s, i: s.advance_turn(i),
    "pause_interaction": lambda s, i: s.pause_interaction(i),
    "resume_interaction": lambda s, i: s.resume_interaction(i),
    "add_combatant": lambda s, i: s.add_combatant(
        i, {"entity_id": "orc", "entity_type": "monster", "name": "Orc", "initiative_roll": 9}
    ),
    "remove_combatant": lambda s, i: s.remove_combatant(i, "gob-1"),
    "update_combatant": lambda s, i: s.update_combatant(i, "gob-1", name="Goblin boss"),
    "move_combatant": lambda s, i: s.move_combatant(i, "gob-1", 1),
    "delay_turn": lambda s, i: s.delay_turn(i, "gob-1"),
    "roll_initiative": lambda s, i: s.roll_initiative(i),
    "undo_turn": lambda s, i: s.undo_turn(i),
    "adjust_hp": lambda s, i: s.adjust_hp(i, "gob-1", -3, source_entity_id="pc-bree"),
    "set_temp_hp": lambda s, i: s.set_temp_hp(i, "gob-1", 4),
    "add_condition": lambda s, i: s.add_condition(i, "pc-bree", "blessed", rounds=2),
    "remove_condition": lambda s, i: s.remove_condition(i, "gob-1", "prone"),
}
"""Every write that names an interaction."""

QUERIES: dict[str, Call] = {
    "get_interaction": lambda s, i: s.get_interaction(i),
    "load_state_snapshot": lambda s, i: s.load_state_snapshot(i),
    "get_interaction_logs": lambda s, i: s.get_interaction_logs(i),
    "get_logs_after": lambda s, i: s.get_logs_after(i, 0),
    "get_turn_records": lambda s, i: s.get_turn_records(i),
    "get_live_interaction_status": lambda s, i: s.get_live_interaction_status(i),
    "get_interaction_live_state": lambda s, i: s.get_interaction_live_state(i),
}
"""Every read that names an interaction."""

ALL = {**WRITES, **QUERIES}

LIVE_WRITES = {
    name: call
    for name, call in WRITES.items()
    if name
    not in (
        "set_initiative_order",
        "initialize_for_live_play",
        "resume_interaction",
        "roll_initiative",  # idle or paused only
        "undo_turn",  # the live fixture has no turn recorded yet
    )
}
"""The writes a live interaction accepts."""
