"""Schema creation and upgrades, run once when a store opens.

A database records its schema version in the liveroom_meta table. An older
one is upgraded in place by the steps in MIGRATIONS, all in one transaction;
a newer one is refused untouched, since this liveroom cannot know its tables.
"""

from __future__ import annotations

from collections.abc import Callable

import peewee as pw

from store import schema
from store.errors import StoreUnavailable

Migration = Callable[[pw.Database, schema.Tables], None]


def _add_revision(database: pw.Database, tables: schema.Tables) -> None:
    """Version 2: interactions.revision, the per-row write counter the rooms view follows,
    and any index a version-1 file was made without (the live tail's came later)."""
    table = tables.interactions._meta.table_name
    database.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "revision" BIGINT NOT NULL DEFAULT 0')
    database.create_tables(tables.all(), safe=True)  # IF NOT EXISTS: only what is missing


def _add_turn_durations(database: pw.Database, tables: schema.Tables) -> None:
    """Version 3: the paused time of the running turn and each turn record's duration.

    A room paused at the upgrade is taken to have been paused at its last
    write (the pause itself, unless something was saved since): the best
    the old columns tell.
    """
    interactions = tables.interactions._meta.table_name
    turns = tables.turns._meta.table_name
    for statement in (
        f'ALTER TABLE "{interactions}" ADD COLUMN "turn_paused_ms" BIGINT NOT NULL DEFAULT 0',
        f'ALTER TABLE "{interactions}" ADD COLUMN "turn_paused_at" BIGINT',
        f'ALTER TABLE "{turns}" ADD COLUMN "duration_ms" BIGINT',
        f'UPDATE "{interactions}" SET "turn_paused_at" = "updated_at" '
        'WHERE "status" = \'paused\' AND "current_initiative_index" IS NOT NULL',
    ):
        database.execute_sql(statement)


def _add_turn_reasons(database: pw.Database, tables: schema.Tables) -> None:
    """Version 4: why the engine recorded a turn (a pass-over of the downed) and the conditions
    a turn's end ticked, for undo_turn. Older records have neither: NULL, nothing to put back.

    Hit points, conditions and `hidden` live in the initiative order's JSON and
    need no column: an older order reads with their defaults.
    """
    turns = tables.turns
    present = {column.name for column in database.get_columns(turns._meta.table_name)}
    for name in ("reason", "ticked_conditions"):
        field = turns._meta.fields[name]
        if field.column_name in present:  # a file made by a build of this version's tables
            continue
        context = database.get_sql_context()
        column_type, _ = context.sql(field.ddl_datatype(context)).query()  # JSONB / TEXT
        database.execute_sql(
            f'ALTER TABLE "{turns._meta.table_name}" ADD COLUMN "{field.column_name}" {column_type}'
        )


MIGRATIONS: dict[int, Migration] = {
    2: _add_revision,
    3: _add_turn_durations,
    4: _add_turn_reasons,
}
"""Step to version N from N-1, keyed by N. Version 1 is the first release's schema."""

VERSION_KEY = "schema_version"


def stored_version(tables: schema.Tables) -> int | None:
    """The schema version of an initialized database, or None for a new one."""
    database = tables.meta._meta.database
    if not database.table_exists(tables.meta._meta.table_name):
        return None
    row = tables.meta.get_or_none(tables.meta.key == VERSION_KEY)
    if row is None:
        return None
    return int(row.value)


def prepare(database: pw.Database, tables: schema.Tables, target_version: int) -> bool:
    """Create or upgrade the schema; True when the database was created now.

    Runs inside the caller's write transaction, so a failed upgrade leaves the
    file as it was.
    """
    version = stored_version(tables)
    if version is None:
        if database.get_tables():
            raise StoreUnavailable("not a liveroom database: it has tables liveroom did not create")
        database.create_tables(tables.all())
        _set_version(tables, target_version)
        return True
    check_version(version, target_version)
    for step in range(version + 1, target_version + 1):
        MIGRATIONS[step](database, tables)
        _set_version(tables, step)
    return False


def check_version(version: int, target_version: int) -> None:
    """Refuse a database written by a newer liveroom: this one cannot know its tables."""
    if version > target_version:
        raise StoreUnavailable(
            f"this database was written by a newer liveroom (schema {version}; "
            f"this version understands up to {target_version}): upgrade liveroom to open it"
        )


def _set_version(tables: schema.Tables, version: int) -> None:
    # An upsert, not REPLACE: PostgreSQL has no REPLACE, both engines have ON CONFLICT.
    meta = tables.meta
    meta.insert(key=VERSION_KEY, value=str(version)).on_conflict(
        conflict_target=[meta.key], update={meta.value: str(version)}
    ).execute()
