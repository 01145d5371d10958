"""add_combatant, remove_combatant, update_combatant and move_combatant through the public API."""

from __future__ import annotations

from typing import Any

import pytest

from store import Conflict, InitiativeEntry, Interaction, InvalidInput, LiveStore, NotFound
from tests.conftest import FakeClock
from tests.store.helpers import LIMIT_MS, ORDER, ROOM, entry, event_types, events_of, writes_nothing


def ids(interaction: Interaction) -> list[str]:
    return [combatant.entity_id for combatant in interaction.initiative_order]


def current(interaction: Interaction) -> tuple[str | None, int, int]:
    """Whose turn it is, in which round and turn."""
    entry_ = interaction.current_entry
    return (
        None if entry_ is None else entry_.entity_id,
        interaction.round_number,
        interaction.turn_number,
    )


def new_events(store: LiveStore, interaction_id: int, before: int) -> list[str]:
    return event_types(store, interaction_id)[before:]


ORC = {"entity_id": "orc-1", "entity_type": "monster", "name": "Orc", "initiative_roll": 15}


class TestAddCombatant:
    def test_goes_where_its_initiative_sorts_it(self, store: LiveStore, idle: int) -> None:
        added = store.add_combatant(idle, ORC)
        assert ids(added) == ["pc-bree", "orc-1", "npc-tom", "gob-1"]
        assert added.initiative_order[1] == InitiativeEntry(**ORC)
        assert added == store.get_interaction(idle)

    def test_logs_what_was_added(self, store: LiveStore, idle: int, clock: FakeClock) -> None:
        clock.advance(500)
        added = store.add_combatant(idle, ORC)
        assert event_types(store, idle) == ["COMBATANT_ADDED"]
        [logged] = events_of(store, idle, "COMBATANT_ADDED")
        assert logged.event_data == {"entry": InitiativeEntry(**ORC).model_dump(), "index": 1}
        assert (logged.entity_id, logged.timestamp, logged.session_id) == (
            "orc-1",
            clock.now,
            "system",
        )
        assert added.last_activity == clock.now
        assert added.revision == 1

    def test_unrolled_goes_last_and_ties_go_after(self, store: LiveStore, idle: int) -> None:
        store.add_combatant(idle, entry("later", initiative_roll=None))
        tied = store.add_combatant(
            idle, entry("tom-twin", initiative_roll=14, dexterity_modifier=1)
        )
        assert ids(tied) == ["pc-bree", "npc-tom", "tom-twin", "gob-1", "later"]
        assert tied.initiative_order[-1].initiative_roll is None

    def test_at_a_position(self, store: LiveStore, idle: int) -> None:
        assert ids(store.add_combatant(idle, ORC, position=3))[3] == "orc-1"
        assert ids(store.add_combatant(idle, entry("first"), position=0))[0] == "first"

    def test_an_entry_model_is_accepted(self, store: LiveStore, idle: int) -> None:
        assert ids(store.add_combatant(idle, InitiativeEntry(**ORC)))[1] == "orc-1"

    def test_while_live_the_current_combatant_keeps_its_turn(
        self, store: LiveStore, live: int
    ) -> None:
        store.advance_turn(live)  # Tom's turn, index 1
        added = store.add_combatant(live, entry("fast", initiative_roll=30), position=None)
        assert ids(added)[0] == "fast"
        assert current(added) == ("npc-tom", 1, 2)
        assert added.current_initiative_index == 2
        assert (
            store.add_combatant(live, entry("slow", initiative_roll=1)).current_initiative_index
            == 2
        )
        assert new_events(store, live, 4) == ["COMBATANT_ADDED", "COMBATANT_ADDED"]

    def test_in_the_room_s_session_while_live(self, store: LiveStore, live: int) -> None:
        store.add_combatant(live, ORC)
        [logged] = events_of(store, live, "COMBATANT_ADDED")
        assert logged.session_id == ROOM

    def test_a_live_fight_with_no_one_starts_with_the_newcomer(
        self, store: LiveStore, bare_live: int, clock: FakeClock
    ) -> None:
        added = store.add_combatant(bare_live, ORC)
        assert current(added) == ("orc-1", 1, 1)
        assert added.current_turn_timeout == clock.now + 90_000

    def test_paused(self, store: LiveStore, paused: int) -> None:
        added = store.add_combatant(paused, entry("fast", initiative_roll=30))
        assert current(added) == ("pc-bree", 1, 1) and added.current_initiative_index == 1

    def test_a_duplicate_entity_id_is_a_conflict(self, store: LiveStore, idle: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="'gob-1' is already in"):
            store.add_combatant(idle, entry("gob-1"))

    @pytest.mark.parametrize(
        ("given", "field"),
        [
            ({**ORC, "name": " "}, "entry.name"),
            ({**ORC, "entity_type": "dragon"}, "entry.entity_type"),
            ({**ORC, "initiative_roll": "15"}, "entry.initiative_roll"),
            ({**ORC, "entity_id": ""}, "entry.entity_id"),
            ("orc", "entry"),
        ],
    )
    def test_bad_entries(self, store: LiveStore, idle: int, given: Any, field: str) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=f"^{field}"):
            store.add_combatant(idle, given)

    @pytest.mark.parametrize("position", [-1, 4, "1", True])
    def test_bad_positions(self, store: LiveStore, idle: int, position: Any) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="position"):
            store.add_combatant(idle, ORC, position=position)

    def test_unknown_interaction(self, store: LiveStore) -> None:
        with pytest.raises(NotFound):
            store.add_combatant(99, ORC)

    @pytest.mark.parametrize("fixture", ["completed", "cancelled"])
    def test_final_fights_are_read_only(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.add_combatant(interaction_id, ORC)


class TestRemoveCombatant:
    def test_idle(self, store: LiveStore, idle: int) -> None:
        removed = store.remove_combatant(idle, "npc-tom")
        assert ids(removed) == ["pc-bree", "gob-1"]
        [logged] = events_of(store, idle, "COMBATANT_REMOVED")
        assert logged.event_data == {
            "entry": InitiativeEntry(**ORDER[1]).model_dump(),
            "index": 1,
            "skipped_turn": None,
            "next_turn": None,
        }
        assert event_types(store, idle) == ["COMBATANT_REMOVED"]

    def test_before_the_current_one_keeps_its_turn(self, store: LiveStore, live: int) -> None:
        store.advance_turn(live)  # Tom
        removed = store.remove_combatant(live, "pc-bree")
        assert current(removed) == ("npc-tom", 1, 2)
        assert removed.current_initiative_index == 0
        assert store.get_turn_records(live)[-1].entity_id == "pc-bree"  # its turn stays recorded

    def test_after_the_current_one(self, store: LiveStore, live: int) -> None:
        removed = store.remove_combatant(live, "gob-1")
        assert current(removed) == ("pc-bree", 1, 1)

    def test_the_current_one_is_skipped_and_the_next_starts(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(7_000)
        before = len(event_types(store, live))
        removed = store.remove_combatant(live, "pc-bree")
        assert current(removed) == ("npc-tom", 1, 2)
        assert removed.current_initiative_index == 0
        assert removed.turn_started_at == clock.now
        assert removed.current_turn_timeout == clock.now + LIMIT_MS
        [skipped] = store.get_turn_records(live)
        assert (skipped.entity_id, skipped.status, skipped.round_number, skipped.turn_number) == (
            "pc-bree",
            "skipped",
            1,
            1,
        )
        assert skipped.duration_ms == 7_000
        assert new_events(store, live, before) == ["COMBATANT_REMOVED"]
        [logged] = events_of(store, live, "COMBATANT_REMOVED")
        assert logged.event_data["skipped_turn"] == skipped.model_dump()
        assert logged.event_data["next_turn"] == {
            "entity_id": "npc-tom",
            "round_number": 1,
            "turn_number": 2,
            "timeout": clock.now + LIMIT_MS,
        }

    def test_the_round_s_last_one_ends_the_round(self, store: LiveStore, live: int) -> None:
        store.advance_turn(live)
        store.advance_turn(live)  # Goblin, the last
        removed = store.remove_combatant(live, "gob-1")
        assert current(removed) == ("pc-bree", 2, 1)
        assert [(r.round_number, r.turn_number) for r in store.get_turn_records(live)] == [
            (1, 1),
            (1, 2),
            (1, 3),
        ]

    def test_paused_the_next_turn_starts_on_resume(
        self, store: LiveStore, paused: int, clock: FakeClock
    ) -> None:
        clock.advance(60_000)
        removed = store.remove_combatant(paused, "pc-bree")
        assert current(removed) == ("npc-tom", 1, 2)
        assert removed.status == "paused"
        assert removed.current_turn_timeout is None
        assert removed.paused_turn_remaining_ms == LIMIT_MS
        [skipped] = store.get_turn_records(paused)
        assert skipped.duration_ms == 10_000  # the pause is not part of Bree's turn
        clock.advance(5_000)
        resumed = store.resume_interaction(paused)
        assert resumed.current_turn_timeout == clock.now + LIMIT_MS
        clock.advance(2_000)
        assert store.advance_turn(paused).duration_ms == 2_000

    def test_the_last_combatant_of_a_live_fight_stays(self, store: LiveStore, live: int) -> None:
        store.remove_combatant(live, "npc-tom")
        store.remove_combatant(live, "gob-1")
        with writes_nothing(store), pytest.raises(Conflict, match="last combatant"):
            store.remove_combatant(live, "pc-bree")

    def test_the_last_combatant_of_a_paused_fight_may_go(
        self, store: LiveStore, paused: int
    ) -> None:
        for entity_id in ("npc-tom", "gob-1"):
            store.remove_combatant(paused, entity_id)
        emptied = store.remove_combatant(paused, "pc-bree")
        assert emptied.initiative_order == [] and emptied.current_initiative_index is None
        assert emptied.paused_turn_remaining_ms is None

    def test_unknown_entity_is_not_found(self, store: LiveStore, live: int) -> None:
        with writes_nothing(store), pytest.raises(NotFound, match="'orc-9' is not in"):
            store.remove_combatant(live, "orc-9")

    @pytest.mark.parametrize("entity_id", ["", 7, None])
    def test_bad_entity_id(self, store: LiveStore, live: int, entity_id: Any) -> None:
        with pytest.raises(InvalidInput, match="entity_id"):
            store.remove_combatant(live, entity_id)

    def test_final_is_read_only(self, store: LiveStore, completed: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="completed"):
            store.remove_combatant(completed, "gob-1")


class TestUpdateCombatant:
    def test_changes_only_what_is_given(
        self, store: LiveStore, idle: int, clock: FakeClock
    ) -> None:
        clock.advance(10)
        updated = store.update_combatant(idle, "gob-1", name="Goblin boss", initiative_roll=20)
        boss = updated.initiative_order[2]
        assert (boss.name, boss.initiative_roll, boss.dexterity_modifier) == ("Goblin boss", 20, 2)
        assert ids(updated) == ["pc-bree", "npc-tom", "gob-1"]  # no reordering
        [logged] = events_of(store, idle, "COMBATANT_UPDATED")
        assert logged.event_data == {
            "entity_id": "gob-1",
            "changes": {"name": "Goblin boss", "initiative_roll": 20},
            "previous": {"name": "Goblin", "initiative_roll": 12},
        }
        assert logged.entity_id == "gob-1" and updated.last_activity == clock.now

    def test_each_field(self, store: LiveStore, live: int) -> None:
        updated = store.update_combatant(
            live,
            "npc-tom",
            entity_type="playerCharacter",
            dexterity_modifier=-1,
            user_id="u-tom",
            initiative_roll=None,
        )
        tom = updated.initiative_order[1]
        assert (tom.entity_type, tom.dexterity_modifier, tom.user_id, tom.initiative_roll) == (
            "playerCharacter",
            -1,
            "u-tom",
            None,
        )
        assert current(updated) == ("pc-bree", 1, 1)

    def test_the_same_values_change_nothing(self, store: LiveStore, idle: int) -> None:
        with writes_nothing(store):
            store.update_combatant(idle, "gob-1", name="Goblin")

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({}, "fields: give at least one"),
            ({"hp": 3}, "hp: unknown field"),
            ({"tiebreaker": 3}, "tiebreaker: unknown field"),
            ({"name": ""}, "name"),
            ({"name": None}, "name"),
            ({"entity_type": "dragon"}, "entity_type"),
            ({"initiative_roll": 1.5}, "initiative_roll"),
            ({"dexterity_modifier": None}, "dexterity_modifier"),
            ({"user_id": " "}, "user_id"),
        ],
    )
    def test_bad_fields(
        self, store: LiveStore, idle: int, fields: dict[str, Any], message: str
    ) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=f"^{message}"):
            store.update_combatant(idle, "gob-1", **fields)

    def test_unknown_entity_is_not_found(self, store: LiveStore, idle: int) -> None:
        with writes_nothing(store), pytest.raises(NotFound):
            store.update_combatant(idle, "orc-9", name="Orc")

    def test_final_is_read_only(self, store: LiveStore, cancelled: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="cancelled"):
            store.update_combatant(cancelled, "gob-1", name="Orc")


class TestMoveCombatant:
    def test_moves_and_logs(self, store: LiveStore, idle: int) -> None:
        moved = store.move_combatant(idle, "gob-1", 0)
        assert ids(moved) == ["gob-1", "pc-bree", "npc-tom"]
        [logged] = events_of(store, idle, "INITIATIVE_REORDERED")
        assert logged.event_data == {
            "entity_id": "gob-1",
            "from_index": 2,
            "to_index": 0,
            "order": ["gob-1", "pc-bree", "npc-tom"],
        }

    def test_the_current_combatant_keeps_its_turn(self, store: LiveStore, live: int) -> None:
        store.advance_turn(live)  # Tom, index 1
        moved = store.move_combatant(live, "gob-1", 0)
        assert current(moved) == ("npc-tom", 1, 2) and moved.current_initiative_index == 2
        moved = store.move_combatant(live, "npc-tom", 0)
        assert current(moved) == ("npc-tom", 1, 2) and moved.current_initiative_index == 0

    def test_to_the_same_place_changes_nothing(self, store: LiveStore, idle: int) -> None:
        with writes_nothing(store):
            store.move_combatant(idle, "gob-1", 2)

    @pytest.mark.parametrize("to_index", [3, -1, "0", None])
    def test_bad_index(self, store: LiveStore, idle: int, to_index: Any) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="to_index"):
            store.move_combatant(idle, "gob-1", to_index)

    def test_unknown_entity_is_not_found(self, store: LiveStore, idle: int) -> None:
        with writes_nothing(store), pytest.raises(NotFound):
            store.move_combatant(idle, "orc-9", 0)

    def test_final_is_read_only(self, store: LiveStore, completed: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="completed"):
            store.move_combatant(completed, "gob-1", 0)


class TestUniqueIds:
    def test_create_refuses_duplicates(self, store: LiveStore) -> None:
        with pytest.raises(InvalidInput, match=r"initiative_order\[1\]\.entity_id"):
            store.create_interaction(
                name="x", dm_user_id="d", initiative_order=[entry("a"), entry("a")]
            )

    def test_set_initiative_order_refuses_duplicates(self, store: LiveStore, idle: int) -> None:
        with (
            writes_nothing(store),
            pytest.raises(InvalidInput, match=r"initiative_order\[2\]\.entity_id"),
        ):
            store.set_initiative_order(idle, [entry("a"), entry("b"), entry("a")])

    def test_entries_without_a_roll_are_accepted(self, store: LiveStore) -> None:
        created = store.create_interaction(
            name="x",
            dm_user_id="d",
            initiative_order=[{"entity_id": "a", "entity_type": "npc", "name": "A"}],
        )
        [only] = created.initiative_order
        assert (only.initiative_roll, only.dexterity_modifier, only.tiebreaker) == (None, 0, None)
