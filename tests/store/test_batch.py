"""batch_state_operations: many writes, all or nothing, errors naming "operation N"."""

from __future__ import annotations

from typing import Any

import pytest

from store import BatchResult, Conflict, InvalidInput, LiveStore, NotFound, TurnAction
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import ROOM, event_types, events_of, writes_nothing


def log_op(event_type: str = "NOTE", **data: Any) -> dict[str, Any]:
    return {"type": "log_event", "data": {"event_type": event_type, "session_id": ROOM, **data}}


def chat_op(channel: str, **extra: Any) -> dict[str, Any]:
    return log_op("CHAT_MESSAGE", event_data={"channel": channel, "content": "hi", **extra})


def turn_op(turn_number: int, round_number: int = 5, **data: Any) -> dict[str, Any]:
    return {
        "type": "record_turn",
        "data": {
            "entity_id": "gob-1",
            "entity_type": "monster",
            "turn_number": turn_number,
            "round_number": round_number,
            "start_time": START_MS,
            "status": "completed",
            **data,
        },
    }


def snapshot_op(state: Any, **data: Any) -> dict[str, Any]:
    return {"type": "save_snapshot", "data": {"state_snapshot": state, **data}}


def participants_op(participants: list[Any]) -> dict[str, Any]:
    return {"type": "update_participants", "data": {"participants": participants}}


class TestHappyPath:
    def test_every_kind(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(3000)
        results = store.batch_state_operations(
            live,
            [
                log_op(event_data={"n": 1}, user_id="u-bree", entity_id="pc-bree"),
                log_op(event_data={"n": 2}),
                snapshot_op({"round": 5}),
                turn_op(1, actions=[{"type": "move"}], end_time=START_MS + 10, user_id="u-dm"),
                participants_op(["u-bree", "u-tam"]),
                log_op(event_data={"n": 3}),
            ],
        )
        assert [r.type for r in results] == [
            "log_event",
            "log_event",
            "save_snapshot",
            "record_turn",
            "update_participants",
            "log_event",
        ]
        assert all(isinstance(r, BatchResult) for r in results)
        logs = {log.id: log for log in store.get_interaction_logs(live)}
        assert logs[results[0].id].event_data == {"n": 1}  # type: ignore[index]
        assert logs[results[0].id].user_id == "u-bree"  # type: ignore[index]
        assert logs[results[0].id].entity_id == "pc-bree"  # type: ignore[index]
        assert logs[results[1].id].event_data == {"n": 2}  # type: ignore[index]
        assert logs[results[5].id].event_data == {"n": 3}  # type: ignore[index]
        assert results[0].id < results[1].id < results[5].id  # type: ignore[operator]
        assert results[2].id is None and results[4].id is None
        [turn] = store.get_turn_records(live)
        assert turn.id == results[3].id
        assert (turn.round_number, turn.turn_number) == (5, 1)
        assert turn.actions == [TurnAction(type="move", entity_id=turn.entity_id)]
        assert (turn.end_time, turn.user_id) == (START_MS + 10, "u-dm")
        snapshot = store.load_state_snapshot(live)
        assert snapshot.state_snapshot == {"round": 5}
        assert snapshot.timestamp == clock.now
        assert snapshot.connected_participants == ["u-bree", "u-tam"]
        assert store.get_interaction(live).last_activity == clock.now
        assert all(log.timestamp == clock.now for log in store.get_interaction_logs(live, limit=5))

    def test_log_order_follows_the_operations(self, store: LiveStore, live: int) -> None:
        store.batch_state_operations(
            live, [log_op("A"), participants_op(["u-x"]), log_op("B"), log_op("C")]
        )
        assert event_types(store, live)[-4:] == ["A", "PARTICIPANT_JOINED", "B", "C"]

    def test_empty_batch(self, store: LiveStore, live: int, clock: FakeClock) -> None:
        clock.advance(1000)
        with writes_nothing(store):
            assert store.batch_state_operations(live, []) == []

    def test_many_events(self, store: LiveStore, live: int) -> None:
        results = store.batch_state_operations(
            live, [log_op(event_data={"n": n}) for n in range(1000)]
        )
        assert len(results) == 1000
        assert len({r.id for r in results}) == 1000
        newest = store.get_interaction_logs(live, limit=1000)
        assert [log.event_data["n"] for log in newest[:3]] == [999, 998, 997]
        assert [r.id for r in results] == [log.id for log in reversed(newest)]

    def test_snapshot_without_participants_keeps_them(self, store: LiveStore, live: int) -> None:
        store.update_connected_participants(live, "u-bree", "join")
        store.batch_state_operations(live, [snapshot_op({"a": 1})])
        assert store.load_state_snapshot(live).connected_participants == ["u-bree"]

    def test_snapshot_with_participants(self, store: LiveStore, live: int) -> None:
        store.batch_state_operations(
            live, [snapshot_op({"a": 1}, connected_participants=["u-a", "u-a", "u-b"])]
        )
        assert store.load_state_snapshot(live).connected_participants == ["u-a", "u-b"]

    def test_event_data_is_optional(self, store: LiveStore, live: int) -> None:
        [result] = store.batch_state_operations(live, [log_op()])
        assert store.get_interaction_logs(live, limit=1)[0].id == result.id
        assert store.get_interaction_logs(live, limit=1)[0].event_data is None

    def test_two_turns_in_one_batch(self, store: LiveStore, idle: int) -> None:
        store.batch_state_operations(idle, [turn_op(1), turn_op(2), turn_op(1, round_number=6)])
        assert [(t.round_number, t.turn_number) for t in store.get_turn_records(idle)] == [
            (5, 1),
            (5, 2),
            (6, 1),
        ]


class TestParticipants:
    def test_joins_and_leaves_are_logged(self, store: LiveStore, live: int) -> None:
        store.update_connected_participants(live, "u-old", "join")
        store.update_connected_participants(live, "u-stay", "join")
        store.batch_state_operations(live, [participants_op(["u-stay", "u-new1", "u-new2"])])
        joined = [log.event_data for log in events_of(store, live, "PARTICIPANT_JOINED")]
        left = [log.event_data for log in events_of(store, live, "PARTICIPANT_LEFT")]
        assert joined[-2:] == [{"participant_id": "u-new1"}, {"participant_id": "u-new2"}]
        assert left == [{"participant_id": "u-old"}]
        assert all(log.session_id == ROOM for log in events_of(store, live, "PARTICIPANT_LEFT"))
        assert store.get_interaction(live).connected_participants == [
            "u-stay",
            "u-new1",
            "u-new2",
        ]

    def test_same_list_logs_nothing(self, store: LiveStore, live: int) -> None:
        store.update_connected_participants(live, "u-a", "join")
        before = event_types(store, live)
        store.batch_state_operations(live, [participants_op(["u-a"])])
        assert event_types(store, live) == before

    def test_consecutive_updates(self, store: LiveStore, live: int) -> None:
        store.batch_state_operations(live, [participants_op(["a"]), participants_op(["b"])])
        assert [log.user_id for log in events_of(store, live, "PARTICIPANT_JOINED")] == ["a", "b"]
        assert [log.user_id for log in events_of(store, live, "PARTICIPANT_LEFT")] == ["a"]
        assert store.get_interaction(live).connected_participants == ["b"]

    @pytest.mark.parametrize(
        ("participants", "field"),
        [
            ("u-a", r"operation 0\.data\.participants"),
            ([""], r"operation 0\.data\.participants\[0\]"),
            ([1], r"operation 0\.data\.participants\[0\]"),
        ],
    )
    def test_invalid(self, store: LiveStore, live: int, participants: Any, field: str) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=field):
            store.batch_state_operations(live, [participants_op(participants)])


class TestChat:
    def test_chat_follows_the_room_settings(self, store: LiveStore, live: int) -> None:
        store.update_turn_settings(live, allow_private_chat=False)
        with writes_nothing(store), pytest.raises(Conflict, match="operation 2") as error:
            store.batch_state_operations(
                live,
                [chat_op("party"), log_op(), chat_op("private", recipients=["u-x"]), log_op()],
            )
        assert "private chat is disabled" in str(error.value)

    def test_chat_disabled(self, store: LiveStore, live: int) -> None:
        store.update_turn_settings(live, chat_enabled=False)
        with writes_nothing(store), pytest.raises(Conflict, match=r"operation 0.*chat is disabled"):
            store.batch_state_operations(live, [chat_op("party")])
        store.batch_state_operations(live, [chat_op("system")])

    def test_a_later_run_of_events_names_its_own_chat(self, store: LiveStore, live: int) -> None:
        store.update_turn_settings(live, chat_enabled=False)
        operations = [log_op(), snapshot_op({}), log_op(), chat_op("dm")]
        with writes_nothing(store), pytest.raises(Conflict, match=r"^operation 3 \(log_event\)"):
            store.batch_state_operations(live, operations)

    def test_the_first_failing_operation_is_named(self, store: LiveStore, live: int) -> None:
        """Chat rules are checked where the message stands, not before the operations ahead."""
        store.record_turn(live, "gob-1", "monster", 2, 5, [], START_MS, "completed")
        store.update_turn_settings(live, chat_enabled=False)
        with writes_nothing(store), pytest.raises(Conflict, match=r"^operation 1 \(record_turn\)"):
            store.batch_state_operations(live, [log_op(), turn_op(2), chat_op("party")])
        with writes_nothing(store), pytest.raises(Conflict, match=r"^operation 1 \(log_event\)"):
            store.batch_state_operations(live, [log_op(), chat_op("party"), turn_op(2)])

    def test_invalid_chat(self, store: LiveStore, live: int) -> None:
        with (
            writes_nothing(store),
            pytest.raises(InvalidInput, match=r"operation 1\.data\.event_data\.recipients"),
        ):
            store.batch_state_operations(live, [chat_op("party"), chat_op("private")])


class TestAllOrNothing:
    def test_duplicate_turn_undoes_everything(self, store: LiveStore, live: int) -> None:
        store.record_turn(live, "gob-1", "monster", 2, 5, [], START_MS, "completed")
        with writes_nothing(store), pytest.raises(Conflict, match="operation 3") as error:
            store.batch_state_operations(
                live,
                [log_op(), snapshot_op({"lost": True}), participants_op(["u-a"]), turn_op(2)],
            )
        assert "already recorded" in str(error.value)

    def test_duplicate_inside_the_batch(self, store: LiveStore, live: int) -> None:
        with writes_nothing(store), pytest.raises(Conflict, match="operation 2"):
            store.batch_state_operations(live, [turn_op(1), log_op(), turn_op(1)])

    @pytest.mark.parametrize(
        ("operation", "message"),
        [
            ("not an object", r"operation 1: must be an object"),
            ({"type": "delete", "data": {}}, r"operation 1\.type"),
            ({"data": {}}, r"operation 1\.type"),
            ({"type": "log_event"}, r"operation 1\.data"),
            ({"type": "log_event", "data": []}, r"operation 1\.data"),
            ({"type": "log_event", "data": {}, "extra": 1}, r"operation 1\.extra"),
            (log_op(bogus=1), r"operation 1\.data\.bogus"),
            ({"type": "log_event", "data": {"session_id": "s"}}, r"operation 1\.data\.event_type"),
            (log_op(event_data={"x": float("nan")}), r"operation 1\.data\.event_data"),
            (log_op(event_data="x" * 70_000), r"operation 1\.data\.event_data"),
            (turn_op(0), r"operation 1\.data\.turn_number"),
            (turn_op(1, end_time=START_MS - 1), r"operation 1\.data\.end_time"),
            (turn_op(1, entity_type="boss"), r"operation 1\.data\.entity_type"),
            (turn_op(1, actions=[{1: 2}]), r"operation 1\.data\.actions"),
            (snapshot_op(float("inf")), r"operation 1\.data\.state_snapshot"),
            (snapshot_op({}, connected_participants="u"), r"operation 1\.data\.connected_part"),
            (
                snapshot_op("x" * (8 * 1024 * 1024)),
                r"operation 1\.data\.state_snapshot",
            ),
        ],
    )
    def test_invalid_operation_writes_nothing(
        self, store: LiveStore, live: int, operation: Any, message: str
    ) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=message):
            store.batch_state_operations(live, [snapshot_op({"lost": True}), operation])

    @pytest.mark.parametrize("operations", ["ops", {"type": "log_event"}, None, b"x"])
    def test_operations_must_be_a_list(self, store: LiveStore, live: int, operations: Any) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="operations"):
            store.batch_state_operations(live, operations)

    def test_tuple_of_operations(self, store: LiveStore, live: int) -> None:
        assert len(store.batch_state_operations(live, (log_op(), log_op()))) == 2

    @pytest.mark.parametrize("fixture", ["completed", "cancelled"])
    def test_final_is_read_only(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        with writes_nothing(store), pytest.raises(Conflict, match=fixture):
            store.batch_state_operations(interaction_id, [log_op()])

    def test_unknown_interaction(self, store: LiveStore, live: int) -> None:
        with writes_nothing(store), pytest.raises(NotFound):
            store.batch_state_operations(404, [log_op()])

    @pytest.mark.parametrize("fixture", ["idle", "paused"])
    def test_idle_and_paused_accept_batches(
        self, store: LiveStore, request: pytest.FixtureRequest, fixture: str
    ) -> None:
        interaction_id = request.getfixturevalue(fixture)
        assert len(store.batch_state_operations(interaction_id, [log_op(), turn_op(1)])) == 2
