"""Importing the store without the PostgreSQL driver, as the `liveroom` command does.

Peewee imports psycopg as it loads whenever it is installed (100-150 ms, more
than the rest of the store), and a SQLite store never needs it. A PostgreSQL
store imports the driver itself when it is opened (store.postgres). Only the
command does this (app.cli, app.first_rooms): a program using the store as a
library gets Peewee as it comes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store import LiveStore

POSTGRES_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")
"""What Peewee tries to import as it loads."""


@contextmanager
def postgres_drivers_hidden() -> Iterator[None]:
    """Make importing the PostgreSQL drivers fail inside the block (unless imported already).

    A None entry in sys.modules makes an import raise ModuleNotFoundError,
    which Peewee takes for "not installed"; the entries go again afterwards,
    so a later import finds the driver.
    """
    hidden = [name for name in POSTGRES_DRIVERS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]


def open_store_drivers_hidden(target: str | None) -> LiveStore:
    """open_store(target), the store imported with the PostgreSQL drivers hidden."""
    with postgres_drivers_hidden():
        from store import open_store
    return open_store(target)
