"""Input validation at the boundary: ids, enums, names, JSON data, sizes; errors name the field."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from store import (
    Conflict,
    InvalidInput,
    LiveStore,
    NotFound,
    StoreError,
    StoreUnavailable,
    open_store,
)
from tests.conftest import START_MS
from tests.store.helpers import ROOM, writes_nothing
from tests.store.operations import ALL, Call

NOT_JSON: list[tuple[str, Any]] = [
    ("nan", {"hp": math.nan}),
    ("infinity", [math.inf]),
    ("negative infinity", {"a": {"b": -math.inf}}),
    ("int key", {1: "one"}),
    ("None key", {None: "none"}),
    ("nested bool key", {"ok": [{True: 1}]}),
    ("set", {"tags": {"a", "b"}}),
    ("bytes", b"raw"),
    ("object", object()),
    ("lone surrogate", {"text": "\ud800"}),
    ("NUL character", {"text": "a\x00b"}),
    ("NUL in a key", {"a\x00": 1}),
]


def test_error_kinds_are_store_errors() -> None:
    for kind in (NotFound, Conflict, InvalidInput, StoreUnavailable):
        assert issubclass(kind, StoreError)


class TestInteractionId:
    @pytest.mark.parametrize("bad_id", ["1", True, 1.0, None])
    @pytest.mark.parametrize("operation", ALL)
    def test_non_int_ids_are_invalid(
        self, store: LiveStore, live: int, operation: str, bad_id: object
    ) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="interaction_id"):
            ALL[operation](store, bad_id)

    @pytest.mark.parametrize("operation", ALL)
    def test_unknown_id_is_not_found(self, store: LiveStore, live: int, operation: str) -> None:
        with writes_nothing(store), pytest.raises(NotFound, match="999"):
            ALL[operation](store, 999)


class TestEnums:
    @pytest.mark.parametrize(
        "call",
        [
            lambda s, i: s.update_live_room_status(i, "finished"),
            lambda s, i: s.update_live_room_status(i, "LIVE"),
            lambda s, i: s.update_live_room_status(i, None),
        ],
    )
    def test_unknown_status(self, store: LiveStore, live: int, call: Call) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="status"):
            call(store, live)

    def test_unknown_participant_action(self, store: LiveStore, live: int) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="action"):
            store.update_connected_participants(live, "u", "kick")

    def test_unknown_turn_status(self, store: LiveStore, live: int) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="status"):
            store.advance_turn(live, status="done")
        with writes_nothing(store), pytest.raises(InvalidInput, match="status"):
            store.record_turn(live, "gob-1", "monster", 1, 5, [], START_MS, "done")

    def test_unknown_entity_type(self, store: LiveStore, live: int) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="entity_type"):
            store.record_turn(live, "gob-1", "dragon", 1, 5, [], START_MS, "completed")

    def test_unknown_chat_channel(self, store: LiveStore, live: int) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=r"event_data\.channel"):
            store.log_interaction_event(
                live, "CHAT_MESSAGE", {"channel": "shout", "content": "hi"}, ROOM
            )


class TestNamesAndIds:
    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "   "}, "name"),
            ({"name": "n" * 201}, "name"),
            ({"name": None}, "name"),
            ({"name": 5}, "name"),
            ({"dm_user_id": ""}, "dm_user_id"),
            ({"dm_user_id": "   "}, "dm_user_id"),
            ({"dm_user_id": "d" * 129}, "dm_user_id"),
            ({"campaign_id": ""}, "campaign_id"),
            ({"campaign_id": "c" * 129}, "campaign_id"),
            ({"description": 5}, "description"),
            ({"description": "nul\x00"}, "description"),
            ({"name": "nul\x00"}, "name"),
            ({"dm_user_id": "d\x00"}, "dm_user_id"),
            ({"chat_enabled": 1}, "chat_enabled"),
            ({"allow_private_chat": "yes"}, "allow_private_chat"),
            ({"initiative_order": {"a": 1}}, "initiative_order"),
        ],
    )
    def test_create(self, store: LiveStore, kwargs: dict[str, Any], field: str) -> None:
        arguments: dict[str, Any] = {"name": "Ambush", "dm_user_id": "dm", **kwargs}
        with pytest.raises(InvalidInput, match=field):
            store.create_interaction(**arguments)
        assert store.list_interactions() == []

    @pytest.mark.parametrize(
        ("call", "field"),
        [
            (lambda s, i: s.initialize_for_live_play(i, "", {}), "live_room_id"),
            (lambda s, i: s.initialize_for_live_play(i, "r" * 129, {}), "live_room_id"),
            (lambda s, i: s.initialize_for_live_play(i, 5, {}), "live_room_id"),
            (lambda s, i: s.resume_interaction(i, ""), "live_room_id"),
            (lambda s, i: s.update_live_room_status(i, "live", "r" * 129), "live_room_id"),
            (lambda s, i: s.update_connected_participants(i, "", "join"), "participant_id"),
            (lambda s, i: s.update_connected_participants(i, "p" * 129, "join"), "participant_id"),
            (lambda s, i: s.log_interaction_event(i, "", None, ROOM), "event_type"),
            (lambda s, i: s.log_interaction_event(i, "E" * 129, None, ROOM), "event_type"),
            (lambda s, i: s.log_interaction_event(i, "E", None, ""), "session_id"),
            (lambda s, i: s.log_interaction_event(i, "  ", None, ROOM), "event_type"),
            (lambda s, i: s.log_interaction_event(i, "E", None, " "), "session_id"),
            (lambda s, i: s.record_turn(i, " ", "npc", 1, 1, [], 0, "skipped"), "entity_id"),
            (lambda s, i: s.log_interaction_event(i, "E", None, "s" * 129), "session_id"),
            (lambda s, i: s.log_interaction_event(i, "E", None, None), "session_id"),
            (lambda s, i: s.log_interaction_event(i, "E", None, ROOM, user_id=""), "user_id"),
            (lambda s, i: s.log_interaction_event(i, "E", None, ROOM, entity_id=3), "entity_id"),
            (lambda s, i: s.pause_interaction(i, ""), "reason"),
            (lambda s, i: s.finalize_live_interaction(i, {}, ""), "completion_reason"),
            (lambda s, i: s.cleanup_inactive_room(i, None, ""), "reason"),
            (lambda s, i: s.advance_turn(i, user_id=""), "user_id"),
            (lambda s, i: s.initialize_for_live_play(i, "r\x00", {}), "live_room_id"),
            (lambda s, i: s.log_interaction_event(i, "E\x00", None, ROOM), "event_type"),
            (lambda s, i: s.upsert_user("u\x00", "Name"), "user_id"),
            (lambda s, i: s.upsert_user("u", "Na\x00me"), "display_name"),
            (lambda s, i: s.pause_interaction(i, "re\x00son"), "reason"),
        ],
    )
    def test_empty_and_overlong(self, store: LiveStore, idle: int, call: Call, field: str) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=field):
            call(store, idle)

    def test_ids_at_the_limit_are_accepted(self, store: LiveStore, idle: int) -> None:
        room = "r" * 128
        store.initialize_for_live_play(idle, room, {})
        store.update_connected_participants(idle, "p" * 128, "join")
        entry = store.log_interaction_event(idle, "E" * 128, None, "s" * 128, user_id="u" * 128)
        assert entry.session_id == "s" * 128
        assert store.get_interaction(idle).live_room_id == room


class TestTurnTimeLimit:
    @pytest.mark.parametrize("limit", [5, 9, 3601, -1, True, "90", 1.5])
    def test_create(self, store: LiveStore, limit: object) -> None:
        with pytest.raises(InvalidInput, match="turn_time_limit"):
            store.create_interaction(name="a", dm_user_id="d", turn_time_limit=limit)  # type: ignore[arg-type]
        assert store.list_interactions() == []

    @pytest.mark.parametrize("limit", [5, 9, 3601, -1, True, "90", 1.5])
    def test_initialize(self, store: LiveStore, idle: int, limit: object) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="turn_time_limit"):
            store.initialize_for_live_play(idle, ROOM, {}, turn_time_limit=limit)  # type: ignore[arg-type]

    @pytest.mark.parametrize("limit", [5, 9, 3601, -1, True, "90", 1.5])
    def test_settings(self, store: LiveStore, live: int, limit: object) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="turn_time_limit"):
            store.update_turn_settings(live, turn_time_limit=limit)  # type: ignore[arg-type]


JSON_FIELDS: list[tuple[str, Callable[[LiveStore, int, Any], object], str]] = [
    ("save_state_snapshot", lambda s, i, v: s.save_state_snapshot(i, v), "state_snapshot"),
    (
        "log_interaction_event",
        lambda s, i, v: s.log_interaction_event(i, "NOTE", v, ROOM),
        "event_data",
    ),
    (
        "finalize_live_interaction",
        lambda s, i, v: s.finalize_live_interaction(i, v, "done"),
        "final_state",
    ),
    (
        "cleanup_inactive_room",
        lambda s, i, v: s.cleanup_inactive_room(i, v),
        "final_state_snapshot",
    ),
    ("advance_turn", lambda s, i, v: s.advance_turn(i, actions=[v]), "actions"),
    (
        "record_turn",
        lambda s, i, v: s.record_turn(i, "gob-1", "monster", 1, 5, [v], START_MS, "completed"),
        "actions",
    ),
    (
        "batch save_snapshot",
        lambda s, i, v: s.batch_state_operations(
            i, [{"type": "save_snapshot", "data": {"state_snapshot": v}}]
        ),
        r"operation 0\.data\.state_snapshot",
    ),
    (
        "batch log_event",
        lambda s, i, v: s.batch_state_operations(
            i,
            [
                {
                    "type": "log_event",
                    "data": {"event_type": "N", "event_data": v, "session_id": "s"},
                }
            ],
        ),
        r"operation 0\.data\.event_data",
    ),
]


REPRESENTATIVE = [NOT_JSON[0], NOT_JSON[3], NOT_JSON[6]]
"""NaN, a non-string key and a set: one of each way data fails to be JSON."""


class TestJsonData:
    @pytest.mark.parametrize(("label", "value"), NOT_JSON, ids=[label for label, _ in NOT_JSON])
    def test_snapshot(self, store: LiveStore, live: int, label: str, value: Any) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="state_snapshot"):
            store.save_state_snapshot(live, value)

    @pytest.mark.parametrize(
        ("label", "value"), REPRESENTATIVE, ids=[label for label, _ in REPRESENTATIVE]
    )
    @pytest.mark.parametrize(
        ("operation", "call", "field"), JSON_FIELDS, ids=[name for name, _, _ in JSON_FIELDS]
    )
    def test_every_json_field(
        self,
        store: LiveStore,
        live: int,
        operation: str,
        call: Callable[[LiveStore, int, Any], object],
        field: str,
        label: str,
        value: Any,
    ) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=field):
            call(store, live, value)

    @pytest.mark.parametrize(("label", "value"), NOT_JSON, ids=[label for label, _ in NOT_JSON])
    def test_initial_state(self, store: LiveStore, idle: int, label: str, value: Any) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="initial_state"):
            store.initialize_for_live_play(idle, ROOM, value)

    def test_deep_nesting_is_invalid_not_a_crash(self, store: LiveStore, live: int) -> None:
        value: Any = []
        for _ in range(100_000):
            value = [value]
        with writes_nothing(store), pytest.raises(InvalidInput, match="state_snapshot"):
            store.save_state_snapshot(live, value)

    def test_unicode_round_trips(self, store: LiveStore, live: int) -> None:
        state = {"name": "Zoë 🐉", "notes": "日本語", "big": 2**70, "f": 0.1, "n": None}
        store.save_state_snapshot(live, state)
        assert store.load_state_snapshot(live).state_snapshot == state


class TestSizes:
    def test_event_data_limit(self, store: LiveStore, live: int) -> None:
        overhead = len('{"x":""}')
        at_limit = {"x": "a" * (64 * 1024 - overhead)}
        store.log_interaction_event(live, "BIG", at_limit, ROOM)
        over = {"x": "a" * (64 * 1024 - overhead + 1)}
        with writes_nothing(store), pytest.raises(InvalidInput, match="event_data"):
            store.log_interaction_event(live, "BIG", over, ROOM)

    def test_event_data_counts_utf8_bytes(self, store: LiveStore, live: int) -> None:
        # 22,000 three-byte characters: under 64 Ki characters, over 64 KiB.
        with writes_nothing(store), pytest.raises(InvalidInput, match="event_data"):
            store.log_interaction_event(live, "BIG", "€" * 22_000, ROOM)

    def test_snapshot_limit(self, store: LiveStore, live: int) -> None:
        at_limit = "a" * (8 * 1024 * 1024 - 2)  # plus two quotes
        store.save_state_snapshot(live, at_limit)
        assert store.load_state_snapshot(live).state_snapshot == at_limit
        with writes_nothing(store), pytest.raises(InvalidInput, match="state_snapshot"):
            store.save_state_snapshot(live, at_limit + "a")

    @pytest.mark.parametrize(
        ("call", "field"),
        [
            (lambda s, i, v: s.finalize_live_interaction(i, v, "done"), "final_state"),
            (lambda s, i, v: s.cleanup_inactive_room(i, v), "final_state_snapshot"),
        ],
    )
    def test_other_snapshots_limit(
        self,
        store: LiveStore,
        live: int,
        call: Callable[[LiveStore, int, Any], object],
        field: str,
    ) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match=field):
            call(store, live, "a" * (8 * 1024 * 1024))

    def test_initial_state_limit(self, store: LiveStore, idle: int) -> None:
        with writes_nothing(store), pytest.raises(InvalidInput, match="initial_state"):
            store.initialize_for_live_play(idle, ROOM, ["a" * (8 * 1024 * 1024)])


class TestClock:
    @pytest.mark.parametrize("now", [1.5, "now", -1, True, 2**60])
    def test_a_bad_clock_is_refused_and_writes_nothing(
        self, store: LiveStore, live: int, clock: Any, now: object
    ) -> None:
        good = clock.now
        before = store.get_interaction(live)
        clock.now = now
        with pytest.raises(InvalidInput, match="clock"):
            store.save_state_snapshot(live, {"x": 1})
        clock.now = good
        assert store.get_interaction(live) == before

    def test_clock_must_be_callable(self, db_path: Any) -> None:
        with pytest.raises(InvalidInput, match="clock"):
            open_store(db_path, clock=12)  # type: ignore[arg-type]
