"""What players may see, decided without a screen: health words, hidden combatants, chat."""

from __future__ import annotations

from typing import Any

import pytest

from app.player.view import (
    GM_TURN,
    health_text,
    player_chat,
    visible_order,
    waiting_message,
    whose_turn,
)
from store import InitiativeEntry, LiveStore, LogEntry
from tests.player.scene import Fight
from widgets.health import health_word


def entry(**fields: Any) -> InitiativeEntry:
    """A goblin boss, with whatever hit points, conditions or hiding a test gives it."""
    base = {
        "entity_id": "gob-1",
        "entity_type": "monster",
        "name": "Goblin Boss",
        "initiative_roll": 15,
        "user_id": None,
    }
    return InitiativeEntry.model_validate({**base, **fields})


@pytest.mark.parametrize(
    ("current", "maximum", "word"),
    [
        (30, 30, "unhurt"),
        (16, 30, "hurt"),
        (15, 30, "hurt"),
        (14, 30, "bloodied"),
        (1, 30, "bloodied"),
        (0, 30, "down"),
    ],
)
def test_health_words(current: int, maximum: int, word: str) -> None:
    assert health_word(current, maximum) == word


def test_monsters_show_words_and_player_characters_numbers() -> None:
    monster = entry(max_hp=30, current_hp=14, temp_hp=0)
    assert health_text(monster).plain == "bloodied"
    bree = entry(entity_type="playerCharacter", name="Bree", max_hp=31, current_hp=23, temp_hp=5)
    assert health_text(bree).plain == "23/31 +5"
    untracked = entry()
    assert health_text(untracked).plain == ""


def test_conditions_are_read() -> None:
    seen = entry(conditions=[{"name": "prone", "rounds_left": 1}])
    assert [(c.name, c.rounds_left) for c in seen.conditions] == [("prone", 1)]


def test_hidden_combatants_are_left_out_and_their_turn_is_the_game_masters(
    fight_store: tuple[LiveStore, Fight],
) -> None:
    store, fight = fight_store
    interaction = store.get_interaction(fight.live, with_snapshot=False)
    assert whose_turn(interaction) == "Goblin Boss"  # a turn was played: index 1 runs
    order = [
        entry(
            entity_id=e.entity_id,
            entity_type=e.entity_type,
            name=e.name,
            user_id=e.user_id,
            initiative_roll=e.initiative_roll,
            hidden=e.entity_id == "gob-1",
        )
        for e in interaction.initiative_order
    ]
    hiding = interaction.model_copy(update={"initiative_order": order})
    assert whose_turn(hiding) == GM_TURN
    names = [row.combatant.name for row in visible_order(hiding)]
    assert names == ["Bree", "Tam", "Ola the guide"]
    assert not any(row.current for row in visible_order(hiding))


def test_only_party_and_system_chat(fight_store: tuple[LiveStore, Fight]) -> None:
    store, fight = fight_store
    entries = store.get_interaction_logs(fight.live, limit=100, event_types=["CHAT_MESSAGE"])
    channels = [e.event_data["channel"] for e in player_chat(entries)]
    assert set(channels) == {"party", "system"}
    assert {e.event_data["channel"] for e in entries} == {"party", "system", "dm", "private"}
    odd = LogEntry(
        id=1,
        interaction_id=1,
        event_type="CHAT_MESSAGE",
        event_data=["party"],
        user_id=None,
        entity_id=None,
        timestamp=0,
        session_id="s",
    )
    assert player_chat([odd]) == []


def test_waiting_messages(fight_store: tuple[LiveStore, Fight]) -> None:
    store, fight = fight_store
    said = {
        which: waiting_message(store.get_interaction(getattr(fight, which), with_snapshot=False))
        for which in ("live", "paused", "idle", "completed")
    }
    assert said["live"] is None
    assert said["paused"] and said["paused"].startswith("Paused")
    assert said["idle"] and "start" in said["idle"]
    assert said["completed"] == "The fight is over."
