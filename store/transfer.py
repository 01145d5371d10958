"""Whole tables out of one store and into another: what `liveroom copy` moves between engines.

Rows travel as plain tuples in the tables' column order, with ids,
timestamps and the JSON text exactly as stored, so a copy keeps every id (log
order, turn records, keyset pages) and every time. The export reads one
snapshot; the import is one transaction into an empty store, all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from store.core import StoreCore, writes
from store.errors import Conflict, StoreError
from store.prepared import Prepared, slot

TRANSFER_TABLES = ("users", "interactions", "live_interaction_logs", "turn_records")
"""Every table with data, parents before children (liveroom_meta belongs to each store)."""

EXPORT_PAGE_ROWS = 5000

Page = tuple[str, list[tuple[Any, ...]]]
"""(table name, rows): a slice of one table in column order."""


class TransferOperations(StoreCore):
    """table_counts, export_tables and import_tables: bulk copies between stores."""

    def table_counts(self) -> dict[str, int]:
        """Rows per table, all counted in one snapshot."""

        def read() -> dict[str, int]:
            return {name: self._table(name).select().count() for name in TRANSFER_TABLES}

        return self._read_consistent(read)

    def export_tables(self) -> Iterator[Page]:
        """Every row of every table, parents first, ordered by key, from one snapshot.

        A generator holding a read transaction open until it is exhausted or
        closed: consume it on the thread that made it, and promptly (on SQLite
        a long read holds back checkpoints). Database errors surface as the
        caller's own (import_tables maps them like any other).
        """
        with self._engine.read_transaction():
            for name in TRANSFER_TABLES:
                table = self._table(name)
                key = table._meta.primary_key
                expected = table.select().count()
                exported = 0
                last: Any = None
                while True:
                    query = table.select(*table._meta.sorted_fields).order_by(key)
                    if last is not None:
                        query = query.where(key > last)
                    rows = list(query.limit(EXPORT_PAGE_ROWS).tuples())
                    if not rows:
                        break
                    exported += len(rows)
                    last = rows[-1][0]
                    yield name, rows
                if exported != expected:
                    raise StoreError(
                        f"{name}: exported {exported} rows, the snapshot counted {expected}"
                    )

    @writes
    def import_tables(self, pages: Callable[[], Iterable[Page]]) -> dict[str, int]:
        """Insert every page into this store, which must be empty, in one transaction.

        `pages` is called once per attempt (a busy database retries the whole
        transaction), so pass `source.export_tables`, not its generator. Ids
        are kept as given; afterwards new rows get ids after them. Returns the
        rows inserted per table.
        """

        def write() -> dict[str, int]:
            existing = {
                name: count
                for name in TRANSFER_TABLES
                if (count := self._table(name).select().count())
            }
            if existing:
                found = ", ".join(f"{count} {name}" for name, count in existing.items())
                raise Conflict(f"the destination store is not empty ({found}): copy into a new one")
            inserted = dict.fromkeys(TRANSFER_TABLES, 0)
            source = iter(pages())
            try:
                for name, rows in source:
                    self._insert_rows(name, rows)
                    inserted[name] += len(rows)
            finally:
                close = getattr(source, "close", None)
                if close is not None:
                    close()
            self._engine.after_import(self._tables)
            return inserted

        return self._write(write)

    def _table(self, name: str) -> Any:
        by_name = {table._meta.table_name: table for table in self._tables.all()}
        if name not in TRANSFER_TABLES:
            raise StoreError(f"{name}: not a table a copy moves")
        return by_name[name]

    def _insert_rows(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        """One INSERT per row, with the ids given, through the driver's executemany:
        each driver's bulk path (sqlite3 loops in C, psycopg pipelines the statements)."""
        if not rows:
            return
        table = self._table(name)
        fields = table._meta.sorted_fields
        if any(len(row) != len(fields) for row in rows):
            columns = ", ".join(field.column_name for field in fields)
            raise StoreError(f"{name}: rows must have {len(fields)} columns ({columns})")
        values = {field: slot(at) for at, field in enumerate(fields)}
        insert = Prepared(table.insert(values).returning())  # nothing back: executemany
        self._db.cursor().executemany(insert.sql, rows)
