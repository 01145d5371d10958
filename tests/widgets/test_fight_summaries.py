"""Log lines for combatants, initiative, delays and undos: readable, never raw JSON."""

from __future__ import annotations

from typing import Any

import pytest

from widgets.event_format import event_tag, summary
from widgets.fight_summaries import fight_summary

from .harness import log_entry

ENTITIES = {"gob-1": "Goblin 1", "bree": "Bree"}


@pytest.mark.parametrize(
    ("kind", "data", "line"),
    [
        (
            "COMBATANT_ADDED",
            {"entry": {"entity_id": "gob-2", "name": "Goblin 2", "initiative_roll": None}},
            "Goblin 2 joins the fight (not rolled yet)",
        ),
        (
            "COMBATANT_REMOVED",
            {"entry": {"name": "Goblin 1"}, "skipped_turn": {"id": 4}},
            "Goblin 1 leaves the fight; their turn is skipped",
        ),
        (
            "COMBATANT_UPDATED",
            {
                "entity_id": "gob-1",
                "changes": {"name": "Goblin chief", "initiative_roll": 15},
                "previous": {"name": "Goblin 1", "initiative_roll": None},
            },
            "Goblin 1: name Goblin 1 → Goblin chief, initiative — → 15",
        ),
        ("INITIATIVE_REORDERED", {"entity_id": "bree", "to_index": 2}, "Bree moved to place 3"),
        (
            "INITIATIVE_ROLLED",
            {
                "rolls": {"gob-1": {"d20": 12, "modifier": 2, "total": 14}},
                "tiebreakers": {"gob-1": 7},
            },
            "initiative rolled: Goblin 1 14 (d20 12 + 2) · ties broken by a roll-off",
        ),
        (
            "TURN_DELAYED",
            {"entity_id": "bree", "entity_name": "Bree", "after_entity_id": "gob-1"},
            "Bree delays, to act after Goblin 1",
        ),
        (
            "TURN_UNDONE",
            {"entity_name": "Bree", "round_number": 2, "turn_number": 1},
            "turn undone: Bree's turn again (round 2, turn 1)",
        ),
    ],
)
def test_fight_events_read_as_sentences(kind: str, data: dict[str, Any], line: str) -> None:
    assert summary(log_entry(1, kind, data), {}, ENTITIES).plain == line


def test_fight_events_have_family_words() -> None:
    assert event_tag("COMBATANT_ADDED") == "fight"
    assert event_tag("INITIATIVE_ROLLED") == "init"
    assert event_tag("TURN_UNDONE") == "turn"


def test_other_events_are_not_fight_events() -> None:
    assert fight_summary("CHAT_MESSAGE", {}, {}) is None


def test_markup_in_a_combatant_name_stays_literal() -> None:
    data = {"entry": {"name": "[bold]Evil[/bold]", "initiative_roll": 3}}
    text = summary(log_entry(1, "COMBATANT_ADDED", data), {}, {})
    assert text.plain.startswith("[bold]Evil[/bold] joins")


@pytest.mark.parametrize(
    ("kind", "data", "line"),
    [
        (
            "HP_CHANGED",
            {"entity_id": "gob-1", "delta": -7, "current_hp": 0, "max_hp": 7,
             "source_entity_id": "bree"},
            "Goblin 1 takes 7 from Bree (0/7), down",
        ),
        (
            "HP_CHANGED",
            {"entity_id": "bree", "delta": 4, "current_hp": 10, "max_hp": 12},
            "Bree heals 4 (10/12)",
        ),
        (
            "HP_CHANGED",
            {"entity_id": "bree", "delta": 0, "current_hp": 10, "max_hp": 12, "temp_hp": 5},
            "Bree: 5 temporary hp (10/12)",
        ),
        (
            "CONDITION_ADDED",
            {"entity_id": "gob-1", "name": "prone", "rounds": 1},
            "Goblin 1 is now prone for 1 round",
        ),
        ("CONDITION_ENDED", {"entity_id": "gob-1", "name": "prone"}, "Goblin 1 is no longer prone"),
    ],
)  # fmt: skip
def test_hit_points_and_conditions_read_as_sentences(
    kind: str, data: dict[str, Any], line: str
) -> None:
    assert summary(log_entry(1, kind, data), {}, ENTITIES).plain == line


def test_a_downed_monsters_passed_over_turn_says_so() -> None:
    entry = log_entry(1, "TURN_SKIPPED", {"reason": "down"})
    passed = entry.model_copy(update={"entity_id": "gob-1"})
    assert summary(passed, {}, ENTITIES).plain == "Goblin 1 is down: turn passed over"
