"""log_interaction_event, get_interaction_logs (newest first, keyset pages) and get_logs_after."""

from __future__ import annotations

import pytest

from store import Conflict, InvalidInput, LiveStore, LogEntry
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import ROOM, all_logs, writes_nothing


class TestLogEvent:
    def test_returns_the_entry(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(50)
        entry = store.log_interaction_event(
            live, "DICE_ROLL", {"roll": 17}, "sess-9", user_id="u-bree", entity_id="pc-bree"
        )
        assert isinstance(entry, LogEntry)
        assert entry.interaction_id == live
        assert (entry.event_type, entry.event_data, entry.session_id) == (
            "DICE_ROLL",
            {"roll": 17},
            "sess-9",
        )
        assert (entry.user_id, entry.entity_id) == ("u-bree", "pc-bree")
        assert entry.timestamp == clock.now
        assert store.get_interaction_logs(live, limit=1) == [entry]

    def test_the_callers_session_is_kept(self, store: LiveStore, live: int) -> None:
        entry = store.log_interaction_event(live, "NOTE", None, "another-session")
        assert entry.session_id == "another-session"
        assert entry.event_data is None
        assert store.get_interaction_logs(live, limit=1)[0].event_data is None

    def test_sets_last_activity(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(9999)
        store.log_interaction_event(live, "NOTE", {}, ROOM)
        assert store.get_interaction(live).last_activity == clock.now

    def test_logging_changes_nothing_else(
        self, store: LiveStore, live: int, clock: FakeClock
    ) -> None:
        before = store.get_interaction(live)
        clock.advance(10)
        store.log_interaction_event(live, "NOTE", {}, ROOM)
        after = store.get_interaction(live)
        assert after.revision == before.revision + 1
        unchanged = {"last_activity": before.last_activity, "revision": before.revision}
        assert after.model_copy(update=unchanged) == before

    @pytest.mark.parametrize("fixture", ["idle", "paused"])
    def test_idle_and_paused_take_events(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        assert store.log_interaction_event(interaction_id, "NOTE", {"x": 1}, "s").id > 0

    @pytest.mark.parametrize("fixture", ["completed", "cancelled"])
    def test_final_takes_no_events(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.log_interaction_event(interaction_id, "NOTE", {"x": 1}, "s")


@pytest.fixture
def ten(store: LiveStore, bare_live: int, clock: FakeClock) -> list[LogEntry]:
    """Ten NOTE events on `bare_live` after going live; pairs share a timestamp."""
    entries = []
    for number in range(10):
        if number % 2 == 0:
            clock.advance(1000)
        session = "s-even" if number % 2 == 0 else "s-odd"
        entries.append(store.log_interaction_event(bare_live, "NOTE", {"n": number}, session))
    return entries


class TestReadLogs:
    def test_newest_first_ties_by_insertion(
        self, store: LiveStore, bare_live: int, ten: list[LogEntry]
    ) -> None:
        logs = store.get_interaction_logs(bare_live)
        assert [log.event_data for log in logs[:10]] == [{"n": n} for n in range(9, -1, -1)]
        assert logs[-1].event_type == "INTERACTION_INITIALIZED"

    def test_equal_timestamps_by_id(self, store: LiveStore, bare_live: int) -> None:
        ids = [store.log_interaction_event(bare_live, "N", {"i": i}, "s").id for i in range(5)]
        assert [log.id for log in store.get_interaction_logs(bare_live, limit=5)] == ids[::-1]

    def test_a_clock_going_back_still_orders_by_time(
        self, store: LiveStore, bare_live: int, clock: FakeClock
    ) -> None:
        clock.advance(5000)
        late = store.log_interaction_event(bare_live, "LATE", None, "s")
        clock.advance(-2000)
        early = store.log_interaction_event(bare_live, "EARLY", None, "s")
        assert [log.id for log in store.get_interaction_logs(bare_live, limit=2)] == [
            late.id,
            early.id,
        ]

    def test_keyset_pages_cover_everything_once(
        self, store: LiveStore, bare_live: int, ten: list[LogEntry]
    ) -> None:
        everything = store.get_interaction_logs(bare_live)
        pages: list[LogEntry] = []
        before = None
        while True:
            page = store.get_interaction_logs(bare_live, limit=3, before=before)
            if not page:
                break
            pages.extend(page)
            before = page[-1].id
        assert pages == everything

    def test_filters(self, store: LiveStore, bare_live: int, ten: list[LogEntry]) -> None:
        odd = store.get_interaction_logs(bare_live, "s-odd")
        assert [log.event_data["n"] for log in odd] == [9, 7, 5, 3, 1]
        initialized = store.get_interaction_logs(bare_live, event_types=["INTERACTION_INITIALIZED"])
        assert [log.event_type for log in initialized] == ["INTERACTION_INITIALIZED"]
        both = store.get_interaction_logs(bare_live, "s-even", event_types=("NOTE", "OTHER"))
        assert [log.event_data["n"] for log in both] == [8, 6, 4, 2, 0]
        page = store.get_interaction_logs(bare_live, "s-even", limit=2, before=both[1].id)
        assert [log.event_data["n"] for log in page] == [4, 2]

    def test_only_this_interaction(self, store: LiveStore, bare_live: int, live: int) -> None:
        store.log_interaction_event(live, "NOTE", None, "s")
        assert all(log.interaction_id == bare_live for log in store.get_interaction_logs(bare_live))

    def test_before_from_another_interaction_is_invalid(
        self, store: LiveStore, bare_live: int, live: int
    ) -> None:
        foreign = store.log_interaction_event(live, "NOTE", None, "s")
        with pytest.raises(InvalidInput, match="before"):
            store.get_interaction_logs(bare_live, before=foreign.id)

    def test_empty_log(self, store: LiveStore, idle: int) -> None:
        assert store.get_interaction_logs(idle) == []

    def test_limit_bounds(self, store: LiveStore, bare_live: int, ten: list[LogEntry]) -> None:
        assert len(store.get_interaction_logs(bare_live, limit=1)) == 1
        assert len(store.get_interaction_logs(bare_live, limit=1000)) == 11

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"limit": 0}, "limit"),
            ({"limit": 1001}, "limit"),
            ({"limit": "5"}, "limit"),
            ({"limit": True}, "limit"),
            ({"before": "3"}, "before"),
            ({"before": 1.0}, "before"),
            ({"before": 2**70}, "before"),
            ({"before": -(2**70)}, "before"),
            ({"event_types": "NOTE"}, "event_types"),
            ({"event_types": []}, "event_types"),
            ({"event_types": [""]}, "event_types"),
            ({"event_types": [3]}, "event_types"),
            ({"session_id": ""}, "session_id"),
            ({"session_id": 5}, "session_id"),
        ],
    )
    def test_invalid_arguments(
        self, store: LiveStore, bare_live: int, kwargs: dict[str, object], field: str
    ) -> None:
        with pytest.raises(InvalidInput, match=field):
            store.get_interaction_logs(bare_live, **kwargs)  # type: ignore[arg-type]

    def test_final_interactions_stay_readable(self, store: LiveStore, completed: int) -> None:
        assert store.get_interaction_logs(completed)[0].event_type == "INTERACTION_COMPLETED"


class TestLogsAfter:
    def test_tail_oldest_first(self, store: LiveStore, bare_live: int, ten: list[LogEntry]) -> None:
        tail = store.get_logs_after(bare_live, ten[6].id)
        assert [log.event_data["n"] for log in tail] == [7, 8, 9]
        assert store.get_logs_after(bare_live, ten[-1].id) == []
        assert store.get_logs_after(bare_live, 0, limit=2) == all_logs(store, bare_live)[:2]

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"after_id": "1"}, "after_id"),
            ({"after_id": 2**64}, "after_id"),
            ({"limit": 0}, "limit"),
        ],
    )
    def test_invalid(
        self, store: LiveStore, bare_live: int, kwargs: dict[str, object], field: str
    ) -> None:
        arguments: dict[str, object] = {"after_id": 0, **kwargs}
        with pytest.raises(InvalidInput, match=field):
            store.get_logs_after(bare_live, **arguments)  # type: ignore[arg-type]


def test_store_events_carry_the_room_or_system(
    store: LiveStore, idle: int, clock: FakeClock
) -> None:
    store.update_turn_settings(idle, chat_enabled=False)
    store.initialize_for_live_play(idle, ROOM, None)
    store.advance_turn(idle)
    store.cleanup_inactive_room(idle)
    store.update_turn_settings(idle, chat_enabled=True)
    store.resume_interaction(idle, "room-2")
    store.advance_turn(idle)
    sessions = [(log.event_type, log.session_id) for log in all_logs(store, idle)]
    assert sessions == [
        ("SETTINGS_UPDATED", "system"),
        ("INTERACTION_INITIALIZED", ROOM),
        ("TURN_STARTED", ROOM),
        ("TURN_COMPLETED", ROOM),
        ("TURN_STARTED", ROOM),
        ("ROOM_CLEANUP", ROOM),
        ("SETTINGS_UPDATED", "system"),
        ("INTERACTION_RESUMED", "room-2"),
        ("TURN_COMPLETED", "room-2"),
        ("TURN_STARTED", "room-2"),
    ]
    assert all(log.timestamp == START_MS for log in all_logs(store, idle))


def test_the_returned_entry_is_the_stored_one(store: LiveStore, live: int) -> None:
    entry = store.log_interaction_event(live, "MOVE", {"path": [(1, 2), (3, 4)]}, ROOM)
    assert store.get_interaction_logs(live, limit=1) == [entry]
    assert entry.event_data == {"path": [[1, 2], [3, 4]]}


@pytest.mark.sqlite_only
def test_a_row_the_store_did_not_write_is_read_as_stored(
    store: LiveStore, bare_live: int, ten: list[LogEntry]
) -> None:
    """SQLite keeps what an import of hand-edited data put in a column (here a fractional
    timestamp, which no store call writes): the page still reads, the row as it is."""
    store._db.execute_sql(  # a row no store call can write
        "UPDATE live_interaction_logs SET timestamp = timestamp + 0.5 WHERE id = ?", [ten[3].id]
    )

    page = store.get_interaction_logs(bare_live, limit=100)

    assert [entry.id for entry in page[:10]] == [entry.id for entry in reversed(ten)]
    assert next(e for e in page if e.id == ten[3].id).timestamp == ten[3].timestamp + 0.5
    assert store.get_logs_after(bare_live, ten[2].id, limit=1)[0].id == ten[3].id
