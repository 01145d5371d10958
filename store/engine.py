"""The seam between the store and a database engine: the Engine protocol and retries.

Everything engine-specific lives behind Engine (store/sqlite.py and
store/postgres.py implement it): how a target becomes a connection, how a
write transaction takes its lock, which errors mean "busy, try again", and
how another process's commit is noticed cheaply. The store's operations are
written once against it, and run through run_write and run_read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol, TypeVar

import peewee as pw

from store import schema
from store.errors import StoreError, StoreUnavailable

T = TypeVar("T")

BUSY_TIMEOUT_S = 5.0
"""How long a writer waits for a lock (SQLite's write lock, a PostgreSQL row) before busy."""
BUSY_RETRIES = 4
"""Attempts of a whole transaction when the database still says busy after that wait."""


class Engine(Protocol):
    """A database engine as the store uses it: one connection per thread, opened by open()."""

    path: str
    """The target as given (a file path or a URL): open_store(path) opens the same store."""
    read_only: bool
    """Opened to read only: nothing is created, and the database refuses writes."""
    database: pw.Database
    """The Peewee database the store's tables are bound to."""

    def open(self) -> None:
        """Connect this thread; StoreUnavailable when the target is not (or cannot be) a store."""

    def close(self) -> None:
        """Close this thread's connection; other threads keep theirs."""

    @property
    def display_path(self) -> str:
        """The target for messages (a URL without its password)."""

    def serialize_on(self, name: str) -> None:
        """Until the transaction ends, make other writers that serialize on `name` wait:
        a check that no other row holds a value stays true until this write commits."""

    def write_transaction(self) -> AbstractContextManager[None]:
        """A transaction in which a read-then-write of an interaction is never stale."""

    def read_transaction(self) -> AbstractContextManager[None]:
        """One consistent snapshot for several queries; keep it short."""

    def lock_rows(self, query: pw.ModelSelect, *, skip_locked: bool = False) -> pw.ModelSelect:
        """`query` locking the rows it reads until commit, where the engine locks rows;
        skip_locked (for sweeps) leaves out rows another writer holds."""

    def json_element(self, array: pw.Node, index: pw.Node) -> pw.Node:
        """Element `index` of the JSON array column `array`, as JSON text; NULL past its end."""

    def is_busy(self, error: Exception) -> bool:
        """Whether `error` means "busy": the whole transaction may simply run again."""

    def change_token(self) -> int:
        """A number that moves whenever another connection commits: a cheap "anything new?"."""

    def stamp_new_database(self) -> None:
        """Mark a database just created as liveroom's, in the transaction that created it."""

    def after_import(self, tables: schema.Tables) -> None:
        """After rows were copied in with their ids, make new rows get ids after them."""


def run_write(engine: Engine, work: Callable[[], T]) -> T:
    """Run `work` in a write transaction, retrying the whole of it while the database is busy.

    A failed attempt rolls back completely, so retrying cannot half-apply
    anything; database failures surface as StoreUnavailable with the cause.
    """
    delay = 0.05
    for attempt in range(BUSY_RETRIES):
        try:
            with engine.write_transaction(), _DRIVER_ERRORS:
                return work()
        except StoreError:
            raise
        except pw.OperationalError as error:
            if engine.is_busy(_cause(error)) and attempt + 1 < BUSY_RETRIES:
                time.sleep(delay)
                delay *= 2
                continue
            raise _unavailable(_cause(error)) from None
        except pw.DatabaseError as error:
            raise _unavailable(_cause(error)) from None
    raise AssertionError("unreachable: the last attempt returns or raises")


def run_read(engine: Engine, work: Callable[[], T]) -> T:
    """Run read-only `work`, reporting database failures as StoreUnavailable."""
    for attempt in range(BUSY_RETRIES):
        try:
            with _DRIVER_ERRORS:
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


_DRIVER_ERRORS = pw.__exception_wrapper__
"""Peewee's mapping of driver errors to its own classes. Peewee applies it around
execute() but not while rows are fetched, where SQLite can still fail (text that
is not UTF-8 in a damaged file); without it a raw sqlite3 error would escape."""


def _cause(error: Exception) -> Exception:
    """The error that failed the transaction, not the failed ROLLBACK reported after it.

    After SQLITE_FULL or an I/O error SQLite may roll the transaction back
    itself; Peewee's own ROLLBACK then fails with "no transaction is active",
    which would hide that the disk is full.
    """
    cause: BaseException | None = error
    while cause is not None and "no transaction is active" in str(cause):
        cause = cause.__context__
    return cause if isinstance(cause, Exception) else error


def _unavailable(error: Exception) -> StoreUnavailable:
    text = str(error)
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return StoreUnavailable(f"the database is read-only: {text}")
    if "full" in lowered:
        return StoreUnavailable(f"the disk is full: {text}")
    if "malformed" in lowered or "not a database" in lowered or "decode" in lowered:
        return StoreUnavailable(f"the database file is damaged: {text}")
    if "locked" in lowered or "busy" in lowered:
        return StoreUnavailable(
            f"the database stayed busy (another process holds the write lock): {text}"
        )
    return StoreUnavailable(f"database error: {text}")
