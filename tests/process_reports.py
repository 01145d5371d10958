"""Collecting what worker processes report: shared by the reliability and PostgreSQL tests."""

from __future__ import annotations

import queue as queue_module
import time
from collections.abc import Iterable
from typing import Any

WORKER_TIMEOUT_S = 60.0
"""A generous bound on any one worker process; a test that hits it has hung, and fails."""


def collect(
    queue: Any,
    names: Iterable[str],
    processes: Iterable[Any],
    timeout_s: float = WORKER_TIMEOUT_S,
) -> dict[str, Any]:
    """Every worker's report, by name; fails the test on a worker error or a silent death."""
    wanted = set(names)
    reports: dict[str, Any] = {}
    deadline = time.monotonic() + timeout_s
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
