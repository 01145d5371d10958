"""SQLite as the store's engine: a file (or memory) in WAL mode, shared by processes.

A file that is not a liveroom database (another application's, damaged,
truncated) is refused before SQLite writes anything to it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import peewee as pw

from store import schema
from store.engine import BUSY_TIMEOUT_S
from store.errors import InvalidInput, StoreUnavailable

SQLITE_MAGIC = b"SQLite format 3\x00"
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
"""Files up to this size get SQLite's quick_check on open; larger ones only the header's
size check, so opening a big store stays fast."""


def default_database_path() -> Path:
    """The per-user database file, in the platform's user data directory."""
    import platformdirs  # on use: only a store opened without a target needs it

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
    """SQLite in WAL mode, shared safely by a dashboard and writer processes (an Engine).

    read_only opens the file with mode=ro and never creates anything: not the
    file, not its -wal and -shm (see _read_only_uri).
    """

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        pragmas: dict[str, object] = {"foreign_keys": 1}
        if not read_only:  # journal_mode and synchronous are settings a write would store
            pragmas = {"journal_mode": "wal", "synchronous": "normal", **pragmas}
        self.database = pw.SqliteDatabase(None, pragmas=pragmas)

    def open(self) -> None:
        """Refuse what is not ours before connecting, so a refused file stays untouched."""
        if self.read_only:
            self._open_read_only()
            return
        if self.path != ":memory:":
            _inspect_existing_file(self.path)
            _create_private_file(self.path)
        self.database.init(self.path, timeout=BUSY_TIMEOUT_S)
        try:
            self.database.connect(reuse_if_open=True)
        except pw.DatabaseError as error:
            raise StoreUnavailable(f"cannot open {self.path}: {error}") from None

    def _open_read_only(self) -> None:
        missing = StoreUnavailable(f"no liveroom store at {self.path}")
        if self.path == ":memory:" or not os.path.exists(self.path):
            raise missing
        _inspect_existing_file(self.path)  # a directory, another application's file, damage
        if os.path.getsize(self.path) == 0:
            raise missing
        self.database.init(_read_only_uri(self.path), timeout=BUSY_TIMEOUT_S, uri=True)
        try:
            self.database.connect(reuse_if_open=True)
        except pw.DatabaseError as error:
            raise StoreUnavailable(f"cannot open {self.path}: {error}") from None

    def close(self) -> None:
        if not self.database.is_closed():
            self.database.close()

    @property
    def display_path(self) -> str:
        return self.path

    def serialize_on(self, name: str) -> None:
        """Nothing to do: an IMMEDIATE transaction already holds the only write lock."""

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

    def json_element(self, array: pw.Node, index: pw.Node) -> pw.Node:
        """json_extract rather than SQLite 3.38's `->`: RETURNING needs only 3.35."""
        path = pw.NodeList((pw.SQL("'$['"), index, pw.SQL("']'")), glue=" || ")
        return pw.fn.json_extract(array, path)

    def is_busy(self, error: Exception) -> bool:
        text = str(error).lower()
        return "locked" in text or "busy" in text

    def change_token(self) -> int:
        """PRAGMA data_version: it changes whenever another connection commits."""
        cursor = self.database.execute_sql("PRAGMA data_version")
        return int(cursor.fetchone()[0])

    def stamp_new_database(self) -> None:
        self.database.execute_sql(f"PRAGMA application_id = {schema.APPLICATION_ID}")

    def after_import(self, tables: schema.Tables) -> None:
        """Nothing to do: SQLite's next id is always max(id) + 1."""


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


def _read_only_uri(path: str) -> str:
    """The URI that reads `path` without writing anything beside it.

    mode=ro alone still creates the -wal and -shm files of a WAL database
    when they are absent. Without a -wal file no writer is running and the
    file alone is the whole database: it is then opened immutable, which
    reads it as it stands, with no locks and no files created (a writer that
    starts later is not seen). With one, the writer's files are used as they are.
    """
    uri = Path(path).absolute().as_uri() + "?mode=ro"
    return uri if os.path.exists(f"{path}-wal") else uri + "&immutable=1"


def _read_only(path: str) -> sqlite3.Connection:
    """A connection that only reads the file and takes no locks."""
    return sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro&immutable=1", uri=True)


def _has_tables(path: str) -> bool:
    try:
        connection = _read_only(path)
        try:
            return connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise StoreUnavailable(f"{path} is not a liveroom database ({error})") from None


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
    """SQLite's quick_check of the file: None if sound, else what it found."""
    try:
        connection = _read_only(path)
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
