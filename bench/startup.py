"""Figures 1 and 8: start-up to the first full paint, and resident memory, in fresh processes.

Each run spawns a bare Textual app (one label) and the liveroom dashboard
on the million-event store, in turn, and times spawn -> the probe's
"painted" line. The dashboard probe then opens the big room and reports its
resident memory (with any process it started) on both screens.
"""

from __future__ import annotations

import compileall
import json
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bench.context import ROOT, Context
from bench.measure import median
from bench.report import Row, Target

PROBE_TIMEOUT_S = 180.0


@dataclass
class ProbeResult:
    """What one probe process reported."""

    paint_ms: float
    rss: dict[str, float] = field(default_factory=dict)
    processes: dict[str, int] = field(default_factory=dict)
    marks: dict[str, float] = field(default_factory=dict)


def run_probe(context: Context, arguments: list[str]) -> ProbeResult:
    """Spawn `python -m bench.probe ARGS` and time spawn -> "painted"."""
    lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            context.python,
            "-m",
            "bench.probe",
            *arguments,
            "--size",
            "{}x{}".format(*context.sizes.terminal),
        ],
        cwd=ROOT,
        env=context.child_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put((time.perf_counter(), line.strip()))
        lines.put((time.perf_counter(), None))

    threading.Thread(target=read, daemon=True).start()
    result = ProbeResult(paint_ms=float("nan"))
    deadline = started + PROBE_TIMEOUT_S
    try:
        while True:
            arrived, line = lines.get(timeout=max(0.1, deadline - time.perf_counter()))
            if line is None:
                break
            if line == "painted":
                result.paint_ms = (arrived - started) * 1000
            elif line.startswith("rss "):
                _, screen, value, processes = line.split()
                result.rss[screen] = float(value)
                result.processes[screen] = int(processes)
            elif line.startswith("marks "):
                result.marks = json.loads(line[len("marks ") :])
    except queue.Empty:
        process.kill()
        raise RuntimeError(f"probe {arguments[0]} timed out") from None
    finally:
        if process.wait(timeout=30) != 0:
            assert process.stderr is not None
            raise RuntimeError(f"probe {arguments[0]} failed:\n{process.stderr.read()[-2000:]}")
    return result


def compile_bytecode() -> None:
    """Compile liveroom's modules, as its first launch leaves them for every later one.

    The bare app's Textual was compiled when pip installed it. Without this,
    a fresh checkout, or an environment that sets PYTHONDONTWRITEBYTECODE,
    would charge each liveroom start the compiling of its own modules
    (35 ms), which no user's second launch pays.
    """
    for package in ("app", "store", "widgets", "bench"):
        compileall.compile_dir(ROOT / package, quiet=1)


def measure(context: Context) -> list[Row]:
    big = context.big
    compile_bytecode()
    bare: list[ProbeResult] = []
    dashboard: list[ProbeResult] = []
    for _ in range(context.runs):
        bare.append(run_probe(context, ["bare"]))
        dashboard.append(
            run_probe(
                context,
                ["liveroom", str(big.path), str(big.interactions), "--room", str(big.big_room)],
            )
        )
    return [
        *_paint_rows(context, bare, dashboard),
        *_memory_rows(context, bare, dashboard),
    ]


def _marks(results: list[ProbeResult]) -> dict[str, Any]:
    """Median in-process milliseconds of each step, for diagnosis."""
    names = dict.fromkeys(name for result in results for name in result.marks)
    return {name: median([r.marks[name] for r in results if name in r.marks]) for name in names}


def _paint_rows(
    context: Context,
    bare: list[ProbeResult],
    dashboard: list[ProbeResult],
) -> list[Row]:
    big = context.big
    processes = max(r.processes.get("rooms", 0) for r in dashboard)
    return [
        Row(
            key="1.startup_paint",
            figure=1,
            what=(
                f"rooms screen first full paint ({big.interactions:,} rooms, {big.events:,} events)"
            ),
            value=median([r.paint_ms for r in dashboard]),
            unit="ms",
            target=Target("ratio_at_most", 2.0, "≤ 2.0x bare app, one process"),
            baseline=median([r.paint_ms for r in bare]),
            baseline_what="bare Textual app, one label",
            runs=[r.paint_ms for r in dashboard],
            details={
                "baseline_runs": [r.paint_ms for r in bare],
                "processes": processes,
                "dashboard_marks_ms": _marks(dashboard),
                "bare_marks_ms": _marks(bare),
            },
            also=processes == 1,
        )
    ]


def _memory_rows(
    context: Context, bare: list[ProbeResult], dashboard: list[ProbeResult]
) -> list[Row]:
    big = context.big
    baseline = median([r.rss.get("bare", float("nan")) for r in bare])
    rows = []
    for screen, what in (
        ("rooms", f"RSS of every process, rooms screen, {big.events:,}-event store"),
        ("room", f"RSS of every process, room of {big.big_room_events:,} events open"),
    ):
        values = [r.rss.get(screen, float("nan")) for r in dashboard]
        rows.append(
            Row(
                key=f"8.rss.{screen}",
                figure=8,
                what=what,
                value=median(values),
                unit="MB",
                target=Target("at_most", 150.0, "< 150 MB"),
                baseline=baseline,
                baseline_what="bare Textual app",
                runs=values,
                details={"processes": max(r.processes.get(screen, 0) for r in dashboard)},
            )
        )
    return rows
