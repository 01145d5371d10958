"""The server goes away under a running store, and comes back.

While it is down every call is a StoreUnavailable (the dashboard says it lost
the store and keeps its screen); once it is back the same store works again
without being reopened; a write cut off by the crash leaves nothing behind.
These tests stop and start a private server (tests/postgres/server.py).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from store import LiveStore, StoreUnavailable, open_store
from tests.conftest import FakeClock, schema_url
from tests.postgres.server import PrivateServer
from tests.store.helpers import ORDER, ROOM, dump

pytestmark = pytest.mark.slow


@pytest.fixture
def url(private_server: PrivateServer) -> Iterator[str]:
    """A fresh schema on the private server (which is up at the start of every test)."""
    import psycopg

    schema = f"lr_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(private_server.url(), autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    yield schema_url(private_server.url(), schema)
    try:
        with psycopg.connect(private_server.url(), autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    except psycopg.OperationalError:  # the server is down: a test failed midway
        private_server.start()


def every_kind_of_call(store: LiveStore, interaction_id: int) -> dict[str, Callable[[], Any]]:
    return {
        "change_token": store.change_token,
        "get_interaction": lambda: store.get_interaction(interaction_id),
        "list_interactions": store.list_interactions,
        "log_interaction_event": lambda: store.log_interaction_event(
            interaction_id, "NOTE", None, ROOM
        ),
        "advance_turn": lambda: store.advance_turn(interaction_id),
        "expire_turn_timeouts": store.expire_turn_timeouts,
    }


def on_thread(call: Callable[[], Any]) -> Any:
    """Run `call` on another thread (its own connection) and return or raise what it did."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(("ok", call()))
        except BaseException as error:
            outcome.append(("error", error))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    kind, value = outcome[0]
    if kind == "error":
        raise value
    return value


def test_calls_fail_while_the_server_is_down_and_work_again_after(
    url: str, private_server: PrivateServer, clock: FakeClock
) -> None:
    with open_store(url, clock=clock) as store:
        live = store.create_interaction(name="Fight", dm_user_id="dm", initiative_order=ORDER)
        store.initialize_for_live_play(live.id, ROOM, {"hp": 7})
        on_thread(store.change_token)  # a second thread with its own connection, like a gateway
        token = store.change_token()
        before = dump(store)

        private_server.stop("fast")
        try:
            for name, call in every_kind_of_call(store, live.id).items():
                started = time.monotonic()
                with pytest.raises(StoreUnavailable):
                    call()
                assert time.monotonic() - started < 10, name
            with pytest.raises(StoreUnavailable):
                on_thread(store.list_interactions)
        finally:
            private_server.start()

        assert store.change_token() != token  # a reconnect refreshes the dashboard
        assert dump(store) == before
        assert on_thread(lambda: store.get_interaction(live.id)).name == "Fight"
        store.advance_turn(live.id)
        assert store.get_interaction(live.id).turn_number == 2


def test_a_restart_between_calls_goes_unnoticed(
    url: str, private_server: PrivateServer, clock: FakeClock
) -> None:
    with open_store(url, clock=clock) as store:
        created = store.create_interaction(name="Calm", dm_user_id="dm")
        token = store.change_token()
        private_server.stop("fast")
        private_server.start()
        assert store.get_interaction(created.id).name == "Calm"  # reconnects by itself
        private_server.stop("fast")
        private_server.start()
        store.log_interaction_event(created.id, "NOTE", None, ROOM)  # a write, too
        private_server.stop("fast")
        private_server.start()
        assert store.change_token() != token
        assert [e.event_type for e in store.get_interaction_logs(created.id)] == ["NOTE"]


def test_a_write_cut_off_by_a_crash_leaves_nothing_behind(
    url: str, private_server: PrivateServer
) -> None:
    clock = FakeClock()
    with open_store(url, clock=clock) as store:
        live = store.create_interaction(name="Fight", dm_user_id="dm", initiative_order=ORDER)
        store.initialize_for_live_play(live.id, ROOM, {"hp": 7})
        before = dump(store)

    class CrashingClock(FakeClock):
        """Crashes the server the first time the store asks for the time inside the write."""

        crashed = False

        def __call__(self) -> int:
            if not self.crashed:
                self.crashed = True
                private_server.stop("immediate")
            return super().__call__()

    batch = [
        {"type": "log_event", "data": {"event_type": "NOTE", "session_id": ROOM}},
        {"type": "save_snapshot", "data": {"state_snapshot": {"hp": 1}}},
        {"type": "update_participants", "data": {"participants": ["u-1", "u-2"]}},
    ] * 50
    crashing = CrashingClock(clock.now)
    with open_store(url, clock=crashing) as store:
        try:
            with pytest.raises(StoreUnavailable):
                store.batch_state_operations(live.id, batch)
        finally:
            private_server.start()
        assert dump(store) == before


async def test_the_dashboard_says_it_lost_the_store_keeps_its_screen_and_comes_back(
    url: str, private_server: PrivateServer, clock: FakeClock
) -> None:
    from app.app import make_app
    from app.screens.rooms import RoomsScreen
    from widgets.rooms_table import RoomsTable

    with open_store(url, clock=clock) as store:
        store.create_interaction(name="Before the restart", dm_user_id="dm")
        app = make_app(store, clock=clock, poll_interval=0.05, housekeeping=False)
        async with app.run_test(size=(120, 35)) as pilot:

            async def until(condition: Callable[[], bool]) -> None:
                deadline = time.monotonic() + 15
                while not condition():
                    assert time.monotonic() < deadline, "timed out"
                    await pilot.pause(0.05)

            def messages() -> list[str]:
                return [str(n.message) for n in pilot.app._notifications]

            table = pilot.app.screen.query_one(RoomsTable)
            await until(lambda: table.row_count == 1)
            private_server.stop("fast")
            try:
                await until(lambda: any(m.startswith("Lost the store") for m in messages()))
                assert isinstance(pilot.app.screen, RoomsScreen)
                assert table.row_count == 1  # the screen keeps what it showed
            finally:
                private_server.start()
            with open_store(url, clock=clock) as other:
                other.create_interaction(name="After the restart", dm_user_id="dm")
            await until(lambda: "The store is back." in messages())
            await until(lambda: table.row_count == 2)
