"""Property tests of the turn engine: random fights checked against a small model.

A rule-based state machine drives one interaction through advances, expiries,
pauses, resumes, cleanups, limit changes and clock moves, and checks after
every step that turn and round numbers never go back, that every turn is
recorded exactly once with no gaps, and that a turn that starts gets a
timeout of exactly now + limit (and keeps its remaining time across pauses),
and that a turn that times out lasts exactly its limit.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from store import Conflict, LiveStore, open_store
from tests.conftest import FakeClock
from tests.store.helpers import entry

LIMITS = st.sampled_from([0, 10, 60, 3600])
"""Turn time limits in seconds, 0 meaning untimed."""


def positions(entity_count: int, until: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (round, turn) of a fight with `entity_count` entries before `until`."""
    result = []
    round_number, turn_number = 1, 1
    while (round_number, turn_number) < until:
        result.append((round_number, turn_number))
        turn_number += 1
        if turn_number > entity_count:
            round_number, turn_number = round_number + 1, 1
    return result


class TurnEngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.directory = tempfile.mkdtemp(prefix="liveroom-props-")
        self.clock = FakeClock()
        self.store: LiveStore = open_store(Path(self.directory) / "props.db", clock=self.clock)
        self.interaction_id = 0
        self.entity_count = 0
        self.limit_s = 0
        self.status = "live"
        self.deadline: int | None = None
        """When the running turn times out, as the model expects it (live only)."""
        self.turn_limit_ms = 0
        """The running turn's limit as it started: how long it lasts if it times out."""
        self.remaining: int | None = None
        """Turn time left while paused, as the model expects it."""
        self.position = (1, 1)
        self.turns_started = 1
        self.has_room = True
        """Whether the interaction holds a live room (a cleanup closes it)."""

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    # -- setup -------------------------------------------------------------

    @initialize(entity_count=st.integers(1, 4), limit_s=LIMITS)
    def go_live(self, entity_count: int, limit_s: int) -> None:
        self.entity_count = entity_count
        self.limit_s = limit_s
        order = [entry(f"e{index}") for index in range(entity_count)]
        created = self.store.create_interaction(
            name="Property fight", dm_user_id="dm", initiative_order=order, turn_time_limit=limit_s
        )
        self.interaction_id = created.id
        self.store.initialize_for_live_play(created.id, "room", None)
        self._turn_started()

    # -- helpers -----------------------------------------------------------

    def _turn_started(self) -> None:
        """The model's view of a turn that starts now, checked against the store."""
        now = self.clock.now
        self.deadline = now + self.limit_s * 1000 if self.limit_s else None
        self.turn_limit_ms = self.limit_s * 1000
        interaction = self.store.get_interaction(self.interaction_id)
        assert interaction.turn_started_at == now
        assert interaction.current_turn_timeout == self.deadline

    def _next_position(self) -> tuple[int, int]:
        round_number, turn_number = self.position
        if turn_number == self.entity_count:
            return round_number + 1, 1
        return round_number, turn_number + 1

    def _record_finished_turn(self, record_position: tuple[int, int]) -> None:
        assert record_position == self.position
        self.position = self._next_position()
        self.turns_started += 1
        self._turn_started()

    # -- rules -------------------------------------------------------------

    @rule(ms=st.integers(0, 120_000))
    def tick(self, ms: int) -> None:
        self.clock.advance(ms)

    @rule(status=st.sampled_from(["completed", "skipped", "timeout"]))
    def advance(self, status: str) -> None:
        if self.status != "live":
            with pytest.raises(Conflict, match="paused"):
                self.store.advance_turn(self.interaction_id, status=status)
            return
        record = self.store.advance_turn(
            self.interaction_id, status=status, expected_turn=self.position
        )
        assert record.status == status
        assert record.end_time == self.clock.now
        if status == "timeout" and self.deadline is not None and self.deadline <= self.clock.now:
            assert record.duration_ms == self.turn_limit_ms, "a timed-out turn lasts its limit"
        self._record_finished_turn((record.round_number, record.turn_number))

    @rule()
    def expire(self) -> None:
        records = self.store.expire_turn_timeouts()
        due = (
            self.status == "live" and self.deadline is not None and self.deadline <= self.clock.now
        )
        if not due:
            assert records == []
            return
        [record] = records
        assert record.status == "timeout"
        assert record.duration_ms == self.turn_limit_ms, "a timed-out turn lasts its limit"
        self._record_finished_turn((record.round_number, record.turn_number))

    @precondition(lambda self: self.status == "live")
    @rule()
    def pause(self) -> None:
        self.store.pause_interaction(self.interaction_id)
        self.status = "paused"
        self.remaining = None if self.deadline is None else max(0, self.deadline - self.clock.now)
        self.deadline = None

    @precondition(lambda self: self.status == "paused")
    @rule(new_room=st.booleans())
    def resume(self, new_room: bool) -> None:
        room = "room-again" if new_room else None
        if room is None and not self.has_room:
            with pytest.raises(Conflict, match="no live room"):
                self.store.resume_interaction(self.interaction_id, room)
            return
        self.store.resume_interaction(self.interaction_id, room)
        self.has_room = True
        self.status = "live"
        self.deadline = None if self.remaining is None else self.clock.now + self.remaining
        self.remaining = None

    @rule()
    def cleanup(self) -> None:
        self.store.cleanup_inactive_room(self.interaction_id)
        self.has_room = False
        if self.status == "live":
            self.status = "paused"
            self.remaining = (
                None if self.deadline is None else max(0, self.deadline - self.clock.now)
            )
            self.deadline = None

    @rule(max_idle_ms=st.integers(0, 200_000))
    def sweep(self, max_idle_ms: int) -> None:
        before = self.store.get_interaction(self.interaction_id)
        swept = self.store.cleanup_inactive_rooms(max_idle_ms)
        expected = (
            self.status == "live"
            and before.last_activity is not None
            and before.last_activity < self.clock.now - max_idle_ms
        )
        assert swept == ([self.interaction_id] if expected else [])
        if expected:
            self.has_room = False
            self.status = "paused"
            self.remaining = (
                None if self.deadline is None else max(0, self.deadline - self.clock.now)
            )
            self.deadline = None

    @rule(limit_s=LIMITS)
    def change_limit(self, limit_s: int) -> None:
        # Applies from the next turn: the running one keeps its deadline.
        self.store.update_turn_settings(self.interaction_id, turn_time_limit=limit_s)
        self.limit_s = limit_s

    # -- invariants ----------------------------------------------------------

    @invariant()
    def store_matches_the_model(self) -> None:
        """One read of everything per step: the checks share it to keep the suite fast."""
        interaction = self.store.get_interaction(self.interaction_id)
        # Turn and round numbers never go back: they match the model, which only moves on.
        assert (interaction.round_number, interaction.turn_number) == self.position
        assert 1 <= interaction.turn_number <= self.entity_count
        assert interaction.current_initiative_index == interaction.turn_number - 1
        assert interaction.status == self.status
        # The running turn's timeout: now + limit when it started, its remaining time kept.
        if self.status == "live":
            assert interaction.current_turn_timeout == self.deadline
        else:
            assert interaction.current_turn_timeout is None
            assert interaction.paused_turn_remaining_ms == self.remaining
        # Every finished turn recorded exactly once, with no gaps.
        records = self.store.get_turn_records(self.interaction_id)
        recorded = [(r.round_number, r.turn_number) for r in records]
        assert recorded == positions(self.entity_count, self.position)
        for record in records:
            assert record.entity_id == f"e{record.turn_number - 1}"
            assert record.end_time is not None
            assert record.start_time <= record.end_time
            # Played time: the pauses left out, never more than the wall-clock span.
            assert record.duration_ms is not None
            assert 0 <= record.duration_ms <= record.end_time - record.start_time
        # One TURN_STARTED per turn, one ROUND_COMPLETED per finished round.
        logged = self.store.get_interaction_logs(
            self.interaction_id, event_types=["TURN_STARTED", "ROUND_COMPLETED"], limit=1000
        )
        started = sum(1 for log in logged if log.event_type == "TURN_STARTED")
        assert started == self.turns_started
        assert len(logged) - started == self.position[0] - 1


TurnEngineMachine.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_turn_engine_state_machine = TurnEngineMachine.TestCase
