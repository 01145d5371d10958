"""The recap's figures: played turn time per combatant, damage and healing, conditions."""

from __future__ import annotations

from typing import Any

from app.recap import build_recap
from store import Interaction, LogEntry, TurnRecord

ORDER = [
    {
        "entity_id": "bree",
        "entity_type": "playerCharacter",
        "name": "Bree",
        "initiative_roll": 17,
        "dexterity_modifier": 3,
    },
    {
        "entity_id": "gob",
        "entity_type": "monster",
        "name": "Goblin",
        "initiative_roll": 12,
        "dexterity_modifier": 2,
    },
]


def _interaction() -> Interaction:
    return Interaction.model_validate(
        {
            "id": 1,
            "name": "Fight",
            "description": None,
            "dm_user_id": "dm",
            "campaign_id": None,
            "status": "live",
            "initiative_order": ORDER,
            "current_initiative_index": 0,
            "round_number": 2,
            "turn_number": 1,
            "created_at": 0,
            "updated_at": 0,
            "live_room_id": "r",
            "last_state_snapshot": None,
            "snapshot_timestamp": None,
            "connected_participants": [],
            "last_activity": 0,
            "current_turn_timeout": None,
            "turn_time_limit": 60,
            "chat_enabled": True,
            "allow_private_chat": True,
            "turn_started_at": 0,
            "paused_turn_remaining_ms": None,
            "revision": 1,
        }
    )


def _turn(number: int, entity_id: str, status: str, played_ms: int) -> TurnRecord:
    return TurnRecord.model_validate(
        {
            "id": number,
            "interaction_id": 1,
            "entity_id": entity_id,
            "entity_type": "monster",
            "turn_number": number,
            "round_number": 1,
            "actions": [],
            "start_time": 0,
            "end_time": played_ms,
            "status": status,
            "user_id": None,
            "duration_ms": played_ms,
        }
    )


def _event(number: int, event_type: str, data: dict[str, Any]) -> LogEntry:
    return LogEntry(
        id=number,
        interaction_id=1,
        event_type=event_type,
        event_data=data,
        user_id=None,
        entity_id=None,
        timestamp=number,
        session_id="r",
    )


def test_turn_times_damage_healing_and_conditions_add_up() -> None:
    turns = [
        _turn(1, "bree", "completed", 12_000),
        _turn(2, "gob", "skipped", 1_000),
        _turn(3, "bree", "timeout", 60_000),
    ]
    events = [
        _event(1, "HP_CHANGED", {"entity_id": "gob", "delta": -7, "source_entity_id": "bree"}),
        _event(2, "HP_CHANGED", {"entity_id": "bree", "delta": -3, "source_entity_id": "gob"}),
        _event(3, "HP_CHANGED", {"entity_id": "bree", "delta": 2, "source_entity_id": "bree"}),
        _event(4, "CONDITION_ADDED", {"entity_id": "gob", "name": "prone", "rounds": 1}),
        _event(5, "HP_CHANGED", {"entity_id": "gob", "delta": "lots"}),  # not a number
    ]
    recap = build_recap(_interaction(), turns, events)
    bree, goblin = recap.combatants
    assert (recap.rounds, recap.turns, recap.skipped, recap.timed_out) == (1, 3, 1, 1)
    assert (bree.turns, bree.average_ms, bree.longest_ms) == (2, 36_000, 60_000)
    assert goblin.average_ms is None  # a skipped turn is no turn time
    assert (bree.damage_dealt, bree.damage_taken, bree.healing_done) == (7, 3, 2)
    assert (goblin.damage_dealt, goblin.damage_taken) == (3, 7)
    assert [(c.name, c.target, c.rounds) for c in recap.conditions] == [("prone", "Goblin", 1)]
