"""Figure 6: a writer process logs 500 events/s while the dashboard shows that room.

Each event's latency runs from the writer's send time to the refresh after
the EventLog received it (EventLog.append and reset are wrapped on the
instance). The baseline is the same writer read by a bare tail query (a rowid range)
on a plain sqlite3 connection polled every 0.25 s, the dashboard's
interval: the floor that polling itself sets.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

from bench.context import ROOT, Context
from bench.headless import dashboard, open_room
from bench.measure import CpuMeter, median, percentile
from bench.report import Row, Target
from bench.writer import EVENT_TYPE

POLL_S = 0.25
"""The dashboard's default poll interval (make_app's poll_interval)."""
GRACE_S = 3.0
"""How long after the writer finishes the last events may take to show."""


@dataclass
class Delivery:
    """What one live run saw."""

    sent: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    missing: int = 0
    writer: dict[str, Any] = field(default_factory=dict)
    cpu_percent: float = float("nan")
    appended_ms: list[float] = field(default_factory=list)
    stages: dict[str, dict[str, float]] = field(default_factory=dict)
    """Where the time went, p50 and p95 per stage: write (send -> the store's timestamp),
    read (timestamp -> EventLog.append), paint (append -> refresh)."""

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 0.95)


def _start_writer(context: Context, seconds: float, tag: str) -> subprocess.Popen[str]:
    sizes = context.sizes
    return subprocess.Popen(
        [
            context.python,
            "-m",
            "bench.writer",
            str(context.big.path),
            str(context.big.big_room),
            str(sizes.live_rate),
            str(seconds),
            tag,
        ],
        cwd=ROOT,
        env=context.child_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish_writer(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = process.communicate(timeout=120)
    if process.returncode != 0:
        raise RuntimeError(f"writer failed:\n{err[-2000:]}")
    return dict(json.loads(out.strip().splitlines()[-1]))


def _settle(arrived: dict[int, float], delivery: Delivery, sent_at: dict[int, float]) -> None:
    delivery.sent = delivery.writer.get("sent", 0)
    delivery.latencies_ms = [
        (arrived[seq] - sent_at[seq]) * 1000 for seq in arrived if seq in sent_at
    ]
    delivery.missing = max(0, delivery.sent - len(arrived))


def baseline_run(context: Context, tag: str) -> Delivery:
    """The writer read by `SELECT ... WHERE id > ?` every POLL_S on a plain connection."""
    delivery = Delivery()
    arrived: dict[int, float] = {}
    sent_at: dict[int, float] = {}
    connection = sqlite3.connect(f"file:{context.big.path}?mode=ro", uri=True)
    try:
        last = connection.execute(
            "SELECT coalesce(max(id), 0) FROM live_interaction_logs"
        ).fetchone()[0]
        writer = _start_writer(context, context.sizes.baseline_live_seconds, tag)
        deadline: float | None = None
        next_poll = time.perf_counter()
        while deadline is None or time.perf_counter() < deadline:
            # A rowid range: only the new rows are read, however big the log is.
            rows = connection.execute(
                "SELECT id, interaction_id, event_type, event_data FROM live_interaction_logs "
                "WHERE id > ? ORDER BY id",
                (last,),
            ).fetchall()
            now = time.time()
            for entry_id, interaction_id, event_type, data in rows:
                last = entry_id
                if interaction_id == context.big.big_room and event_type == EVENT_TYPE:
                    payload = json.loads(data)
                    if payload.get("tag") == tag:
                        arrived.setdefault(payload["seq"], now)
                        sent_at[payload["seq"]] = payload["sent_at"]
            if deadline is None and writer.poll() is not None:
                delivery.writer = _finish_writer(writer)
                deadline = time.perf_counter() + GRACE_S
            if deadline is not None and len(arrived) >= delivery.writer.get("sent", 0):
                break
            next_poll += POLL_S
            time.sleep(max(0.0, next_poll - time.perf_counter()))
    finally:
        connection.close()
    _settle(arrived, delivery, sent_at)
    return delivery


async def _dashboard_run(context: Context, tag: str) -> Delivery:
    delivery = Delivery()
    arrived: dict[int, float] = {}
    appended: dict[int, float] = {}
    stamped: dict[int, float] = {}
    sent_at: dict[int, float] = {}
    async with dashboard(context.big.path, context.sizes.terminal, poll_interval=POLL_S) as app:
        log = await open_room(app, context.big.big_room)

        def note(entries: Any) -> None:
            seqs = []
            now = time.time()
            for entry in entries:
                data = entry.event_data
                if (
                    entry.event_type == EVENT_TYPE
                    and isinstance(data, dict)
                    and data.get("tag") == tag
                    and data["seq"] not in arrived
                ):
                    seqs.append(data["seq"])
                    sent_at[data["seq"]] = data["sent_at"]
                    stamped[data["seq"]] = entry.timestamp / 1000
                    appended.setdefault(data["seq"], now)

            def on_screen() -> None:
                painted_at = time.time()
                for seq in seqs:
                    arrived.setdefault(seq, painted_at)

            if seqs:
                log.call_after_refresh(on_screen)

        append, reset = log.append, log.reset

        def watched_append(entries: Any) -> None:
            append(entries)
            note(entries)

        def watched_reset(entries: Any, **options: Any) -> None:
            reset(entries, **options)
            note(entries)

        log.append = watched_append  # type: ignore[method-assign]
        log.reset = watched_reset  # type: ignore[method-assign]
        meter = CpuMeter()
        writer = _start_writer(context, context.sizes.live_seconds, tag)
        while writer.poll() is None:
            await asyncio.sleep(0.05)
        delivery.writer = _finish_writer(writer)
        delivery.cpu_percent = meter.percent()
        deadline = time.perf_counter() + GRACE_S
        while len(arrived) < delivery.writer["sent"] and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
    _settle(arrived, delivery, sent_at)
    delivery.appended_ms = [(appended[seq] - sent_at[seq]) * 1000 for seq in appended]
    delivery.stages = _stages(
        {
            "write": [stamped[seq] - sent_at[seq] for seq in stamped],
            "read": [appended[seq] - stamped[seq] for seq in appended if seq in stamped],
            "paint": [arrived[seq] - appended[seq] for seq in arrived if seq in appended],
        }
    )
    return delivery


def _stages(seconds: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {
        name: {
            "p50_ms": round(percentile(values, 0.5) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        }
        for name, values in seconds.items()
    }


def measure(context: Context) -> list[Row]:
    baselines = [baseline_run(context, f"base-{run}") for run in range(context.runs)]
    runs = [asyncio.run(_dashboard_run(context, f"dash-{run}")) for run in range(context.runs)]
    rate = context.sizes.live_rate
    achieved = median([run.writer.get("rate", float("nan")) for run in runs])
    details = {
        "sent": [run.sent for run in runs],
        "writer": [run.writer for run in runs],
        "dashboard_cpu_percent": [run.cpu_percent for run in runs],
        "max_ms": [max(run.latencies_ms, default=float("nan")) for run in runs],
        "p50_ms": [percentile(run.latencies_ms, 0.5) for run in runs],
        "appended_p95_ms": [percentile(run.appended_ms, 0.95) for run in runs],
        "stages": [run.stages for run in runs],
        "baseline_sent": [run.sent for run in baselines],
    }
    return [
        Row(
            key="6.live_latency_p95",
            figure=6,
            what=f"writer process at {rate:g} ev/s (achieved {achieved:,.0f}) -> on screen, p95",
            value=median([run.p95 for run in runs]),
            unit="ms",
            target=Target("at_most", 500.0, "< 500 ms"),
            baseline=median([run.p95 for run in baselines]),
            baseline_what=f"bare tail poll every {POLL_S:g} s",
            runs=[run.p95 for run in runs],
            details=details,
        ),
        Row(
            key="6.live_missing",
            figure=6,
            what="events that never reached the screen",
            value=float(max(run.missing for run in runs)),
            unit="",
            target=Target("at_most", 0.0, "0"),
            baseline=float(max(run.missing for run in baselines)),
            baseline_what="bare tail poll",
            runs=[float(run.missing) for run in runs],
        ),
    ]
