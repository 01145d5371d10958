"""Figure 9: expire_turn_timeouts over 1,000 live rooms, all overdue and none overdue.

The rooms run 10-second turns on a clock the benchmark moves: "none" calls
it with every turn still running, "all" after moving the clock past every
timeout (each call restarts every turn, so the next run finds them running
again). The baseline does the same rows' worth of work with plain sqlite3
on a copy of the store: in one transaction, select the overdue rooms and per
room insert a turn record and two events and update the room.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from bench.context import Context
from bench.data import build_timeout_store
from bench.diagnose import plans_of
from bench.measure import median, ms
from bench.report import Row, Target
from store import open_store

TARGET_MS = 100.0
OVERDUE = (
    "SELECT id, initiative_order, current_initiative_index, round_number, turn_number, "
    "turn_started_at, turn_time_limit, live_room_id FROM interactions "
    "WHERE status = 'live' AND current_turn_timeout <= ? ORDER BY current_turn_timeout, id"
)
LOG = (
    "INSERT INTO live_interaction_logs (interaction_id, event_type, event_data, user_id, "
    "entity_id, timestamp, session_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _raw_expire(connection: sqlite3.Connection, now: int) -> int:
    """The minimal raw-SQL version of expiring every overdue turn; returns rooms expired."""
    connection.execute("BEGIN IMMEDIATE")
    expired = 0
    for room, order_json, index, round_number, turn, started, limit, session in connection.execute(
        OVERDUE, (now,)
    ).fetchall():
        order = json.loads(order_json)
        entry = order[index or 0]
        connection.execute(
            "INSERT INTO turn_records (interaction_id, entity_id, entity_type, turn_number, "
            "round_number, actions, start_time, end_time, status, user_id) "
            "VALUES (?, ?, ?, ?, ?, '[]', ?, ?, 'timeout', ?)",
            (
                room,
                entry["entity_id"],
                entry["entity_type"],
                turn,
                round_number,
                started or now,
                now,
                entry.get("user_id"),
            ),
        )
        data = json.dumps({"round_number": round_number, "turn_number": turn})
        connection.execute(
            LOG, (room, "TURN_TIMEOUT", data, None, entry["entity_id"], now, session)
        )
        following = ((index or 0) + 1) % len(order)
        connection.execute(
            LOG, (room, "TURN_STARTED", data, None, order[following]["entity_id"], now, session)
        )
        connection.execute(
            "UPDATE interactions SET current_initiative_index = ?, turn_number = ?, "
            "round_number = ?, turn_started_at = ?, current_turn_timeout = ?, "
            "last_activity = ?, updated_at = ? WHERE id = ?",
            (
                following,
                turn + 1 if following else 1,
                round_number + (0 if following else 1),
                now,
                now + limit * 1000,
                now,
                now,
                room,
            ),
        )
        expired += 1
    connection.execute("COMMIT")
    return expired


def _copy(source: Path, target: Path) -> None:
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def measure(context: Context) -> list[Row]:
    rooms = context.sizes.timeout_rooms
    built = build_timeout_store(context.workdir, rooms, context.seed)
    raw_path = context.workdir / "timeouts-raw.db"
    _copy(built.path, raw_path)
    clock = built.clock
    none_ms: list[float] = []
    all_ms: list[float] = []
    raw_none: list[float] = []
    raw_all: list[float] = []
    expired_counts: list[int] = []
    plans: list[dict[str, object]] = []
    statements = 0
    raw = sqlite3.connect(raw_path, isolation_level=None)
    try:
        with open_store(built.path, clock=clock) as store:
            for _ in range(context.runs):
                started = time.perf_counter()
                if store.expire_turn_timeouts():
                    raise RuntimeError("a turn expired before its time")
                none_ms.append(ms(time.perf_counter() - started))
                started = time.perf_counter()
                _raw_expire(raw, clock.now)
                raw_none.append(ms(time.perf_counter() - started))

                clock.now += built.turn_limit_ms + 1
                started = time.perf_counter()
                expired = len(store.expire_turn_timeouts())
                all_ms.append(ms(time.perf_counter() - started))
                expired_counts.append(expired)
                started = time.perf_counter()
                _raw_expire(raw, clock.now)
                raw_all.append(ms(time.perf_counter() - started))
                clock.now += 1
            # One more, untimed, with its SQL captured (capturing slows the call down).
            clock.now += built.turn_limit_ms + 1
            plans, statements = plans_of(built.path, store.expire_turn_timeouts)
    finally:
        raw.close()
    return [
        Row(
            key="9.expire_all_overdue",
            figure=9,
            what=f"expire_turn_timeouts, {rooms:,} live rooms all overdue",
            value=median(all_ms),
            unit="ms",
            target=Target("at_most", TARGET_MS, f"< {TARGET_MS:g} ms"),
            baseline=median(raw_all),
            baseline_what="raw sqlite3, same rows",
            runs=all_ms,
            details={
                "expired": expired_counts,
                "statements": statements,
                "statements_per_room": statements / rooms if rooms else None,
                "plans": [p for p in plans if p["full_scan"] or p["temp_sort"]],
            },
        ),
        Row(
            key="9.expire_none_overdue",
            figure=9,
            what=f"expire_turn_timeouts, {rooms:,} live rooms none overdue",
            value=median(none_ms),
            unit="ms",
            target=Target("at_most", TARGET_MS, f"< {TARGET_MS:g} ms"),
            baseline=median(raw_none),
            baseline_what="raw sqlite3, same query",
            runs=none_ms,
        ),
    ]
