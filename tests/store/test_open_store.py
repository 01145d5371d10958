"""open_store: targets, file creation, refusing what is not ours, and schema migration."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from store import InvalidInput, LiveStore, StoreUnavailable, open_store
from store import migrations as store_migrations
from store import schema as store_schema
from tests.conftest import FakeClock


def make_store_with_data(path: Path, clock: FakeClock) -> int:
    with open_store(path, clock=clock) as store:
        return store.create_interaction(name="Kept", dm_user_id="dm").id


def stored_schema_version(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute(
            "SELECT value FROM liveroom_meta WHERE key = 'schema_version'"
        ).fetchone()
        return int(row[0])
    finally:
        connection.close()


def columns_of(path: Path, table: str) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
    finally:
        connection.close()


class TestTargets:
    def test_path_object(self, db_path: Path, clock: FakeClock) -> None:
        with open_store(db_path, clock=clock) as store:
            assert isinstance(store, LiveStore)
            store.create_interaction(name="a", dm_user_id="d")
            assert Path(store.path) == db_path
        assert db_path.is_file()

    def test_string_path_and_reopen(self, db_path: Path, clock: FakeClock) -> None:
        interaction_id = make_store_with_data(db_path, clock)
        with open_store(str(db_path), clock=clock) as store:
            assert store.get_interaction(interaction_id).name == "Kept"

    def test_missing_directories_are_created(self, tmp_path: Path, clock: FakeClock) -> None:
        path = tmp_path / "a" / "b" / "live.db"
        with open_store(path, clock=clock) as store:
            store.create_interaction(name="a", dm_user_id="d")
        assert path.is_file()

    def test_relative_url(
        self, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        with open_store("sqlite:///relative.db", clock=clock) as store:
            store.create_interaction(name="a", dm_user_id="d")
        assert (tmp_path / "relative.db").is_file()

    def test_absolute_url(self, tmp_path: Path, clock: FakeClock) -> None:
        path = tmp_path / "absolute.db"
        assert str(path).startswith("/")
        with open_store(f"sqlite:///{path}", clock=clock) as store:
            assert Path(store.path) == path
            store.create_interaction(name="a", dm_user_id="d")
        assert path.is_file()
        with open_store(path, clock=clock) as store:
            assert len(store.list_interactions()) == 1

    def test_default_is_the_user_data_directory(
        self, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        with open_store(clock=clock) as store:
            store.create_interaction(name="a", dm_user_id="d")
            assert Path(store.path).is_relative_to(tmp_path)
            assert "liveroom" in store.path

    @pytest.mark.parametrize("target", ["mysql://localhost/db", "sqlite://relative.db", "", 42])
    def test_unsupported_targets(self, target: object, clock: FakeClock) -> None:
        with pytest.raises(InvalidInput, match="target"):
            open_store(target, clock=clock)  # type: ignore[arg-type]

    def test_context_manager_closes_and_the_file_reopens(
        self, db_path: Path, clock: FakeClock
    ) -> None:
        with open_store(db_path, clock=clock) as store:
            created = store.create_interaction(name="a", dm_user_id="d")
        store.close()  # closing twice is harmless
        with open_store(db_path, clock=clock) as again:
            assert again.get_interaction(created.id) == created

    def test_system_clock_by_default(self, db_path: Path) -> None:
        before = time.time_ns() // 1_000_000
        with open_store(db_path) as store:
            created = store.create_interaction(name="a", dm_user_id="d")
        after = time.time_ns() // 1_000_000
        assert before <= created.created_at <= after


class TestFiles:
    def test_created_private(self, db_path: Path, clock: FakeClock) -> None:
        old_umask = os.umask(0)
        try:
            make_store_with_data(db_path, clock)
        finally:
            os.umask(old_umask)
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o600

    def test_an_existing_files_mode_is_left_alone(self, db_path: Path, clock: FakeClock) -> None:
        make_store_with_data(db_path, clock)
        db_path.chmod(0o640)
        make_store_with_data(db_path, clock)
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o640

    def test_zero_byte_file_is_a_new_store(self, db_path: Path, clock: FakeClock) -> None:
        db_path.touch()
        with open_store(db_path, clock=clock) as store:
            assert store.list_interactions() == []
            store.create_interaction(name="a", dm_user_id="d")
        assert db_path.stat().st_size > 0

    def test_empty_sqlite_file_is_a_new_store(self, db_path: Path, clock: FakeClock) -> None:
        connection = sqlite3.connect(db_path)
        connection.execute("CREATE TABLE scratch (x)")
        connection.execute("DROP TABLE scratch")
        connection.commit()
        connection.close()
        with open_store(db_path, clock=clock) as store:
            store.create_interaction(name="a", dm_user_id="d")

    @pytest.mark.parametrize(
        "content",
        [b"hello, world\n", b"x" * 4096, b"SQLite format 3\x00" + b"\x00" * 20],
        ids=["short text", "long text", "truncated header"],
    )
    def test_not_sqlite_is_refused_untouched(
        self, db_path: Path, clock: FakeClock, content: bytes
    ) -> None:
        db_path.write_bytes(content)
        with pytest.raises(StoreUnavailable, match="not a liveroom database"):
            open_store(db_path, clock=clock)
        assert db_path.read_bytes() == content
        assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]

    def test_another_apps_sqlite_file_is_refused_untouched(
        self, db_path: Path, clock: FakeClock
    ) -> None:
        connection = sqlite3.connect(db_path)
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('mine')")
        connection.commit()
        connection.close()
        content = db_path.read_bytes()
        with pytest.raises(StoreUnavailable, match="another application"):
            open_store(db_path, clock=clock)
        assert db_path.read_bytes() == content
        assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]

    def test_a_foreign_application_id_is_refused(self, db_path: Path, clock: FakeClock) -> None:
        connection = sqlite3.connect(db_path)
        connection.execute("PRAGMA application_id = 1234")
        connection.execute("CREATE TABLE t (x)")
        connection.execute("DROP TABLE t")
        connection.commit()
        connection.close()
        content = db_path.read_bytes()
        with pytest.raises(StoreUnavailable, match="another application"):
            open_store(db_path, clock=clock)
        assert db_path.read_bytes() == content

    def test_a_directory_is_refused(self, tmp_path: Path, clock: FakeClock) -> None:
        with pytest.raises(StoreUnavailable, match="directory"):
            open_store(tmp_path, clock=clock)

    def test_newer_schema_is_refused_untouched(self, db_path: Path, clock: FakeClock) -> None:
        make_store_with_data(db_path, clock)
        connection = sqlite3.connect(db_path)
        connection.execute("UPDATE liveroom_meta SET value = '99' WHERE key = 'schema_version'")
        connection.commit()
        connection.close()
        content = db_path.read_bytes()
        with pytest.raises(StoreUnavailable, match="newer liveroom"):
            open_store(db_path, clock=clock)
        assert db_path.read_bytes() == content
        assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]
        assert stored_schema_version(db_path) == 99

    def test_liveroom_tables_without_a_version_are_refused(
        self, db_path: Path, clock: FakeClock
    ) -> None:
        make_store_with_data(db_path, clock)
        connection = sqlite3.connect(db_path)
        connection.execute("DELETE FROM liveroom_meta")
        connection.commit()
        connection.close()
        content = db_path.read_bytes()
        with pytest.raises(StoreUnavailable):
            open_store(db_path, clock=clock)
        assert db_path.read_bytes() == content


class TestMigrations:
    def test_older_schema_is_migrated_on_open(
        self, db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        interaction_id = make_store_with_data(db_path, clock)
        current = store_schema.SCHEMA_VERSION
        assert stored_schema_version(db_path) == current
        ran: list[int] = []

        def add_mood(database: object, tables: store_schema.Tables) -> None:
            from peewee import CharField
            from playhouse.migrate import SqliteMigrator, migrate

            migrator = SqliteMigrator(database)
            migrate(migrator.add_column("interactions", "mood", CharField(null=True)))
            ran.append(current + 1)

        monkeypatch.setattr(store_schema, "SCHEMA_VERSION", current + 1)
        monkeypatch.setattr(store_migrations, "MIGRATIONS", {current + 1: add_mood})
        with open_store(db_path, clock=clock) as store:
            assert store.get_interaction(interaction_id).name == "Kept"
            store.create_interaction(name="After", dm_user_id="d")
        assert ran == [current + 1]
        assert "mood" in columns_of(db_path, "interactions")
        assert stored_schema_version(db_path) == current + 1

        # Opened again at the new version: nothing left to run.
        with open_store(db_path, clock=clock) as store:
            assert len(store.list_interactions()) == 2
        assert ran == [current + 1]

        # The older liveroom now refuses the file it can no longer understand.
        monkeypatch.undo()
        with pytest.raises(StoreUnavailable, match="newer"):
            open_store(db_path, clock=clock)

    def test_several_steps_run_in_order(
        self, db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        make_store_with_data(db_path, clock)
        ran: list[int] = []

        def step(version: int) -> store_migrations.Migration:
            def run(database: object, tables: store_schema.Tables) -> None:
                database.execute_sql(f"CREATE TABLE extra_{version} (x INTEGER)")  # type: ignore[attr-defined]
                ran.append(version)

            return run

        steps = [store_schema.SCHEMA_VERSION + n for n in (1, 2, 3)]
        monkeypatch.setattr(store_schema, "SCHEMA_VERSION", steps[-1])
        monkeypatch.setattr(store_migrations, "MIGRATIONS", {n: step(n) for n in steps})
        make_store_with_data(db_path, clock)
        assert ran == steps
        assert stored_schema_version(db_path) == steps[-1]

    def test_a_failing_migration_leaves_the_file_as_it_was(
        self, db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        interaction_id = make_store_with_data(db_path, clock)

        def broken(database: object, tables: store_schema.Tables) -> None:
            database.execute_sql("ALTER TABLE interactions ADD COLUMN half_done TEXT")  # type: ignore[attr-defined]
            database.execute_sql("ALTER TABLE no_such_table ADD COLUMN x TEXT")  # type: ignore[attr-defined]

        current = store_schema.SCHEMA_VERSION
        monkeypatch.setattr(store_schema, "SCHEMA_VERSION", current + 1)
        monkeypatch.setattr(store_migrations, "MIGRATIONS", {current + 1: broken})
        with pytest.raises(StoreUnavailable):
            open_store(db_path, clock=clock)
        assert stored_schema_version(db_path) == current
        assert "half_done" not in columns_of(db_path, "interactions")
        monkeypatch.undo()
        with open_store(db_path, clock=clock) as store:
            assert store.get_interaction(interaction_id).name == "Kept"
