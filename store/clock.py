"""Where "now" comes from: an injectable clock returning epoch milliseconds."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], int]
"""A zero-argument callable returning the current time in epoch milliseconds."""


def system_clock() -> int:
    """The wall clock in integer milliseconds since the Unix epoch."""
    return time.time_ns() // 1_000_000
