"""delay_turn and undo_turn: a turn given up for later, a turn taken back."""

from __future__ import annotations

from typing import Any

import pytest

from store import Conflict, Interaction, InvalidInput, LiveStore
from tests.conftest import FakeClock
from tests.store.helpers import LIMIT_MS, event_types, events_of, writes_nothing


def ids(interaction: Interaction) -> list[str]:
    return [combatant.entity_id for combatant in interaction.initiative_order]


def position(interaction: Interaction) -> tuple[str | None, int, int]:
    entry = interaction.current_entry
    return (
        None if entry is None else entry.entity_id,
        interaction.round_number,
        interaction.turn_number,
    )


def recorded(store: LiveStore, interaction_id: int) -> list[tuple[int, int, str]]:
    return [
        (r.round_number, r.turn_number, r.entity_id) for r in store.get_turn_records(interaction_id)
    ]


class TestDelayTurn:
    def test_the_next_one_starts_and_nothing_is_recorded(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(5_000)
        before = len(event_types(store, live))
        delayed = store.delay_turn(live, "gob-1")
        assert ids(delayed) == ["npc-tom", "gob-1", "pc-bree"]
        assert position(delayed) == ("npc-tom", 1, 1)
        assert delayed.current_initiative_index == 0
        assert delayed.turn_started_at == clock.now
        assert delayed.current_turn_timeout == clock.now + LIMIT_MS
        assert store.get_turn_records(live) == []
        assert event_types(store, live)[before:] == ["TURN_DELAYED", "TURN_STARTED"]
        [logged] = events_of(store, live, "TURN_DELAYED")
        assert logged.event_data == {
            "entity_id": "pc-bree",
            "entity_name": "Bree",
            "after_entity_id": "gob-1",
            "to_index": 2,
            "round_number": 1,
            "turn_number": 1,
        }
        assert (logged.entity_id, logged.user_id) == ("pc-bree", "u-bree")
        started = events_of(store, live, "TURN_STARTED")[-1]
        assert started.entity_id == "npc-tom"

    def test_the_delayed_one_acts_after_and_numbers_never_repeat(
        self, store: LiveStore, live: int
    ) -> None:
        store.delay_turn(live, "npc-tom")  # Tom, Bree, Goblin
        assert store.advance_turn(live).entity_id == "npc-tom"
        assert store.advance_turn(live).entity_id == "pc-bree"
        assert store.advance_turn(live).entity_id == "gob-1"
        assert recorded(store, live) == [(1, 1, "npc-tom"), (1, 2, "pc-bree"), (1, 3, "gob-1")]
        assert position(store.get_interaction(live)) == ("npc-tom", 2, 1)

    def test_after_must_stand_after_the_current_one(self, store: LiveStore, live: int) -> None:
        store.advance_turn(live)  # Tom
        for after in ("pc-bree", "npc-tom"):
            with (
                writes_nothing(store),
                pytest.raises(InvalidInput, match=r"^after_entity_id: .* must stand after"),
            ):
                store.delay_turn(live, after)
        with (
            writes_nothing(store),
            pytest.raises(InvalidInput, match=r"^after_entity_id: 'orc' is not in"),
        ):
            store.delay_turn(live, "orc")

    @pytest.mark.parametrize("after", ["", 3, None])
    def test_bad_after(self, store: LiveStore, live: int, after: Any) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="after_entity_id"):
            store.delay_turn(live, after)

    @pytest.mark.parametrize("fixture", ["idle", "paused", "completed", "cancelled"])
    def test_live_only(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.delay_turn(interaction_id, "gob-1")

    def test_no_turn_running(self, store: LiveStore, bare_live: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="no turn running"):
            store.delay_turn(bare_live, "gob-1")


class TestUndoTurn:
    def test_takes_back_the_last_turn(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(4_000)
        taken = store.advance_turn(live, actions=[{"type": "attack"}])
        clock.advance(1_000)
        before = len(event_types(store, live))
        undone = store.undo_turn(live)
        assert position(undone) == ("pc-bree", 1, 1)
        assert undone.current_initiative_index == 0
        assert undone.turn_started_at == clock.now
        assert undone.current_turn_timeout == clock.now + LIMIT_MS
        assert store.get_turn_records(live) == []
        assert event_types(store, live)[before:] == ["TURN_UNDONE"]
        [logged] = events_of(store, live, "TURN_UNDONE")
        assert logged.event_data == {
            "turn_record": taken.model_dump(),
            "round_number": 1,
            "turn_number": 1,
            "entity_id": "pc-bree",
            "entity_name": "Bree",
            "timeout": clock.now + LIMIT_MS,
        }
        # The turn is played again and recorded again, under the same number.
        again = store.advance_turn(live)
        assert (again.round_number, again.turn_number, again.entity_id) == (1, 1, "pc-bree")

    def test_walks_back_across_a_round_to_the_first_turn(self, store: LiveStore, live: int) -> None:
        for _ in range(4):  # round 1: Bree, Tom, Goblin; round 2: Bree
            store.advance_turn(live)
        assert position(store.get_interaction(live)) == ("npc-tom", 2, 2)
        walked = [position(store.undo_turn(live)) for _ in range(4)]
        assert walked == [
            ("pc-bree", 2, 1),
            ("gob-1", 1, 3),
            ("npc-tom", 1, 2),
            ("pc-bree", 1, 1),
        ]
        with writes_nothing(store), pytest.raises(Conflict, match="no recorded turn to undo"):
            store.undo_turn(live)
        # Played forward again, the round ends where it did.
        for _ in range(3):
            store.advance_turn(live)
        assert position(store.get_interaction(live)) == ("pc-bree", 2, 1)

    def test_delay_then_undo(self, store: LiveStore, live: int) -> None:
        store.advance_turn(live)  # Bree recorded at (1, 1); Tom's turn
        store.delay_turn(live, "gob-1")  # Goblin now acts at (1, 2), Tom after it
        store.advance_turn(live)  # Goblin recorded at (1, 2); Tom's turn at (1, 3)
        undone = store.undo_turn(live)
        assert position(undone) == ("gob-1", 1, 2)
        assert ids(undone) == ["pc-bree", "gob-1", "npc-tom"]
        assert position(store.undo_turn(live)) == ("pc-bree", 1, 1)
        assert recorded(store, live) == []

    def test_paused_the_full_limit_waits_for_the_resume(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        store.advance_turn(live)
        store.pause_interaction(live)
        clock.advance(30_000)
        undone = store.undo_turn(live)
        assert undone.status == "paused"
        assert position(undone) == ("pc-bree", 1, 1)
        assert undone.current_turn_timeout is None
        assert undone.paused_turn_remaining_ms == LIMIT_MS
        clock.advance(9_000)
        resumed = store.resume_interaction(live)
        assert resumed.current_turn_timeout == clock.now + LIMIT_MS
        clock.advance(1_000)
        assert store.advance_turn(live).duration_ms == 1_000

    def test_a_removed_combatant_s_turn_cannot_come_back(self, store: LiveStore, live: int) -> None:
        store.advance_turn(live)
        store.remove_combatant(live, "pc-bree")
        with writes_nothing(store), pytest.raises(Conflict, match="'pc-bree' has been removed"):
            store.undo_turn(live)

    def test_a_removed_current_combatant_s_skip_is_undone(
        self, store: LiveStore, live: int
    ) -> None:
        store.add_combatant(live, {"entity_id": "orc", "entity_type": "monster", "name": "Orc"})
        store.advance_turn(live)  # Tom's turn
        store.remove_combatant(live, "npc-tom")  # recorded skipped; Goblin at (1, 3)
        with pytest.raises(Conflict, match="'npc-tom' has been removed"):
            store.undo_turn(live)

    def test_nothing_recorded_is_a_conflict(self, store: LiveStore, live: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="no recorded turn"):
            store.undo_turn(live)

    @pytest.mark.parametrize("fixture", ["idle", "completed", "cancelled"])
    def test_live_or_paused_only(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.undo_turn(interaction_id)

    def test_bad_id(self, store: LiveStore) -> None:
        with pytest.raises(InvalidInput, match="interaction_id"):
            store.undo_turn("1")  # type: ignore[arg-type]
