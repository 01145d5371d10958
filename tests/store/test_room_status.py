"""Status queries, the turn timeout setter and update_live_room_status's transitions."""

from __future__ import annotations

import pytest

from store import Conflict, InvalidInput, LiveInteractionSummary, LiveStatus, LiveStore
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import LIMIT_MS, ROOM, event_types, events_of, writes_nothing


class TestQueries:
    def test_live_status(self, store: LiveStore, live: int) -> None:
        store.update_connected_participants(live, "u-bree", "join")
        assert store.get_live_interaction_status(live) == LiveStatus(
            interaction_id=live,
            status="live",
            live_room_id=ROOM,
            connected_participants=["u-bree"],
            last_activity=START_MS,
            current_turn_timeout=START_MS + LIMIT_MS,
            turn_time_limit=60,
            chat_enabled=True,
            allow_private_chat=True,
        )

    def test_all_live_interactions(self, store: LiveStore, live: int, bare_live: int) -> None:
        store.create_interaction(name="Not yet", dm_user_id="dm-bob")
        store.update_connected_participants(bare_live, "u-tam", "join")
        assert store.get_all_live_interactions() == [
            LiveInteractionSummary(
                id=live,
                name="Goblin ambush",
                live_room_id=ROOM,
                connected_participants=[],
                last_activity=START_MS,
                dm_user_id="dm-ana",
            ),
            LiveInteractionSummary(
                id=bare_live,
                name="Tavern talk",
                live_room_id="room-bare",
                connected_participants=["u-tam"],
                last_activity=START_MS,
                dm_user_id="dm-ana",
            ),
        ]

    def test_paused_is_not_live(self, store: LiveStore, paused: int) -> None:
        assert store.get_all_live_interactions() == []

    def test_none_live(self, store: LiveStore) -> None:
        assert store.get_all_live_interactions() == []


class TestTurnTimeout:
    def test_set_and_clear(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(10)
        status = store.set_current_turn_timeout(live, START_MS + 999_999)
        assert status.current_turn_timeout == START_MS + 999_999
        assert status.last_activity == clock.now
        assert store.set_current_turn_timeout(live, None).current_turn_timeout is None
        assert store.get_interaction(live).current_turn_timeout is None

    def test_logs_nothing(self, store: LiveStore, live: int) -> None:
        before = event_types(store, live)
        store.set_current_turn_timeout(live, START_MS + 5)
        assert event_types(store, live) == before

    def test_the_timeout_drives_expiry(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        store.set_current_turn_timeout(live, START_MS + 1000)
        clock.advance(1000)
        [record] = store.expire_turn_timeouts()
        assert record.status == "timeout"

    @pytest.mark.parametrize("timeout", [-1, 1.5, "soon", True, 2**60])
    def test_invalid(self, store: LiveStore, live: int, timeout: object) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="timeout_timestamp"):
            store.set_current_turn_timeout(live, timeout)  # type: ignore[arg-type]

    def test_paused_is_a_conflict(self, store: LiveStore, paused: int) -> None:
        """A paused room's clock is stopped: its remaining time is restored on resume."""
        with writes_nothing(store), pytest.raises(Conflict, match="paused"):
            store.set_current_turn_timeout(paused, START_MS + 5)

    @pytest.mark.parametrize("fixture", ["completed", "cancelled"])
    def test_final_is_read_only(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.set_current_turn_timeout(interaction_id, None)


ALLOWED = [
    ("idle", "live"),
    ("idle", "cancelled"),
    ("live", "paused"),
    ("live", "completed"),
    ("live", "cancelled"),
    ("paused", "live"),
    ("paused", "completed"),
    ("paused", "cancelled"),
]
STATUSES = ("idle", "live", "paused", "completed", "cancelled")
FORBIDDEN = [(a, b) for a in STATUSES for b in STATUSES if (a, b) not in ALLOWED]


def _in_status(store: LiveStore, request: pytest.FixtureRequest, status: str) -> int:
    """An interaction in `status`: the fixtures are named after the statuses."""
    return int(request.getfixturevalue(status))


class TestUpdateLiveRoomStatus:
    @pytest.mark.parametrize(("start", "target"), ALLOWED)
    def test_allowed(
        self, store: LiveStore, request: pytest.FixtureRequest, start: str, target: str
    ) -> None:
        interaction_id = _in_status(store, request, start)
        status = store.update_live_room_status(interaction_id, target)
        assert status.status == target
        assert store.get_interaction(interaction_id).status == target

    @pytest.mark.parametrize(("start", "target"), FORBIDDEN)
    def test_forbidden(
        self, store: LiveStore, request: pytest.FixtureRequest, start: str, target: str
    ) -> None:
        interaction_id = _in_status(store, request, start)
        with writes_nothing(store), pytest.raises(Conflict, match=start):
            store.update_live_room_status(interaction_id, target)

    @pytest.mark.parametrize("start", ["completed", "cancelled"])
    def test_final_says_so(
        self, store: LiveStore, request: pytest.FixtureRequest, start: str
    ) -> None:
        interaction_id = _in_status(store, request, start)
        with pytest.raises(Conflict, match="final"):
            store.update_live_room_status(interaction_id, "live")

    def test_idle_to_live_is_initialize_without_state(
        self, store: LiveStore, idle: int, clock: FakeClock
    ) -> None:
        twin = store.create_interaction(
            name="Twin",
            dm_user_id="dm-ana",
            initiative_order=store.get_interaction(idle).initiative_order,
            turn_time_limit=60,
        ).id
        clock.advance(1000)
        store.update_live_room_status(idle, "live", ROOM, ["u-bree"])
        store.initialize_for_live_play(twin, "room-twin", None)
        store.update_connected_participants(twin, "u-bree", "join")
        one, two = store.get_interaction(idle), store.get_interaction(twin)
        assert one.status == two.status == "live"
        assert (one.round_number, one.turn_number, one.current_initiative_index) == (1, 1, 0)
        assert one.current_turn_timeout == two.current_turn_timeout == clock.now + LIMIT_MS
        assert one.live_room_id == ROOM
        assert one.connected_participants == ["u-bree"]
        assert one.last_state_snapshot is None
        assert one.snapshot_timestamp is None  # no initial state was given
        assert (
            event_types(store, idle)
            == event_types(store, twin)
            == [
                "INTERACTION_INITIALIZED",
                "TURN_STARTED",
                "PARTICIPANT_JOINED",
            ]
        )
        assert {log.session_id for log in events_of(store, idle, "PARTICIPANT_JOINED")} == {ROOM}

    def test_pause_and_resume_keep_the_remaining_time(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(15_000)
        paused = store.update_live_room_status(live, "paused")
        assert paused.current_turn_timeout is None
        assert store.get_interaction(live).paused_turn_remaining_ms == LIMIT_MS - 15_000
        clock.advance(600_000)
        resumed = store.update_live_room_status(live, "live", "room-2")
        assert resumed.current_turn_timeout == clock.now + LIMIT_MS - 15_000
        assert resumed.live_room_id == "room-2"
        assert event_types(store, live)[-2:] == ["INTERACTION_PAUSED", "INTERACTION_RESUMED"]
        [resumed_log] = events_of(store, live, "INTERACTION_RESUMED")
        assert resumed_log.session_id == "room-2"
        assert resumed_log.event_data == {"live_room_id": "room-2", "remaining_ms": 45_000}

    def test_to_completed_is_finalize(self, store: LiveStore, live: int) -> None:
        store.update_connected_participants(live, "u-bree", "join")
        status = store.update_live_room_status(live, "completed", connected_participants=["x"])
        assert status.status == "completed"
        assert status.live_room_id is None
        assert status.connected_participants == []
        assert status.current_turn_timeout is None
        [completed] = events_of(store, live, "INTERACTION_COMPLETED")
        assert completed.session_id == ROOM
        assert set(completed.event_data) == {"completion_reason"}

    def test_to_cancelled(self, store: LiveStore, live: int) -> None:
        status = store.update_live_room_status(live, "cancelled")
        assert (status.status, status.live_room_id, status.current_turn_timeout) == (
            "cancelled",
            None,
            None,
        )
        [cancelled] = events_of(store, live, "INTERACTION_CANCELLED")
        assert cancelled.event_data == {"previous_status": "live"}
        assert cancelled.session_id == ROOM

    def test_participants_replace_the_list_and_log(self, store: LiveStore, paused: int) -> None:
        store.update_connected_participants(paused, "u-old", "join")
        store.update_live_room_status(paused, "live", connected_participants=["u-new"])
        assert store.get_interaction(paused).connected_participants == ["u-new"]
        assert [log.user_id for log in events_of(store, paused, "PARTICIPANT_JOINED")] == [
            "u-old",
            "u-new",
        ]
        assert [log.user_id for log in events_of(store, paused, "PARTICIPANT_LEFT")] == ["u-old"]

    def test_invalid_participants(self, store: LiveStore, live: int) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="connected_participants"):
            store.update_live_room_status(live, "paused", connected_participants=[""])

    def test_sets_last_activity(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(4321)
        assert store.update_live_room_status(live, "paused").last_activity == clock.now
