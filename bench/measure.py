"""Small measuring helpers: medians, percentiles, resident memory, CPU time."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

MB = 1024 * 1024


def median(values: Sequence[float]) -> float:
    """The median, or NaN for no values (a figure that could not be measured)."""
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction 0.95 for p95); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def rss_mb(pid: int | str = "self") -> float:
    """A process's resident set size in MB (this one's by default), from /proc (VmRSS)."""
    return _status_kb("VmRSS", pid) / 1024


def _status_kb(field: str, pid: int | str = "self") -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return float(line.split()[1])
    except OSError:
        pass
    return math.nan


@contextmanager
def own_heap() -> Iterator[None]:
    """Time a pass without paying for the objects earlier figures left in this process.

    The figures run one after another in one process; a full garbage
    collection walks every object alive, and after the in-process dashboard
    of figure 2 that is 130,000 objects and 30-80 ms a collection, which would
    land on whichever store page happened to trigger it. Collected and frozen
    first (as the dashboard freezes its own start-up heap), only what the pass
    itself allocates is collected, and paid for, during it.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class CpuMeter:
    """Process CPU time (every thread) over wall time, as a percentage of one core."""

    def __init__(self) -> None:
        self._cpu = time.process_time()
        self._wall = time.perf_counter()

    def percent(self) -> float:
        wall = time.perf_counter() - self._wall
        return 100.0 * (time.process_time() - self._cpu) / wall if wall > 0 else math.nan


def ms(seconds: float) -> float:
    return seconds * 1000.0
