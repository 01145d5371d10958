"""Writers killed with SIGKILL mid-write: every write is whole or absent, the file stays sound.

The victims are forked from a multiprocessing forkserver that has already
imported the store (and the app), so one costs ~0.1 s instead of a fresh
interpreter's ~0.5 s, and the test can afford dozens of kills.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

from store import open_store
from tests.reliability import workers
from tests.reliability.conftest import integrity, query
from tests.store.helpers import ORDER

pytestmark = pytest.mark.slow

BATCH_KILLS = 30
DASHBOARD_KILLS = 4


def _drain(pipe: Connection) -> list[tuple[str, int]]:
    messages = []
    while pipe.poll():
        try:
            messages.append(pipe.recv())
        except EOFError:  # the victim died halfway through sending
            break
    return messages


def _start_victim(target: Any, *args: Any) -> tuple[Any, Connection]:
    ctx = workers.context("forkserver")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=target, args=(*args, sender))
    process.start()
    sender.close()
    assert receiver.poll(30), "the victim never became ready"
    assert receiver.recv()[0] == "ready"
    return process, receiver


def _kill(process: Any) -> None:
    process.kill()  # SIGKILL: no cleanup, no rollback, no atexit
    process.join(timeout=10)
    assert process.exitcode == -9


def test_batches_killed_midway_are_all_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    with open_store(path) as store:
        room = store.create_interaction(name="Victim", dm_user_id="dm").id
    rng = random.Random(5)
    begun: set[int] = set()
    done: set[int] = set()
    killed_inside_a_call = 0
    for kill in range(BATCH_KILLS):
        process, pipe = _start_victim(workers.batch_writer, str(path), room, kill * 1000)
        time.sleep(rng.uniform(0.0, 0.12))
        _kill(process)
        last = None
        for kind, batch in _drain(pipe):
            (begun if kind == "begin" else done).add(batch)
            last = (kind, batch)
        killed_inside_a_call += last is not None and last[0] == "begin"
        pipe.close()

    assert integrity(path) == ["ok"]
    rows = query(
        path,
        "SELECT event_data FROM live_interaction_logs WHERE event_type = ?",
        workers.BATCH_EVENT,
    )
    per_batch = Counter(json.loads(row[0])["batch"] for row in rows)
    assert set(per_batch.values()) <= {workers.BATCH_EVENTS}, "a batch is half there"
    committed = set(per_batch)
    assert done <= committed <= begun
    turn_rounds = {r[0] - 1 for r in query(path, "SELECT round_number FROM turn_records")}
    assert turn_rounds == committed
    with open_store(path) as store:
        interaction = store.get_interaction(room)
        newest = max(committed)
        assert interaction.last_state_snapshot == {"batch": newest}
        assert interaction.connected_participants == [f"u-{newest}"]
        # The store opens and works after the last kill.
        store.batch_state_operations(room, workers.batch_operations(10**6))
        assert len(store.get_turn_records(room)) == len(committed) + 1
    assert integrity(path) == ["ok"]
    assert killed_inside_a_call >= BATCH_KILLS // 2, killed_inside_a_call
    print(
        f"{BATCH_KILLS} kills, {killed_inside_a_call} inside a batch call, "
        f"{len(committed)} batches committed, {len(begun - committed)} absent"
    )


def test_dashboard_killed_while_advancing_leaves_whole_turns(tmp_path: Path) -> None:
    path = tmp_path / "dashboard.db"
    with open_store(path) as store:
        room = store.create_interaction(
            name="Killed mid-turn", dm_user_id="dm", initiative_order=ORDER, turn_time_limit=0
        ).id
        store.initialize_for_live_play(room, "room-k", None)
    rng = random.Random(7)
    presses = killed_mid_press = 0
    for _ in range(DASHBOARD_KILLS):
        process, pipe = _start_victim(workers.dashboard_advancer, str(path), room)
        time.sleep(rng.uniform(0.2, 0.6))
        _kill(process)
        messages = _drain(pipe)
        presses += sum(kind == "pressed" for kind, _ in messages)
        killed_mid_press += bool(messages) and messages[-1][0] == "press"
        pipe.close()

    assert integrity(path) == ["ok"]
    with open_store(path) as store:
        records = store.get_turn_records(room)
        count = len(records)
        assert count > DASHBOARD_KILLS, "the dashboard never advanced a turn"
        positions = [(r.round_number, r.turn_number) for r in records]
        assert positions == [(n // len(ORDER) + 1, n % len(ORDER) + 1) for n in range(count)]
        interaction = store.get_interaction(room)
        assert (interaction.round_number, interaction.turn_number) == (
            count // len(ORDER) + 1,
            count % len(ORDER) + 1,
        )

        def logged(event_type: str) -> int:
            return len(store.get_interaction_logs(room, limit=1000, event_types=[event_type]))

        assert logged("TURN_COMPLETED") == count
        assert logged("TURN_STARTED") == count + 1
        assert logged("ROUND_COMPLETED") == count // len(ORDER)
        store.advance_turn(room)
    print(
        f"{DASHBOARD_KILLS} dashboard kills, {killed_mid_press} during a key press's write, "
        f"{presses} presses finished, {count} turns recorded"
    )
