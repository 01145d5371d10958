"""Process bodies for the reliability tests: writers, a poller, racers, victims to kill.

Each runs in a fresh process (multiprocessing "spawn", or "forkserver" where a
test starts dozens of processes), opens the store itself and reports back
through a queue or pipe. Every StoreError, and any other exception, is
reported as text instead of raised, so the test can fail with the cause.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from store import Conflict, open_store

LOAD_EVENT = "LOAD"
BATCH_EVENT = "BATCH_ITEM"
BATCH_SIZE = 500
BATCH_EVENTS = BATCH_SIZE - 3
"""A kill-test batch: this many tagged events, a snapshot, a turn record, a participant list."""

_contexts: dict[str, Any] = {}


def context(method: str) -> Any:
    """A multiprocessing context; "forkserver" forks from a server that has imported the store."""
    if method not in _contexts:
        ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            ctx.set_forkserver_preload(["store", "app.app", "tests.reliability.workers"])
        _contexts[method] = ctx
    return _contexts[method]


def _report(queue: Any, name: str, body: Callable[[], dict[str, Any]]) -> None:
    try:
        result = body()
    except BaseException:
        result = {"error": traceback.format_exc()}
    queue.put((name, result))


def log_writer(
    path: str, interaction_id: int, writer: int, seconds: float, barrier: Any, queue: Any
) -> None:
    """Log events as fast as possible; every fifth call is a batch of ten."""

    def body() -> dict[str, Any]:
        ids: list[int] = []
        sent = 0
        slowest = 0.0
        with open_store(path) as store:
            barrier.wait(timeout=60)
            deadline = time.monotonic() + seconds
            while (started := time.monotonic()) < deadline:
                if sent % 50 == 40:
                    operations = [
                        {
                            "type": "log_event",
                            "data": {
                                "event_type": LOAD_EVENT,
                                "event_data": {"writer": writer, "seq": sent + k},
                                "session_id": f"writer-{writer}",
                            },
                        }
                        for k in range(10)
                    ]
                    results = store.batch_state_operations(interaction_id, operations)
                    ids.extend(result.id for result in results if result.id is not None)
                    sent += 10
                else:
                    entry = store.log_interaction_event(
                        interaction_id, LOAD_EVENT, {"writer": writer, "seq": sent}, "s"
                    )
                    ids.append(entry.id)
                    sent += 1
                slowest = max(slowest, time.monotonic() - started)
        return {"ids": ids, "sent": sent, "slowest_s": slowest}

    _report(queue, f"writer-{writer}", body)


def poller(path: str, interaction_id: int, barrier: Any, stop: Any, queue: Any) -> None:
    """Follow the log like the dashboard: change token, then a tail query past the last id."""

    def body() -> dict[str, Any]:
        seen: list[int] = []
        polls = refreshes = 0
        with open_store(path) as store:
            barrier.wait(timeout=60)
            token = None
            while True:
                stopping = stop.is_set()
                polls += 1
                current = store.change_token()
                if current != token or stopping:
                    token = current
                    refreshes += 1
                    store.get_interaction(interaction_id, with_snapshot=False)
                    while True:
                        page = store.get_logs_after(
                            interaction_id, seen[-1] if seen else 0, limit=1000
                        )
                        seen.extend(entry.id for entry in page)
                        if len(page) < 1000:
                            break
                if stopping:
                    return {"seen": seen, "polls": polls, "refreshes": refreshes}
                time.sleep(0.02)

    _report(queue, "poller", body)


class SharedClock:
    """Epoch milliseconds read from a number the test process sets (multiprocessing.Value)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self) -> int:
        return int(self.value.value)


def expirer(path: str, now: Any, barrier: Any, rounds: int, queue: Any, name: str) -> None:
    """Each round: wait for the test to move the clock, then expire turns with the other racer."""

    def body() -> dict[str, Any]:
        expired: list[list[tuple[int, int, int]]] = []
        with open_store(path, clock=SharedClock(now)) as store:
            for _ in range(rounds):
                barrier.wait(timeout=60)
                records = store.expire_turn_timeouts()
                expired.append([(r.interaction_id, r.round_number, r.turn_number) for r in records])
                barrier.wait(timeout=60)
        return {"expired": expired}

    _report(queue, name, body)


def advancer(
    path: str, interaction_id: int, barrier: Any, rounds: int, queue: Any, name: str
) -> None:
    """Each round: read the turn, wait for the other racer, advance conditionally on it."""

    def body() -> dict[str, Any]:
        outcomes: list[str] = []
        with open_store(path) as store:
            for _ in range(rounds):
                barrier.wait(timeout=60)
                room = store.get_interaction(interaction_id, with_snapshot=False)
                barrier.wait(timeout=60)
                try:
                    store.advance_turn(
                        interaction_id, expected_turn=(room.round_number, room.turn_number)
                    )
                    outcomes.append("advanced")
                except Conflict:
                    outcomes.append("conflict")
                barrier.wait(timeout=60)
        return {"outcomes": outcomes}

    _report(queue, name, body)


def batch_operations(batch: int) -> list[dict[str, Any]]:
    """500 operations, every one tagged with the batch number (turn records by their round)."""
    operations: list[dict[str, Any]] = [
        {
            "type": "log_event",
            "data": {
                "event_type": BATCH_EVENT,
                "event_data": {"batch": batch, "n": n, "pad": "x" * 40},
                "session_id": "killed",
            },
        }
        for n in range(BATCH_EVENTS)
    ]
    snapshot = {"type": "save_snapshot", "data": {"state_snapshot": {"batch": batch}}}
    operations.insert(BATCH_EVENTS // 2, snapshot)
    operations.append({"type": "update_participants", "data": {"participants": [f"u-{batch}"]}})
    operations.append(
        {
            "type": "record_turn",
            "data": {
                "entity_id": "gob",
                "entity_type": "monster",
                "turn_number": 1,
                "round_number": batch + 1,
                "actions": [{"type": "note", "parameters": {"batch": batch}}],
                "start_time": 0,
                "status": "completed",
            },
        }
    )
    return operations


def batch_writer(path: str, interaction_id: int, first_batch: int, pipe: Connection) -> None:
    """Write 500-operation batches back to back until killed, saying when each begins and ends."""
    with open_store(path) as store:
        pipe.send(("ready", first_batch))
        batch = first_batch
        while True:
            operations = batch_operations(batch)
            pipe.send(("begin", batch))
            store.batch_state_operations(interaction_id, operations)
            pipe.send(("done", batch))
            batch += 1


def dashboard_advancer(path: str, interaction_id: int, pipe: Connection) -> None:
    """The dashboard, headless, in a room, pressing "n" (record the turn, advance) until killed."""
    asyncio.run(_drive_dashboard(path, interaction_id, pipe))


async def _drive_dashboard(path: str, interaction_id: int, pipe: Connection) -> None:
    from app.app import make_app
    from tests.ui.conftest import SIZE, open_room

    with open_store(path) as store:
        app = make_app(store, poll_interval=0.05, housekeeping=False)
        async with app.run_test(size=SIZE) as pilot:
            await open_room(pilot, interaction_id)
            pipe.send(("ready", 0))
            presses = 0
            while True:
                pipe.send(("press", presses))
                await pilot.press("n")  # returns once the write it started has finished
                presses += 1
                pipe.send(("pressed", presses))
