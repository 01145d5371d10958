"""The demo seed: every status, a named cast, history from the turn engine, all in the past."""

from __future__ import annotations

from collections import Counter

import pytest

from app.seed import seed_demo
from store import Conflict, Interaction, LiveStore, LogEntry, open_store
from tests.conftest import FakeClock


def all_logs(store: LiveStore, interaction_id: int) -> list[LogEntry]:
    logs: list[LogEntry] = []
    before = None
    while True:
        page = store.get_interaction_logs(interaction_id, limit=1000, before=before)
        logs += page
        if len(page) < 1000:
            return logs
        before = page[-1].id


@pytest.fixture
def seeded(demo: tuple[LiveStore, FakeClock]) -> list[Interaction]:
    store, _ = demo
    return store.list_interactions()


def by_status(rooms: list[Interaction], status: str) -> list[Interaction]:
    return [room for room in rooms if room.status == status]


def test_every_status_is_present(
    demo: tuple[LiveStore, FakeClock], seeded: list[Interaction]
) -> None:
    store, _ = demo
    assert {room.status for room in seeded} == {"idle", "live", "paused", "completed", "cancelled"}
    (completed,) = by_status(seeded, "completed")
    ended = store.get_interaction_logs(completed.id, event_types=["INTERACTION_COMPLETED"])
    assert ended[0].event_data["completion_reason"]
    (paused,) = by_status(seeded, "paused")
    assert paused.paused_turn_remaining_ms


def test_live_rooms_cover_short_timed_and_untimed_limits(seeded: list[Interaction]) -> None:
    limits = sorted(room.turn_time_limit for room in by_status(seeded, "live"))
    assert limits[0] == 0
    assert any(10 <= limit <= 20 for limit in limits)
    assert any(60 <= limit <= 90 for limit in limits)


def test_rooms_have_orders_participants_and_turns(
    demo: tuple[LiveStore, FakeClock], seeded: list[Interaction]
) -> None:
    store, _ = demo
    for room in seeded:
        assert 3 <= len(room.initiative_order) <= 6
        kinds = {entry.entity_type for entry in room.initiative_order}
        assert "playerCharacter" in kinds
        assert all(e.user_id for e in room.initiative_order if e.entity_type == "playerCharacter")
        if room.status in ("live", "paused"):
            assert len(room.connected_participants) >= 2
            assert room.round_number >= 2
        if room.status != "idle":
            assert store.get_turn_records(room.id)
    (idle,) = by_status(seeded, "idle")
    assert (idle.round_number, idle.current_initiative_index) == (0, None)


def test_history_is_a_few_hundred_events_all_in_the_past(
    demo: tuple[LiveStore, FakeClock], seeded: list[Interaction]
) -> None:
    store, clock = demo
    logs = [entry for room in seeded for entry in all_logs(store, room.id)]
    assert 200 <= len(logs) <= 1000
    assert all(entry.timestamp <= clock.now for entry in logs)
    types = Counter(entry.event_type for entry in logs)
    for event_type in (
        "TURN_COMPLETED",
        "TURN_SKIPPED",
        "TURN_TIMEOUT",
        "ROUND_COMPLETED",
        "DICE_ROLL",
        "PARTICIPANT_JOINED",
        "PARTICIPANT_LEFT",
        "INTERACTION_COMPLETED",
        "INTERACTION_CANCELLED",
        "INTERACTION_PAUSED",
    ):
        assert types[event_type] > 0, event_type
    turns = [turn for room in seeded for turn in store.get_turn_records(room.id)]
    played = [turn for turn in turns if turn.reason != "down"]
    assert all(turn.end_time is not None and turn.end_time > turn.start_time for turn in played)
    assert max(turn.end_time - turn.start_time for turn in turns if turn.end_time) >= 30_000


def test_fights_wear_hit_points_down_and_up_and_conditions_come_and_go(
    demo: tuple[LiveStore, FakeClock], seeded: list[Interaction]
) -> None:
    store, _ = demo
    for room in seeded:
        assert all(e.max_hp and e.armor_class for e in room.initiative_order), room.name
    events = [
        entry
        for room in seeded
        for entry in all_logs(store, room.id)
        if entry.event_type.startswith(("HP_", "CONDITION_"))
    ]
    types = Counter(entry.event_type for entry in events)
    assert {"CONDITION_ADDED", "CONDITION_REMOVED", "CONDITION_ENDED"} <= set(types)
    changes = [entry.event_data for entry in events if entry.event_type == "HP_CHANGED"]
    assert any(change["delta"] < 0 for change in changes), "damage"
    assert any(change["delta"] > 0 for change in changes), "healing"
    assert any(change["delta"] == 0 and change["temp_hp"] for change in changes), "temp hp"
    assert all(change["source_entity_id"] for change in changes if change["delta"])
    names = {event.event_data["name"] for event in events if event.event_type == "CONDITION_ADDED"}
    assert {"blessed", "prone"} <= names


def test_the_downed_are_passed_over_and_the_completed_fight_is_won(
    demo: tuple[LiveStore, FakeClock], seeded: list[Interaction]
) -> None:
    store, _ = demo
    passes = [
        turn for room in seeded for turn in store.get_turn_records(room.id) if turn.reason == "down"
    ]
    assert passes and all(turn.entity_type in ("monster", "npc") for turn in passes)
    (completed,) = by_status(seeded, "completed")
    foes = [e for e in completed.initiative_order if e.entity_type != "playerCharacter"]
    assert all(e.current_hp == 0 for e in foes)
    assert any(
        e.current_hp == 0 and e.entity_type == "monster"
        for room in by_status(seeded, "live")
        for e in room.initiative_order
    ), "a live room shows a downed monster being passed over"


def test_every_action_is_typed_and_belongs_to_its_turn(
    demo: tuple[LiveStore, FakeClock], seeded: list[Interaction]
) -> None:
    """The script's copy of each fight agrees with the store on whose turn it was."""
    store, _ = demo
    actions = []
    for room in seeded:
        for turn in store.get_turn_records(room.id):
            assert all(action.entity_id == turn.entity_id for action in turn.actions)
            actions += turn.actions
    kinds = {action.type for action in actions}
    assert {"move", "attack", "cast", "interact"} <= kinds
    for action in actions:
        if action.type in ("attack", "cast", "useItem", "interact"):
            assert action.description, action
        if action.type == "move":
            assert action.parameters["feet"] > 0
    assert any(a.description and ": hit for " in a.description for a in actions)


def test_chat_uses_every_channel_and_keeps_markup_literal(
    demo: tuple[LiveStore, FakeClock], seeded: list[Interaction]
) -> None:
    store, _ = demo
    chat = [
        entry.event_data
        for room in seeded
        for entry in store.get_interaction_logs(room.id, limit=1000, event_types=["CHAT_MESSAGE"])
    ]
    assert {message["channel"] for message in chat} == {"party", "dm", "private", "system"}
    assert all(message["recipients"] for message in chat if message["channel"] == "private")
    assert any("[bold]not bold[/bold]" in message["content"] for message in chat)


def test_same_seed_and_clock_give_the_same_demo_ending_now(
    demo: tuple[LiveStore, FakeClock], store: LiveStore, clock: FakeClock
) -> None:
    shared, shared_clock = demo
    assert clock.now == shared_clock.now
    seeded = [store.get_interaction(i) for i in seed_demo(store)]
    assert [shared.get_interaction(room.id) for room in seeded] == seeded
    for room in seeded:
        assert all_logs(store, room.id) == all_logs(shared, room.id)
        assert store.get_turn_records(room.id) == shared.get_turn_records(room.id)
    short = next(r for r in by_status(seeded, "live") if 0 < r.turn_time_limit <= 20)
    assert short.current_turn_timeout is not None
    assert clock.now < short.current_turn_timeout <= clock.now + 20_000
    assert all(r.last_activity is not None and r.last_activity <= clock.now for r in seeded)
    clock.advance(20_000)
    expired = store.expire_turn_timeouts()
    assert short.id in {record.interaction_id for record in expired}


def test_refuses_a_store_that_has_rooms(store: LiveStore) -> None:
    store.create_interaction(name="My real campaign", dm_user_id="dm")
    with pytest.raises(Conflict, match="empty store"):
        seed_demo(store)
    assert len(store.list_interactions()) == 1


def test_a_store_without_a_file_is_seeded_in_place(clock: FakeClock) -> None:
    with open_store(":memory:", clock=clock) as memory:
        ids = seed_demo(memory)
        assert {memory.get_interaction(i).status for i in ids} >= {"live", "completed"}
