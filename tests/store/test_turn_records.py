"""record_turn and get_turn_records: validation, ordering, first record wins."""

from __future__ import annotations

from typing import Any

import pytest

from store import Conflict, InvalidInput, LiveStore, TurnAction, TurnRecord
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import event_types, writes_nothing


def record(store: LiveStore, interaction_id: int, **overrides: Any) -> TurnRecord:
    arguments: dict[str, Any] = {
        "entity_id": "gob-1",
        "entity_type": "monster",
        "turn_number": 1,
        "round_number": 1,
        "actions": [{"type": "attack", "target": "pc-bree"}],
        "start_time": START_MS,
        "status": "completed",
        **overrides,
    }
    return store.record_turn(interaction_id, **arguments)


def test_record_and_read_back(store: LiveStore, idle: int, clock: FakeClock) -> None:
    clock.advance(100)
    made = record(store, idle, end_time=START_MS + 50, user_id="u-dm")
    assert isinstance(made, TurnRecord)
    assert made.interaction_id == idle
    assert (made.entity_id, made.entity_type, made.round_number, made.turn_number) == (
        "gob-1",
        "monster",
        1,
        1,
    )
    assert made.actions == [TurnAction(type="attack", entity_id="gob-1", target="pc-bree")]
    assert (made.start_time, made.end_time, made.status, made.user_id) == (
        START_MS,
        START_MS + 50,
        "completed",
        "u-dm",
    )
    assert store.get_turn_records(idle) == [made]
    assert store.get_interaction(idle).last_activity == clock.now


def test_end_time_and_user_are_optional(store: LiveStore, idle: int) -> None:
    record(store, idle, actions=[])
    [stored] = store.get_turn_records(idle)
    assert (stored.end_time, stored.user_id, stored.actions) == (None, None, [])


def test_tuple_actions(store: LiveStore, idle: int) -> None:
    record(store, idle, actions=({"type": "end"},))
    [stored] = store.get_turn_records(idle)
    assert stored.actions == [TurnAction(type="end", entity_id="gob-1")]


def test_logs_nothing(store: LiveStore, idle: int) -> None:
    made = record(store, idle)
    assert store.get_turn_records(idle) == [made]
    assert event_types(store, idle) == []


def test_ascending_by_round_then_turn(store: LiveStore, idle: int) -> None:
    for round_number, turn_number in [(2, 1), (1, 3), (1, 1), (2, 2), (1, 2)]:
        record(store, idle, round_number=round_number, turn_number=turn_number)
    assert [(r.round_number, r.turn_number) for r in store.get_turn_records(idle)] == [
        (1, 1),
        (1, 2),
        (1, 3),
        (2, 1),
        (2, 2),
    ]
    assert [r.turn_number for r in store.get_turn_records(idle, round_number=2)] == [1, 2]
    assert store.get_turn_records(idle, round_number=3) == []


def test_only_this_interaction(store: LiveStore, idle: int, bare_live: int) -> None:
    made = record(store, bare_live)
    assert store.get_turn_records(idle) == []
    assert store.get_turn_records(bare_live) == [made]
    assert made.interaction_id == bare_live


def test_duplicate_turn_first_wins(store: LiveStore, idle: int) -> None:
    first = record(store, idle, status="completed")
    with writes_nothing(store), pytest.raises(Conflict, match="already recorded"):
        record(store, idle, status="skipped", entity_id="npc-tom", entity_type="npc")
    assert store.get_turn_records(idle) == [first]


def test_same_turn_in_another_interaction_is_fine(
    store: LiveStore, idle: int, bare_live: int
) -> None:
    in_idle = record(store, idle)
    in_live = record(store, bare_live)
    assert in_idle.id != in_live.id
    assert store.get_turn_records(idle) == [in_idle]
    assert store.get_turn_records(bare_live) == [in_live]
    assert (in_live.interaction_id, in_live.round_number, in_live.turn_number) == (bare_live, 1, 1)


@pytest.mark.parametrize("status", ["completed", "skipped", "timeout"])
def test_statuses(store: LiveStore, idle: int, status: str) -> None:
    record(store, idle, status=status)
    [stored] = store.get_turn_records(idle)
    assert stored.status == status


@pytest.mark.parametrize("fixture", ["completed", "cancelled"])
def test_final_is_read_only(store: LiveStore, request: pytest.FixtureRequest, fixture: str) -> None:
    interaction_id = request.getfixturevalue(fixture)
    with writes_nothing(store), pytest.raises(Conflict, match=fixture):
        record(store, interaction_id, round_number=50)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"turn_number": 0}, "turn_number"),
        ({"turn_number": -1}, "turn_number"),
        ({"turn_number": "1"}, "turn_number"),
        ({"turn_number": True}, "turn_number"),
        ({"turn_number": 2**31}, "turn_number"),
        ({"round_number": 2**31}, "round_number"),
        ({"round_number": 0}, "round_number"),
        ({"round_number": 1.0}, "round_number"),
        ({"entity_id": ""}, "entity_id"),
        ({"entity_id": "e" * 129}, "entity_id"),
        ({"entity_type": "boss"}, "entity_type"),
        ({"status": "done"}, "status"),
        ({"actions": "attack"}, "actions"),
        ({"actions": {"a": 1}}, "actions"),
        ({"start_time": -1}, "start_time"),
        ({"start_time": "now"}, "start_time"),
        ({"end_time": START_MS - 1}, "end_time"),
        ({"user_id": ""}, "user_id"),
    ],
)
def test_invalid(store: LiveStore, idle: int, overrides: dict[str, Any], field: str) -> None:
    with writes_nothing(store), pytest.raises(InvalidInput, match=field):
        record(store, idle, **overrides)


def test_the_largest_numbers_fit_every_engine(store: LiveStore, idle: int) -> None:
    made = record(store, idle, round_number=2**31 - 1, turn_number=2**31 - 1)
    assert store.get_turn_records(idle, round_number=2**31 - 1) == [made]


def test_end_equal_to_start_is_fine(store: LiveStore, idle: int) -> None:
    record(store, idle, end_time=START_MS)
    [stored] = store.get_turn_records(idle)
    assert (stored.start_time, stored.end_time) == (START_MS, START_MS)


@pytest.mark.parametrize("round_number", ["1", 1.0, True, 2**63, -(2**63) - 1])
def test_query_round_must_be_an_int(store: LiveStore, idle: int, round_number: object) -> None:
    with pytest.raises(InvalidInput, match="round_number"):
        store.get_turn_records(idle, round_number)  # type: ignore[arg-type]


def test_the_returned_record_is_the_stored_one(store: LiveStore, idle: int) -> None:
    made = record(
        store, idle, actions=[{"type": "move", "parameters": {"path": (1, 2)}}, {"type": "end"}]
    )
    assert store.get_turn_records(idle) == [made]
    assert [action.parameters for action in made.actions] == [{"path": [1, 2]}, None]
