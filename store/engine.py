"""The seam between the store and a database engine.

Everything engine-specific lives here: how a target becomes a connection,
how a write transaction takes its lock, which errors mean "busy, try again",
and how another process's commit is noticed cheaply. The store's operations
are written once against this interface.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import peewee as pw
import platformdirs

from store import schema
from store.errors import InvalidInput, StoreError, StoreUnavailable

T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0
BUSY_RETRIES = 4
"""Attempts of a whole write transaction when SQLite still says busy after its timeout."""


def default_database_path() -> Path:
    """The per-user database file, in the platform's user data directory."""
    return Path(platformdirs.user_data_dir("liveroom", appauthor=False)) / "liveroom.db"


def resolve_target(target: str | os.PathLike[str] | None) -> str:
    """A file path (or ":memory:") for `target`: a path, a sqlite URL or None."""
    if target is None:
        return str(default_database_path())
    if isinstance(target, os.PathLike):
        return os.fspath(target)
    if not isinstance(target, str) or not target:
        raise InvalidInput("target: must be a file path or a database URL")
    if target.startswith("sqlite://"):
        rest = target[len("sqlite://") :]
        if not rest.startswith("/"):
            raise InvalidInput("target: a sqlite URL is sqlite:///relative.db or sqlite:////abs.db")
        path = rest[1:]
        return path or ":memory:"
    if "://" in target:
        scheme = target.split("://", 1)[0]
        raise InvalidInput(f"target: unsupported database URL scheme {scheme!r}")
    return target


class SqliteEngine:
    """SQLite in WAL mode, shared safely by a dashboard and writer processes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.database = pw.SqliteDatabase(
            None,
            pragmas={"journal_mode": "wal", "synchronous": "normal", "foreign_keys": 1},
        )
        self._data_version: pw.Database | None = None

    def open(self) -> None:
        """Refuse what is not ours before connecting, so a refused file stays untouched."""
        if self.path != ":memory:":
            _inspect_existing_file(self.path)
            _create_private_file(self.path)
        self.database.init(self.path, timeout=BUSY_TIMEOUT_S)
        try:
            self.database.connect(reuse_if_open=True)
        except pw.DatabaseError as error:
            raise StoreUnavailable(f"cannot open {self.path}: {error}") from None

    def close(self) -> None:
        if not self.database.is_closed():
            self.database.close()

    @contextmanager
    def write_transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: take the write lock up front, so a read-then-write never deadlocks."""
        with self.database.atomic("IMMEDIATE"):
            yield

    @contextmanager
    def read_transaction(self) -> Iterator[None]:
        """A consistent view across several queries (kept short: it holds back checkpoints)."""
        with self.database.atomic():
            yield

    def lock_rows(self, query: pw.ModelSelect) -> pw.ModelSelect:
        """SQLite's IMMEDIATE transaction already serializes writers: no row locks needed."""
        return query

    def is_busy(self, error: Exception) -> bool:
        text = str(error).lower()
        return "locked" in text or "busy" in text

    def change_token(self) -> int:
        """A number that changes whenever another connection commits (PRAGMA data_version)."""
        cursor = self.database.execute_sql("PRAGMA data_version")
        return int(cursor.fetchone()[0])

    def stamp_new_database(self) -> None:
        self.database.execute_sql(f"PRAGMA application_id = {schema.APPLICATION_ID}")


def _inspect_existing_file(path: str) -> None:
    """Raise StoreUnavailable unless `path` is absent, empty, or a liveroom database."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise StoreUnavailable(f"{path} is a directory, not a liveroom database") from None
    except OSError as error:
        raise StoreUnavailable(f"cannot read {path}: {error.strerror}") from None
    if not header:
        return
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise StoreUnavailable(f"{path} is not a liveroom database (not an SQLite file)")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id == schema.APPLICATION_ID:
        return
    if application_id != 0 or _has_tables(path):
        raise StoreUnavailable(
            f"{path} is not a liveroom database (it belongs to another application)"
        )


def _has_tables(path: str) -> bool:
    uri = Path(path).absolute().as_uri() + "?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            return connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise StoreUnavailable(f"{path} is not a liveroom database ({error})") from None


def _create_private_file(path: str) -> None:
    """Create the database file readable and writable by its owner only."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as error:
        raise StoreUnavailable(f"cannot create {path}: {error.strerror}") from None
    os.close(descriptor)


def run_write(engine: SqliteEngine, work: Callable[[], T]) -> T:
    """Run `work` in a write transaction, retrying the whole of it while the database is busy.

    A failed attempt rolls back completely, so retrying cannot half-apply
    anything; database failures surface as StoreUnavailable with the cause.
    """
    delay = 0.05
    for attempt in range(BUSY_RETRIES):
        try:
            with engine.write_transaction():
                return work()
        except StoreError:
            raise
        except pw.OperationalError as error:
            if engine.is_busy(error) and attempt + 1 < BUSY_RETRIES:
                time.sleep(delay)
                delay *= 2
                continue
            raise _unavailable(error) from None
        except pw.DatabaseError as error:
            raise _unavailable(error) from None
    raise AssertionError("unreachable: the last attempt returns or raises")


def run_read(engine: SqliteEngine, work: Callable[[], T]) -> T:
    """Run read-only `work`, reporting database failures as StoreUnavailable."""
    for attempt in range(BUSY_RETRIES):
        try:
            return work()
        except StoreError:
            raise
        except pw.OperationalError as error:
            if engine.is_busy(error) and attempt + 1 < BUSY_RETRIES:
                time.sleep(0.05 * 2**attempt)
                continue
            raise _unavailable(error) from None
        except pw.DatabaseError as error:
            raise _unavailable(error) from None
    raise AssertionError("unreachable: the last attempt returns or raises")


def _unavailable(error: Exception) -> StoreUnavailable:
    text = str(error)
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return StoreUnavailable(f"the database is read-only: {text}")
    if "full" in lowered:
        return StoreUnavailable(f"the disk is full: {text}")
    if "locked" in lowered or "busy" in lowered:
        return StoreUnavailable(
            f"the database stayed busy (another process holds the write lock): {text}"
        )
    return StoreUnavailable(f"database error: {text}")
