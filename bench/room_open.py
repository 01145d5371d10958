"""Figure 2: opening a room of 200,000 events costs what opening one of 200 does.

Two parts: the store calls the room screen starts with (get_interaction and
the newest page of get_interaction_logs), timed on a freshly opened store so
SQLite's page cache is cold; and the time from pushing the room screen to
its first painted page, in the headless dashboard.
"""

from __future__ import annotations

import asyncio
import time

from bench.context import Context
from bench.headless import close_room, dashboard, open_room
from bench.measure import median, ms
from bench.report import Row, Target
from store import open_store

GROWTH_LIMIT = 2.0
"""The big room may cost at most this many times the small one ("must not grow")."""
WARM_CALLS = 20


def store_call_ms(context: Context, interaction_id: int) -> tuple[float, float]:
    """(first call on a fresh connection, median of warm calls), in milliseconds."""
    page = context.sizes.page

    def call() -> float:
        started = time.perf_counter()
        store.get_interaction(interaction_id)
        store.get_interaction_logs(interaction_id, limit=page)
        return ms(time.perf_counter() - started)

    with open_store(context.big.path) as store:
        cold = call()
        warm = median([call() for _ in range(WARM_CALLS)])
    return cold, warm


async def _paints(context: Context) -> tuple[list[float], list[float]]:
    big: list[float] = []
    small: list[float] = []
    async with dashboard(context.big.path, context.sizes.terminal) as app:
        for _ in range(context.runs):
            for room, sink in ((context.big.small_room, small), (context.big.big_room, big)):
                started = time.perf_counter()
                await open_room(app, room)
                sink.append(ms(time.perf_counter() - started))
                await close_room(app)
    return big, small


def measure(context: Context) -> list[Row]:
    big_room, small_room = context.big.big_room, context.big.small_room
    calls = {
        room: [store_call_ms(context, room) for _ in range(context.runs)]
        for room in (big_room, small_room)
    }
    big_paint, small_paint = asyncio.run(_paints(context))
    big_n, small_n = context.big.big_room_events, context.big.small_room_events
    return [
        Row(
            key="2.store_call",
            figure=2,
            what=f"open room of {big_n:,} events: get_interaction + newest {context.sizes.page}",
            value=median([cold for cold, _ in calls[big_room]]),
            unit="ms",
            target=Target(
                "at_most", 50.0, f"< 50 ms, ≤ {GROWTH_LIMIT:g}x small", max_growth=GROWTH_LIMIT
            ),
            baseline=median([cold for cold, _ in calls[small_room]]),
            baseline_what=f"room of {small_n:,} events",
            runs=[cold for cold, _ in calls[big_room]],
            details={
                "warm_ms": median([warm for _, warm in calls[big_room]]),
                "baseline_warm_ms": median([warm for _, warm in calls[small_room]]),
            },
        ),
        Row(
            key="2.paint",
            figure=2,
            what=f"open room of {big_n:,} events: push screen -> first page painted",
            value=median(big_paint),
            unit="ms",
            target=Target(
                "at_most", 200.0, f"< 200 ms, ≤ {GROWTH_LIMIT:g}x small", max_growth=GROWTH_LIMIT
            ),
            baseline=median(small_paint),
            baseline_what=f"room of {small_n:,} events",
            runs=big_paint,
            details={"baseline_runs": small_paint},
        ),
    ]
