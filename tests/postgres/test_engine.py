"""The PostgreSQL engine itself: URLs, the driver extra, the schema, row locks and retries.

The store's behaviour on PostgreSQL is tested by the whole store suite (its
"postgres" half); these are the parts only PostgreSQL has.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

from store import InvalidInput, LiveStore, StoreUnavailable, open_store
from store import migrations as store_migrations
from store import schema as store_schema
from tests.conftest import FakeClock
from tests.postgres.server import free_port
from tests.store.helpers import LIMIT_MS, ORDER, ROOM

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pg(postgres_url: str, clock: FakeClock) -> Iterator[LiveStore]:
    with open_store(postgres_url, clock=clock) as store:
        yield store


def rows(admin: Any, schema: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """A query run in the test's schema through the admin connection."""
    admin.execute(f'SET search_path = "{schema}"')
    try:
        cursor = admin.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []
    finally:
        admin.execute("RESET search_path")


class TestTargets:
    def test_postgres_and_postgresql_urls_open_the_same_store(
        self, postgres_url: str, clock: FakeClock
    ) -> None:
        with open_store(postgres_url, clock=clock) as store:
            created = store.create_interaction(name="Shared", dm_user_id="dm")
            assert store.path == postgres_url
        alias = "postgres://" + postgres_url.removeprefix("postgresql://")
        with open_store(alias, clock=clock) as store:
            assert store.get_interaction(created.id).name == "Shared"
            assert store.path == postgres_url
            with open_store(store.path, clock=clock) as again:  # how the demo reopens a store
                assert again.get_interaction(created.id).name == "Shared"

    def test_an_unreachable_server_is_unavailable_fast_and_keeps_the_password(self) -> None:
        pytest.importorskip("psycopg")
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="cannot open") as raised:
            open_store(f"postgresql://someone:s3cret@127.0.0.1:{free_port()}/nothing")
        assert time.monotonic() - started < 10
        assert "s3cret" not in str(raised.value)
        assert "someone:***@" in str(raised.value)

    def test_a_malformed_url_is_invalid_input(self) -> None:
        pytest.importorskip("psycopg")
        with pytest.raises(InvalidInput, match="target"):
            open_store("postgresql://localhost/db?no_such_option=1")

    def test_without_the_driver_sqlite_works_and_postgresql_says_what_to_install(
        self, tmp_path: Path
    ) -> None:
        code = (
            "import sys\n"
            "sys.modules['psycopg'] = None  # as if liveroom[postgres] were not installed\n"
            "from store import StoreUnavailable, open_store\n"
            f"with open_store({str(tmp_path / 'plain.db')!r}) as store:\n"
            "    store.create_interaction(name='a', dm_user_id='d')\n"
            "try:\n"
            "    open_store('postgresql://localhost/liveroom')\n"
            "except StoreUnavailable as error:\n"
            "    print(error)\n"
        )
        result = run_python(code)
        assert "liveroom[postgres]" in result.stdout

    def test_a_program_using_the_store_as_a_library_opens_postgresql(
        self, postgres_url: str
    ) -> None:
        code = (
            "from store import open_store\n"
            f"with open_store({postgres_url!r}) as store:\n"
            "    room = store.create_interaction(name='a', dm_user_id='d')\n"
            "    print(store.get_interaction(room.id).name)\n"
        )
        assert run_python(code).stdout.splitlines() == ["a"]

    def test_a_program_using_the_store_keeps_its_own_peewee_postgresql(
        self, postgres_url: str
    ) -> None:
        code = (
            "import store, peewee\n"
            f"database = peewee.PostgresqlDatabase({postgres_url!r})\n"
            "database.connect()\n"
            "print(database.execute_sql('SELECT 1').fetchone()[0])\n"
            "database.close()\n"
        )
        assert run_python(code).stdout.splitlines() == ["1"]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter (a clean sys.modules) from the repository root."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result


class TestSchema:
    def test_json_columns_are_jsonb_and_every_table_notifies(
        self, pg: LiveStore, postgres_admin: Any, postgres_schema: str
    ) -> None:
        types = dict(
            rows(
                postgres_admin,
                postgres_schema,
                "SELECT table_name || '.' || column_name, data_type "
                "FROM information_schema.columns WHERE table_schema = %s",
                postgres_schema,
            )
        )
        for column in (
            "interactions.initiative_order",
            "interactions.last_state_snapshot",
            "interactions.connected_participants",
            "live_interaction_logs.event_data",
            "turn_records.actions",
            "turn_records.ticked_conditions",
        ):
            assert types[column] == "jsonb", column
        triggers = rows(
            postgres_admin,
            postgres_schema,
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_schema = %s ORDER BY 1",
            postgres_schema,
        )
        assert [t for (t,) in triggers] == sorted(
            ["interactions", "live_interaction_logs", "turn_records", "users"]
        )
        version = rows(
            postgres_admin,
            postgres_schema,
            "SELECT value FROM liveroom_meta WHERE key = 'schema_version'",
        )
        assert version == [(str(store_schema.SCHEMA_VERSION),)]

    def test_json_comes_back_as_it_was_stored(self, pg: LiveStore, clock: FakeClock) -> None:
        state = {
            "z": [1, 2.5, -0.125, 10**30, True, False, None],
            "a": {"nested": {"deep": ["é", "🐉", "line\nbreak", 'quote"']}},
            "": "",
        }
        created = pg.create_interaction(name="JSON", dm_user_id="dm", initiative_order=ORDER)
        pg.initialize_for_live_play(created.id, ROOM, state)
        assert pg.load_state_snapshot(created.id).state_snapshot == state
        entry = pg.log_interaction_event(created.id, "NOTE", state, ROOM)
        assert entry.event_data == state
        assert pg.get_interaction_logs(created.id, limit=1)[0].event_data == state

    def test_tables_that_are_not_liveroom_s_are_refused_untouched(
        self, postgres_url: str, postgres_admin: Any, postgres_schema: str
    ) -> None:
        rows(postgres_admin, postgres_schema, "CREATE TABLE invoices (id int)")
        with pytest.raises(StoreUnavailable, match="not a liveroom database"):
            open_store(postgres_url)
        tables = rows(
            postgres_admin,
            postgres_schema,
            "SELECT tablename FROM pg_tables WHERE schemaname = %s",
            postgres_schema,
        )
        assert tables == [("invoices",)]

    def test_a_newer_schema_is_refused_untouched(
        self, postgres_url: str, postgres_admin: Any, postgres_schema: str, clock: FakeClock
    ) -> None:
        with open_store(postgres_url, clock=clock) as store:
            store.create_interaction(name="Kept", dm_user_id="dm")
        rows(
            postgres_admin,
            postgres_schema,
            "UPDATE liveroom_meta SET value = '99' WHERE key = 'schema_version'",
        )
        with pytest.raises(StoreUnavailable, match="newer liveroom"):
            open_store(postgres_url, clock=clock)
        assert rows(postgres_admin, postgres_schema, "SELECT value FROM liveroom_meta") == [("99",)]

    def test_an_older_schema_is_migrated_and_a_failing_migration_changes_nothing(
        self, postgres_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        with open_store(postgres_url, clock=clock) as store:
            kept = store.create_interaction(name="Kept", dm_user_id="dm").id

        def broken(database: Any, tables: store_schema.Tables) -> None:
            database.execute_sql("ALTER TABLE interactions ADD COLUMN half_done TEXT")
            database.execute_sql("ALTER TABLE no_such_table ADD COLUMN x TEXT")

        next_version = store_schema.SCHEMA_VERSION + 1
        monkeypatch.setattr(store_schema, "SCHEMA_VERSION", next_version)
        monkeypatch.setattr(store_migrations, "MIGRATIONS", {next_version: broken})
        with pytest.raises(StoreUnavailable):
            open_store(postgres_url, clock=clock)

        def add_mood(database: Any, tables: store_schema.Tables) -> None:
            from playhouse.migrate import SchemaMigrator, migrate

            migrator = SchemaMigrator.from_database(database)
            migrate(migrator.add_column("interactions", "mood", pw.CharField(null=True)))

        monkeypatch.setattr(store_migrations, "MIGRATIONS", {next_version: add_mood})
        with open_store(postgres_url, clock=clock) as store:
            assert store.get_interaction(kept).name == "Kept"
            columns = [c.name for c in store._db.get_columns("interactions")]
            assert "mood" in columns and "half_done" not in columns
        monkeypatch.undo()
        with pytest.raises(StoreUnavailable, match="newer"):
            open_store(postgres_url, clock=clock)

    def test_stores_opening_a_fresh_database_at_once_create_it_once(
        self, postgres_url: str, clock: FakeClock
    ) -> None:
        barrier = threading.Barrier(4)
        errors: list[BaseException] = []

        def open_one() -> None:
            barrier.wait()
            try:
                with open_store(postgres_url, clock=clock) as store:
                    store.create_interaction(name="racer", dm_user_id="dm")
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)

        threads = [threading.Thread(target=open_one) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with open_store(postgres_url, clock=clock) as store:
            assert len(store.list_interactions()) == 4


class TestRowLocks:
    @pytest.fixture
    def locker(self, postgres_url: str, pg: LiveStore) -> Iterator[Any]:
        """A second connection that can hold row locks, like another writer mid-transaction."""
        import psycopg

        connection = psycopg.connect(postgres_url, autocommit=True)
        yield connection
        connection.close()

    def hold(self, locker: Any, interaction_id: int, seconds: float) -> threading.Thread:
        """Lock one interaction row now; release it after `seconds` in the background."""
        locker.execute("BEGIN")
        locker.execute("SELECT id FROM interactions WHERE id = %s FOR UPDATE", [interaction_id])

        def release() -> None:
            time.sleep(seconds)
            locker.execute("COMMIT")

        releaser = threading.Thread(target=release)
        releaser.start()
        return releaser

    def test_a_writer_waits_for_the_row_and_readers_do_not(
        self, pg: LiveStore, locker: Any
    ) -> None:
        created = pg.create_interaction(name="Locked", dm_user_id="dm").id
        other = pg.create_interaction(name="Free", dm_user_id="dm").id
        releaser = self.hold(locker, created, 0.4)
        try:
            started = time.monotonic()
            assert pg.get_interaction(created).name == "Locked"
            pg.log_interaction_event(other, "NOTE", None, "s")  # another room: no wait
            assert time.monotonic() - started < 0.3
            pg.log_interaction_event(created, "NOTE", None, "s")
            assert time.monotonic() - started >= 0.35
        finally:
            releaser.join()
        assert pg.get_interaction_logs(created)[0].event_type == "NOTE"

    def test_a_lock_held_past_the_timeout_is_retried_then_reported(
        self, postgres_url: str, clock: FakeClock, locker: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import store.postgres

        monkeypatch.setattr(store.postgres, "BUSY_TIMEOUT_S", 0.2)
        with open_store(postgres_url, clock=clock) as pg:
            created = pg.create_interaction(name="Locked", dm_user_id="dm").id
            releaser = self.hold(locker, created, 0.5)
            try:
                pg.log_interaction_event(created, "RETRIED", None, "s")  # waits, retries, wins
            finally:
                releaser.join()
            assert pg.get_interaction_logs(created)[0].event_type == "RETRIED"

            releaser = self.hold(locker, created, 2.0)
            try:
                with pytest.raises(StoreUnavailable, match="lock timeout"):
                    pg.log_interaction_event(created, "GAVE_UP", None, "s")
            finally:
                releaser.join()
            assert [e.event_type for e in pg.get_interaction_logs(created)] == ["RETRIED"]

    def test_expiry_skips_a_room_another_writer_holds(
        self, pg: LiveStore, clock: FakeClock, locker: Any
    ) -> None:
        rooms = []
        for number in range(2):
            created = pg.create_interaction(
                name=f"fight {number}", dm_user_id="dm", initiative_order=ORDER, turn_time_limit=60
            )
            pg.initialize_for_live_play(created.id, f"room-{number}", None)
            rooms.append(created.id)
        clock.advance(LIMIT_MS)
        releaser = self.hold(locker, rooms[0], 0.5)
        try:
            started = time.monotonic()
            expired = pg.expire_turn_timeouts()
            assert time.monotonic() - started < 0.4  # skipped, not waited for
            assert [record.interaction_id for record in expired] == [rooms[1]]
        finally:
            releaser.join()
        assert [record.interaction_id for record in pg.expire_turn_timeouts()] == [rooms[0]]
        assert pg.expire_turn_timeouts() == []


def test_busy_means_lock_timeouts_serialization_failures_and_deadlocks() -> None:
    pytest.importorskip("psycopg")
    from store.postgres import PostgresEngine

    engine = PostgresEngine("postgresql://localhost/liveroom")

    class Cause(Exception):
        def __init__(self, sqlstate: str) -> None:
            super().__init__(sqlstate)
            self.sqlstate = sqlstate

    for state, busy in [("40001", True), ("40P01", True), ("55P03", True), ("23505", False)]:
        assert engine.is_busy(pw.OperationalError(Cause(state))) is busy, state
    assert engine.is_busy(pw.OperationalError("server closed the connection")) is False
