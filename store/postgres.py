"""PostgreSQL as the store's engine (an Engine), for a store shared by several machines.

The store's operations run the same queries on both engines; what PostgreSQL
needs differently lives here:

- Writers serialize on row locks (SELECT ... FOR UPDATE on the interaction,
  FOR UPDATE SKIP LOCKED in the sweeps) instead of SQLite's database-wide
  write lock, so rooms on one server do not wait for each other.
- Lock timeouts, serialization failures and deadlocks count as "busy":
  run_write retries the whole transaction, as it does for SQLite's busy.
- Change detection is LISTEN/NOTIFY: statement-level triggers created with the
  schema notify a channel; change_token() counts the notifications other
  connections caused, read without waiting.
- A connection the server dropped (a restart) is discarded, and the next call
  connects again by itself.

psycopg is an optional extra (liveroom[postgres]): this module is imported
only for a PostgreSQL URL, so the SQLite default needs nothing more.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import peewee as pw

from store import schema
from store.engine import BUSY_TIMEOUT_S
from store.errors import InvalidInput, StoreUnavailable

try:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict
    from psycopg.types.string import TextLoader
except ImportError:  # pragma: no cover - exercised by a subprocess test without the driver
    psycopg = None

CONNECT_TIMEOUT_S = 5
"""How long a connection attempt to an unreachable server may take, unless the URL says."""

CONNECTION_DEFAULTS: dict[str, Any] = {
    "connect_timeout": CONNECT_TIMEOUT_S,
    "application_name": "liveroom",
    # A server host that vanishes without closing the connection (power cut,
    # network gone) is noticed in about a minute, not the OS's many minutes:
    # a dashboard polling it says so instead of hanging.
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 30_000,
}
"""libpq settings used unless the URL gives its own."""

BUSY_SQLSTATES = frozenset(
    {
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
        "55P03",  # lock_not_available: lock_timeout expired waiting for a row lock
    }
)
"""Errors after which the whole transaction can simply run again."""

SCHEMA_LOCK_KEY = 0x4C56524D
"""pg_advisory_xact_lock key ("LVRM"), with the schema's hash, serializing its creation."""

NOTIFY_FUNCTION = "liveroom_notify_change"
CHANGE_TABLES = ("users", "interactions", "live_interaction_logs", "turn_records")
"""Tables whose writes the dashboard must notice (liveroom_meta changes only on upgrade)."""


def channel_name(schema_name: str) -> str:
    """The NOTIFY channel of the liveroom tables in one schema.

    Derived from the schema, so stores in different schemas of one database
    (the test suite runs one per test) do not wake each other; hashed, since a
    channel name is limited to 63 bytes like any identifier.
    """
    return "liveroom_" + hashlib.md5(schema_name.encode("utf-8")).hexdigest()[:16]


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


class _Database(pw.PostgresqlDatabase):
    """Peewee's PostgreSQL database, set up per connection and replacing dropped ones."""

    # psycopg 3 even where psycopg2 is installed too (Peewee would pick psycopg2 then).
    psycopg2_adapter = pw.Psycopg3Adapter
    read_only = False
    """Every transaction of every connection read-only: the server refuses any write."""

    def _initialize_connection(self, conn: Any) -> None:
        # JSON columns come back as the text the store decodes itself, as on SQLite.
        conn.adapters.register_loader("jsonb", TextLoader)
        conn.adapters.register_loader("json", TextLoader)
        # A writer waits for a row lock as long as SQLite waits for its write lock;
        # then run_write retries the transaction (lock_not_available is "busy").
        conn.execute(f"SET lock_timeout = '{int(BUSY_TIMEOUT_S * 1000)}ms'")
        if self.read_only:
            conn.execute("SET default_transaction_read_only = on")

    def begin(self, *args: Any, **kwargs: Any) -> None:
        """BEGIN, on a new connection if the server dropped the old one.

        BEGIN is a transaction's first statement: a connection found dead here
        has done nothing yet, so starting over on a fresh one is safe.
        """
        try:
            super().begin(*args, **kwargs)
        except (pw.OperationalError, pw.InterfaceError):
            if not self.discard_if_broken():
                raise
            super().begin(*args, **kwargs)

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        """Run a statement, once more on a new connection if the old one was dropped.

        Only outside a transaction: there the store runs nothing but reads
        (every write runs in a transaction), so repeating it is harmless; in a
        transaction the error stands and the transaction is lost whole.
        """
        try:
            return super().execute_sql(sql, params)
        except (pw.OperationalError, pw.InterfaceError):
            if self.in_transaction() or not self.discard_if_broken():
                raise
            return super().execute_sql(sql, params)

    def rollback(self) -> None:
        """Roll back; when the server dropped the connection it rolled back already."""
        try:
            super().rollback()
        except (pw.OperationalError, pw.InterfaceError):
            if not self.discard_if_broken():
                raise

    def discard_if_broken(self) -> bool:
        """Forget this thread's connection if the server dropped it; True if it did.

        The next statement then connects again (Peewee's autoconnect), which
        is how a store outlives a server restart.
        """
        if self.in_transaction():
            return False
        conn = self._state.conn
        if conn is None or not conn.closed:
            return False
        self.dispose()
        with contextlib.suppress(psycopg.Error):  # closing a dead socket may complain
            conn.close()
        return True


class PostgresEngine:
    """A liveroom store in a PostgreSQL database (in the URL's current schema)."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        if psycopg is None:
            raise StoreUnavailable(
                "PostgreSQL needs the psycopg driver: pip install 'liveroom[postgres]'"
            )
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        try:
            given = conninfo_to_dict(url)
        except psycopg.ProgrammingError as error:
            raise InvalidInput(f"target: not a valid PostgreSQL URL ({error})") from None
        self.path = url
        self.read_only = read_only
        self.database = _Database(None)
        self.database.read_only = read_only
        self._connect_params: dict[str, Any] = {}
        for name, value in CONNECTION_DEFAULTS.items():
            if name not in given:
                self._connect_params[name] = value
        self._channel = ""
        self._changes = 0
        self._changes_lock = threading.Lock()
        self._listener = threading.local()
        self._schema_checked = False

    def open(self) -> None:
        """Connect and find the schema the tables live in (and so the NOTIFY channel)."""
        self.database.init(self.path, **self._connect_params)
        try:
            self.database.connect(reuse_if_open=True)
            current = self.database.execute_sql("SELECT current_schema()").fetchone()[0]
        except (pw.DatabaseError, pw.InterfaceError) as error:
            self.database.discard_if_broken()
            raise StoreUnavailable(f"cannot open {redact(self.path)}: {error}".strip()) from None
        if current is None:
            self.close()
            raise StoreUnavailable(
                f"cannot open {redact(self.path)}: no schema to create the tables in "
                "(the search_path names no existing schema)"
            )
        self._channel = channel_name(current)

    def close(self) -> None:
        self._listener.connection = None
        if not self.database.is_closed():
            self.database.close()

    @property
    def display_path(self) -> str:
        return redact(self.path)

    def serialize_on(self, name: str) -> None:
        """A transaction-scoped advisory lock on the name (hashed) in this schema: row locks
        cannot make a writer wait for a value that no row holds yet."""
        self.database.execute_sql(
            "SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext(%s))", (name,)
        )

    @contextmanager
    def write_transaction(self) -> Iterator[None]:
        """READ COMMITTED; each write locks the rows it changes (lock_rows) before reading them.

        Until the schema check that follows open() has committed, writes also
        take an advisory lock, so two processes opening a fresh database at
        once do not both create the tables.
        """
        with self.database.atomic():
            if not self._schema_checked:
                self.database.execute_sql(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))",
                    (SCHEMA_LOCK_KEY,),
                )
            yield
        self._schema_checked = True

    @contextmanager
    def read_transaction(self) -> Iterator[None]:
        """One snapshot for several queries: READ COMMITTED would see a new one per statement."""
        with self.database.atomic("REPEATABLE READ READ ONLY"):
            yield

    def lock_rows(self, query: pw.ModelSelect, *, skip_locked: bool = False) -> pw.ModelSelect:
        """FOR UPDATE (SKIP LOCKED): the row stays ours until commit."""
        return query.for_update(skip_locked=skip_locked or None)

    def json_element(self, array: pw.Node, index: pw.Node) -> pw.Node:
        """JSONB's `->` operator."""
        return pw.NodeList((array, pw.SQL("->"), index), parens=True)

    def is_busy(self, error: Exception) -> bool:
        """A lock wait that timed out, a serialization failure or a deadlock: retry."""
        # Peewee keeps the driver's exception as .orig (a re-wrapped error keeps the
        # previous wrapper there); psycopg's own carries the SQLSTATE.
        candidate: BaseException | None = error
        for _ in range(8):
            if candidate is None:
                return False
            if getattr(candidate, "sqlstate", None) in BUSY_SQLSTATES:
                return True
            candidate = getattr(candidate, "orig", None) or candidate.__cause__
        return False

    def change_token(self) -> int:
        """A counter that moves when another connection commits a change.

        Each call makes one round trip (SELECT 1): it proves the connection
        alive, replacing one the server dropped as any read does, and brings in
        the notifications sent so far, which are then read without waiting for
        more. The first call on a connection LISTENs, and moves the counter:
        changes made while nobody listened (during a reconnect) must show.
        """
        try:
            return self._read_notifications()
        except psycopg.Error as error:
            if not self.database.discard_if_broken():
                raise pw.OperationalError(error, *error.args) from error
        try:
            return self._read_notifications()
        except psycopg.Error as error:
            self.database.discard_if_broken()
            raise pw.OperationalError(error, *error.args) from error

    def _read_notifications(self) -> int:
        # A dropped connection can look idle and healthy until it is used:
        # only a round trip tells, and execute_sql reconnects if it was dropped.
        self.database.execute_sql("SELECT 1")
        connection = self.database.connection()
        if getattr(self._listener, "connection", None) is not connection:
            self.database.execute_sql(f'LISTEN "{self._channel}"')
            self._listener.connection = connection
            self._listener.pid = connection.info.backend_pid
            self._bump(1)
        own_pid = self._listener.pid
        others = sum(1 for n in connection.notifies(timeout=0) if n.pid != own_pid)
        if others:
            self._bump(others)
        return self._changes

    def _bump(self, count: int) -> None:
        with self._changes_lock:
            self._changes += count

    def after_import(self, tables: schema.Tables) -> None:
        """Move each id sequence past the ids copied in: an explicit id does not move it."""
        for table in (tables.interactions, tables.logs, tables.turns):
            name = table._meta.table_name
            self.database.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                f'COALESCE(MAX(id), 0) + 1, false) FROM "{name}"'
            )

    def stamp_new_database(self) -> None:
        """Create the change triggers with the tables, in the same transaction."""
        self.database.execute_sql(
            f"""
            CREATE OR REPLACE FUNCTION {NOTIFY_FUNCTION}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify(
                    'liveroom_' || left(md5(TG_TABLE_SCHEMA), 16), '');
                RETURN NULL;
            END
            $$
            """
        )
        for table in CHANGE_TABLES:
            self.database.execute_sql(
                f"CREATE TRIGGER {NOTIFY_FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {NOTIFY_FUNCTION}()'
            )
