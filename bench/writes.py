"""Figures 4 and 5: write throughput, one event per call and in batches of 500.

Each run writes into a fresh store file; the baselines write the same events
with plain sqlite3 into a fresh file of the very same schema (created by
open_store, then closed), with the store's pragmas: WAL, synchronous=NORMAL,
foreign keys on.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.context import Context
from bench.data import build_write_store, event, initiative_order
from bench.measure import median
from bench.report import Row, Target
from store import open_store

INSERT = (
    "INSERT INTO live_interaction_logs (interaction_id, event_type, event_data, user_id, "
    "entity_id, timestamp, session_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _events(context: Context, count: int, salt: int) -> list[dict[str, Any]]:
    """`count` log_event operations, seeded; the same for the store and its baseline."""
    rng = random.Random(context.seed * 1000 + salt)
    order = initiative_order(rng, "w")
    return [event(rng, "room-write", order) for _ in range(count)]


def _raw_connection(path: Path) -> tuple[sqlite3.Connection, int]:
    """A plain connection to a fresh file with the store's schema and one live interaction."""
    with open_store(path) as store:
        interaction_id = store.create_interaction(name="Raw target", dm_user_id="u-dm").id
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    return connection, interaction_id


def _row(interaction_id: int, operation: dict[str, Any]) -> tuple[Any, ...]:
    data = operation["data"]
    return (
        interaction_id,
        data["event_type"],
        json.dumps(data["event_data"], separators=(",", ":"), ensure_ascii=False),
        data["user_id"],
        data["entity_id"],
        int(time.time() * 1000),
        data["session_id"],
    )


def single_rate(context: Context, run: int) -> tuple[float, float]:
    """(store events/s, raw sqlite3 events/s) for one log_interaction_event per event."""
    operations = _events(context, context.sizes.single_writes, salt=run)
    store, interaction_id = build_write_store(context.workdir / f"single-{run}.db")
    try:
        started = time.perf_counter()
        for operation in operations:
            data = operation["data"]
            store.log_interaction_event(
                interaction_id,
                data["event_type"],
                data["event_data"],
                data["session_id"],
                user_id=data["user_id"],
                entity_id=data["entity_id"],
            )
        store_rate = len(operations) / (time.perf_counter() - started)
    finally:
        store.close()
    connection, raw_id = _raw_connection(context.workdir / f"single-raw-{run}.db")
    try:
        started = time.perf_counter()
        for operation in operations:
            connection.execute(INSERT, _row(raw_id, operation))
            connection.commit()
        raw_rate = len(operations) / (time.perf_counter() - started)
    finally:
        connection.close()
    return store_rate, raw_rate


def batch_rate(context: Context, run: int) -> tuple[float, float]:
    """(store events/s, raw executemany events/s) in batches of `batch_size` events."""
    size = context.sizes.batch_size
    operations = _events(context, context.sizes.batch_events, salt=100 + run)
    batches = [operations[start : start + size] for start in range(0, len(operations), size)]
    store, interaction_id = build_write_store(context.workdir / f"batch-{run}.db")
    try:
        started = time.perf_counter()
        for batch in batches:
            store.batch_state_operations(interaction_id, batch)
        store_rate = len(operations) / (time.perf_counter() - started)
    finally:
        store.close()
    connection, raw_id = _raw_connection(context.workdir / f"batch-raw-{run}.db")
    try:
        started = time.perf_counter()
        for batch in batches:
            with connection:
                connection.executemany(INSERT, [_row(raw_id, operation) for operation in batch])
        raw_rate = len(operations) / (time.perf_counter() - started)
    finally:
        connection.close()
    return store_rate, raw_rate


def measure(context: Context) -> list[Row]:
    singles = [single_rate(context, run) for run in range(context.runs)]
    batches = [batch_rate(context, run) for run in range(context.runs)]
    return [
        Row(
            key="4.single_event_rate",
            figure=4,
            what="log_interaction_event, one event per call, WAL on",
            value=median([rate for rate, _ in singles]),
            unit="ev/s",
            target=Target("at_least", 2000.0, "≥ 2,000 ev/s"),
            baseline=median([raw for _, raw in singles]),
            baseline_what="raw sqlite3 insert+commit",
            runs=[rate for rate, _ in singles],
            details={
                "events_per_run": context.sizes.single_writes,
                "baseline_runs": [raw for _, raw in singles],
            },
        ),
        Row(
            key="5.batch_event_rate",
            figure=5,
            what=f"batch_state_operations, {context.sizes.batch_size} log events per batch",
            value=median([rate for rate, _ in batches]),
            unit="ev/s",
            target=Target("at_least", 50_000.0, "≥ 50,000 ev/s"),
            baseline=median([raw for _, raw in batches]),
            baseline_what="raw sqlite3 executemany",
            runs=[rate for rate, _ in batches],
            details={
                "events_per_run": context.sizes.batch_events,
                "baseline_runs": [raw for _, raw in batches],
            },
        ),
    ]
