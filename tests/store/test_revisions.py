"""Interaction revisions: every write counts, and a view re-reads only what changed."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from store import Conflict, InvalidInput, LiveStore, open_store
from tests.conftest import FakeClock
from tests.store.helpers import LIMIT_MS, ROOM, writes_nothing


def revision(store: LiveStore, interaction_id: int) -> int:
    return store.get_interaction(interaction_id, with_snapshot=False).revision


WRITES: dict[str, Callable[[LiveStore, int], object]] = {
    "log an event": lambda store, room: store.log_interaction_event(room, "NOTE", {}, ROOM),
    "save a snapshot": lambda store, room: store.save_state_snapshot(room, {"hp": 3}),
    "a player joins": lambda store, room: store.update_connected_participants(
        room, "u-ivo", "join"
    ),
    "advance the turn": lambda store, room: store.advance_turn(room),
    "change the settings": lambda store, room: store.update_turn_settings(room, turn_time_limit=30),
    "a batch": lambda store, room: store.batch_state_operations(
        room,
        [{"type": "log_event", "data": {"event_type": "NOTE", "session_id": ROOM}}] * 3,
    ),
    "pause": lambda store, room: store.pause_interaction(room),
}


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_every_write_counts_once(store: LiveStore, live: int, write: str) -> None:
    before = revision(store, live)
    WRITES[write](store, live)
    assert revision(store, live) == before + 1


def test_reads_and_refused_writes_count_nothing(store: LiveStore, live: int) -> None:
    before = revision(store, live)
    store.get_interaction_logs(live)
    store.load_state_snapshot(live)
    store.get_turn_records(live)
    with writes_nothing(store), pytest.raises(Conflict):
        store.set_initiative_order(live, [])  # not while live
    assert revision(store, live) == before


def test_a_new_interaction_starts_at_zero(store: LiveStore) -> None:
    created = store.create_interaction(name="Fresh", dm_user_id="dm")
    assert created.revision == 0
    assert store.interaction_revisions()[created.id] == 0


def test_a_timeout_sweep_counts_each_room_it_moves(
    store: LiveStore, live: int, bare_live: int, clock: FakeClock
) -> None:
    before = store.interaction_revisions()
    clock.advance(LIMIT_MS)
    store.expire_turn_timeouts()
    after = store.interaction_revisions()
    assert after[live] == before[live] + 1
    assert after[bare_live] == before[bare_live]  # no timer ran there


def test_revisions_name_every_interaction(store: LiveStore, live: int, idle: int) -> None:
    other = store.create_interaction(name="Other", dm_user_id="dm").id
    revisions = store.interaction_revisions()
    assert sorted(revisions) == sorted({live, idle, other})
    assert revisions[other] == 0


class TestListById:
    def test_only_those_asked_for_by_id(self, store: LiveStore, live: int) -> None:
        others = [store.create_interaction(name=f"Room {n}", dm_user_id="dm").id for n in range(3)]
        wanted = [others[2], live, others[2], 10**6, 2**70]
        listed = store.list_interactions(ids=wanted, with_snapshot=False)
        assert [interaction.id for interaction in listed] == sorted({live, others[2]})
        assert listed[0] == store.get_interaction(listed[0].id, with_snapshot=False)

    def test_with_a_status(self, store: LiveStore, live: int) -> None:
        idle = store.create_interaction(name="Idle", dm_user_id="dm").id
        assert [i.id for i in store.list_interactions("live", ids=[live, idle])] == [live]

    def test_more_ids_than_one_query_binds(self, store: LiveStore) -> None:
        made = [store.create_interaction(name=f"R{n}", dm_user_id="dm").id for n in range(3)]
        wanted = list(range(1, 1200)) + made
        assert [i.id for i in store.list_interactions(ids=wanted)] == made

    @pytest.mark.parametrize(
        ("ids", "field"),
        [("12", "ids"), (7, "ids"), ([1, "2"], r"ids\[1\]"), ([True], r"ids\[0\]")],
    )
    def test_bad_ids(self, store: LiveStore, ids: object, field: str) -> None:
        with pytest.raises(InvalidInput, match=field):
            store.list_interactions(ids=ids)  # type: ignore[arg-type]


V3_COLUMNS = (
    ("interactions", "turn_paused_ms"),
    ("interactions", "turn_paused_at"),
    ("turn_records", "duration_ms"),
)
"""The columns schema 3 added: dropped to make a file as an older liveroom wrote it."""


def test_a_version_1_database_gains_revisions(tmp_path: Path, clock: FakeClock) -> None:
    """A store written before revisions existed opens, upgraded, with its rooms at 0."""
    path = tmp_path / "old.db"
    with open_store(path, clock=clock) as store:
        kept = store.create_interaction(name="Kept", dm_user_id="dm").id
        store.update_turn_settings(kept, chat_enabled=False)
    connection = sqlite3.connect(path)
    indexes = _log_indexes(connection)
    with connection:
        for table, column in V3_COLUMNS:
            connection.execute(f'ALTER TABLE {table} DROP COLUMN "{column}"')
        connection.execute('ALTER TABLE interactions DROP COLUMN "revision"')
        connection.execute(f'DROP INDEX "{indexes[0]}"')  # as made before that index existed
        connection.execute("UPDATE liveroom_meta SET value = '1' WHERE key = 'schema_version'")
    connection.close()

    with open_store(path, clock=clock) as store:
        assert store.get_interaction(kept).revision == 0
        assert store.get_interaction(kept).chat_enabled is False
        store.update_turn_settings(kept, chat_enabled=True)
        assert store.interaction_revisions() == {kept: 1}
    connection = sqlite3.connect(path)
    assert _log_indexes(connection) == indexes
    connection.close()


def _log_indexes(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name = 'live_interaction_logs' AND sql IS NOT NULL ORDER BY name"
    )
    return [name for (name,) in rows]


class TestRoomSummaries:
    """list_room_summaries: each room as a list shows it, agreeing with the whole interaction."""

    def test_a_running_turn_names_its_actor(self, store: LiveStore, live: int) -> None:
        store.update_connected_participants(live, "u-bree", "join")
        store.update_connected_participants(live, "u-tam", "join")
        (summary,) = store.list_room_summaries()
        interaction = store.get_interaction(live)
        assert interaction.current_entry is not None
        assert summary.current_actor == interaction.current_entry.name == "Bree"
        assert summary.participant_count == 2
        shared = summary.model_dump(exclude={"participant_count", "current_actor"})
        assert shared == {name: getattr(interaction, name) for name in shared}

    def test_a_paused_turn_keeps_its_actor_and_time_left(
        self, store: LiveStore, paused: int
    ) -> None:
        (summary,) = store.list_room_summaries()
        assert (summary.status, summary.current_actor) == ("paused", "Bree")
        assert summary.paused_turn_remaining_ms == 50_000

    @pytest.mark.parametrize("status", ["idle", "completed", "cancelled"])
    def test_no_one_is_up_where_no_turn_runs(
        self, store: LiveStore, status: str, request: pytest.FixtureRequest
    ) -> None:
        room = request.getfixturevalue(status)
        (summary,) = store.list_room_summaries()
        assert (summary.id, summary.status, summary.current_actor) == (room, status, None)

    def test_a_live_room_without_an_order_has_no_actor(
        self, store: LiveStore, bare_live: int
    ) -> None:
        (summary,) = store.list_room_summaries()
        assert (summary.status, summary.current_actor) == ("live", None)

    def test_by_status_and_by_id_as_list_interactions(self, store: LiveStore, live: int) -> None:
        others = [store.create_interaction(name=f"Room {n}", dm_user_id="dm").id for n in range(3)]
        wanted = [others[2], live, 10**6]
        assert [s.id for s in store.list_room_summaries(ids=wanted)] == sorted({live, others[2]})
        assert [s.id for s in store.list_room_summaries("idle")] == others
        assert [s.revision for s in store.list_room_summaries()] == [
            store.interaction_revisions()[i] for i in sorted([live, *others])
        ]

    def test_bad_arguments_name_the_field(self, store: LiveStore) -> None:
        with pytest.raises(InvalidInput, match="status"):
            store.list_room_summaries("asleep")
        with pytest.raises(InvalidInput, match=r"ids\[0\]"):
            store.list_room_summaries(ids=["1"])  # type: ignore[list-item]
