"""`liveroom copy`: move a whole store to another database, say from SQLite to PostgreSQL.

The copy goes through the store layer (export_tables / import_tables), so it
works between any two engines, keeps every id and timestamp, and writes the
destination in one transaction: it gets everything or nothing. Afterwards the
rows of every table are counted on both sides.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from store import InvalidInput, StoreError, open_store
from store.transfer import TRANSFER_TABLES, Page

Target = str | os.PathLike[str]


@dataclass(frozen=True)
class CopyReport:
    """What a copy moved: rows per table, as exported and as found in the destination."""

    source: str
    destination: str
    copied: dict[str, int]
    verified: dict[str, int]

    def lines(self) -> list[str]:
        """The report as the command prints it: one line per table, then the verdict."""
        width = max(len(name) for name in TRANSFER_TABLES)
        lines = [f"Copied {self.source} to {self.destination}:"]
        lines += [f"  {name:<{width}}  {self.copied[name]:>10,}" for name in TRANSFER_TABLES]
        lines.append("Verified: the destination has as many rows as were copied, in every table.")
        return lines


def copy_store(
    source: Target, destination: Target, *, progress: Callable[[str, int], None] | None = None
) -> CopyReport:
    """Copy every row of the store at `source` into the empty store at `destination`.

    The source is opened read-only, first: a missing one is StoreUnavailable
    ("no liveroom store at ...") before anything is created, and it is never
    created, upgraded or written (one of an older schema must be opened once
    for writing first). The destination is created if needed; one that
    already holds data is refused (Conflict) and left as it was. `progress`
    is called with a table name and the rows copied so far after each page.
    """
    if os.fspath(source) == os.fspath(destination):
        raise InvalidInput("destination: the same store as the source")
    with open_store(source, read_only=True) as reader, open_store(destination) as writer:
        done = dict.fromkeys(TRANSFER_TABLES, 0)

        def pages() -> Iterator[Page]:
            done.update(dict.fromkeys(TRANSFER_TABLES, 0))
            for name, rows in reader.export_tables():
                done[name] += len(rows)
                if progress is not None:
                    progress(name, done[name])
                yield name, rows

        copied = writer.import_tables(pages)
        verified = writer.table_counts()
        report = CopyReport(_shown(reader.path), _shown(writer.path), copied, verified)
    if verified != copied:
        differences = ", ".join(
            f"{name}: copied {copied[name]}, found {verified[name]}"
            for name in TRANSFER_TABLES
            if copied[name] != verified[name]
        )
        raise StoreError(f"the copy does not verify ({differences})")
    return report


def _shown(path: str) -> str:
    """A store's path or URL without a password, for the report."""
    from store.postgres import redact

    return redact(path)
