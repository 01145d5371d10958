"""Property test of a fight a game master keeps correcting: random add, remove, move, advance,
delay, undo, pause and resume, damage, healing, temporary hit points and conditions, checked
after every step against the issues' invariants.

Whatever the sequence: entity ids stay unique, the current index points into
the order while a turn runs, turn records are unique per (round, turn) and
strictly increasing in the order they were played, and the running turn
comes after every recorded one (so no removal or delay reuses a number).
Hit points stay within 0..max_hp, a condition held has at least one round
left, an advance lands on someone who acts (unless every one is down), and
an undo takes back the latest turn taken with the pass-overs after it.
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

from store import (
    Conflict,
    InitiativeEntry,
    Interaction,
    InvalidInput,
    LiveStore,
    NotFound,
    TurnRecord,
    open_store,
)
from tests.conftest import FakeClock
from tests.store.helpers import entry

KINDS = ("monster", "npc", "playerCharacter", "monster")
"""The combatants of a new fight, in order: downed monsters and npcs are passed over."""


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

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    @initialize(
        hit_points=st.lists(st.one_of(st.none(), st.integers(0, 12)), min_size=1, max_size=4),
        limit_s=st.sampled_from([0, 30]),
    )
    def go_live(self, hit_points: list[int | None], limit_s: int) -> None:
        order = [
            entry(self._name(), initiative_roll=None, max_hp=hp, entity_type=kind)
            for hp, kind in zip(hit_points, KINDS, strict=False)
        ]
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

    @rule(
        roll=st.one_of(st.none(), st.integers(1, 25)),
        at=st.one_of(st.none(), st.integers(0, 6)),
        hp=st.one_of(st.none(), st.integers(0, 12)),
    )
    def add(self, roll: int | None, at: int | None, hp: int | None) -> None:
        size = len(self._ids())
        new = entry(self._name(), initiative_roll=roll, max_hp=hp)
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
        if current is not None and current.entity_id != victim:
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
        records = self._records()
        record = self.store.advance_turn(self.interaction_id)
        after = self.store.get_interaction(self.interaction_id)
        assert (record.round_number, record.turn_number) == (
            before.round_number,
            before.turn_number,
        )
        new = self._records()[len(records) + 1 :]
        assert all(r.status == "skipped" and r.reason == "down" for r in new)
        order = after.initiative_order
        if not all(e.passed_over for e in order):
            assert after.current_entry is not None and not after.current_entry.passed_over

    @precondition(lambda self: self.status == "live")
    @rule(data=st.data())
    def delay(self, data: st.DataObject) -> None:
        before = self.store.get_interaction(self.interaction_id)
        index = before.current_initiative_index
        if index is None or index + 1 >= len(before.initiative_order):
            return
        after = data.draw(st.sampled_from(before.initiative_order[index + 1 :]))
        records = self._records()
        delayed = self.store.delay_turn(self.interaction_id, after.entity_id)
        passed = self._records()[len(records) :]
        assert all(r.reason == "down" for r in passed)
        # No turn was taken: the numbers stay, unless downed combatants were passed over.
        moved = (delayed.round_number, delayed.turn_number) != (
            before.round_number,
            before.turn_number,
        )
        assert moved == bool(passed)

    @rule()
    def undo(self) -> None:
        if self.status not in ("live", "paused"):
            return
        records = self._records()
        taken = [r for r in records if r.reason is None]
        try:
            undone = self.store.undo_turn(self.interaction_id)
        except Conflict as error:
            assert not taken or "has been removed" in str(error)
            return
        latest = max(taken, key=lambda r: (r.round_number, r.turn_number))
        at = (latest.round_number, latest.turn_number)
        assert (undone.round_number, undone.turn_number) == at
        assert _who(undone) == latest.entity_id
        assert self._records() == [r for r in records if (r.round_number, r.turn_number) < at]

    @rule(data=st.data(), delta=st.integers(-15, 15).filter(bool))
    def hurt_or_heal(self, data: st.DataObject, delta: int) -> None:
        target = self._pick(data)
        if target is None:
            return
        if target.max_hp is None:
            try:
                self.store.adjust_hp(self.interaction_id, target.entity_id, delta)
            except Conflict:
                return
            raise AssertionError("untracked hit points were adjusted")
        changed = self.store.adjust_hp(self.interaction_id, target.entity_id, delta)
        assert changed.current_hp is not None and target.current_hp is not None
        if delta > 0:
            assert changed.current_hp == min(target.max_hp, target.current_hp + delta)
            assert changed.temp_hp == target.temp_hp
        else:
            absorbed = min(target.temp_hp or 0, -delta)
            assert changed.current_hp == max(0, target.current_hp - (-delta - absorbed))

    @rule(data=st.data(), amount=st.integers(0, 6))
    def temporary(self, data: st.DataObject, amount: int) -> None:
        target = self._pick(data)
        if target is None or target.max_hp is None:
            return
        assert (
            self.store.set_temp_hp(self.interaction_id, target.entity_id, amount).temp_hp == amount
        )

    @rule(
        data=st.data(),
        name=st.sampled_from(["prone", "Prone", "poisoned", "blessed"]),
        rounds=st.one_of(st.none(), st.integers(1, 3)),
    )
    def condition(self, data: st.DataObject, name: str, rounds: int | None) -> None:
        target = self._pick(data)
        if target is None:
            return
        held = self.store.add_condition(self.interaction_id, target.entity_id, name, rounds=rounds)
        assert [c.rounds_left for c in held.conditions if c.name == name] == [rounds]

    @rule(data=st.data(), name=st.sampled_from(["prone", "poisoned", "blessed"]))
    def uncondition(self, data: st.DataObject, name: str) -> None:
        target = self._pick(data)
        if target is None:
            return
        held = any(c.name.casefold() == name for c in target.conditions)
        try:
            after = self.store.remove_condition(self.interaction_id, target.entity_id, name)
        except NotFound:
            assert not held
            return
        assert held and all(c.name.casefold() != name for c in after.conditions)

    def _pick(self, data: st.DataObject) -> InitiativeEntry | None:
        order = self.store.get_interaction(self.interaction_id).initiative_order
        return data.draw(st.sampled_from(order)) if order else None

    def _records(self) -> list[TurnRecord]:
        return sorted(self.store.get_turn_records(self.interaction_id), key=lambda r: r.id)

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
        # Strictly increasing in play order (records by id: the order they were written).
        by_play = [(r.round_number, r.turn_number) for r in sorted(records, key=lambda r: r.id)]
        assert all(a < b for a, b in pairwise(by_play))
        if index is not None and positions:
            assert max(positions) < (interaction.round_number, interaction.turn_number)
        for record in records:
            assert record.duration_ms is not None
            assert 0 <= record.duration_ms <= (record.end_time or 0) - record.start_time
            assert record.reason in (None, "down")
        for combatant in order:
            if combatant.max_hp is None:
                assert combatant.current_hp is None and combatant.temp_hp is None
            else:
                assert combatant.current_hp is not None
                assert 0 <= combatant.current_hp <= combatant.max_hp, "hit points in 0..max_hp"
                assert combatant.temp_hp is None or combatant.temp_hp >= 0
            names = [c.name.casefold() for c in combatant.conditions]
            assert len(names) == len(set(names))
            assert all(c.rounds_left is None or c.rounds_left >= 1 for c in combatant.conditions)


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
