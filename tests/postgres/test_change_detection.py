"""Change detection on PostgreSQL: LISTEN/NOTIFY, as the dashboard polls it.

change_token() must move when another connection commits (and only then,
like SQLite's data_version), cheaply and without waiting; a write from
another process must reach the dashboard's screen within half a second.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from store import LiveStore, open_store
from tests.conftest import FakeClock, schema_url

ROOT = Path(__file__).resolve().parents[2]
SCREEN_DEADLINE_S = 0.5
"""The issue's bound: a writer on another connection shows on screen within this."""


@pytest.fixture
def pair(postgres_url: str, clock: FakeClock) -> Iterator[tuple[LiveStore, LiveStore]]:
    """Two stores on one database: a dashboard's and another writer's."""
    with (
        open_store(postgres_url, clock=clock) as watcher,
        open_store(postgres_url, clock=clock) as writer,
    ):
        yield watcher, writer


def wait_for(condition: Callable[[], bool], timeout_s: float = 5.0) -> float:
    """Seconds until `condition` held, polling every 5 ms; fails after timeout_s."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout_s, "the change never showed"
        time.sleep(0.005)
    return time.monotonic() - started


def in_thread(call: Callable[[], Any]) -> Any:
    """Run `call` on a thread of its own, so it uses a connection of its own."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(call()))
    thread.start()
    thread.join()
    return result[0]


def test_the_token_moves_when_another_connection_commits(
    pair: tuple[LiveStore, LiveStore],
) -> None:
    watcher, writer = pair
    token = watcher.change_token()
    assert watcher.change_token() == token  # nothing happened: no move
    created = writer.create_interaction(name="Elsewhere", dm_user_id="dm")
    wait_for(lambda: watcher.change_token() != token, timeout_s=SCREEN_DEADLINE_S)
    token = watcher.change_token()
    writer.log_interaction_event(created.id, "NOTE", None, "s")
    wait_for(lambda: watcher.change_token() != token, timeout_s=SCREEN_DEADLINE_S)


def test_own_commits_and_reads_do_not_move_it(pair: tuple[LiveStore, LiveStore]) -> None:
    watcher, writer = pair
    created = writer.create_interaction(name="Quiet", dm_user_id="dm")
    time.sleep(0.05)
    token = watcher.change_token()
    watcher.log_interaction_event(created.id, "NOTE", None, "s")  # same thread, same connection
    writer.get_interaction_live_state(created.id)
    writer.list_interactions()
    time.sleep(0.1)
    assert watcher.change_token() == token


def test_a_write_from_another_thread_of_the_same_store_moves_it(
    pair: tuple[LiveStore, LiveStore],
) -> None:
    """The dashboard writes on its writer thread and polls on its reader thread."""
    watcher, _ = pair
    created = watcher.create_interaction(name="Mine", dm_user_id="dm")
    token = watcher.change_token()
    in_thread(lambda: watcher.log_interaction_event(created.id, "NOTE", None, "s"))
    wait_for(lambda: watcher.change_token() != token, timeout_s=SCREEN_DEADLINE_S)


def test_another_schema_s_writes_do_not_move_it(
    pair: tuple[LiveStore, LiveStore], postgres_admin: Any, clock: FakeClock
) -> None:
    import os

    from tests.conftest import POSTGRES_URL_ENV, drop_schema

    watcher, _ = pair
    token = watcher.change_token()
    other_schema = "lr_other_" + str(os.getpid())
    postgres_admin.execute(f'CREATE SCHEMA "{other_schema}"')
    try:
        url = schema_url(os.environ[POSTGRES_URL_ENV], other_schema)
        with open_store(url, clock=clock) as neighbour:
            neighbour.create_interaction(name="Next door", dm_user_id="dm")
        time.sleep(0.1)
        assert watcher.change_token() == token
    finally:
        drop_schema(postgres_admin, other_schema)


def test_polling_is_cheap(pair: tuple[LiveStore, LiveStore]) -> None:
    watcher, _ = pair
    watcher.change_token()
    started = time.perf_counter()
    for _ in range(200):
        watcher.change_token()
    per_call = (time.perf_counter() - started) / 200
    assert per_call < 0.005, f"{per_call * 1000:.2f} ms per change_token()"


WRITER = textwrap.dedent("""
    import sys, time
    from store import open_store

    with open_store(sys.argv[1]) as store:
        print("ready", flush=True)
        for line in sys.stdin:
            store.create_interaction(name="From another process", dm_user_id="dm")
            print(time.time(), flush=True)
""")
WRITES = 3


@pytest.mark.slow
async def test_a_writer_process_shows_on_the_dashboard_within_half_a_second(
    postgres_url: str, clock: FakeClock
) -> None:
    """Three writes from another process, each timed from its commit to the screen.

    The median must be within the issue's half second (the poll interval is
    0.25 s); a single write slowed by a busy test machine may take longer,
    but never a second.
    """
    from app.app import make_app
    from widgets.rooms_table import RoomsTable

    latencies: list[float] = []
    with open_store(postgres_url, clock=clock) as store:
        store.create_interaction(name="Already here", dm_user_id="dm")
        app = make_app(store, clock=clock, poll_interval=0.25, housekeeping=False)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, postgres_url],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert writer.stdout is not None and writer.stdin is not None
            assert writer.stdout.readline().strip() == "ready"
            async with app.run_test(size=(120, 35)) as pilot:
                table = pilot.app.screen.query_one(RoomsTable)
                for shown in range(2, WRITES + 2):
                    while table.row_count < shown - 1:
                        await pilot.pause(0.02)
                    await pilot.pause(0.1)
                    writer.stdin.write("go\n")
                    writer.stdin.flush()
                    committed_at = float(writer.stdout.readline())
                    while table.row_count < shown:
                        assert time.time() - committed_at < 5, "the new room never showed"
                        await pilot.pause(0.01)
                    latencies.append(time.time() - committed_at)
        finally:
            writer.stdin.close()  # type: ignore[union-attr]
            writer.wait(timeout=30)
    latencies.sort()
    assert latencies[len(latencies) // 2] < SCREEN_DEADLINE_S, latencies
    assert latencies[-1] < 1.0, latencies
