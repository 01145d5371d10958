"""Several processes on one store at once: nothing locked escapes, nothing is lost or doubled.

Every worker is a separate process (multiprocessing "spawn"), so each has its
own SQLite connection and file locks, as a dashboard and a game server do.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from store import open_store
from tests.conftest import START_MS
from tests.process_reports import collect
from tests.reliability import workers
from tests.reliability.conftest import integrity, query
from tests.store.helpers import ORDER

pytestmark = pytest.mark.slow

WRITERS = 4
WRITE_SECONDS = 2.5
EXPIRY_ROUNDS = 20
EXPIRY_ROOMS = 5
ADVANCE_ROUNDS = 20
LIMIT_S = 10


def test_four_writers_and_a_poller_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    with open_store(path) as store:
        interaction_id = store.create_interaction(name="Load", dm_user_id="dm").id
    ctx = workers.context("spawn")
    queue = ctx.Queue()
    barrier = ctx.Barrier(WRITERS + 2)
    stop = ctx.Event()
    writers = [
        ctx.Process(
            target=workers.log_writer,
            args=(str(path), interaction_id, number, WRITE_SECONDS, barrier, queue),
        )
        for number in range(WRITERS)
    ]
    poller = ctx.Process(
        target=workers.poller, args=(str(path), interaction_id, barrier, stop, queue)
    )
    for process in [*writers, poller]:
        process.start()
    barrier.wait(timeout=60)
    names = [f"writer-{number}" for number in range(WRITERS)]
    reports = collect(queue, names, writers)
    stop.set()
    reports.update(collect(queue, ["poller"], [poller]))

    rows = query(
        path,
        "SELECT id, event_data FROM live_interaction_logs WHERE event_type = ? ORDER BY id",
        workers.LOAD_EVENT,
    )
    stored = Counter((data["writer"], data["seq"]) for data in (json.loads(r[1]) for r in rows))
    # SQLite's busy handler is not fair: on a loaded machine one writer can wait
    # seconds for the lock while the others write, so only the total must be high.
    assert sum(reports[name]["sent"] for name in names) > 200
    for number in range(WRITERS):
        sent = reports[f"writer-{number}"]["sent"]
        written = {(number, seq) for seq in range(sent)}
        assert {key for key in stored if key[0] == number} == written
    assert set(stored.values()) == {1}, "an event was stored twice"
    returned = [i for number in range(WRITERS) for i in reports[f"writer-{number}"]["ids"]]
    assert len(returned) == len(set(returned)) == len(rows)
    assert sorted(returned) == [row[0] for row in rows]
    # The tail query the dashboard uses never skips an entry or shows one twice.
    seen = reports["poller"]["seen"]
    assert seen == sorted(set(seen)) == [row[0] for row in rows]
    assert reports["poller"]["refreshes"] > 10
    assert integrity(path) == ["ok"]
    print(
        "events per writer:",
        [reports[name]["sent"] for name in names],
        "slowest call (s):",
        [round(reports[name]["slowest_s"], 3) for name in names],
        "poller refreshes:",
        reports["poller"]["refreshes"],
    )


def test_racing_expiry_records_each_expired_turn_once(tmp_path: Path) -> None:
    path = tmp_path / "expiry.db"
    ctx = workers.context("spawn")
    now = ctx.Value("q", START_MS)
    clock = workers.SharedClock(now)
    with open_store(path, clock=clock) as store:
        rooms = []
        for number in range(EXPIRY_ROOMS):
            room = store.create_interaction(
                name=f"fight {number}",
                dm_user_id="dm",
                initiative_order=ORDER,
                turn_time_limit=LIMIT_S,
            ).id
            store.initialize_for_live_play(room, f"room-{number}", None)
            rooms.append(room)
    queue = ctx.Queue()
    barrier = ctx.Barrier(3)
    names = ["expirer-a", "expirer-b"]
    racers = [
        ctx.Process(
            target=workers.expirer, args=(str(path), now, barrier, EXPIRY_ROUNDS, queue, name)
        )
        for name in names
    ]
    for process in racers:
        process.start()
    for round_index in range(EXPIRY_ROUNDS):
        now.value = START_MS + (round_index + 1) * LIMIT_S * 1000  # every turn is due exactly now
        barrier.wait(timeout=60)
        barrier.wait(timeout=60)
    reports = collect(queue, names, racers)

    for round_index in range(EXPIRY_ROUNDS):
        expired = [record for name in names for record in reports[name]["expired"][round_index]]
        assert sorted(record[0] for record in expired) == rooms, f"round {round_index}"
    with open_store(path, clock=clock) as store:
        for room in rooms:
            records = store.get_turn_records(room)
            positions = [(r.round_number, r.turn_number) for r in records]
            expected = [(n // len(ORDER) + 1, n % len(ORDER) + 1) for n in range(EXPIRY_ROUNDS)]
            assert positions == expected
            assert {r.status for r in records} == {"timeout"}
            interaction = store.get_interaction(room)
            assert (interaction.round_number, interaction.turn_number) == (
                EXPIRY_ROUNDS // len(ORDER) + 1,
                EXPIRY_ROUNDS % len(ORDER) + 1,
            )
            assert interaction.current_turn_timeout == now.value + LIMIT_S * 1000
            timeouts = store.get_interaction_logs(room, limit=1000, event_types=["TURN_TIMEOUT"])
            assert len(timeouts) == EXPIRY_ROUNDS


def test_racing_advances_one_wins_the_other_conflicts(tmp_path: Path) -> None:
    path = tmp_path / "advance.db"
    with open_store(path) as store:
        room = store.create_interaction(
            name="Duel", dm_user_id="dm", initiative_order=ORDER, turn_time_limit=0
        ).id
        store.initialize_for_live_play(room, "room-duel", None)
    ctx = workers.context("spawn")
    queue = ctx.Queue()
    barrier = ctx.Barrier(2)
    names = ["advancer-a", "advancer-b"]
    racers = [
        ctx.Process(
            target=workers.advancer, args=(str(path), room, barrier, ADVANCE_ROUNDS, queue, name)
        )
        for name in names
    ]
    for process in racers:
        process.start()
    reports = collect(queue, names, racers)

    for round_index in range(ADVANCE_ROUNDS):
        outcomes = sorted(reports[name]["outcomes"][round_index] for name in names)
        assert outcomes == ["advanced", "conflict"], f"round {round_index}"
    with open_store(path) as store:
        records = store.get_turn_records(room)
        positions = [(r.round_number, r.turn_number) for r in records]
        assert positions == [
            (n // len(ORDER) + 1, n % len(ORDER) + 1) for n in range(ADVANCE_ROUNDS)
        ]
        started = store.get_interaction_logs(room, limit=1000, event_types=["TURN_STARTED"])
        assert len(started) == ADVANCE_ROUNDS + 1
