"""The simulator plays live rooms through the store, survives rooms changing under it,
and leaves short-limit turns alone so they time out."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from app.demo_turns import stats
from app.simulator import Simulator, simulate_main
from store import Conflict, Interaction, LiveStore, open_store
from tests.conftest import FakeClock


def event_types(store: LiveStore, interaction_id: int) -> list[str]:
    return [e.event_type for e in store.get_interaction_logs(interaction_id, limit=1000)]


@pytest.fixture
def rooms(store: LiveStore) -> list[int]:
    """Three live rooms made by the simulator itself, the first with a 15 s turn limit."""
    return Simulator(store, rng=random.Random(1)).ensure_rooms(3)


def test_ensure_rooms_creates_live_rooms_once(store: LiveStore, rooms: list[int]) -> None:
    created = [store.get_interaction(i) for i in rooms]
    assert [room.status for room in created] == ["live"] * 3
    assert created[0].turn_time_limit == 15
    assert all(3 <= len(room.initiative_order) <= 6 for room in created)
    assert all(len(room.connected_participants) >= 2 for room in created)
    assert all(room.round_number == 1 for room in created)
    assert Simulator(store).ensure_rooms(3) == []
    assert len(Simulator(store).ensure_rooms(4)) == 1


def test_steps_play_every_kind_of_action(store: LiveStore, rooms: list[int]) -> None:
    simulator = Simulator(store, rng=random.Random(7))
    descriptions = [simulator.step() for _ in range(120)]
    assert all(isinstance(line, str) and "\n" not in line and line for line in descriptions)
    types = {t for room in rooms for t in event_types(store, room)}
    assert {"CHAT_MESSAGE", "DICE_ROLL", "TURN_COMPLETED", "TURN_STARTED"} <= types
    assert types & {"PARTICIPANT_LEFT"}
    channels = {
        e.event_data["channel"]
        for room in rooms
        for e in store.get_interaction_logs(room, limit=1000, event_types=["CHAT_MESSAGE"])
    }
    assert channels == {"party", "dm", "private", "system"}
    assert sum(len(store.get_turn_records(room)) for room in rooms) >= 5


def test_same_rng_same_play(store: LiveStore, clock: FakeClock, tmp_path: Path) -> None:
    with open_store(tmp_path / "twin.db", clock=FakeClock(clock.now)) as twin:
        played = []
        for target in (store, twin):
            Simulator(target, rng=random.Random(1)).ensure_rooms(2)
            simulator = Simulator(target, rng=random.Random(2))
            played.append([simulator.step() for _ in range(40)])
        assert played[0] == played[1]


def test_rooms_limits_play_to_the_first_live_rooms(store: LiveStore, rooms: list[int]) -> None:
    before = {room: len(event_types(store, room)) for room in rooms}
    simulator = Simulator(store, rooms=1, rng=random.Random(3))
    for _ in range(30):
        simulator.step()
    after = {room: len(event_types(store, room)) for room in rooms}
    assert after[rooms[0]] > before[rooms[0]]
    assert after[rooms[1]] == before[rooms[1]]
    assert after[rooms[2]] == before[rooms[2]]


def test_run_keeps_going_when_a_room_is_finalized_under_it(
    store: LiveStore, rooms: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard finalizes a room between the simulator's read and its write."""
    real_get = store.get_interaction

    def get_then_finalize(interaction_id: int) -> Interaction:
        interaction = real_get(interaction_id)
        if interaction_id == rooms[1] and interaction.status == "live":
            store.finalize_live_interaction(interaction_id, None, "the DM called it")
        return interaction

    monkeypatch.setattr(store, "get_interaction", get_then_finalize)
    simulator = Simulator(store, rate=500, rng=random.Random(4))
    done = simulator.run(duration=0.25)
    assert simulator.errors >= 1
    assert "completed" in (simulator.last_error or "")
    assert done == simulator.actions >= 20
    assert real_get(rooms[1]).status == "completed"
    assert len(event_types(store, rooms[2])) > 10


def test_run_stops_when_told(store: LiveStore, rooms: list[int]) -> None:
    stop = threading.Event()
    stop.set()
    assert Simulator(store, rate=1000).run(stop=stop) == 0


def test_run_times_out_overdue_turns(store: LiveStore, clock: FakeClock, rooms: list[int]) -> None:
    short = store.get_interaction(rooms[0])
    clock.advance(short.turn_time_limit * 1000)
    simulator = Simulator(store, rate=1000, rng=random.Random(5))
    simulator.run(duration=0.01)
    assert simulator.timeouts >= 1
    timeouts = store.get_interaction_logs(rooms[0], event_types=["TURN_TIMEOUT"])
    assert timeouts and timeouts[0].event_data["round_number"] == short.round_number


def test_short_limit_turns_are_left_alone_to_time_out(
    store: LiveStore, clock: FakeClock, rooms: list[int]
) -> None:
    for room in rooms[1:]:
        store.pause_interaction(room)
    simulator = Simulator(store, rng=random.Random(6))
    for _ in range(120):
        simulator.step()
    stuck_at = store.get_interaction(rooms[0])
    for _ in range(60):
        simulator.step()
    now = store.get_interaction(rooms[0])
    assert (now.round_number, now.turn_number) == (stuck_at.round_number, stuck_at.turn_number)
    clock.advance(15_000)
    [record] = store.expire_turn_timeouts()
    assert (record.interaction_id, record.status) == (rooms[0], "timeout")


def test_chat_follows_the_room_settings(store: LiveStore, rooms: list[int]) -> None:
    store.update_turn_settings(rooms[1], chat_enabled=False)
    store.update_turn_settings(rooms[2], allow_private_chat=False)
    newest = {room: store.get_interaction_logs(room, limit=1)[0].id for room in rooms}
    simulator = Simulator(store, rng=random.Random(8))
    for _ in range(90):
        simulator.step()
    assert simulator.errors == 0

    def channels(room: int) -> set[str]:
        logs = store.get_logs_after(room, newest[room], limit=1000)
        return {e.event_data["channel"] for e in logs if e.event_type == "CHAT_MESSAGE"}

    assert channels(rooms[1]) == {"system"}
    assert "private" not in channels(rooms[2])
    assert "party" in channels(rooms[2])


def test_no_live_rooms_is_not_an_error(store: LiveStore) -> None:
    assert Simulator(store).step() == "no live rooms to play"


@pytest.mark.parametrize("arguments", [{"rate": 0}, {"rate": float("nan")}, {"rooms": 0}])
def test_bad_arguments_are_refused(store: LiveStore, arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Simulator(store, **arguments)  # type: ignore[arg-type]


def test_simulate_main_sets_up_and_plays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "sim.db")
    assert simulate_main(target, 2, 200.0, 0.2) == 0
    summary = capsys.readouterr().out.strip()
    assert summary.startswith("simulated ") and "2 live rooms" in summary
    assert "\n" not in summary
    with open_store(target) as store:
        assert len(store.get_all_live_interactions()) == 2


def test_simulate_main_refuses_bad_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert simulate_main(str(tmp_path / "sim.db"), 2, 0.0, 1.0) == 2
    assert "--rate" in capsys.readouterr().err
    assert simulate_main(str(tmp_path / "sim.db"), 0, 5.0, 1.0) == 2
    assert not (tmp_path / "sim.db").exists()


def test_simulate_main_reports_a_store_it_cannot_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_ours = tmp_path / "notes.txt"
    not_ours.write_text("my campaign notes\n")
    assert simulate_main(str(not_ours), 1, 5.0, 0.1) == 1
    assert "liveroom simulate:" in capsys.readouterr().err
    assert not_ours.read_text() == "my campaign notes\n"


def test_chat_refused_by_a_setting_changed_under_it_is_not_an_error(
    store: LiveStore, rooms: list[int]
) -> None:
    """The DM turns chat off between the simulator's read and its write."""
    simulator = Simulator(store, rng=random.Random(9))
    stale = store.get_interaction(rooms[1])
    store.update_turn_settings(rooms[1], chat_enabled=False)
    lines = [simulator._chat(stale) for _ in range(12)]
    assert any("chat refused: chat is disabled" in line for line in lines)
    store.finalize_live_interaction(rooms[1], None, "over")
    with pytest.raises(Conflict):
        for _ in range(12):
            simulator._chat(stale)


def test_fights_change_hit_points_and_conditions_through_the_store(
    store: LiveStore, clock: FakeClock, rooms: list[int]
) -> None:
    simulator = Simulator(store, rng=random.Random(10))
    for _ in range(600):
        simulator.step()
        clock.advance(500)
    assert simulator.errors == 0
    logs = [
        e
        for room in store.list_interactions()
        for e in store.get_interaction_logs(room.id, limit=1000)
    ]
    changes = [e.event_data for e in logs if e.event_type == "HP_CHANGED"]
    assert any(change["delta"] < 0 for change in changes)
    assert all(change["source_entity_id"] for change in changes if change["delta"])
    assert {e.event_type for e in logs} >= {"CONDITION_ADDED", "CONDITION_ENDED"}
    records = [t for room in store.list_interactions() for t in store.get_turn_records(room.id)]
    assert any(t.reason == "down" for t in records), "a downed monster is passed over"
    deeds = [a for t in records for a in t.actions if a.type in ("attack", "cast")]
    aimed = [a for a in deeds if a.spell_id != "bless"]  # Bless names its targets in parameters
    assert aimed and all(a.target and a.description for a in aimed)


def down_every(store: LiveStore, interaction_id: int, side: str) -> None:
    for entry in store.get_interaction(interaction_id).initiative_order:
        if entry.max_hp and stats(entry).side == side:
            store.adjust_hp(interaction_id, entry.entity_id, -entry.max_hp)


def test_a_fight_whose_foes_are_down_gets_a_new_wave_or_ends(
    store: LiveStore, rooms: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    room = next(
        r
        for r in rooms
        if any(e.entity_type == "monster" for e in store.get_interaction(r).initiative_order)
    )
    down_every(store, room, "foes")
    before = store.get_interaction(room)
    simulator = Simulator(store, rng=random.Random(11))
    monkeypatch.setattr("app.simulator.WAVE_CHANCE", 1.0)
    line = simulator._turn(before)
    assert "reinforcements" in line
    after = store.get_interaction(room)
    assert len(after.initiative_order) > len(before.initiative_order)
    assert after.status == "live"
    monkeypatch.setattr("app.simulator.WAVE_CHANCE", 0.0)
    down_every(store, room, "foes")
    line = simulator._turn(store.get_interaction(room))
    assert "finalized, every foe is down" in line
    assert store.get_interaction(room).status == "completed"
    assert len(store.get_all_live_interactions()) == len(rooms)


def test_a_fallen_party_ends_the_fight_and_the_next_encounter_opens(
    store: LiveStore, rooms: list[int]
) -> None:
    room = next(
        r
        for r in rooms
        if any(e.entity_type == "monster" for e in store.get_interaction(r).initiative_order)
    )
    down_every(store, room, "party")
    line = Simulator(store, rng=random.Random(12))._turn(store.get_interaction(room))
    assert "the party has fallen" in line
    ended = store.get_interaction_logs(room, event_types=["INTERACTION_COMPLETED"])
    assert ended[0].event_data["completion_reason"] == "The party has fallen"
    assert len(store.get_all_live_interactions()) == len(rooms)


def test_rooms_without_hit_points_are_played_too(store: LiveStore) -> None:
    """A fight built in the dashboard without hit points: blows land in words only."""
    fight = store.create_interaction(
        name="Homebrew",
        dm_user_id="dm",
        initiative_order=[
            {
                "entity_id": "pc-1",
                "entity_type": "playerCharacter",
                "name": "Ada",
                "initiative_roll": 15,
                "user_id": "u-ada",
            },
            {"entity_id": "orc-1", "entity_type": "monster", "name": "Orc", "initiative_roll": 9},
        ],
    )
    store.initialize_for_live_play(fight.id, "room-home", None)
    simulator = Simulator(store, rng=random.Random(13))
    for _ in range(200):
        simulator.step()
    assert simulator.errors == 0
    assert store.get_interaction(fight.id).status == "live"
    assert len(store.get_turn_records(fight.id)) >= 5
    assert not store.get_interaction_logs(fight.id, event_types=["HP_CHANGED"])
