"""initialize, pause, resume, finalize and the inactivity cleanup."""

from __future__ import annotations

import pytest

from store import Conflict, Interaction, InvalidInput, LiveStatus, LiveStore
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import LIMIT_MS, ORDER, ROOM, event_types, events_of, writes_nothing


class TestInitialize:
    def test_goes_live(self, store: LiveStore, idle: int, clock: FakeClock) -> None:
        clock.advance(700)
        interaction = store.initialize_for_live_play(idle, ROOM, {"map": "forest"})
        assert isinstance(interaction, Interaction)
        assert interaction.status == "live"
        assert interaction.live_room_id == ROOM
        assert interaction.last_state_snapshot == {"map": "forest"}
        assert interaction.snapshot_timestamp == clock.now
        assert interaction.last_activity == interaction.updated_at == clock.now
        assert interaction == store.get_interaction(idle)

    def test_logs_initialized_with_the_settings(self, store: LiveStore, idle: int) -> None:
        store.initialize_for_live_play(idle, ROOM, None)
        assert event_types(store, idle) == ["INTERACTION_INITIALIZED", "TURN_STARTED"]
        [initialized] = events_of(store, idle, "INTERACTION_INITIALIZED")
        assert initialized.event_data == {
            "live_room_id": ROOM,
            "turn_time_limit": 60,
            "chat_enabled": True,
            "allow_private_chat": True,
        }
        assert initialized.session_id == ROOM

    def test_settings_given_override(self, store: LiveStore, idle: int, clock: FakeClock) -> None:
        interaction = store.initialize_for_live_play(
            idle, ROOM, None, turn_time_limit=120, chat_enabled=False, allow_private_chat=False
        )
        assert (
            interaction.turn_time_limit,
            interaction.chat_enabled,
            interaction.allow_private_chat,
        ) == (120, False, False)
        assert interaction.current_turn_timeout == clock.now + 120_000
        [initialized] = events_of(store, idle, "INTERACTION_INITIALIZED")
        assert initialized.event_data["turn_time_limit"] == 120
        assert initialized.event_data["chat_enabled"] is False

    def test_settings_left_out_keep_the_interactions_own(self, store: LiveStore) -> None:
        created = store.create_interaction(
            name="n", dm_user_id="d", turn_time_limit=30, chat_enabled=False
        )
        interaction = store.initialize_for_live_play(created.id, ROOM, None, turn_time_limit=45)
        assert (
            interaction.turn_time_limit,
            interaction.chat_enabled,
            interaction.allow_private_chat,
        ) == (45, False, True)

    def test_create_defaults(self, store: LiveStore) -> None:
        created = store.create_interaction(name="n", dm_user_id="d")
        interaction = store.initialize_for_live_play(created.id, ROOM, None)
        assert (
            interaction.turn_time_limit,
            interaction.chat_enabled,
            interaction.allow_private_chat,
        ) == (90, True, True)

    @pytest.mark.parametrize("fixture", ["live", "paused", "completed", "cancelled"])
    def test_only_from_idle(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.initialize_for_live_play(interaction_id, "room-9", {})


class TestPauseResume:
    def test_pause(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(10_000)
        paused = store.pause_interaction(live, reason="snack break")
        assert paused.status == "paused"
        assert paused.live_room_id == ROOM  # the room stays open while paused
        assert paused.current_turn_timeout is None
        assert paused.last_activity == clock.now
        [logged] = events_of(store, live, "INTERACTION_PAUSED")
        assert logged.event_data == {"reason": "snack break", "remaining_ms": 50_000}
        assert logged.session_id == ROOM
        assert logged.timestamp == clock.now

    def test_pause_without_reason(self, store: LiveStore, live: int) -> None:
        store.pause_interaction(live)
        [logged] = events_of(store, live, "INTERACTION_PAUSED")
        assert logged.event_data["reason"] is None

    def test_resume_in_the_same_room(self, store: LiveStore, paused: int, clock: FakeClock) -> None:
        clock.advance(5000)
        resumed = store.resume_interaction(paused)
        assert resumed.status == "live"
        assert resumed.live_room_id == ROOM
        assert resumed.current_turn_timeout == clock.now + 50_000
        assert resumed.last_activity == clock.now
        [logged] = events_of(store, paused, "INTERACTION_RESUMED")
        assert logged.event_data == {"live_room_id": ROOM, "remaining_ms": 50_000}
        assert logged.session_id == ROOM

    def test_resume_in_a_new_room(self, store: LiveStore, paused: int) -> None:
        resumed = store.resume_interaction(paused, "room-2")
        assert resumed.live_room_id == "room-2"
        [logged] = events_of(store, paused, "INTERACTION_RESUMED")
        assert logged.session_id == "room-2"
        store.advance_turn(paused)
        assert {log.session_id for log in store.get_interaction_logs(paused, limit=2)} == {"room-2"}

    def test_resume_starts_the_first_turn_of_a_new_order(
        self, store: LiveStore, bare_live: int, clock: FakeClock
    ) -> None:
        store.pause_interaction(bare_live)
        store.set_initiative_order(bare_live, ORDER)
        clock.advance(1000)
        resumed = store.resume_interaction(bare_live)
        assert (resumed.round_number, resumed.turn_number, resumed.current_initiative_index) == (
            1,
            1,
            0,
        )
        assert resumed.current_turn_timeout == clock.now + 90_000
        assert event_types(store, bare_live)[-2:] == ["INTERACTION_RESUMED", "TURN_STARTED"]

    @pytest.mark.parametrize("fixture", ["idle", "paused", "completed", "cancelled"])
    def test_pause_only_while_live(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.pause_interaction(interaction_id)

    @pytest.mark.parametrize("fixture", ["idle", "live", "completed", "cancelled"])
    def test_resume_only_while_paused(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.resume_interaction(interaction_id)


class TestFinalize:
    @pytest.mark.parametrize("fixture", ["live", "paused"])
    def test_completes(
        self, store: LiveStore, request: pytest.FixtureRequest, clock: FakeClock, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        store.update_connected_participants(interaction_id, "u-bree", "join")
        clock.advance(1000)
        done = store.finalize_live_interaction(interaction_id, {"loot": ["gold"]}, "goblins fled")
        assert done.status == "completed"
        assert (done.live_room_id, done.connected_participants, done.current_turn_timeout) == (
            None,
            [],
            None,
        )
        assert done.paused_turn_remaining_ms is None
        assert done.last_state_snapshot == {"loot": ["gold"]}
        assert done.snapshot_timestamp == done.last_activity == clock.now
        logged = store.get_interaction_logs(interaction_id, limit=1)[0]
        assert logged.event_type == "INTERACTION_COMPLETED"
        assert logged.event_data == {"completion_reason": "goblins fled"}
        assert logged.session_id == ROOM
        assert store.get_all_live_interactions() == []

    def test_none_keeps_the_last_snapshot(self, store: LiveStore, live: int) -> None:
        done = store.finalize_live_interaction(live, None, "ended")
        assert done.last_state_snapshot == {"hp": {"gob-1": 7}}
        assert done.snapshot_timestamp == START_MS

    @pytest.mark.parametrize("fixture", ["idle", "completed", "cancelled"])
    def test_only_live_or_paused(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.finalize_live_interaction(interaction_id, {}, "done")

    def test_completed_keeps_its_history_readable(self, store: LiveStore, completed: int) -> None:
        assert store.get_interaction(completed).status == "completed"
        assert store.get_live_interaction_status(completed).status == "completed"
        assert store.get_interaction_live_state(completed).interaction.status == "completed"
        assert store.load_state_snapshot(completed).state_snapshot == {"hp": {}}


class TestCleanupRoom:
    def test_live_becomes_paused_and_resumable(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        store.update_connected_participants(live, "u-bree", "join")
        clock.advance(25_000)
        status = store.cleanup_inactive_room(live, {"hp": {"gob-1": 3}})
        assert isinstance(status, LiveStatus)
        assert status.status == "paused"
        assert (status.live_room_id, status.connected_participants) == (None, [])
        assert status.current_turn_timeout is None
        assert status.last_activity == clock.now
        snapshot = store.load_state_snapshot(live)
        assert snapshot.state_snapshot == {"hp": {"gob-1": 3}}
        assert snapshot.timestamp == clock.now
        [logged] = events_of(store, live, "ROOM_CLEANUP")
        assert logged.event_data == {"reason": "inactivity_timeout"}
        assert logged.session_id == ROOM
        # Hours later, in a new room, with the time that was left.
        clock.advance(7_200_000)
        resumed = store.resume_interaction(live, "room-2")
        assert resumed.current_turn_timeout == clock.now + LIMIT_MS - 25_000
        assert resumed.live_room_id == "room-2"
        assert (resumed.round_number, resumed.turn_number) == (1, 1)

    def test_resuming_without_a_room_needs_one(self, store: LiveStore, live: int) -> None:
        """A cleaned-up room has no live room: resuming it into none would be a room no
        player can join, so the caller must give one."""
        store.cleanup_inactive_room(live)
        message = f"interaction {live} has no live room: give a live_room_id to resume"
        with writes_nothing(store), pytest.raises(Conflict, match=message):
            store.resume_interaction(live)
        with writes_nothing(store), pytest.raises(Conflict, match="no live room"):
            store.update_live_room_status(live, "live")
        resumed = store.resume_interaction(live, "room-2")
        assert (resumed.status, resumed.live_room_id) == ("live", "room-2")
        [logged] = events_of(store, live, "INTERACTION_RESUMED")
        assert logged.session_id == "room-2"

    def test_custom_reason_and_no_snapshot(self, store: LiveStore, live: int) -> None:
        store.cleanup_inactive_room(live, reason="server restart")
        [logged] = events_of(store, live, "ROOM_CLEANUP")
        assert logged.event_data == {"reason": "server restart"}
        assert store.load_state_snapshot(live).state_snapshot == {"hp": {"gob-1": 7}}

    def test_paused_room_keeps_its_remaining_time(
        self, store: LiveStore, paused: int, clock: FakeClock
    ) -> None:
        clock.advance(100_000)
        status = store.cleanup_inactive_room(paused)
        assert (status.status, status.live_room_id) == ("paused", None)
        assert store.get_interaction(paused).paused_turn_remaining_ms == 50_000
        resumed = store.resume_interaction(paused, "room-2")
        assert resumed.current_turn_timeout == clock.now + 50_000

    def test_an_already_closed_room_logs_nothing(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        store.cleanup_inactive_room(live)
        clock.advance(1000)
        with writes_nothing(store):
            status = store.cleanup_inactive_room(live)
        assert status.status == "paused"
        assert len(events_of(store, live, "ROOM_CLEANUP")) == 1

    def test_closing_again_with_a_snapshot_stores_it(self, store: LiveStore, live: int) -> None:
        store.cleanup_inactive_room(live)
        store.cleanup_inactive_room(live, {"late": True})
        assert store.load_state_snapshot(live).state_snapshot == {"late": True}
        assert len(events_of(store, live, "ROOM_CLEANUP")) == 2

    @pytest.mark.parametrize("fixture", ["idle", "completed", "cancelled"])
    def test_conflicts(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.cleanup_inactive_room(interaction_id)


class TestCleanupSweep:
    def test_sweeps_idle_live_rooms(
        self, store: LiveStore, live: int, bare_live: int, clock: FakeClock
    ) -> None:
        clock.advance(60_000)
        store.log_interaction_event(bare_live, "NOTE", None, "s")  # bare_live stays active
        clock.advance(1)
        assert store.cleanup_inactive_rooms(60_000) == [live]
        assert store.get_interaction(live).status == "paused"
        assert store.get_interaction(bare_live).status == "live"
        [logged] = events_of(store, live, "ROOM_CLEANUP")
        assert logged.event_data == {"reason": "inactivity_timeout"}

    def test_idle_exactly_the_limit_is_kept(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(60_000)
        with writes_nothing(store):
            assert store.cleanup_inactive_rooms(60_000) == []

    def test_paused_and_idle_rooms_are_not_swept(
        self, store: LiveStore, paused: int, clock: FakeClock
    ) -> None:
        store.create_interaction(name="prep", dm_user_id="d")
        clock.advance(10**9)
        with writes_nothing(store):
            assert store.cleanup_inactive_rooms(1000) == []
        assert store.get_interaction(paused).paused_turn_remaining_ms == 50_000

    def test_swept_rooms_resume_with_their_time(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(59_000)
        store.set_current_turn_timeout(live, clock.now + 30_000)
        clock.advance(20_000)
        assert store.cleanup_inactive_rooms(10_000) == [live]
        assert store.resume_interaction(live, "room-2").current_turn_timeout == clock.now + 10_000

    def test_every_idle_room_in_id_order(self, store: LiveStore, clock: FakeClock) -> None:
        ids = []
        for number in range(3):
            created = store.create_interaction(name=f"r{number}", dm_user_id="d")
            store.initialize_for_live_play(created.id, f"room-{number}", None)
            ids.append(created.id)
        clock.advance(5000)
        assert store.cleanup_inactive_rooms(0) == ids
        assert store.get_all_live_interactions() == []

    @pytest.mark.parametrize("max_idle", [-1, 1.5, "60000", True, None, 2**64])
    def test_invalid(self, store: LiveStore, max_idle: object) -> None:
        with pytest.raises(InvalidInput, match="max_idle_ms"):
            store.cleanup_inactive_rooms(max_idle)  # type: ignore[arg-type]
