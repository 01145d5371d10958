"""A live room id belongs to one running interaction, and the sweep spares watched rooms."""

from __future__ import annotations

import pytest

from store import Conflict, InvalidInput, LiveStore
from tests.conftest import FakeClock
from tests.store.helpers import ORDER, ROOM, writes_nothing


@pytest.fixture
def other(store: LiveStore) -> int:
    """A second idle interaction with the same order."""
    return store.create_interaction(
        name="Orc raid", dm_user_id="dm-ana", initiative_order=ORDER, turn_time_limit=60
    ).id


HELD = rf"live_room_id: {ROOM} is held by interaction 1 \(Goblin ambush\)"


class TestHeldRoomIds:
    def test_going_live_in_a_live_room_is_a_conflict(
        self, store: LiveStore, live: int, other: int
    ) -> None:
        assert live == 1
        with writes_nothing(store), pytest.raises(Conflict, match=f"^{HELD}$"):
            store.initialize_for_live_play(other, ROOM, {})
        with writes_nothing(store), pytest.raises(Conflict, match=HELD):
            store.update_live_room_status(other, "live", ROOM)

    def test_a_paused_room_holds_its_id(self, store: LiveStore, paused: int, other: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match=HELD):
            store.initialize_for_live_play(other, ROOM, {})

    def test_resuming_into_a_held_room_is_a_conflict(
        self, store: LiveStore, live: int, other: int
    ) -> None:
        store.initialize_for_live_play(other, "room-2", {})
        store.pause_interaction(other)
        with writes_nothing(store), pytest.raises(Conflict, match=HELD):
            store.resume_interaction(other, ROOM)
        with writes_nothing(store), pytest.raises(Conflict, match=HELD):
            store.update_live_room_status(other, "live", ROOM)

    def test_pausing_into_a_held_room_is_a_conflict(
        self, store: LiveStore, live: int, other: int
    ) -> None:
        store.initialize_for_live_play(other, "room-2", {})
        with writes_nothing(store), pytest.raises(Conflict, match=HELD):
            store.update_live_room_status(other, "paused", ROOM)

    def test_an_interaction_resumes_in_its_own_room(self, store: LiveStore, paused: int) -> None:
        assert store.resume_interaction(paused, ROOM).live_room_id == ROOM

    @pytest.mark.parametrize("release", ["cleanup", "finalize", "cancel"])
    def test_a_room_is_free_again_once_released(
        self, store: LiveStore, live: int, other: int, release: str
    ) -> None:
        if release == "cleanup":
            store.cleanup_inactive_room(live)
        elif release == "finalize":
            store.finalize_live_interaction(live, {}, "won")
        else:
            store.update_live_room_status(live, "cancelled")
        assert store.initialize_for_live_play(other, ROOM, {}).live_room_id == ROOM
        if release == "cleanup":  # and the first one now needs another room
            with pytest.raises(Conflict, match=r"held by interaction 2 \(Orc raid\)"):
                store.resume_interaction(live, ROOM)


class TestSweepSparesWatchedRooms:
    def test_except_ids_are_not_cleaned_up(
        self, store: LiveStore, live: int, other: int, clock: FakeClock
    ) -> None:
        store.initialize_for_live_play(other, "room-2", {})
        clock.advance(10_000)
        assert store.cleanup_inactive_rooms(5_000, except_ids=[live]) == [other]
        assert store.get_interaction(live).status == "live"
        assert store.cleanup_inactive_rooms(5_000, except_ids=(other, 99)) == [live]

    def test_nothing_else_idle_writes_nothing(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        clock.advance(10_000)
        with writes_nothing(store):
            assert store.cleanup_inactive_rooms(5_000, except_ids=[live]) == []

    def test_the_old_call_still_works(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(10_000)
        assert store.cleanup_inactive_rooms(5_000) == [live]

    @pytest.mark.parametrize(
        ("except_ids", "field"),
        [
            (7, "except_ids"),
            ("1", "except_ids"),
            ([1, "2"], r"except_ids\[1\]"),
            ([None], r"\[0\]"),
        ],
    )
    def test_bad_except_ids(
        self, store: LiveStore, live: int, except_ids: object, field: str
    ) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=field):
            store.cleanup_inactive_rooms(0, except_ids=except_ids)  # type: ignore[arg-type]
