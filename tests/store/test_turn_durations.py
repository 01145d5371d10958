"""A turn's duration: the time it was played, the room's pauses left out; a timeout its limit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store import LiveStore, open_store
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import LIMIT_MS, ORDER, ROOM, events_of


def test_an_advanced_turn_lasts_its_time(store: LiveStore, live: int, clock: FakeClock) -> None:
    clock.advance(12_345)
    record = store.advance_turn(live)
    assert record.duration_ms == 12_345 == record.end_time - record.start_time  # type: ignore[operator]
    [completed] = events_of(store, live, "TURN_COMPLETED")
    assert completed.event_data["duration_ms"] == 12_345


def test_paused_time_is_left_out(store: LiveStore, live: int, clock: FakeClock) -> None:
    clock.advance(5_000)
    store.pause_interaction(live)
    clock.advance(14 * 60_000)  # a 14-minute break
    store.resume_interaction(live)
    clock.advance(3_000)
    store.pause_interaction(live)
    clock.advance(60_000)
    store.resume_interaction(live, "room-2")
    clock.advance(2_000)
    record = store.advance_turn(live)
    assert record.duration_ms == 10_000
    assert record.end_time - record.start_time == 10_000 + 15 * 60_000  # type: ignore[operator]
    assert store.get_turn_records(live) == [record]
    # The next turn starts with nothing paused.
    clock.advance(1_000)
    assert store.advance_turn(live).duration_ms == 1_000


def test_a_cleanup_pauses_the_turn_clock_too(store: LiveStore, live: int, clock: FakeClock) -> None:
    clock.advance(4_000)
    store.cleanup_inactive_room(live)
    clock.advance(100_000)
    store.resume_interaction(live, "room-2")
    clock.advance(1_000)
    assert store.advance_turn(live).duration_ms == 5_000


def test_the_sweep_s_pause_is_left_out(store: LiveStore, live: int, clock: FakeClock) -> None:
    clock.advance(30_000)
    assert store.cleanup_inactive_rooms(10_000) == [live]
    clock.advance(500_000)
    store.resume_interaction(live, ROOM)
    clock.advance(1_000)
    assert store.advance_turn(live).duration_ms == 31_000


def test_a_timed_out_turn_lasts_its_limit(store: LiveStore, live: int, clock: FakeClock) -> None:
    clock.advance(LIMIT_MS + 9_000)  # the sweep came late
    [record] = store.expire_turn_timeouts()
    assert record.status == "timeout"
    assert record.duration_ms == LIMIT_MS
    [logged] = events_of(store, live, "TURN_TIMEOUT")
    assert logged.event_data["duration_ms"] == LIMIT_MS


def test_a_paused_timed_out_turn_lasts_its_limit(
    store: LiveStore, live: int, clock: FakeClock
) -> None:
    clock.advance(20_000)
    store.pause_interaction(live)
    clock.advance(15 * 60_000)
    store.resume_interaction(live)
    clock.advance(LIMIT_MS)
    [record] = store.expire_turn_timeouts()
    assert record.duration_ms == LIMIT_MS


def test_a_turn_paused_after_its_deadline_lasts_its_limit(
    store: LiveStore, live: int, clock: FakeClock
) -> None:
    """Paused 5 s past the deadline, before the sweep ran: the timeout after the resume
    still lasts the limit, the pause counted from the deadline."""
    clock.advance(LIMIT_MS + 5_000)
    store.pause_interaction(live)
    clock.advance(10_000)
    store.resume_interaction(live)
    [record] = store.expire_turn_timeouts()
    assert record.duration_ms == LIMIT_MS
    [logged] = events_of(store, live, "TURN_TIMEOUT")
    assert logged.event_data["duration_ms"] == LIMIT_MS


def test_a_turn_cleaned_up_after_its_deadline_lasts_its_limit(
    store: LiveStore, live: int, clock: FakeClock
) -> None:
    clock.advance(LIMIT_MS + 5_000)
    store.cleanup_inactive_room(live)
    clock.advance(100_000)
    store.resume_interaction(live, "room-2")
    clock.advance(1_000)
    [record] = store.expire_turn_timeouts()
    assert record.duration_ms == LIMIT_MS


def test_a_turn_paused_after_its_deadline_and_advanced_as_timeout(
    store: LiveStore, live: int, clock: FakeClock
) -> None:
    clock.advance(LIMIT_MS + 5_000)
    store.pause_interaction(live)
    clock.advance(10_000)
    store.resume_interaction(live)
    clock.advance(2_000)
    assert store.advance_turn(live, status="timeout").duration_ms == LIMIT_MS


def test_a_timeout_called_early_lasts_what_it_lasted(
    store: LiveStore, live: int, clock: FakeClock
) -> None:
    """Before its deadline a turn has not used its limit: no duration outgrows the turn's
    span (the turn engine's state machine checks that too)."""
    clock.advance(3_000)
    assert store.advance_turn(live, status="timeout").duration_ms == 3_000


def test_an_advance_as_timeout_lasts_the_limit(
    store: LiveStore, live: int, clock: FakeClock
) -> None:
    clock.advance(LIMIT_MS + 2_000)
    assert store.advance_turn(live, status="timeout").duration_ms == LIMIT_MS


def test_a_turn_recorded_by_hand_lasts_end_minus_start(store: LiveStore, live: int) -> None:
    record = store.record_turn(
        live, "gob-1", "monster", 5, 9, [], START_MS, "completed", end_time=START_MS + 7_000
    )
    assert record.duration_ms == 7_000
    unfinished = store.record_turn(live, "gob-1", "monster", 6, 9, [], START_MS, "skipped")
    assert unfinished.duration_ms is None
    assert store.get_turn_records(live, 9) == [record, unfinished]


def test_a_batch_s_turn_lasts_end_minus_start(store: LiveStore, live: int) -> None:
    turn = {
        "entity_id": "gob-1",
        "entity_type": "monster",
        "turn_number": 1,
        "round_number": 5,
        "start_time": START_MS,
        "end_time": START_MS + 4_000,
        "status": "completed",
    }
    store.batch_state_operations(live, [{"type": "record_turn", "data": turn}])
    [record] = store.get_turn_records(live, 5)
    assert record.duration_ms == 4_000


@pytest.mark.sqlite_only
def test_a_schema_2_store_reads_end_minus_start(db_path: Path, clock: FakeClock) -> None:
    """Records written before durations were stored read as end - start; a room paused at the
    upgrade counts its pause from its last write."""
    with open_store(db_path, clock=clock) as store:
        fight = store.create_interaction(
            name="Old", dm_user_id="dm", initiative_order=ORDER, turn_time_limit=60
        ).id
        store.initialize_for_live_play(fight, ROOM, {})
        clock.advance(8_000)
        store.advance_turn(fight)
        clock.advance(2_000)
        store.pause_interaction(fight)
    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute("ALTER TABLE interactions DROP COLUMN turn_paused_ms")
        connection.execute("ALTER TABLE interactions DROP COLUMN turn_paused_at")
        connection.execute("ALTER TABLE turn_records DROP COLUMN duration_ms")
        connection.execute("UPDATE liveroom_meta SET value = '2' WHERE key = 'schema_version'")
    connection.close()

    clock.advance(60_000)
    with open_store(db_path, clock=clock) as store:
        [old] = store.get_turn_records(fight)
        assert old.duration_ms == 8_000
        store.resume_interaction(fight)
        clock.advance(1_000)
        assert store.advance_turn(fight).duration_ms == 3_000
