"""update_connected_participants: joins and leaves, idempotent, logged only on change."""

from __future__ import annotations

import pytest

from store import Conflict, LiveStore
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import ROOM, events_of, writes_nothing


def test_join_and_leave(store: LiveStore, live: int) -> None:
    assert store.update_connected_participants(live, "u-bree", "join") == ["u-bree"]
    assert store.update_connected_participants(live, "u-tam", "join") == ["u-bree", "u-tam"]
    assert store.update_connected_participants(live, "u-bree", "leave") == ["u-tam"]
    assert store.get_live_interaction_status(live).connected_participants == ["u-tam"]


def test_joins_and_leaves_are_logged(store: LiveStore, live: int, clock: FakeClock) -> None:
    clock.advance(100)
    store.update_connected_participants(live, "u-bree", "join")
    clock.advance(100)
    store.update_connected_participants(live, "u-bree", "leave")
    [joined] = events_of(store, live, "PARTICIPANT_JOINED")
    [left] = events_of(store, live, "PARTICIPANT_LEFT")
    assert joined.event_data == {"participant_id": "u-bree"}
    assert joined.user_id == "u-bree"
    assert joined.session_id == ROOM
    assert joined.timestamp == START_MS + 100
    assert left.event_data == {"participant_id": "u-bree"}
    assert left.timestamp == START_MS + 200
    assert left.session_id == ROOM


def test_idempotent_join_logs_nothing(store: LiveStore, live: int, clock: FakeClock) -> None:
    store.update_connected_participants(live, "u-bree", "join")
    clock.advance(5000)
    with writes_nothing(store):
        assert store.update_connected_participants(live, "u-bree", "join") == ["u-bree"]
    assert store.get_interaction(live).last_activity == START_MS


def test_leaving_when_absent_logs_nothing(store: LiveStore, live: int, clock: FakeClock) -> None:
    clock.advance(5000)
    with writes_nothing(store):
        assert store.update_connected_participants(live, "u-ghost", "leave") == []


def test_a_change_sets_last_activity(store: LiveStore, live: int, clock: FakeClock) -> None:
    clock.advance(7000)
    store.update_connected_participants(live, "u-bree", "join")
    assert store.get_interaction(live).last_activity == clock.now


def test_idle_room_logs_in_the_system_session(store: LiveStore, idle: int) -> None:
    store.update_connected_participants(idle, "u-bree", "join")
    [joined] = events_of(store, idle, "PARTICIPANT_JOINED")
    assert joined.session_id == "system"


@pytest.mark.parametrize("fixture", ["completed", "cancelled"])
def test_final_is_read_only(store: LiveStore, request: pytest.FixtureRequest, fixture: str) -> None:
    interaction_id = request.getfixturevalue(fixture)
    with writes_nothing(store), pytest.raises(Conflict, match=fixture):
        store.update_connected_participants(interaction_id, "u-bree", "join")


def test_order_of_joining_is_kept(store: LiveStore, live: int) -> None:
    for user in ["c", "a", "b"]:
        store.update_connected_participants(live, user, "join")
    assert store.update_connected_participants(live, "a", "join") == ["c", "a", "b"]
