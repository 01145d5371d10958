"""The turn engine with hit points and conditions: downed monsters and npcs passed over,
durations ticking at their bearer's turn end, and undo_turn taking both back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from store import Condition, Interaction, LiveStore, TurnRecord, open_store
from tests.conftest import FakeClock
from tests.store.helpers import LIMIT, entry, event_types, events_of

ORDER = [
    entry("bree", entity_type="playerCharacter", initiative_roll=20, max_hp=12, user_id="u-bree"),
    entry("gob-a", initiative_roll=15, max_hp=5),
    entry("gob-b", initiative_roll=12, max_hp=5),
    entry("tom", entity_type="npc", initiative_roll=8, max_hp=9),
]


@pytest.fixture
def fight(store: LiveStore, clock: FakeClock) -> int:
    """Bree (a player), two goblins and Tom (an npc), live: Bree's turn, round 1."""
    created = store.create_interaction(
        name="Pass", dm_user_id="dm", initiative_order=ORDER, turn_time_limit=LIMIT
    )
    store.initialize_for_live_play(created.id, "room-p", {})
    return created.id


def who(interaction: Interaction) -> tuple[str | None, int, int]:
    current = interaction.current_entry
    return (
        None if current is None else current.entity_id,
        interaction.round_number,
        interaction.turn_number,
    )


def now_at(store: LiveStore, fight: int) -> tuple[str | None, int, int]:
    return who(store.get_interaction(fight))


def records(store: LiveStore, fight: int) -> list[tuple[str, int, int, str, str | None]]:
    return [
        (r.entity_id, r.round_number, r.turn_number, r.status, r.reason)
        for r in store.get_turn_records(fight)
    ]


def conditions(store: LiveStore, fight: int, entity_id: str) -> list[Condition]:
    order = store.get_interaction(fight).initiative_order
    return next(e for e in order if e.entity_id == entity_id).conditions


class TestPassOver:
    def test_a_downed_monster_is_passed_over(
        self, store: LiveStore, fight: int, clock: FakeClock
    ) -> None:
        store.adjust_hp(fight, "gob-a", -5)
        clock.advance(4000)
        made = store.advance_turn(fight)
        assert (made.entity_id, made.status, made.reason) == ("bree", "completed", None)
        assert now_at(store, fight) == ("gob-b", 1, 3)
        assert records(store, fight) == [
            ("bree", 1, 1, "completed", None),
            ("gob-a", 1, 2, "skipped", "down"),
        ]
        passed = store.get_turn_records(fight)[1]
        assert (passed.start_time, passed.end_time, passed.duration_ms) == (clock.now, clock.now, 0)
        assert passed.actions == []
        [skipped] = events_of(store, fight, "TURN_SKIPPED")
        assert skipped.event_data == {"reason": "down"}
        assert (skipped.entity_id, skipped.session_id) == ("gob-a", "room-p")
        assert event_types(store, fight)[-3:] == ["TURN_COMPLETED", "TURN_SKIPPED", "TURN_STARTED"]
        interaction = store.get_interaction(fight)
        assert interaction.current_turn_timeout == clock.now + LIMIT * 1000

    def test_several_in_a_row_across_the_round_boundary(self, store: LiveStore, fight: int) -> None:
        store.advance_turn(fight)  # Bree -> gob-a
        for down in ("gob-b", "tom"):
            store.adjust_hp(fight, down, -20)
        store.advance_turn(fight)  # gob-a -> (gob-b, tom passed over) -> Bree, round 2
        assert now_at(store, fight) == ("bree", 2, 1)
        assert records(store, fight) == [
            ("bree", 1, 1, "completed", None),
            ("gob-a", 1, 2, "completed", None),
            ("gob-b", 1, 3, "skipped", "down"),
            ("tom", 1, 4, "skipped", "down"),
        ]
        assert event_types(store, fight)[-5:] == [
            "TURN_COMPLETED",
            "TURN_SKIPPED",
            "TURN_SKIPPED",
            "ROUND_COMPLETED",
            "TURN_STARTED",
        ]
        [round_done] = events_of(store, fight, "ROUND_COMPLETED")
        assert round_done.event_data == {"round_number": 1}

    def test_pass_overs_at_the_start_of_a_round(self, store: LiveStore, fight: int) -> None:
        for _ in range(3):
            store.advance_turn(fight)  # Tom's turn now
        store.adjust_hp(fight, "bree", -12)  # a player at 0 keeps its turns
        store.adjust_hp(fight, "gob-a", -5)
        store.advance_turn(fight)
        assert now_at(store, fight) == ("bree", 2, 1)
        store.advance_turn(fight)
        assert now_at(store, fight) == ("gob-b", 2, 3)
        assert records(store, fight)[-2:] == [
            ("bree", 2, 1, "completed", None),
            ("gob-a", 2, 2, "skipped", "down"),
        ]

    def test_when_every_combatant_is_down_no_one_is_passed_over(self, store: LiveStore) -> None:
        order = [
            entry("a", max_hp=3, current_hp=0),
            entry("b", entity_type="npc", max_hp=3, current_hp=0),
        ]
        created = store.create_interaction(name="All down", dm_user_id="dm", initiative_order=order)
        store.initialize_for_live_play(created.id, "room-d", {})
        assert now_at(store, created.id) == ("a", 1, 1)
        store.advance_turn(created.id)
        assert now_at(store, created.id) == ("b", 1, 2)
        assert [r.reason for r in store.get_turn_records(created.id)] == [None]

    def test_the_first_turn_passes_over_too(self, store: LiveStore) -> None:
        order = [
            entry("a", initiative_roll=9, max_hp=3, current_hp=0),
            entry("b", initiative_roll=4),
        ]
        created = store.create_interaction(name="Late", dm_user_id="dm", initiative_order=order)
        store.initialize_for_live_play(created.id, "room-l", {})
        assert now_at(store, created.id) == ("b", 1, 2)
        assert records(store, created.id) == [("a", 1, 1, "skipped", "down")]

    def test_a_timeout_sweep_passes_over(
        self, store: LiveStore, fight: int, clock: FakeClock
    ) -> None:
        store.adjust_hp(fight, "gob-a", -5)
        clock.advance(LIMIT * 1000)
        [timed_out] = store.expire_turn_timeouts()
        assert (timed_out.entity_id, timed_out.status) == ("bree", "timeout")
        assert now_at(store, fight) == ("gob-b", 1, 3)
        assert records(store, fight)[-1] == ("gob-a", 1, 2, "skipped", "down")

    def test_removing_the_current_combatant_passes_over(self, store: LiveStore, fight: int) -> None:
        store.adjust_hp(fight, "gob-a", -5)
        store.remove_combatant(fight, "bree")
        assert now_at(store, fight) == ("gob-b", 1, 3)
        assert event_types(store, fight)[-2:] == ["COMBATANT_REMOVED", "TURN_SKIPPED"]
        [removed] = events_of(store, fight, "COMBATANT_REMOVED")
        assert removed.event_data["next_turn"]["entity_id"] == "gob-b"

    def test_a_delay_onto_a_downed_monster_passes_it_over(
        self, store: LiveStore, fight: int
    ) -> None:
        store.adjust_hp(fight, "gob-a", -5)
        store.delay_turn(fight, "gob-b")  # Bree waits: gob-a (down) would be up, gob-b is
        assert now_at(store, fight) == ("gob-b", 1, 2)
        assert records(store, fight) == [("gob-a", 1, 1, "skipped", "down")]

    def test_healed_it_acts_again(self, store: LiveStore, fight: int) -> None:
        store.adjust_hp(fight, "gob-a", -5)
        store.adjust_hp(fight, "gob-a", 2)
        store.advance_turn(fight)
        assert now_at(store, fight) == ("gob-a", 1, 2)

    def test_hidden_combatants_take_their_turns(self, store: LiveStore, fight: int) -> None:
        store.update_combatant(fight, "gob-a", hidden=True)
        store.advance_turn(fight)
        assert now_at(store, fight) == ("gob-a", 1, 2)


class TestDurations:
    def test_a_condition_ends_exactly_after_its_last_round(
        self, store: LiveStore, fight: int
    ) -> None:
        store.add_condition(fight, "bree", "prone", rounds=1)
        store.add_condition(fight, "gob-a", "poisoned", rounds=2)
        store.add_condition(fight, "gob-a", "cursed")
        store.advance_turn(fight)  # Bree's turn ends: prone's one round is over
        assert conditions(store, fight, "bree") == []
        [ended] = events_of(store, fight, "CONDITION_ENDED")
        assert ended.event_data == {
            "entity_id": "bree",
            "name": "prone",
            "round_number": 1,
            "turn_number": 1,
        }
        assert event_types(store, fight)[-3:] == [
            "TURN_COMPLETED",
            "CONDITION_ENDED",
            "TURN_STARTED",
        ]
        store.advance_turn(fight)  # gob-a: poisoned 2 -> 1
        assert conditions(store, fight, "gob-a") == [Condition("poisoned", 1), Condition("cursed")]
        for _ in range(3):
            store.advance_turn(fight)
        assert conditions(store, fight, "gob-a") == [Condition("poisoned", 1), Condition("cursed")]
        store.advance_turn(fight, status="skipped")  # gob-a again, round 2: poisoned ends
        assert conditions(store, fight, "gob-a") == [Condition("cursed")]
        assert len(events_of(store, fight, "CONDITION_ENDED")) == 2

    def test_timeouts_and_pass_overs_tick(
        self, store: LiveStore, fight: int, clock: FakeClock
    ) -> None:
        store.add_condition(fight, "bree", "hasted", rounds=2)
        store.add_condition(fight, "gob-a", "burning", rounds=1)
        store.adjust_hp(fight, "gob-a", -5)
        clock.advance(LIMIT * 1000)
        store.expire_turn_timeouts()
        assert conditions(store, fight, "bree") == [Condition("hasted", 1)]
        assert conditions(store, fight, "gob-a") == []  # its passed-over turn ended it
        ended = events_of(store, fight, "CONDITION_ENDED")
        assert [(e.entity_id, e.event_data["turn_number"]) for e in ended] == [("gob-a", 2)]

    def test_a_sweep_over_rooms_with_and_without_conditions(
        self, store: LiveStore, fight: int, clock: FakeClock
    ) -> None:
        plain = store.create_interaction(
            name="Plain", dm_user_id="dm", initiative_order=ORDER, turn_time_limit=LIMIT
        ).id
        store.initialize_for_live_play(plain, "room-plain", {})
        store.add_condition(fight, "bree", "hasted", rounds=3)
        clock.advance(LIMIT * 1000)
        assert len(store.expire_turn_timeouts()) == 2
        assert conditions(store, fight, "bree") == [Condition("hasted", 2)]
        assert now_at(store, plain) == now_at(store, fight) == ("gob-a", 1, 2)


class TestUndo:
    def test_undo_puts_back_the_conditions_that_ended(self, store: LiveStore, fight: int) -> None:
        store.add_condition(fight, "bree", "prone", rounds=1)
        store.add_condition(fight, "bree", "hasted", rounds=3)
        store.advance_turn(fight)
        assert conditions(store, fight, "bree") == [Condition("hasted", 2)]
        undone = store.undo_turn(fight)
        assert who(undone) == ("bree", 1, 1)
        assert conditions(store, fight, "bree") == [Condition("prone", 1), Condition("hasted", 3)]
        [logged] = events_of(store, fight, "TURN_UNDONE")
        assert logged.event_data["restored_conditions"] == {
            "bree": [{"name": "prone", "rounds_left": 1}, {"name": "hasted", "rounds_left": 3}]
        }

    def test_undo_takes_back_the_pass_overs_with_the_advance(
        self, store: LiveStore, fight: int
    ) -> None:
        store.advance_turn(fight)  # gob-a's turn
        store.adjust_hp(fight, "gob-b", -5)
        store.adjust_hp(fight, "tom", -9)
        store.add_condition(fight, "tom", "stunned", rounds=1)
        store.advance_turn(fight)  # gob-b and tom passed over: Bree, round 2
        assert conditions(store, fight, "tom") == []
        undone = store.undo_turn(fight)
        assert who(undone) == ("gob-a", 1, 2)
        assert records(store, fight) == [("bree", 1, 1, "completed", None)]
        assert conditions(store, fight, "tom") == [Condition("stunned", 1)]
        [logged] = events_of(store, fight, "TURN_UNDONE")
        assert [r["entity_id"] for r in logged.event_data["passed_over"]] == ["gob-b", "tom"]
        # Advancing again passes them over again, with the same numbers.
        store.advance_turn(fight)
        assert records(store, fight)[1:] == [
            ("gob-a", 1, 2, "completed", None),
            ("gob-b", 1, 3, "skipped", "down"),
            ("tom", 1, 4, "skipped", "down"),
        ]
        assert now_at(store, fight) == ("bree", 2, 1)

    def test_undo_walks_back_past_pass_overs(self, store: LiveStore, fight: int) -> None:
        store.adjust_hp(fight, "gob-a", -5)
        store.advance_turn(fight)  # Bree, gob-a passed over: gob-b
        store.advance_turn(fight)  # gob-b: tom
        store.undo_turn(fight)
        assert now_at(store, fight) == ("gob-b", 1, 3)
        store.undo_turn(fight)
        assert now_at(store, fight) == ("bree", 1, 1)
        assert store.get_turn_records(fight) == []

    def test_undo_puts_the_conditions_back_in_their_order(
        self, store: LiveStore, fight: int
    ) -> None:
        held = [Condition("prone", 1), Condition("blessed", 2), Condition("cursed")]
        store.update_combatant(fight, "bree", conditions=held)
        store.advance_turn(fight)
        assert conditions(store, fight, "bree") == [Condition("blessed", 1), Condition("cursed")]
        store.undo_turn(fight)
        assert conditions(store, fight, "bree") == held
        [logged] = events_of(store, fight, "TURN_UNDONE")
        assert logged.event_data["restored_conditions"] == {
            "bree": [{"name": "prone", "rounds_left": 1}, {"name": "blessed", "rounds_left": 2}]
        }

    def test_undo_puts_a_passed_over_combatant_s_conditions_back_in_order(
        self, store: LiveStore, fight: int
    ) -> None:
        held = [Condition("cursed"), Condition("stunned", 1), Condition("burning", 3)]
        store.update_combatant(fight, "gob-a", conditions=held)
        store.adjust_hp(fight, "gob-a", -5)
        store.advance_turn(fight)  # gob-a passed over: gob-b
        assert conditions(store, fight, "gob-a") == [Condition("cursed"), Condition("burning", 2)]
        store.undo_turn(fight)
        assert conditions(store, fight, "gob-a") == held

    def test_undo_of_a_timeout_puts_the_conditions_back_in_order(
        self, store: LiveStore, fight: int, clock: FakeClock
    ) -> None:
        held = [Condition("prone", 1), Condition("hasted", 1), Condition("blessed", 2)]
        store.update_combatant(fight, "bree", conditions=held)
        clock.advance(LIMIT * 1000)
        [timed_out] = store.expire_turn_timeouts()
        assert timed_out.status == "timeout"
        assert conditions(store, fight, "bree") == [Condition("blessed", 1)]
        store.undo_turn(fight)
        assert conditions(store, fight, "bree") == held

    def test_conditions_added_since_stay_after_the_restored_ones(
        self, store: LiveStore, fight: int
    ) -> None:
        store.update_combatant(
            fight, "bree", conditions=[Condition("prone", 1), Condition("cursed")]
        )
        store.advance_turn(fight)
        store.add_condition(fight, "bree", "hidden")
        store.undo_turn(fight)
        assert conditions(store, fight, "bree") == [
            Condition("prone", 1),
            Condition("cursed"),
            Condition("hidden"),
        ]

    def test_a_record_holding_only_the_ticked_conditions_still_undoes(
        self, db_path: Path, clock: FakeClock
    ) -> None:
        """Records written before the whole list was kept hold only the conditions with rounds
        left: undo still puts each back, none lost (the untimed ones follow them)."""
        with open_store(db_path, clock=clock) as store:
            fight = store.create_interaction(name="Old", dm_user_id="dm", initiative_order=ORDER).id
            store.initialize_for_live_play(fight, "room-old", {})
            held = [Condition("prone", 1), Condition("cursed"), Condition("blessed", 2)]
            store.update_combatant(fight, "bree", conditions=held)
            store.advance_turn(fight)
        old = [{"name": "prone", "rounds_left": 1}, {"name": "blessed", "rounds_left": 2}]
        connection = sqlite3.connect(db_path)
        with connection:
            connection.execute("UPDATE turn_records SET ticked_conditions = ?", [json.dumps(old)])
        connection.close()
        with open_store(db_path, clock=clock) as store:
            store.undo_turn(fight)
            assert conditions(store, fight, "bree") == [
                Condition("prone", 1),
                Condition("blessed", 2),
                Condition("cursed"),
            ]

    def test_a_shortened_condition_removed_since_stays_removed(
        self, store: LiveStore, fight: int
    ) -> None:
        store.add_condition(fight, "bree", "hasted", rounds=3)
        store.advance_turn(fight)
        store.remove_condition(fight, "bree", "hasted")
        store.undo_turn(fight)
        assert conditions(store, fight, "bree") == []

    def test_a_plain_undo_logs_what_it_always_did(self, store: LiveStore, fight: int) -> None:
        taken: TurnRecord = store.advance_turn(fight)
        store.undo_turn(fight)
        [logged] = events_of(store, fight, "TURN_UNDONE")
        data: dict[str, Any] = logged.event_data
        assert set(data) == {
            "turn_record",
            "round_number",
            "turn_number",
            "entity_id",
            "entity_name",
            "timeout",
        }
        assert data["turn_record"] == taken.model_dump()
