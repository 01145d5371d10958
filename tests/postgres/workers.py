"""Process bodies for the PostgreSQL concurrency tests: writers, expiry racers, advancers.

Each runs in a fresh process (multiprocessing "spawn"), opens the store on its
own connection and reports through a queue. Any exception is reported as
text instead of raised, so the test fails with the cause.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from store import Conflict, open_store

LOAD_EVENT = "LOAD"
BATCHES = 5
BATCH_EVENTS = 20


def _report(queue: Any, name: str, body: Callable[[], dict[str, Any]]) -> None:
    try:
        queue.put((name, body()))
    except BaseException:
        queue.put((name, {"error": traceback.format_exc()}))


def log_writer(
    url: str, interaction_id: int, number: int, events: int, barrier: Any, queue: Any
) -> None:
    """Log `events` single events, then a few batches, numbered so order can be checked."""

    def body() -> dict[str, Any]:
        with open_store(url) as store:
            barrier.wait(timeout=60)
            for sequence in range(events):
                store.log_interaction_event(
                    interaction_id, LOAD_EVENT, {"writer": number, "n": sequence}, "load"
                )
            for batch in range(BATCHES):
                store.batch_state_operations(
                    interaction_id,
                    [
                        {
                            "type": "log_event",
                            "data": {
                                "event_type": LOAD_EVENT,
                                "session_id": "load",
                                "event_data": {
                                    "writer": number,
                                    "n": events + batch * BATCH_EVENTS + item,
                                },
                            },
                        }
                        for item in range(BATCH_EVENTS)
                    ],
                )
        return {"written": events + BATCHES * BATCH_EVENTS}

    _report(queue, f"writer-{number}", body)


def expirer(
    url: str, name: str, rounds: int, start_ms: int, step_ms: int, barrier: Any, queue: Any
) -> None:
    """Each round: move the clock one turn limit on, meet the other racer, expire at once."""

    def body() -> dict[str, Any]:
        now = [start_ms]
        expired: list[list[tuple[int, int, int]]] = []
        with open_store(url, clock=lambda: now[0]) as store:
            for round_index in range(rounds):
                now[0] = start_ms + (round_index + 1) * step_ms
                barrier.wait(timeout=60)
                records = store.expire_turn_timeouts()
                expired.append([(r.interaction_id, r.round_number, r.turn_number) for r in records])
                barrier.wait(timeout=60)  # both done before the clock moves again
        return {"expired": expired}

    _report(queue, name, body)


def advancer(
    url: str, name: str, interaction_id: int, expected: tuple[int, int], barrier: Any, queue: Any
) -> None:
    """One conditional advance of the same turn as every other advancer."""

    def body() -> dict[str, Any]:
        with open_store(url) as store:
            barrier.wait(timeout=60)
            try:
                store.advance_turn(interaction_id, expected_turn=expected)
                return {"outcome": "advanced"}
            except Conflict:
                return {"outcome": "conflict"}

    _report(queue, name, body)
