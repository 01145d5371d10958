"""Peewee, imported without the PostgreSQL drivers it would load on import.

Peewee imports psycopg (and psycopg2) at import time whenever they are
installed. psycopg alone takes longer to import than all of Textual, and a
SQLite store - the default - never uses it: with the postgres extra installed,
the dashboard's start-up paid for it on every launch. So the store's modules
import Peewee from here, with the drivers hidden while it loads;
store.postgres imports psycopg itself when a PostgreSQL store is opened and
hands it to Peewee through its own adapter, so a PostgreSQL store works the
same whichever module imported Peewee first.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

POSTGRES_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")


@contextmanager
def _drivers_hidden() -> Iterator[None]:
    """Make `import psycopg` (and the others) fail inside the block, if not imported already.

    A None entry in sys.modules is the documented way to make an import
    raise ModuleNotFoundError; Peewee catches that and goes on without the
    driver. The entries are removed again, so a later import finds the driver.
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


with _drivers_hidden():
    import peewee as pw

__all__ = ["pw"]
