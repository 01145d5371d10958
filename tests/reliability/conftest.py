"""Helpers for the reliability tests: collecting what worker processes report."""

from __future__ import annotations

import queue as queue_module
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

WORKER_TIMEOUT_S = 60.0
"""A generous bound on any one worker process; a test that hits it has hung, and fails."""


def collect(queue: Any, names: Iterable[str], processes: Iterable[Any]) -> dict[str, Any]:
    """Every worker's report, by name; fails the test on a worker error or a silent death."""
    wanted = set(names)
    reports: dict[str, Any] = {}
    deadline = time.monotonic() + WORKER_TIMEOUT_S
    while wanted - reports.keys():
        try:
            name, report = queue.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue_module.Empty:
            break
        reports[name] = report
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()
    missing = wanted - reports.keys()
    assert not missing, f"workers died without reporting: {sorted(missing)}"
    errors = {name: report["error"] for name, report in reports.items() if "error" in report}
    assert not errors, "\n".join(f"{name}:\n{error}" for name, error in errors.items())
    return reports


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
