"""save_state_snapshot and load_state_snapshot."""

from __future__ import annotations

import pytest

from store import (
    STORED_STATE,
    Conflict,
    InvalidInput,
    LiveStore,
    NotFound,
    SnapshotSaved,
    StateSnapshot,
)
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import event_types, writes_nothing


def test_save_then_load(store: LiveStore, live: int, clock: FakeClock) -> None:
    clock.advance(2500)
    saved = store.save_state_snapshot(live, {"map": "crypt", "tokens": [1, 2]})
    assert saved == SnapshotSaved(interaction_id=live, timestamp=clock.now)
    loaded = store.load_state_snapshot(live)
    assert isinstance(loaded, StateSnapshot)
    assert loaded.interaction_id == live
    assert loaded.state_snapshot == {"map": "crypt", "tokens": [1, 2]}
    assert loaded.timestamp == clock.now
    assert loaded.last_activity == clock.now
    assert loaded.connected_participants == []
    interaction = store.get_interaction(live)
    assert interaction.last_state_snapshot == {"map": "crypt", "tokens": [1, 2]}
    assert interaction.snapshot_timestamp == clock.now


def test_initial_state_is_the_first_snapshot(store: LiveStore, live: int) -> None:
    loaded = store.load_state_snapshot(live)
    assert loaded.state_snapshot == {"hp": {"gob-1": 7}}
    assert loaded.timestamp == START_MS


def test_never_saved(store: LiveStore, idle: int) -> None:
    loaded = store.load_state_snapshot(idle)
    assert loaded.state_snapshot is None
    assert loaded.timestamp is None
    assert loaded.last_activity == START_MS


@pytest.mark.parametrize("state", [None, 0, "text", [1, "two", None], {"nested": {"deep": [{}]}}])
def test_any_json(store: LiveStore, live: int, state: object) -> None:
    store.save_state_snapshot(live, state)
    assert store.load_state_snapshot(live).state_snapshot == state


def test_tuples_are_stored_as_lists(store: LiveStore, live: int) -> None:
    store.save_state_snapshot(live, {"pos": (1, 2)})
    assert store.load_state_snapshot(live).state_snapshot == {"pos": [1, 2]}


def test_participants_replaced_when_given(store: LiveStore, live: int) -> None:
    store.save_state_snapshot(live, {}, connected_participants=["u-a", "u-b", "u-a"])
    assert store.load_state_snapshot(live).connected_participants == ["u-a", "u-b"]
    store.save_state_snapshot(live, {}, connected_participants=[])
    assert store.load_state_snapshot(live).connected_participants == []


def test_participants_kept_when_not_given(store: LiveStore, live: int) -> None:
    """The original wiped the list here: a bug the store does not repeat."""
    store.update_connected_participants(live, "u-bree", "join")
    store.save_state_snapshot(live, {"x": 1})
    assert store.load_state_snapshot(live).connected_participants == ["u-bree"]


def test_saving_logs_nothing(store: LiveStore, live: int) -> None:
    before = event_types(store, live)
    store.save_state_snapshot(live, {"x": 1})
    assert event_types(store, live) == before


def test_idle_and_paused_accept_snapshots(store: LiveStore, idle: int) -> None:
    store.save_state_snapshot(idle, {"prep": True})
    assert store.load_state_snapshot(idle).state_snapshot == {"prep": True}


@pytest.mark.parametrize("fixture", ["completed", "cancelled"])
def test_final_is_read_only(store: LiveStore, request: pytest.FixtureRequest, fixture: str) -> None:
    interaction_id = request.getfixturevalue(fixture)
    with writes_nothing(store), pytest.raises(Conflict, match=fixture):
        store.save_state_snapshot(interaction_id, {"x": 1})
    # Reading a final interaction's snapshot still works.
    assert store.load_state_snapshot(interaction_id).interaction_id == interaction_id


@pytest.mark.parametrize(
    ("participants", "field"),
    [
        ("u-a", "connected_participants"),
        ([""], r"connected_participants\[0\]"),
        (["ok", 5], r"connected_participants\[1\]"),
        (["p" * 129], r"connected_participants\[0\]"),
        (["u"] * 1001, "connected_participants"),
    ],
)
def test_invalid_participants(
    store: LiveStore, live: int, participants: object, field: str
) -> None:
    with writes_nothing(store), pytest.raises(InvalidInput, match=field):
        store.save_state_snapshot(live, {}, connected_participants=participants)  # type: ignore[arg-type]


class TestCheckpoint:
    """checkpoint_state_snapshot: the stored state, stamped as saved now, in one transaction."""

    def test_the_stored_state_is_stamped_now(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        store.update_connected_participants(live, "u-bree", "join")
        store.save_state_snapshot(live, {"map": "crypt"})  # a game server's save
        revision = store.get_interaction(live).revision
        clock.advance(5_000)
        assert store.checkpoint_state_snapshot(live) == SnapshotSaved(
            interaction_id=live, timestamp=clock.now
        )
        loaded = store.load_state_snapshot(live)
        assert (loaded.state_snapshot, loaded.timestamp) == ({"map": "crypt"}, clock.now)
        assert loaded.connected_participants == ["u-bree"]
        assert store.get_interaction(live).revision == revision + 1

    def test_nothing_saved_yet_is_a_conflict_naming_it(self, store: LiveStore, idle: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="no saved state"):
            store.checkpoint_state_snapshot(idle)

    @pytest.mark.parametrize("fixture", ["completed", "cancelled"])
    def test_final_is_read_only(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.checkpoint_state_snapshot(interaction_id)

    def test_an_unknown_interaction(self, store: LiveStore) -> None:
        with pytest.raises(NotFound, match="42"):
            store.checkpoint_state_snapshot(42)


def test_going_live_with_the_stored_state_keeps_it(
    store: LiveStore, idle: int, clock: FakeClock
) -> None:
    store.save_state_snapshot(idle, {"prep": "ambush"})
    saved_at = clock.now
    clock.advance(1_000)
    store.initialize_for_live_play(idle, "room-9", STORED_STATE, turn_time_limit=90)
    loaded = store.load_state_snapshot(idle)
    assert (loaded.state_snapshot, loaded.timestamp) == ({"prep": "ambush"}, saved_at)
    assert store.get_interaction(idle).turn_time_limit == 90
    assert repr(STORED_STATE) == "STORED_STATE"


def test_going_live_with_the_stored_state_when_none_was_saved(
    store: LiveStore, idle: int, clock: FakeClock
) -> None:
    store.initialize_for_live_play(idle, "room-9", STORED_STATE)
    loaded = store.load_state_snapshot(idle)
    assert (loaded.state_snapshot, loaded.timestamp) == ({}, clock.now)
    assert store.checkpoint_state_snapshot(idle).timestamp == clock.now
