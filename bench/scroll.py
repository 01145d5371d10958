"""Figure 3: scrolling a 200,000-event log from newest to oldest, one keyset page at a time.

Three passes over the big room: the store (get_interaction_logs with
before=), a plain sqlite3 connection running the same keyset query as the
baseline, and the EventLog widget in the headless dashboard (scroll to the
top, wait until the older page is in and the screen has refreshed since).
Every page is timed; resident memory is read before and after each pass.
Each pass runs on its own heap (bench.measure.own_heap): what earlier
figures left in this process is collected and frozen first, so no page
pays for collecting it.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.context import Context
from bench.headless import dashboard, open_room, wait_until
from bench.measure import median, ms, own_heap, percentile, rss_mb
from bench.report import Row, Target
from store import open_store

FLAT_MB = 10.0
"""How much resident memory may grow during a pass and still count as flat."""
PAGE_TARGET_MS = {"p95": 50.0, "max": 50.0}
WIDGET_PAGE_TARGET_MS = {"p95": 50.0, "max": 100.0}


@dataclass
class Pass:
    """One scroll through the log: per-page times and memory around it."""

    pages_ms: list[float] = field(default_factory=list)
    rows: int = 0
    rss_start: float = 0.0
    rss_end: float = 0.0


def store_pass(context: Context) -> Pass:
    room, page = context.big.big_room, context.sizes.page
    result = Pass()
    with open_store(context.big.path) as store:
        result.rss_start = rss_mb()
        before: int | None = None
        while True:
            started = time.perf_counter()
            entries = store.get_interaction_logs(room, limit=page, before=before)
            result.pages_ms.append(ms(time.perf_counter() - started))
            result.rows += len(entries)
            if len(entries) < page:
                break
            before = entries[-1].id
        result.rss_end = rss_mb()
    return result


RAW_FIRST = (
    "SELECT id, interaction_id, event_type, event_data, user_id, entity_id, timestamp, "
    "session_id FROM live_interaction_logs WHERE interaction_id = ? "
    "ORDER BY timestamp DESC, id DESC LIMIT ?"
)
RAW_NEXT = (
    "SELECT id, interaction_id, event_type, event_data, user_id, entity_id, timestamp, "
    "session_id FROM live_interaction_logs WHERE interaction_id = ? AND (timestamp, id) < (?, ?) "
    "ORDER BY timestamp DESC, id DESC LIMIT ?"
)


def raw_pass(context: Context) -> Pass:
    """The same pages through plain sqlite3, event_data decoded: what the disk and SQLite cost."""
    room, page = context.big.big_room, context.sizes.page
    result = Pass()
    connection = sqlite3.connect(f"file:{context.big.path}?mode=ro", uri=True)
    try:
        result.rss_start = rss_mb()
        anchor: tuple[int, int] | None = None
        while True:
            started = time.perf_counter()
            if anchor is None:
                rows = connection.execute(RAW_FIRST, (room, page)).fetchall()
            else:
                rows = connection.execute(RAW_NEXT, (room, *anchor, page)).fetchall()
            decoded = [(row, json.loads(row[3]) if row[3] else None) for row in rows]
            result.pages_ms.append(ms(time.perf_counter() - started))
            result.rows += len(decoded)
            if len(rows) < page:
                break
            anchor = (rows[-1][6], rows[-1][0])
        result.rss_end = rss_mb()
    finally:
        connection.close()
    return result


async def _widget_pass(context: Context) -> Pass:
    """Scroll the room screen's EventLog to the top again and again, timing each older page:
    from the scroll to the first refresh after the page went in (it may already be in, read
    while the view neared the top)."""
    result = Pass()
    limit = context.sizes.widget_scroll_pages or None
    async with dashboard(context.big.path, context.sizes.terminal) as app:
        log = await open_room(app, context.big.big_room)
        result.rss_start = rss_mb()
        while log.has_older and (limit is None or len(result.pages_ms) < limit):
            oldest = log.oldest_id

            def page_in(oldest: int | None = oldest) -> bool:
                return log.oldest_id != oldest or not log.has_older

            started = time.perf_counter()
            log.scroll_home(animate=False, immediate=True)
            await wait_until(app, page_in, "an older page", timeout=30)
            await log.wait_for_refresh()
            result.pages_ms.append(ms(time.perf_counter() - started))
            result.rows += next((i for i, e in enumerate(log.entries) if e.id == oldest), 0)
        result.rss_end = rss_mb()
    return result


def widget_pass(context: Context) -> Pass:
    return asyncio.run(_widget_pass(context))


def _on_own_heap(one_pass: Callable[[Context], Pass], context: Context) -> Pass:
    """A pass that pays for its own garbage only (see bench.measure.own_heap)."""
    with own_heap():
        return one_pass(context)


def _by_depth(passes: list[Pass]) -> dict[str, float]:
    """Median page time near the newest end and near the oldest: does a page cost grow?"""
    tenth = [max(1, len(p.pages_ms) // 10) for p in passes]
    return {
        "newest_tenth_median_ms": median(
            [median(p.pages_ms[:n]) for p, n in zip(passes, tenth, strict=True)]
        ),
        "oldest_tenth_median_ms": median(
            [median(p.pages_ms[-n:]) for p, n in zip(passes, tenth, strict=True)]
        ),
    }


def measure(context: Context) -> list[Row]:
    stores = [_on_own_heap(store_pass, context) for _ in range(context.runs)]
    raws = [_on_own_heap(raw_pass, context) for _ in range(context.runs)]
    widget_runs = min(context.runs, context.sizes.widget_scroll_runs)
    widgets = [_on_own_heap(widget_pass, context) for _ in range(widget_runs)]
    n = context.big.big_room_events
    pages = len(stores[0].pages_ms)
    rows: list[Row] = []
    for name, what, passes, baseline in (
        ("store", f"scroll {n:,} events via get_interaction_logs(before=)", stores, raws),
        ("widget", "scroll the EventLog widget to the top, page by page", widgets, stores),
    ):
        baseline_what = "raw sqlite3 keyset page" if name == "store" else "store page (same run)"
        limits = PAGE_TARGET_MS if name == "store" else WIDGET_PAGE_TARGET_MS
        for stat, fraction in (("max", 1.0), ("p95", 0.95)):
            values = [percentile(p.pages_ms, fraction) for p in passes]
            rows.append(
                Row(
                    key=f"3.{name}_page_{stat}",
                    figure=3,
                    what=f"{what}: {stat} page",
                    value=median(values),
                    unit="ms",
                    target=Target("at_most", limits[stat], f"< {limits[stat]:g} ms"),
                    baseline=median([percentile(b.pages_ms, fraction) for b in baseline]),
                    baseline_what=baseline_what,
                    runs=values,
                    details={
                        "pages": [len(p.pages_ms) for p in passes],
                        "rows": [p.rows for p in passes],
                        "median_page_ms": median([median(p.pages_ms) for p in passes]),
                        **_by_depth(passes),
                    },
                )
            )
        growth = [p.rss_end - p.rss_start for p in passes]
        rows.append(
            Row(
                key=f"3.{name}_rss",
                figure=3,
                what=f"{what}: RSS at the end",
                value=median([p.rss_end for p in passes]),
                unit="MB",
                target=Target(
                    "at_most",
                    median([p.rss_start for p in passes]) + FLAT_MB,
                    f"≤ start + {FLAT_MB:g} MB",
                ),
                baseline=median([p.rss_start for p in passes]),
                baseline_what="RSS at the start",
                runs=[p.rss_end for p in passes],
                details={"growth_mb": growth, "pages_in_store_pass": pages},
            )
        )
    return rows
