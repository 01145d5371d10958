"""The store's base: connection, clock, transactions, and row <-> model conversion.

The operation mixins build on these helpers, so each rule that holds for
every write lives here once: the interaction must exist, final interactions
are read-only, a write stamps last_activity and the revision, and events the
store writes itself carry the room's session id.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import partial
from typing import Any, Protocol, TypeVar

import peewee as pw
from pydantic import TypeAdapter, ValidationError

from store import migrations, schema
from store.clock import Clock, system_clock
from store.engine import Engine, run_read, run_write
from store.errors import Conflict, InvalidInput, NotFound, StoreUnavailable
from store.limits import MAX_TIMESTAMP
from store.models import (
    FINAL_STATUSES,
    ON_FIRST_USE,
    RUNNING_STATUSES,
    Interaction,
    LogEntry,
    RoomSummary,
    TurnRecord,
)
from store.prepared import Prepared, prepared, slot
from store.validation import DB_INT_MAX, DB_INT_MIN, check_interaction_id, dump_json

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

READ_ONLY = "the store is open read-only"
"""What every write on a store opened with read_only=True raises (as StoreUnavailable)."""

SYSTEM_SESSION = "system"
"""session_id of store-written events in an interaction without a live room."""

_JSON_COLUMNS = ("initiative_order", "last_state_snapshot", "connected_participants")
_INTERACTIONS = TypeAdapter(list[Interaction], config=ON_FIRST_USE)
_LOG_ENTRIES = TypeAdapter(list[LogEntry], config=ON_FIRST_USE)
SUMMARY_COLUMNS = (
    "id",
    "name",
    "status",
    "live_room_id",
    "connected_participants",
    "initiative_order",
    "current_initiative_index",
    "round_number",
    "turn_number",
    "current_turn_timeout",
    "paused_turn_remaining_ms",
    "turn_time_limit",
    "last_activity",
    "revision",
)
"""The interaction columns a RoomSummary is made from."""
_PARAMETERS_PER_STATEMENT = 2800
"""Bound parameters per bulk INSERT: well inside both engines' limits."""

LOG_COLUMNS = (
    "interaction_id",
    "event_type",
    "event_data",
    "user_id",
    "entity_id",
    "timestamp",
    "session_id",
)
LogRow = tuple[int, str, str | None, str | None, str | None, int, str]
"""One live_interaction_logs row in LOG_COLUMNS order."""


class LoggedRoom(Protocol):
    """What logging an event reads of a room: an Interaction, or the turn engine's view."""

    @property
    def id(self) -> int: ...
    @property
    def live_room_id(self) -> str | None: ...


def writes(operation: F) -> F:
    """Mark a public operation as a write: on a read-only store it raises StoreUnavailable
    before it checks or reads anything, so a read-only store refuses every write alike."""

    @functools.wraps(operation)
    def guarded(self: StoreCore, *args: Any, **kwargs: Any) -> Any:
        if self._engine.read_only:
            raise StoreUnavailable(READ_ONLY)
        return operation(self, *args, **kwargs)

    return guarded  # type: ignore[return-value]


class StoreCore:
    """Connection, clock, dice and the helpers every operation shares."""

    def __init__(
        self, engine: Engine, clock: Clock | None = None, rng: random.Random | None = None
    ) -> None:
        self._engine = engine
        self._clock = clock or system_clock
        self._rng = rng if rng is not None else random.Random()
        self._db = engine.database
        self._tables = schema.bind_tables(self._db)
        self._open()

    def _open(self) -> None:
        self._engine.open()
        if self._engine.read_only:
            try:
                run_read(self._engine, self._check_readable)
            except BaseException:
                self._engine.close()
                raise
            return

        def prepare() -> bool:
            created = migrations.prepare(self._db, self._tables, schema.SCHEMA_VERSION)
            if created:
                # In the same transaction: a database is never left created but unstamped.
                self._engine.stamp_new_database()
            return created

        try:
            run_write(self._engine, prepare)
        except BaseException:
            self._engine.close()
            raise

    def _check_readable(self) -> None:
        """A read-only store reads only a store of this version: it can neither create
        nor upgrade one."""
        version = migrations.stored_version(self._tables)
        if version is None:
            raise StoreUnavailable(f"no liveroom store at {self._engine.display_path}")
        migrations.check_version(version, schema.SCHEMA_VERSION)
        if version < schema.SCHEMA_VERSION:
            raise StoreUnavailable(
                f"{self._engine.display_path} holds an older liveroom store (schema {version}): "
                "open it once for writing to upgrade it"
            )

    # -- lifecycle -------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """Whether this store was opened with read_only=True: every write is refused."""
        return self._engine.read_only

    def close(self) -> None:
        """Close this thread's connection; the store can be reopened with open_store."""
        self._engine.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def path(self) -> str:
        """The database file (or PostgreSQL URL) this store reads and writes."""
        return self._engine.path

    def change_token(self) -> int:
        """Changes whenever another connection commits: a cheap "anything new?" check."""
        return run_read(self._engine, self._engine.change_token)

    # -- time, transactions, statements ----------------------------------

    def _now(self) -> int:
        now = self._clock()
        if type(now) is not int or not 0 <= now <= MAX_TIMESTAMP:
            raise InvalidInput(f"clock: must return integer epoch milliseconds, got {now!r}")
        return now

    def _write(self, work: Callable[[], T]) -> T:
        if self._engine.read_only:  # public writes refuse first (writes); this is the backstop
            raise StoreUnavailable(READ_ONLY)
        return run_write(self._engine, work)

    def _read(self, work: Callable[[], T]) -> T:
        return run_read(self._engine, work)

    def _read_consistent(self, work: Callable[[], T]) -> T:
        def in_transaction() -> T:
            with self._engine.read_transaction():
                return work()

        return run_read(self._engine, in_transaction)

    def _prepared(self, key: Hashable, build: Callable[[], pw.Query]) -> Prepared:
        """The statement of `key` (store/prepared.py), which `build` makes with slots."""
        return prepared(self._db, key, build)

    def _run(self, key: Hashable, build: Callable[[], pw.Query], values: Sequence[Any]) -> Any:
        """Run the prepared statement of `key` with `values` in its slots; the cursor."""
        statement = prepared(self._db, key, build)
        return self._db.execute_sql(statement.sql, statement.params(values))

    def _plain_rows(self, query: Any) -> list[dict[str, Any]]:
        """The query's rows as dicts of the driver's own values.

        Peewee's per-value field conversion is skipped: JSON stays text the
        store decodes, and the models check the rest.
        """
        return _row_dicts(self._db.execute(query))

    # -- interactions ----------------------------------------------------

    def _fetch(
        self, interaction_id: object, *, for_update: bool = False, with_snapshot: bool = False
    ) -> Interaction:
        """The interaction as a model; NotFound when the id is unknown.

        The state snapshot (up to 8 MiB) is read only when asked for: writes
        that merely check the status never pay for it. Every write starts
        here, so the statement is prepared.
        """
        interaction_id = storable_interaction_id(interaction_id)

        def build() -> pw.Query:
            table = self._tables.interactions
            query = table.select(*self._interaction_columns(with_snapshot))
            query = query.where(table.id == slot(0))
            return self._engine.lock_rows(query) if for_update else query

        cursor = self._run(("fetch", for_update, with_snapshot), build, (interaction_id,))
        rows = _row_dicts(cursor)
        if not rows:
            raise NotFound(f"interaction {interaction_id} not found")
        return interaction_from_row(rows[0])

    def _any_interaction(self, condition: pw.Expression) -> bool:
        """Whether any interaction meets `condition`: what a sweep reads before it takes the
        write lock, so that the common case (nothing to do) keeps no writer waiting."""
        table = self._tables.interactions
        return self._read(lambda: bool(table.select(table.id).where(condition).exists()))

    def _check_exists(self, interaction_id: object) -> None:
        """NotFound unless the id names an interaction, for reads that need nothing of the
        interaction itself: one indexed look-up, no model built."""
        interaction_id = storable_interaction_id(interaction_id)
        table = self._tables.interactions

        def build() -> pw.Query:
            return table.select(table.id).where(table.id == slot(0))

        if self._run("exists", build, (interaction_id,)).fetchone() is None:
            raise NotFound(f"interaction {interaction_id} not found")

    def _log_select(self) -> pw.ModelSelect:
        """A select of LOG_READ_COLUMNS, for _log_entries to read: narrow it and order it."""
        logs = self._tables.logs
        return logs.select(*[logs._meta.columns[name] for name in LOG_READ_COLUMNS])

    def _log_entries(self, query: pw.ModelSelect) -> list[LogEntry]:
        """The rows of a _log_select() query, straight from the driver's cursor."""
        return log_entries_from_rows(self._db.execute(query))

    def _interaction_columns(self, with_snapshot: bool) -> list[Any]:
        """Every interaction column, leaving out the (large) state snapshot unless asked."""
        fields = self._tables.interactions._meta.fields
        return [
            field
            for name, field in fields.items()
            if with_snapshot or name != "last_state_snapshot"
        ]

    def _fetch_writable(self, interaction_id: object) -> Interaction:
        """The interaction for a write: locked where the engine needs it, never final."""
        interaction = self._fetch(interaction_id, for_update=True)
        if interaction.status in FINAL_STATUSES:
            raise Conflict(
                f"interaction {interaction.id} is {interaction.status}: "
                f"{interaction.status} interactions are read-only"
            )
        return interaction

    def _require_status(
        self, interaction: Interaction, allowed: Iterable[str], action: str
    ) -> None:
        allowed = tuple(allowed)
        if interaction.status not in allowed:
            raise Conflict(
                f"cannot {action}: interaction {interaction.id} is {interaction.status} "
                f"(allowed only when {' or '.join(allowed)})"
            )

    def _update(self, interaction_id: int, now: int, **columns: Any) -> None:
        """Change an interaction's columns, stamping updated_at, last_activity and revision."""
        table = self._tables.interactions
        columns = {name: encode_column(name, value) for name, value in columns.items()}
        columns.setdefault("updated_at", now)
        columns["last_activity"] = now
        columns["revision"] = table.revision + 1
        table.update(**columns).where(table.id == interaction_id).execute()

    def _touch(self, interaction_id: int, now: int) -> None:
        """Record activity without changing anything else (an event was logged)."""
        table = self._tables.interactions

        def build() -> pw.Query:
            stamp = {"last_activity": slot(0), "revision": table.revision + 1}
            return table.update(**stamp).where(table.id == slot(1))

        self._run("touch", build, (now, interaction_id))

    def _update_each(self, now: int, changes: Sequence[tuple[int, dict[str, Any]]]) -> None:
        """Give several interactions their own values for the same columns, in one executemany.

        The bulk form of _update (same stamping), for a sweep that moves many rooms.
        """
        if not changes:
            return
        table = self._tables.interactions
        names = list(changes[0][1])
        stamps = len(names)

        def build() -> pw.Query:
            columns = {name: slot(position) for position, name in enumerate(names)}
            columns.update(updated_at=slot(stamps), last_activity=slot(stamps))
            return table.update(**columns, revision=table.revision + 1).where(
                table.id == slot(stamps + 1)
            )

        prepared = self._prepared(("update_each", *names), build)
        # Each row's values in the first row's column order, whatever order its dict has.
        rows = [
            prepared.params((*(encode_column(name, columns[name]) for name in names), now, room))
            for room, columns in changes
        ]
        self._db.cursor().executemany(prepared.sql, rows)

    # -- inserts ---------------------------------------------------------

    def _insert_events(
        self,
        interaction_id: int,
        now: int,
        events: list[tuple[str, str | None, str | None, str | None, str]],
    ) -> list[int]:
        """Insert (event_type, event_data_json, user_id, entity_id, session_id) rows in order."""
        return self._insert_log_rows(
            [
                (interaction_id, event_type, data, user_id, entity_id, now, session_id)
                for event_type, data, user_id, entity_id, session_id in events
            ]
        )

    def _insert_log_rows(self, rows: Sequence[LogRow]) -> list[int]:
        """Insert log rows (of any interactions) in order; their ids, ascending."""
        logs = self._tables.logs
        return sorted(row[0] for row in self._insert_returning(logs, LOG_COLUMNS, rows, ("id",)))

    def _insert_returning(
        self,
        table: Any,
        columns: tuple[str, ...],
        rows: Sequence[Sequence[Any]],
        returning: tuple[str, ...],
        *,
        skip_conflicts: bool = False,
    ) -> list[tuple[Any, ...]]:
        """Multi-row INSERT ... RETURNING; with skip_conflicts, duplicates are left out.

        Rows go in chunks of a power of two, so a few prepared statements serve
        any number of rows.
        """
        fields = [table._meta.columns[name] for name in columns]
        largest = 1 << ((_PARAMETERS_PER_STATEMENT // len(fields)).bit_length() - 1)

        def build(size: int) -> pw.Query:
            width = len(fields)
            slots = [[slot(row * width + at) for at in range(width)] for row in range(size)]
            query = table.insert_many(slots, fields=fields)
            if skip_conflicts:
                query = query.on_conflict(action="NOTHING")
            return query.returning(*[table._meta.columns[name] for name in returning])

        returned: list[tuple[Any, ...]] = []
        start = 0
        while start < len(rows):
            size = min(largest, 1 << ((len(rows) - start).bit_length() - 1))
            chunk = rows[start : start + size]
            key = ("insert", table._meta.table_name, columns, skip_conflicts, size)
            cursor = self._run(key, partial(build, size), [v for row in chunk for v in row])
            returned.extend(cursor.fetchall())
            start += size
        return returned

    def _log_row(
        self,
        room: LoggedRoom,
        now: int,
        event_type: str,
        data: Any = None,
        *,
        user_id: str | None = None,
        entity_id: str | None = None,
        session_id: str | None = None,
    ) -> LogRow:
        """An event the store writes itself, in the room's session, ready to insert."""
        session = session_id or room.live_room_id or SYSTEM_SESSION
        encoded = None if data is None else dump_json(data)
        return (room.id, event_type, encoded, user_id, entity_id, now, session)

    def _log(
        self, room: LoggedRoom, now: int, event_type: str, data: Any = None, **who: str | None
    ) -> int:
        """Log an event the store writes itself (who: user_id, entity_id, session_id)."""
        return self._insert_log_rows([self._log_row(room, now, event_type, data, **who)])[0]


def _row_dicts(cursor: Any) -> list[dict[str, Any]]:
    """A cursor's rows as dicts by column name, the values as the driver gave them."""
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def storable_interaction_id(value: object) -> int:
    """An interaction id the database can hold; larger ones cannot exist, so NotFound."""
    interaction_id = check_interaction_id(value)
    if not DB_INT_MIN <= interaction_id <= DB_INT_MAX:
        raise NotFound(f"interaction {interaction_id} not found")
    return interaction_id


def encode_column(name: str, value: Any) -> Any:
    """JSON columns are stored as text encoded here; the rest pass through."""
    if name in _JSON_COLUMNS:
        if name == "initiative_order":
            # Fields at their defaults left out: an order of untracked combatants stays as
            # small as before hit points and conditions existed, and reads back the same.
            value = [entry.model_dump(exclude_defaults=True) for entry in value]
        return None if value is None and name == "last_state_snapshot" else _dump(value)
    return value


def _dump(value: Any) -> str:
    if isinstance(value, PreEncoded):
        return value.text
    return dump_json(value)


class PreEncoded:
    """JSON text validated and encoded already (a snapshot): stored without re-encoding."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def load_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def interaction_from_row(row: dict[str, Any]) -> Interaction:
    return Interaction.model_validate(_interaction_fields(row))


def interactions_from_rows(rows: Iterable[dict[str, Any]]) -> list[Interaction]:
    """Many interactions in one pydantic call, cheaper than one call each."""
    return _INTERACTIONS.validate_python([_interaction_fields(row) for row in rows])


def summaries_from_rows(rows: Iterable[dict[str, Any]]) -> list[RoomSummary]:
    """Rows of SUMMARY_COLUMNS as RoomSummary models, not validated again: the store
    validated the columns when it wrote them, and the dashboard's first screen is
    this list (a first validation would build pydantic's validators at start-up)."""
    return [RoomSummary.model_construct(**_summary_fields(row)) for row in rows]


def _summary_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The turn order and the player list reduced to what a list of rooms shows of them.

    Only a running turn's order is decoded: idle and finished rooms (most of
    a long campaign's) show no one's turn.
    """
    fields = dict(row)
    order = fields.pop("initiative_order")
    index = fields.pop("current_initiative_index")
    participants = load_json(fields.pop("connected_participants")) or []
    fields["participant_count"] = len(participants)
    fields["current_actor"] = None
    if fields["status"] in RUNNING_STATUSES and index is not None:
        entries = load_json(order) or []
        if 0 <= index < len(entries):
            fields["current_actor"] = entries[index]["name"]
    return fields


def _interaction_fields(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the model's fields: JSON columns decoded, SQLite's 0/1 as booleans."""
    row = dict(row)
    row["initiative_order"] = load_json(row["initiative_order"]) or []
    row["connected_participants"] = load_json(row["connected_participants"]) or []
    row["last_state_snapshot"] = load_json(row.get("last_state_snapshot"))
    row["chat_enabled"] = bool(row["chat_enabled"])
    row["allow_private_chat"] = bool(row["allow_private_chat"])
    return row


LOG_READ_COLUMNS = ("id", *LOG_COLUMNS)
"""What a log read selects, in the order log_entries_from_rows reads it."""


def log_entries_from_rows(rows: Iterable[Sequence[Any]]) -> list[LogEntry]:
    """Rows of LOG_READ_COLUMNS as entries, in one pydantic call (cheaper than one each).

    A row the store did not write (an import of hand-edited data can hold a
    timestamp of 1.5 in SQLite) fails the models' checks: such a page is
    shown as stored rather than failing as a whole.
    """
    entries = [
        {
            "id": entry_id,
            "interaction_id": interaction_id,
            "event_type": event_type,
            "event_data": load_json(event_data),
            "user_id": user_id,
            "entity_id": entity_id,
            "timestamp": timestamp,
            "session_id": session,
        }
        for (
            entry_id,
            interaction_id,
            event_type,
            event_data,
            user_id,
            entity_id,
            timestamp,
            session,
        ) in rows
    ]
    try:
        return _LOG_ENTRIES.validate_python(entries)
    except ValidationError:
        return [LogEntry.model_construct(**entry) for entry in entries]


def turn_from_row(row: dict[str, Any]) -> TurnRecord:
    row = dict(row)
    row["interaction_id"] = row.pop("interaction")
    row["actions"] = load_json(row["actions"]) or []
    return TurnRecord.model_validate(row)
