"""The database schema: Peewee table definitions, bound to one database per store.

The tables are declared once here and bound to a store's database by
`bind_tables`, which makes subclasses instead of rebinding these classes, so
several stores (one per file, or one per test) can be open in a process.
JSON columns hold text the store has already validated and encoded itself:
`JsonText` passes it through as is, as TEXT on SQLite and JSONB on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import peewee as pw

SCHEMA_VERSION = 4
"""Bump with a migration in store/migrations.py whenever the tables change."""

APPLICATION_ID = 0x4C56524D
"""SQLite's application_id header field for liveroom files ("LVRM")."""


class JsonText(pw.Field):
    """A JSON column whose values the store encodes and decodes itself.

    No cast is needed for JSONB: psycopg sends a str parameter untyped, and
    PostgreSQL converts it to the column's type (and refuses text that is
    not JSON). It reads back as text too (store/postgres.py registers that).
    """

    field_type = "JSON"


class _Table(pw.Model):
    class Meta:
        legacy_table_names = False


class MetaRow(_Table):
    key = pw.CharField(primary_key=True, max_length=64)
    value = pw.TextField()

    class Meta:
        table_name = "liveroom_meta"


class UserRow(_Table):
    id = pw.CharField(primary_key=True, max_length=128)
    display_name = pw.CharField(max_length=200)
    updated_at = pw.BigIntegerField()

    class Meta:
        table_name = "users"


class InteractionRow(_Table):
    id = pw.BigAutoField()
    name = pw.CharField(max_length=200)
    description = pw.TextField(null=True)
    dm_user_id = pw.CharField(max_length=128)
    campaign_id = pw.CharField(max_length=128, null=True)
    status = pw.CharField(max_length=16)
    initiative_order = JsonText()
    current_initiative_index = pw.IntegerField(null=True)
    round_number = pw.IntegerField(default=0)
    turn_number = pw.IntegerField(default=0)
    created_at = pw.BigIntegerField()
    updated_at = pw.BigIntegerField()
    live_room_id = pw.CharField(max_length=128, null=True)
    last_state_snapshot = JsonText(null=True)
    snapshot_timestamp = pw.BigIntegerField(null=True)
    connected_participants = JsonText()
    last_activity = pw.BigIntegerField(null=True)
    current_turn_timeout = pw.BigIntegerField(null=True)
    turn_time_limit = pw.IntegerField()
    chat_enabled = pw.BooleanField()
    allow_private_chat = pw.BooleanField()
    turn_started_at = pw.BigIntegerField(null=True)
    paused_turn_remaining_ms = pw.BigIntegerField(null=True)
    turn_paused_ms = pw.BigIntegerField(default=0, constraints=[pw.SQL("DEFAULT 0")])
    """Time the current turn spent paused (resumed since): left out of its duration."""
    turn_paused_at = pw.BigIntegerField(null=True)
    """When the current turn was paused, while it is (its deadline, when paused after it)."""
    revision = pw.BigIntegerField(default=0, constraints=[pw.SQL("DEFAULT 0")])
    """One more on every write to the row (StoreCore._update and friends): a reader
    that remembers it re-reads only the interactions that changed."""

    class Meta:
        table_name = "interactions"
        indexes = (
            (("status", "current_turn_timeout"), False),
            (("status", "last_activity"), False),
        )


class LogRow(_Table):
    id = pw.BigAutoField()
    interaction = pw.ForeignKeyField(InteractionRow, on_delete="CASCADE", index=False)
    event_type = pw.CharField(max_length=128)
    event_data = JsonText(null=True)
    user_id = pw.CharField(max_length=128, null=True)
    entity_id = pw.CharField(max_length=128, null=True)
    timestamp = pw.BigIntegerField()
    session_id = pw.CharField(max_length=128)

    class Meta:
        table_name = "live_interaction_logs"
        # (interaction, id) serves the live tail ("entries after the last one
        # seen"); (interaction, timestamp, id) serves "newest N of one
        # interaction" and keyset pages without a sort; the event-type and
        # session indexes serve the filtered views. Each is a B-tree walk.
        indexes = (
            (("interaction", "id"), False),
            (("interaction", "timestamp", "id"), False),
            (("interaction", "event_type", "timestamp", "id"), False),
            (("session_id", "timestamp", "id"), False),
        )


class TurnRow(_Table):
    id = pw.BigAutoField()
    interaction = pw.ForeignKeyField(InteractionRow, on_delete="CASCADE", index=False)
    entity_id = pw.CharField(max_length=128)
    entity_type = pw.CharField(max_length=16)
    turn_number = pw.IntegerField()
    round_number = pw.IntegerField()
    actions = JsonText()
    start_time = pw.BigIntegerField()
    end_time = pw.BigIntegerField(null=True)
    status = pw.CharField(max_length=16)
    user_id = pw.CharField(max_length=128, null=True)
    duration_ms = pw.BigIntegerField(null=True)
    """Active time of the turn; NULL in records older than schema 3 (read as end - start)."""
    reason = pw.CharField(max_length=16, null=True)
    """Why the store recorded the turn on its own: "down" for a turn it passed over."""
    ticked_conditions = JsonText(null=True)
    """The bearer's conditions, in order, as they were before the turn's end ticked them
    (NULL: none ticked; records older than that list hold only those with rounds left):
    what undo_turn puts back."""

    class Meta:
        table_name = "turn_records"
        indexes = ((("interaction", "round_number", "turn_number"), True),)


TABLES: tuple[type[_Table], ...] = (MetaRow, UserRow, InteractionRow, LogRow, TurnRow)


@dataclass(frozen=True)
class Tables:
    """The tables of one store, bound to its database."""

    meta: Any
    users: Any
    interactions: Any
    logs: Any
    turns: Any

    def all(self) -> tuple[Any, ...]:
        return (self.meta, self.users, self.interactions, self.logs, self.turns)


def bind_tables(database: pw.Database) -> Tables:
    """Subclasses of the tables bound to `database`, leaving the originals unbound."""
    bound = {}
    for table in TABLES:
        meta = type("Meta", (), {"database": database, "table_name": table._meta.table_name})
        bound[table] = type(table.__name__, (table,), {"Meta": meta, "__module__": __name__})
    return Tables(
        meta=bound[MetaRow],
        users=bound[UserRow],
        interactions=bound[InteractionRow],
        logs=bound[LogRow],
        turns=bound[TurnRow],
    )
