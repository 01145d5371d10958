"""The turn engine: advance_turn, expire_turn_timeouts, and how pauses and settings affect them."""

from __future__ import annotations

import pytest

from store import Conflict, InvalidInput, LiveStore, TurnAction
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import LIMIT_MS, ROOM, entry, event_types, events_of, writes_nothing


def position(store: LiveStore, interaction_id: int) -> tuple[int, int, int | None]:
    interaction = store.get_interaction(interaction_id)
    return interaction.round_number, interaction.turn_number, interaction.current_initiative_index


class TestGoingLiveStartsTheFirstTurn:
    def test_round_one_turn_one(self, store: LiveStore, live: int) -> None:
        interaction = store.get_interaction(live)
        assert position(store, live) == (1, 1, 0)
        assert interaction.current_entry is not None
        assert interaction.current_entry.entity_id == "pc-bree"
        assert interaction.turn_started_at == START_MS
        assert interaction.current_turn_timeout == START_MS + LIMIT_MS
        [started] = events_of(store, live, "TURN_STARTED")
        assert started.event_data == {
            "round_number": 1,
            "turn_number": 1,
            "entity_id": "pc-bree",
            "entity_name": "Bree",
            "timeout": START_MS + LIMIT_MS,
        }
        assert (started.entity_id, started.user_id, started.session_id) == (
            "pc-bree",
            "u-bree",
            ROOM,
        )

    def test_untimed_has_no_timeout(self, store: LiveStore, idle: int) -> None:
        interaction = store.initialize_for_live_play(idle, ROOM, None, turn_time_limit=0)
        assert interaction.current_turn_timeout is None
        [started] = events_of(store, idle, "TURN_STARTED")
        assert started.event_data["timeout"] is None

    def test_without_an_order_no_turn_runs(self, store: LiveStore, bare_live: int) -> None:
        assert position(store, bare_live) == (0, 0, None)
        assert store.get_interaction(bare_live).current_turn_timeout is None
        with writes_nothing(store), pytest.raises(Conflict, match="no turn running"):
            store.advance_turn(bare_live)


class TestAdvanceTurn:
    def test_records_and_starts_the_next(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(12_000)
        made = store.advance_turn(live, actions=[{"type": "attack", "target": "gob-1"}])
        assert (made.entity_id, made.entity_type, made.status) == (
            "pc-bree",
            "playerCharacter",
            "completed",
        )
        assert (made.round_number, made.turn_number) == (1, 1)
        assert (made.start_time, made.end_time) == (START_MS, clock.now)
        assert made.user_id == "u-bree"  # the entry's own user when none is given
        assert made.actions == [TurnAction(type="attack", entity_id="pc-bree", target="gob-1")]
        assert store.get_turn_records(live) == [made]
        interaction = store.get_interaction(live)
        assert position(store, live) == (1, 2, 1)
        assert interaction.turn_started_at == clock.now
        assert interaction.current_turn_timeout == clock.now + LIMIT_MS
        assert interaction.last_activity == clock.now

    def test_logs(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(12_000)
        made = store.advance_turn(live)
        completed, started = store.get_interaction_logs(live, limit=2)[::-1]
        assert completed.event_type == "TURN_COMPLETED"
        assert completed.event_data == {
            "round_number": 1,
            "turn_number": 1,
            "entity_id": "pc-bree",
            "entity_name": "Bree",
            "turn_record_id": made.id,
            "duration_ms": 12_000,
        }
        assert (completed.entity_id, completed.user_id, completed.session_id) == (
            "pc-bree",
            "u-bree",
            ROOM,
        )
        assert started.event_type == "TURN_STARTED"
        assert started.event_data["entity_id"] == "npc-tom"
        assert started.event_data["timeout"] == clock.now + LIMIT_MS
        assert started.user_id is None

    @pytest.mark.parametrize(
        ("status", "event"),
        [("completed", "TURN_COMPLETED"), ("skipped", "TURN_SKIPPED"), ("timeout", "TURN_TIMEOUT")],
    )
    def test_status_picks_the_event(
        self, store: LiveStore, live: int, status: str, event: str
    ) -> None:
        assert store.advance_turn(live, status=status).status == status
        assert event_types(store, live)[-2:] == [event, "TURN_STARTED"]

    def test_given_user(self, store: LiveStore, live: int) -> None:
        assert store.advance_turn(live, user_id="dm-ana").user_id == "dm-ana"

    def test_round_wrap(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        for _ in range(2):
            clock.advance(1000)
            store.advance_turn(live)
        clock.advance(1000)
        last = store.advance_turn(live)
        assert (last.entity_id, last.round_number, last.turn_number) == ("gob-1", 1, 3)
        assert position(store, live) == (2, 1, 0)
        assert event_types(store, live)[-3:] == [
            "TURN_COMPLETED",
            "ROUND_COMPLETED",
            "TURN_STARTED",
        ]
        [round_done] = events_of(store, live, "ROUND_COMPLETED")
        assert round_done.event_data == {"round_number": 1}
        started = events_of(store, live, "TURN_STARTED")[-1]
        assert started.event_data["round_number"] == 2
        assert started.event_data["turn_number"] == 1
        assert started.event_data["entity_id"] == "pc-bree"
        assert store.get_interaction(live).current_turn_timeout == clock.now + LIMIT_MS

    def test_one_entity_order(self, store: LiveStore) -> None:
        solo = store.create_interaction(
            name="Duel", dm_user_id="d", initiative_order=[entry("solo")]
        ).id
        store.initialize_for_live_play(solo, ROOM, None)
        for _ in range(3):
            store.advance_turn(solo)
        assert [(r.round_number, r.turn_number) for r in store.get_turn_records(solo)] == [
            (1, 1),
            (2, 1),
            (3, 1),
        ]
        assert position(store, solo) == (4, 1, 0)

    def test_untimed_turns_never_get_a_timeout(self, store: LiveStore, idle: int) -> None:
        store.initialize_for_live_play(idle, ROOM, None, turn_time_limit=0)
        for _ in range(4):
            store.advance_turn(idle)
            assert store.get_interaction(idle).current_turn_timeout is None

    def test_expected_turn(self, store: LiveStore, live: int) -> None:
        store.advance_turn(live, expected_turn=(1, 1))
        with writes_nothing(store), pytest.raises(Conflict, match="round 1 turn 2"):
            store.advance_turn(live, expected_turn=(1, 1))
        store.advance_turn(live, expected_turn=[1, 2])

    @pytest.mark.parametrize("expected", [(1,), (1, "1"), "1,1", (1, 1, 1), (True, 1)])
    def test_invalid_expected_turn(self, store: LiveStore, live: int, expected: object) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="expected_turn"):
            store.advance_turn(live, expected_turn=expected)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"actions": "attack"}, "actions"),
            ({"actions": b"attack"}, "actions"),
            ({"actions": None}, "actions"),
            ({"actions": [float("nan")]}, "actions"),
            ({"user_id": 5}, "user_id"),
        ],
    )
    def test_invalid_arguments(
        self, store: LiveStore, live: int, kwargs: dict[str, object], field: str
    ) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=field):
            store.advance_turn(live, **kwargs)  # type: ignore[arg-type]

    @pytest.mark.parametrize("fixture", ["idle", "paused", "completed", "cancelled"])
    def test_only_while_live(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.advance_turn(interaction_id)

    def test_a_turn_recorded_by_hand_wins(self, store: LiveStore, live: int) -> None:
        by_hand = store.record_turn(live, "pc-bree", "playerCharacter", 1, 1, [], 5, "skipped")
        made = store.advance_turn(live, status="completed")
        assert made == by_hand
        assert store.get_turn_records(live) == [by_hand]
        assert event_types(store, live)[-2:] == ["TURN_SKIPPED", "TURN_STARTED"]
        assert position(store, live) == (1, 2, 1)


class TestExpireTurnTimeouts:
    def test_nothing_due(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(LIMIT_MS - 1)
        with writes_nothing(store):
            assert store.expire_turn_timeouts() == []

    def test_due_at_the_timeout(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(LIMIT_MS)
        [made] = store.expire_turn_timeouts()
        assert (made.entity_id, made.status, made.round_number, made.turn_number) == (
            "pc-bree",
            "timeout",
            1,
            1,
        )
        assert (made.start_time, made.end_time) == (START_MS, clock.now)
        assert made.actions == []
        assert event_types(store, live)[-2:] == ["TURN_TIMEOUT", "TURN_STARTED"]
        interaction = store.get_interaction(live)
        assert position(store, live) == (1, 2, 1)
        assert interaction.current_turn_timeout == clock.now + LIMIT_MS
        assert interaction.last_activity == clock.now

    def test_exactly_once(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(LIMIT_MS + 5)
        assert len(store.expire_turn_timeouts()) == 1
        with writes_nothing(store):
            assert store.expire_turn_timeouts() == []
        assert len(store.get_turn_records(live)) == 1

    def test_a_long_absence_expires_one_turn_with_a_full_limit_for_the_next(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(LIMIT_MS * 10)
        assert len(store.expire_turn_timeouts()) == 1
        assert position(store, live) == (1, 2, 1)
        assert store.get_interaction(live).current_turn_timeout == clock.now + LIMIT_MS

    def test_several_rooms(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        later = store.create_interaction(
            name="Later", dm_user_id="d", initiative_order=[entry("a"), entry("b")]
        ).id
        clock.advance(30_000)
        store.initialize_for_live_play(later, "room-2", None, turn_time_limit=10)
        untimed = store.create_interaction(
            name="Untimed", dm_user_id="d", initiative_order=[entry("c")], turn_time_limit=0
        ).id
        store.initialize_for_live_play(untimed, "room-3", None)
        clock.advance(10_000)
        [first] = store.expire_turn_timeouts()
        assert first.interaction_id == later
        clock.advance(20_000)
        expired = store.expire_turn_timeouts()
        # Most overdue first: `later` timed out at +50 s, `live` at +60 s.
        assert [r.interaction_id for r in expired] == [later, live]
        assert store.get_turn_records(untimed) == []

    def test_one_sweep_over_many_rooms(
        self, store: LiveStore, live: int, bare_live: int, clock: FakeClock
    ) -> None:
        """More rooms than one bulk INSERT holds; one turn recorded by hand; one room orderless."""
        rooms = [live]
        for number in range(300):
            order = [entry(f"a{number}"), entry(f"b{number}")]
            created = store.create_interaction(
                name=f"Room {number}",
                dm_user_id="d",
                initiative_order=order,
                turn_time_limit=LIMIT_MS // 1000,
            )
            store.initialize_for_live_play(created.id, f"sweep-{number}", None)
            rooms.append(created.id)
        store.set_current_turn_timeout(bare_live, clock.now + LIMIT_MS)
        by_hand = store.record_turn(
            rooms[7], "a6", "npc", 1, 1, [{"type": "interact"}], START_MS, "completed"
        )
        clock.advance(LIMIT_MS)

        expired = store.expire_turn_timeouts()

        assert sorted(record.interaction_id for record in expired) == sorted(rooms)
        assert expired == [record for room in rooms for record in store.get_turn_records(room)]
        assert [r for r in expired if r.status != "timeout"] == [by_hand]
        for room in rooms[1:]:
            assert position(store, room) == (1, 2, 1)
            ended = "TURN_COMPLETED" if room == rooms[7] else "TURN_TIMEOUT"
            assert event_types(store, room)[-2:] == [ended, "TURN_STARTED"]
        assert store.get_interaction(bare_live).current_turn_timeout is None
        with writes_nothing(store):
            assert store.expire_turn_timeouts() == []

    def test_paused_rooms_do_not_expire(
        self, store: LiveStore, paused: int, clock: FakeClock
    ) -> None:
        clock.advance(LIMIT_MS * 5)
        with writes_nothing(store):
            assert store.expire_turn_timeouts() == []

    def test_a_timeout_without_a_turn_is_cleared(
        self, store: LiveStore, bare_live: int, clock: FakeClock
    ) -> None:
        store.set_current_turn_timeout(bare_live, clock.now + 1000)
        clock.advance(1000)
        assert store.expire_turn_timeouts() == []
        assert store.get_interaction(bare_live).current_turn_timeout is None
        [logged] = events_of(store, bare_live, "TURN_TIMEOUT")
        assert logged.event_data == {"round_number": 0, "turn_number": 0, "entity_id": None}
        assert store.expire_turn_timeouts() == []
        assert len(events_of(store, bare_live, "TURN_TIMEOUT")) == 1

    @pytest.mark.parametrize("stored_index", [-2, -1, 500, 2**31 - 1])
    def test_an_unreachable_index_stops_only_its_own_timer(
        self, store: LiveStore, live: int, bare_live: int, clock: FakeClock, stored_index: int
    ) -> None:
        """No write of the store makes such an index, but an import of hand-edited data can;
        the sweep reads it as no one's turn and still expires every other room."""
        store.set_current_turn_timeout(bare_live, clock.now + LIMIT_MS)
        rooms = store._tables.interactions  # a row no store call can write
        rooms.update(current_initiative_index=stored_index).where(rooms.id == bare_live).execute()
        clock.advance(LIMIT_MS)

        [expired] = store.expire_turn_timeouts()

        assert expired.interaction_id == live
        assert store.get_interaction(bare_live).current_turn_timeout is None
        [stopped] = events_of(store, bare_live, "TURN_TIMEOUT")
        assert stopped.event_data["entity_id"] is None

    def test_expiry_then_a_stale_advance_is_a_conflict(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(LIMIT_MS)
        store.expire_turn_timeouts()
        with pytest.raises(Conflict, match="moved on"):
            store.advance_turn(live, expected_turn=(1, 1))


class TestPauseKeepsTheClock:
    def test_remaining_time_survives_a_pause(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(20_000)
        paused = store.pause_interaction(live)
        assert paused.current_turn_timeout is None
        assert paused.paused_turn_remaining_ms == 40_000
        clock.advance(3_600_000)
        assert store.expire_turn_timeouts() == []
        resumed = store.resume_interaction(live)
        assert resumed.current_turn_timeout == clock.now + 40_000
        assert resumed.paused_turn_remaining_ms is None
        assert position(store, live) == (1, 1, 0)  # still Bree's turn
        clock.advance(39_999)
        assert store.expire_turn_timeouts() == []
        clock.advance(1)
        [made] = store.expire_turn_timeouts()
        assert made.start_time == START_MS  # the turn's real start, pause included
        assert store.get_interaction(live).current_turn_timeout == clock.now + LIMIT_MS

    def test_pausing_an_overdue_turn_leaves_zero(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(LIMIT_MS + 5000)
        assert store.pause_interaction(live).paused_turn_remaining_ms == 0
        clock.advance(1000)
        assert store.resume_interaction(live).current_turn_timeout == clock.now
        assert len(store.expire_turn_timeouts()) == 1

    def test_untimed_pause(self, store: LiveStore, idle: int, clock: FakeClock) -> None:
        store.initialize_for_live_play(idle, ROOM, None, turn_time_limit=0)
        assert store.pause_interaction(idle).paused_turn_remaining_ms is None
        assert store.resume_interaction(idle).current_turn_timeout is None

    def test_limit_changed_while_paused_applies_to_the_next_turn(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(10_000)
        store.pause_interaction(live)
        store.update_turn_settings(live, turn_time_limit=600)
        resumed = store.resume_interaction(live)
        assert resumed.current_turn_timeout == clock.now + 50_000
        store.advance_turn(live)
        assert store.get_interaction(live).current_turn_timeout == clock.now + 600_000


def test_the_advanced_record_is_the_stored_one(store: LiveStore, live: int) -> None:
    made = store.advance_turn(live, actions=({"type": "move", "parameters": {"path": (1, 2)}},))
    assert store.get_turn_records(live) == [made]
    assert made.actions[0].parameters == {"path": [1, 2]}
