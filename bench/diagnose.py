"""Diagnosis for misses: the SQL a store call runs, and SQLite's plan for each statement.

The statements are captured from Peewee's own debug log (no store internals
are touched) and explained through a separate, read-only sqlite3 connection.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Statement = tuple[str, tuple[Any, ...]]


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[Statement] = []
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.msg
        if threading.get_ident() == self.thread and isinstance(message, tuple):
            sql, params = message
            self.statements.append((str(sql), tuple(params or ())))


@contextmanager
def captured_sql() -> Iterator[list[Statement]]:
    """Collect every statement Peewee runs on this thread while the block runs."""
    logger = logging.getLogger("peewee")
    collector = _Collector()
    previous = logger.level
    logger.addHandler(collector)
    logger.setLevel(logging.DEBUG)
    try:
        yield collector.statements
    finally:
        logger.removeHandler(collector)
        logger.setLevel(previous)


def explain(path: Path, statements: list[Statement]) -> list[dict[str, Any]]:
    """EXPLAIN QUERY PLAN of each distinct statement (transaction control left out)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    seen: set[str] = set()
    plans = []
    try:
        for sql, params in statements:
            head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
            if sql in seen or head in {
                "BEGIN",
                "COMMIT",
                "ROLLBACK",
                "PRAGMA",
                "SAVEPOINT",
                "RELEASE",
            }:
                continue
            seen.add(sql)
            try:
                rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
                plan = [detail for *_, detail in rows]
            except sqlite3.Error as error:
                plan = [f"(not explained: {error})"]
            plans.append(
                {
                    "sql": sql,
                    "plan": plan,
                    "full_scan": any(_is_scan(line) for line in plan),
                    "temp_sort": any("TEMP B-TREE" in line for line in plan),
                    "range_not_in_index": _range_not_in_index(sql, plan),
                }
            )
    finally:
        connection.close()
    return plans


_RANGE = re.compile(r'"(\w+)"\s*[<>]=?\s*\?|\(\s*"\w+"\."(\w+)"\s*,[^)]*\)\s*[<>]')


def _range_not_in_index(sql: str, plan: list[str]) -> list[str]:
    """Columns the WHERE clause bounds with < or > that the index search does not use.

    "SEARCH t USING INDEX i (interaction_id=?)" for a query that also says
    timestamp < ? means SQLite walks every entry of the interaction and
    filters: the cost then grows with the log, which is what a keyset page
    must avoid.
    """
    where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else ""
    where = where.split(" ORDER BY ", 1)[0]
    bounded = {name for pair in _RANGE.findall(where) for name in pair if name}
    searches = [line for line in plan if line.startswith("SEARCH") and "(" in line]
    if not bounded or not searches:
        return []
    used = " ".join(line.rsplit("(", 1)[1] for line in searches).replace("rowid", "id")
    return sorted(name for name in bounded if f"{name}<" not in used and f"{name}>" not in used)


def _is_scan(line: str) -> bool:
    """A table walked without an index (SQLite prints "SCAN t" for that)."""
    return line.startswith("SCAN ") and "USING" not in line and "CONSTANT" not in line


def plans_of(path: Path, call: Callable[[], object]) -> tuple[list[dict[str, Any]], int]:
    """Run `call` once; return the plans of the statements it ran and how many it ran."""
    with captured_sql() as statements:
        call()
    return explain(path, statements), len(statements)


def store_plans(path: Path, interaction_id: int) -> dict[str, Any]:
    """Plans of the reads the dashboard repeats, on the given room of the store at `path`."""
    from app.room_feed import LOG_PAGE
    from store import open_store

    report: dict[str, Any] = {}
    with open_store(path) as store:
        newest = store.get_interaction_logs(interaction_id, limit=LOG_PAGE)
        anchor = newest[-1].id if newest else 0
        tail_from = newest[0].id if newest else 0
        calls: dict[str, Callable[[], object]] = {
            "newest_page": lambda: store.get_interaction_logs(interaction_id, limit=LOG_PAGE),
            "keyset_page": lambda: store.get_interaction_logs(
                interaction_id, limit=LOG_PAGE, before=anchor
            ),
            "tail": lambda: store.get_logs_after(interaction_id, tail_from),
            "list_room_summaries": store.list_room_summaries,
        }
        for name, call in calls.items():
            plans, count = plans_of(path, call)
            report[name] = {"statements": count, "plans": plans}
    return report
