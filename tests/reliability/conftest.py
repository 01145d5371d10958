"""Helpers for the reliability tests: looking into the database file from outside the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def integrity(path: Path) -> list[str]:
    """PRAGMA integrity_check through a plain sqlite3 connection: ["ok"] when sound."""
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()


def query(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()
