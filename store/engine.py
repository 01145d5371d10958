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
from typing import TYPE_CHECKING, TypeVar

import peewee as pw

from store import schema
from store.errors import InvalidInput, StoreError, StoreUnavailable

if TYPE_CHECKING:
    from store.postgres import PostgresEngine

T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0
BUSY_RETRIES = 4
"""Attempts of a whole write transaction when SQLite still says busy after its timeout."""


def default_database_path() -> Path:
    """The per-user database file, in the platform's user data directory."""
    import platformdirs  # on use: only a store opened without a target needs it

    return Path(platformdirs.user_data_dir("liveroom", appauthor=False)) / "liveroom.db"


def open_engine(target: str | os.PathLike[str] | None) -> SqliteEngine | PostgresEngine:
    """The engine for a target: PostgreSQL for a postgresql:// URL, SQLite otherwise.

    store.postgres (and with it the optional psycopg driver) is imported only
    for a PostgreSQL URL.
    """
    if isinstance(target, str) and target.startswith(("postgresql://", "postgres://")):
        from store.postgres import PostgresEngine

        return PostgresEngine(target)
    return SqliteEngine(resolve_target(target))


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

    def lock_rows(self, query: pw.ModelSelect, *, skip_locked: bool = False) -> pw.ModelSelect:
        """SQLite's IMMEDIATE transaction already serializes writers: no row locks needed."""
        return query

    def json_element(self, array: str, index: str) -> str:
        """SQL for element `index` of the JSON array `array` as JSON text; NULL past its end.

        json_extract rather than SQLite 3.38's `->`: RETURNING needs only 3.35.
        """
        return f"json_extract({array}, '$[' || ({index}) || ']')"

    def is_busy(self, error: Exception) -> bool:
        text = str(error).lower()
        return "locked" in text or "busy" in text

    def change_token(self) -> int:
        """A number that changes whenever another connection commits (PRAGMA data_version)."""
        cursor = self.database.execute_sql("PRAGMA data_version")
        return int(cursor.fetchone()[0])

    def stamp_new_database(self) -> None:
        self.database.execute_sql(f"PRAGMA application_id = {schema.APPLICATION_ID}")

    def after_import(self, tables: schema.Tables) -> None:
        """Rows were copied in with their ids: nothing to do (the next id is max(id) + 1)."""


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
    if application_id != schema.APPLICATION_ID and (application_id != 0 or _has_tables(path)):
        raise StoreUnavailable(
            f"{path} is not a liveroom database (it belongs to another application)"
        )
    _check_intact(path, header)


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


QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
"""Files up to this size get SQLite's quick_check on open (~0.15 s for 50 MB); larger
ones only the header's size check, so opening a big store stays fast."""


def _check_intact(path: str, header: bytes) -> None:
    """Refuse a truncated or damaged file before SQLite writes anything to it.

    Only while no write-ahead log sits beside it: then the file alone is the
    whole database. With one, recent pages live in the log and another process
    may be checkpointing, so SQLite itself is the judge.
    """
    if _has_wal(path):
        return
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    size = os.path.getsize(path)
    # The header's page count is valid while its change counter equals "version-valid-for".
    declared = int.from_bytes(header[28:32], "big") * page_size
    if header[24:28] != header[92:96]:
        declared = 0
    if page_size < 512 or page_size & (page_size - 1) or size % page_size or size < declared:
        problem = f"truncated: {size} bytes where its header says {declared}"
    elif size <= QUICK_CHECK_MAX_BYTES:
        problem = _quick_check(path)
    else:
        return
    if problem is not None and not _has_wal(path):  # a writer that appeared meanwhile explains it
        raise StoreUnavailable(f"{path} is damaged ({problem})")


def _has_wal(path: str) -> bool:
    try:
        return os.stat(f"{path}-wal").st_size > 0
    except OSError:
        return False


def _quick_check(path: str) -> str | None:
    """SQLite's quick_check through a read-only connection that takes no locks: None if sound."""
    uri = Path(path).absolute().as_uri() + "?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            rows = connection.execute("PRAGMA quick_check(1)").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    if rows == [("ok",)]:
        return None
    return " ".join(str(rows[0][0]).replace("*** in database main ***", "").split())


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


def run_read(engine: SqliteEngine, work: Callable[[], T]) -> T:
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
