"""Figure 3: scrolling a 200,000-event log from newest to oldest, one keyset page at a time.

Three passes over the big room: the store (get_interaction_logs with
before=), a plain sqlite3 connection running the same keyset query as the
baseline, and the EventLog widget in the headless dashboard (scroll to the
top, wait for the older page to arrive and for the first frame drawn after
it: bench.headless.FrameClock). Every page is timed;
resident memory is read before and after each pass. Each pass runs on its
own heap (bench.measure.own_heap): what earlier figures left in this process
is collected and frozen first, so no page pays for collecting it.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.context import Context
from bench.headless import FrameClock, dashboard, open_room
from bench.measure import median, ms, own_heap, percentile, rss_mb
from bench.report import Row, Target
from store import LogEntry, open_store

FLAT_MB = 10.0
"""How much resident memory may grow during a pass and still count as flat."""
PAGE_TARGET_MS = 50.0


@dataclass
class Pass:
    """One scroll through the log: per-page times and memory around it."""

    pages_ms: list[float] = field(default_factory=list)
    late: list[bool] = field(default_factory=list)
    """Per page of a widget pass: the page was not in hand when the view reached the top
    (the log took it later, from a read still on its way) rather than staged."""
    rows: int = 0
    rss_start: float = 0.0
    rss_end: float = 0.0
    history_reads: int = 0
    """Reads of older pages the history process answered (app.history_process)."""
    history_rss: float = 0.0
    """The history process's resident memory at the end of the pass (MB; 0: none ran)."""
    collections_ms: list[float] = field(default_factory=list)
    """How long each garbage collection in the dashboard took during a widget pass: most
    run between frames (app.collector), outside any page's time, yet a key pressed during
    one waits for it."""


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
    """Scroll the room screen's EventLog to the top again and again, timing each older page."""
    result = Pass()
    limit = context.sizes.widget_scroll_pages or None
    async with dashboard(context.big.path, context.sizes.terminal) as app:
        log = await open_room(app, context.big.big_room)
        arrived = asyncio.Event()
        prepend = log.prepend_older

        frames = FrameClock(app)
        drawn_before_arrival = 0

        def counting_prepend(entries: Sequence[LogEntry], **options: Any) -> None:
            nonlocal drawn_before_arrival
            oldest, had_older = log.oldest_id, log.has_older
            prepend(entries, **options)
            # A late answer the log ignores (the page went in from those staged) is not
            # the page being waited for; an empty last page, which ends the paging, is.
            if log.oldest_id != oldest or (had_older and not log.has_older):
                if log.oldest_id != oldest:
                    result.rows += len(entries)
                drawn_before_arrival = frames.drawn
                arrived.set()

        log.prepend_older = counting_prepend  # type: ignore[method-assign]
        result.rss_start = rss_mb()
        collection_started = 0.0

        def time_collection(phase: str, info: dict[str, Any]) -> None:
            nonlocal collection_started
            if phase == "start":
                collection_started = time.perf_counter()
            else:
                result.collections_ms.append(ms(time.perf_counter() - collection_started))

        gc.callbacks.append(time_collection)
        try:
            while log.has_older and (limit is None or len(result.pages_ms) < limit):
                arrived.clear()
                started = time.perf_counter()
                log.scroll_home(animate=False, immediate=True)
                result.late.append(not arrived.is_set())  # a staged page goes in during the scroll
                await asyncio.wait_for(arrived.wait(), timeout=30)
                painted_at = await frames.frame_after(drawn_before_arrival)
                result.pages_ms.append(ms(painted_at - started))
        finally:
            gc.callbacks.remove(time_collection)
        result.rss_end = rss_mb()
        history = app.gateway.history
        if history is not None:
            result.history_reads = history.reads
            result.history_rss = rss_mb(history.pid) if history.pid is not None else 0.0
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


def _by_arrival(passes: list[Pass]) -> dict[str, Any]:
    """How many pages came late (not staged when the view reached the top), and the
    median page of each kind: where a change to the read-ahead or the frames helps."""
    details: dict[str, Any] = {
        "late_page_share": [round(sum(p.late) / max(1, len(p.late)), 3) for p in passes]
    }
    for kind, late in (("staged", False), ("late", True)):
        medians = [
            median([t for t, was_late in zip(p.pages_ms, p.late, strict=True) if was_late is late])
            for p in passes
            if late in p.late
        ]
        details[f"median_{kind}_page_ms"] = median(medians) if medians else None
    return details


def _collections(passes: list[Pass]) -> dict[str, Any]:
    """The dashboard's garbage collections in each pass: how many, the longest, the p95."""
    return {
        "collections": [len(p.collections_ms) for p in passes],
        "collection_max_ms": [round(max(p.collections_ms, default=0.0), 1) for p in passes],
        "collection_p95_ms": [
            round(percentile(p.collections_ms, 0.95), 1) if p.collections_ms else 0.0
            for p in passes
        ],
    }


def _history_process(passes: list[Pass]) -> dict[str, Any]:
    """What the history process did in each pass: the reads it answered, and the memory it
    held at the end (it is a process of its own, so not in the pass's RSS)."""
    return {
        "history_process_reads": [p.history_reads for p in passes],
        "history_process_rss_mb": [round(p.history_rss, 1) for p in passes],
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
        for stat, fraction in (("max", 1.0), ("p95", 0.95)):
            values = [percentile(p.pages_ms, fraction) for p in passes]
            rows.append(
                Row(
                    key=f"3.{name}_page_{stat}",
                    figure=3,
                    what=f"{what}: {stat} page",
                    value=median(values),
                    unit="ms",
                    target=Target("at_most", PAGE_TARGET_MS, f"< {PAGE_TARGET_MS:g} ms"),
                    baseline=median([percentile(b.pages_ms, fraction) for b in baseline]),
                    baseline_what=baseline_what,
                    runs=values,
                    details={
                        "pages": [len(p.pages_ms) for p in passes],
                        "rows": [p.rows for p in passes],
                        "median_page_ms": median([median(p.pages_ms) for p in passes]),
                        **_by_depth(passes),
                        **(_by_arrival(passes) if name == "widget" else {}),
                        **(_history_process(passes) if name == "widget" else {}),
                        **(_collections(passes) if name == "widget" else {}),
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
