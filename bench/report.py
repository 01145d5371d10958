"""Benchmark results: one Row per reported figure, the printed table and the JSON file."""

from __future__ import annotations

import json
import math
import os
import platform
import sqlite3
import subprocess
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

TargetKind = Literal["at_most", "at_least", "ratio_at_most"]


@dataclass(frozen=True)
class Target:
    """What a figure must reach: a bound on the value, or on its ratio to the baseline."""

    kind: TargetKind
    limit: float
    text: str
    """How the table prints it: "< 50 ms", "≤ 1.5x bare app"."""
    max_growth: float | None = None
    """Also require value/baseline at most this (cost must not grow with size)."""

    def met(self, value: float, ratio: float) -> bool:
        if math.isnan(value):
            return False
        if self.kind == "at_most":
            ok = value <= self.limit
        elif self.kind == "at_least":
            ok = value >= self.limit
        else:
            ok = not math.isnan(ratio) and ratio <= self.limit
        if self.max_growth is not None and not math.isnan(ratio):
            ok = ok and ratio <= self.max_growth
        return ok


@dataclass
class Row:
    """One line of the table: a measured value beside its baseline."""

    key: str
    """Stable identifier, e.g. "2.store_call.big" (the smoke test checks these)."""
    figure: int
    what: str
    value: float
    unit: str
    target: Target
    baseline: float
    baseline_what: str
    runs: list[float] = field(default_factory=list)
    """The per-run values the median `value` was taken from."""
    details: dict[str, Any] = field(default_factory=dict)
    also: bool = True
    """A requirement beside the target's bound (figure 1: one process)."""

    @property
    def ratio(self) -> float:
        if math.isnan(self.value) or math.isnan(self.baseline) or self.baseline == 0:
            return math.nan
        return self.value / self.baseline

    @property
    def passed(self) -> bool:
        return self.also and self.target.met(self.value, self.ratio)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "figure": self.figure,
            "what": self.what,
            "value": _finite(self.value),
            "unit": self.unit,
            "target": {**asdict(self.target)},
            "baseline": _finite(self.baseline),
            "baseline_what": self.baseline_what,
            "ratio": _finite(self.ratio),
            "pass": self.passed,
            "runs": [_finite(run) for run in self.runs],
            "details": self.details,
        }


def _finite(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else round(value, 4)


def format_number(value: float, unit: str) -> str:
    """A figure as the table prints it: 3 significant digits, thousands separated."""
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "inf"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".rstrip()


def format_table(rows: list[Row]) -> str:
    """The results as a Markdown table (readable in a terminal and pasteable in a README)."""
    header = ["#", "what", "measured", "target", "baseline", "ratio", "result"]
    lines = [header]
    for row in rows:
        ratio = row.ratio
        lines.append(
            [
                str(row.figure),
                row.what,
                format_number(row.value, row.unit),
                row.target.text,
                f"{format_number(row.baseline, row.unit)} ({row.baseline_what})",
                "n/a" if math.isnan(ratio) else f"{ratio:.2f}x",
                "pass" if row.passed else "MISS",
            ]
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]

    def render(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    divider = "| " + " | ".join("-" * width for width in widths) + " |"
    return "\n".join([render(lines[0]), divider, *(render(line) for line in lines[1:])])


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("textual", "peewee", "pydantic", "rich", "psycopg"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        **versions,
    }


def git_state(root: Path) -> dict[str, Any]:
    """The commit measured and whether the work tree had changes on top of it."""

    def run(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip()

    return {
        "commit": run("rev-parse", "HEAD") or None,
        "dirty": bool(run("status", "--porcelain", "--untracked-files=no")),
    }


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)
