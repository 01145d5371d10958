"""Several processes on one PostgreSQL store: nothing lost, nothing doubled.

The reliability tests' concurrent-writer and exactly-once checks, on
PostgreSQL: every writer is a process with its own connection, and the row
locks (FOR UPDATE, SKIP LOCKED in the sweeps) must do what SQLite's
database-wide write lock does.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter

import pytest

from store import open_store
from tests.conftest import START_MS
from tests.postgres import workers
from tests.process_reports import collect
from tests.store.helpers import LIMIT_MS, ORDER

pytestmark = pytest.mark.slow

WRITERS = 4
EVENTS_PER_WRITER = 150
EXPIRERS = 2
EXPIRY_ROUNDS = 8
EXPIRY_ROOMS = 6
ADVANCERS = 4
TIMEOUT_S = 90.0


def test_four_writer_processes_lose_nothing_and_keep_their_order(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        interaction_id = store.create_interaction(name="Load", dm_user_id="dm").id
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    barrier = ctx.Barrier(WRITERS)
    processes = [
        ctx.Process(
            target=workers.log_writer,
            args=(postgres_url, interaction_id, number, EVENTS_PER_WRITER, barrier, queue),
        )
        for number in range(WRITERS)
    ]
    for process in processes:
        process.start()
    reports = collect(queue, [f"writer-{n}" for n in range(WRITERS)], processes, TIMEOUT_S)

    per_writer = EVENTS_PER_WRITER + workers.BATCHES * workers.BATCH_EVENTS
    assert all(report["written"] == per_writer for report in reports.values())
    with open_store(postgres_url) as store:
        entries = []
        before = None
        while True:
            page = store.get_interaction_logs(
                interaction_id, limit=1000, before=before, event_types=[workers.LOAD_EVENT]
            )
            entries.extend(page)
            if len(page) < 1000:
                break
            before = page[-1].id
    entries.sort(key=lambda entry: entry.id)
    assert len(entries) == WRITERS * per_writer
    assert len({entry.id for entry in entries}) == len(entries)
    for number in range(WRITERS):
        sequence = [e.event_data["n"] for e in entries if e.event_data["writer"] == number]
        assert sequence == list(range(per_writer)), f"writer {number} out of order"


def test_two_processes_racing_expire_turn_timeouts_expire_each_turn_once(
    postgres_url: str,
) -> None:
    with open_store(postgres_url, clock=lambda: START_MS) as store:
        rooms = []
        for number in range(EXPIRY_ROOMS):
            created = store.create_interaction(
                name=f"fight {number}", dm_user_id="dm", initiative_order=ORDER, turn_time_limit=60
            )
            store.initialize_for_live_play(created.id, f"room-{number}", None)
            rooms.append(created.id)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    barrier = ctx.Barrier(EXPIRERS)
    names = [f"expirer-{n}" for n in range(EXPIRERS)]
    processes = [
        ctx.Process(
            target=workers.expirer,
            args=(postgres_url, name, EXPIRY_ROUNDS, START_MS, LIMIT_MS, barrier, queue),
        )
        for name in names
    ]
    for process in processes:
        process.start()
    reports = collect(queue, names, processes, TIMEOUT_S)

    for round_index in range(EXPIRY_ROUNDS):
        expired = [key for name in names for key in reports[name]["expired"][round_index]]
        assert sorted(room for room, _, _ in expired) == rooms, f"round {round_index}"
    everything = [key for name in names for batch in reports[name]["expired"] for key in batch]
    assert not [key for key, count in Counter(everything).items() if count > 1]
    with open_store(postgres_url) as store:
        for room in rooms:
            records = store.get_turn_records(room)
            assert len(records) == EXPIRY_ROUNDS
            assert all(record.status == "timeout" for record in records)
            turns = [(record.round_number, record.turn_number) for record in records]
            assert len(set(turns)) == len(turns)


def test_racing_conditional_advances_from_processes_advance_once(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        created = store.create_interaction(name="Race", dm_user_id="dm", initiative_order=ORDER)
        store.initialize_for_live_play(created.id, "room-race", None)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    barrier = ctx.Barrier(ADVANCERS)
    names = [f"advancer-{n}" for n in range(ADVANCERS)]
    processes = [
        ctx.Process(
            target=workers.advancer, args=(postgres_url, name, created.id, (1, 1), barrier, queue)
        )
        for name in names
    ]
    for process in processes:
        process.start()
    reports = collect(queue, names, processes, TIMEOUT_S)
    outcomes = sorted(report["outcome"] for report in reports.values())
    assert outcomes == ["advanced"] + ["conflict"] * (ADVANCERS - 1)
    with open_store(postgres_url) as store:
        assert len(store.get_turn_records(created.id)) == 1
        assert store.get_interaction(created.id).turn_number == 2
