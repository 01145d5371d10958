"""Property test of a fight a game master keeps correcting: random add, remove, move, advance,
delay, undo, pause and resume, checked after every step against the issue's invariants.

Whatever the sequence: entity ids stay unique, the current index points into
the order while a turn runs, turn records are unique per (round, turn) and
strictly increasing in the order they were played, and the running turn
comes after every recorded one (so no removal or delay reuses a number).
"""

from __future__ import annotations

import random
import shutil
import tempfile
from itertools import pairwise
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from store import Conflict, Interaction, InvalidInput, LiveStore, NotFound, open_store
from tests.conftest import FakeClock
from tests.store.helpers import entry


class CombatantMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.directory = tempfile.mkdtemp(prefix="liveroom-fight-")
        self.clock = FakeClock()
        self.store: LiveStore = open_store(
            Path(self.directory) / "fight.db", clock=self.clock, rng=random.Random(7)
        )
        self.interaction_id = 0
        self.next_name = 0
        self.status = "live"
        self.played: list[tuple[int, int]] = []
        """(round, turn) of every turn recorded, in the order they were recorded (undo pops)."""

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    @initialize(count=st.integers(1, 4), limit_s=st.sampled_from([0, 30]))
    def go_live(self, count: int, limit_s: int) -> None:
        order = [entry(self._name(), initiative_roll=None) for _ in range(count)]
        created = self.store.create_interaction(
            name="Fight", dm_user_id="dm", initiative_order=order, turn_time_limit=limit_s
        )
        self.interaction_id = created.id
        self.store.initialize_for_live_play(created.id, "room", None)

    def _name(self) -> str:
        self.next_name += 1
        return f"c{self.next_name}"

    def _ids(self) -> list[str]:
        interaction = self.store.get_interaction(self.interaction_id, with_snapshot=False)
        return [combatant.entity_id for combatant in interaction.initiative_order]

    # -- rules -------------------------------------------------------------

    @rule(ms=st.integers(0, 40_000))
    def tick(self, ms: int) -> None:
        self.clock.advance(ms)

    @rule(roll=st.one_of(st.none(), st.integers(1, 25)), at=st.one_of(st.none(), st.integers(0, 6)))
    def add(self, roll: int | None, at: int | None) -> None:
        size = len(self._ids())
        new = entry(self._name(), initiative_roll=roll)
        if at is not None and at > size:
            try:
                self.store.add_combatant(self.interaction_id, new, position=at)
            except InvalidInput:
                return
            raise AssertionError("a position past the end was accepted")
        self.store.add_combatant(self.interaction_id, new, position=at)

    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        ids = self._ids()
        if not ids:
            return
        before = self.store.get_interaction(self.interaction_id)
        victim = data.draw(st.sampled_from(ids))
        if self.status == "live" and len(ids) == 1:
            try:
                self.store.remove_combatant(self.interaction_id, victim)
            except Conflict:
                return
            raise AssertionError("the last combatant of a live fight was removed")
        after = self.store.remove_combatant(self.interaction_id, victim)
        current = before.current_entry
        if current is not None and current.entity_id == victim:
            self.played.append((before.round_number, before.turn_number))
        elif current is not None:
            assert _who(after) == current.entity_id  # the current combatant keeps its turn
            assert (after.round_number, after.turn_number) == (
                before.round_number,
                before.turn_number,
            )

    @rule(data=st.data())
    def move(self, data: st.DataObject) -> None:
        ids = self._ids()
        if not ids:
            return
        before = self.store.get_interaction(self.interaction_id)
        mover = data.draw(st.sampled_from(ids))
        to_index = data.draw(st.integers(0, len(ids) - 1))
        after = self.store.move_combatant(self.interaction_id, mover, to_index)
        assert _who(after) == _who(before)

    @precondition(lambda self: self.status == "live")
    @rule()
    def advance(self) -> None:
        before = self.store.get_interaction(self.interaction_id)
        if before.current_entry is None:
            return
        record = self.store.advance_turn(self.interaction_id)
        self.played.append((record.round_number, record.turn_number))

    @precondition(lambda self: self.status == "live")
    @rule(data=st.data())
    def delay(self, data: st.DataObject) -> None:
        before = self.store.get_interaction(self.interaction_id)
        index = before.current_initiative_index
        if index is None or index + 1 >= len(before.initiative_order):
            return
        after = data.draw(st.sampled_from(before.initiative_order[index + 1 :]))
        delayed = self.store.delay_turn(self.interaction_id, after.entity_id)
        assert (delayed.round_number, delayed.turn_number) == (
            before.round_number,
            before.turn_number,
        )

    @rule()
    def undo(self) -> None:
        if self.status not in ("live", "paused"):
            return
        try:
            undone = self.store.undo_turn(self.interaction_id)
        except Conflict as error:
            assert not self.played or "has been removed" in str(error)
            return
        assert (undone.round_number, undone.turn_number) == self.played.pop()

    @precondition(lambda self: self.status == "live")
    @rule()
    def pause(self) -> None:
        self.store.pause_interaction(self.interaction_id)
        self.status = "paused"

    @precondition(lambda self: self.status == "paused")
    @rule()
    def resume(self) -> None:
        self.store.resume_interaction(self.interaction_id)
        self.status = "live"

    @precondition(lambda self: self.status == "paused")
    @rule()
    def roll(self) -> None:
        before = self.store.get_interaction(self.interaction_id)
        after = self.store.roll_initiative(self.interaction_id)
        assert _who(after) == _who(before)

    @rule(entity_id=st.sampled_from(["nobody", "c999"]))
    def unknown(self, entity_id: str) -> None:
        try:
            self.store.remove_combatant(self.interaction_id, entity_id)
        except NotFound:
            return
        raise AssertionError("an unknown combatant was removed")

    # -- invariants ----------------------------------------------------------

    @invariant()
    def fight_is_consistent(self) -> None:
        interaction = self.store.get_interaction(self.interaction_id, with_snapshot=False)
        order = interaction.initiative_order
        ids = [combatant.entity_id for combatant in order]
        assert len(ids) == len(set(ids)), "entity ids are unique"
        assert interaction.status == self.status
        index = interaction.current_initiative_index
        if order:
            assert index is not None and 0 <= index < len(order), "the current index is inside"
        else:
            assert index is None
        records = self.store.get_turn_records(self.interaction_id)
        positions = [(r.round_number, r.turn_number) for r in records]
        assert len(positions) == len(set(positions)), "one record per (round, turn)"
        assert sorted(positions) == sorted(self.played)
        # Strictly increasing in play order (records by id: the order they were written).
        by_play = [(r.round_number, r.turn_number) for r in sorted(records, key=lambda r: r.id)]
        assert all(a < b for a, b in pairwise(by_play))
        if index is not None and positions:
            assert max(positions) < (interaction.round_number, interaction.turn_number)
        for record in records:
            assert record.duration_ms is not None
            assert 0 <= record.duration_ms <= (record.end_time or 0) - record.start_time


def _who(interaction: Interaction) -> str | None:
    """The entity_id whose turn it is (a roll may give it a tiebreaker: the entry changes)."""
    entry_ = interaction.current_entry
    return None if entry_ is None else entry_.entity_id


CombatantMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_combatant_state_machine = CombatantMachine.TestCase
