"""The command line: build the data, run every figure group, print and save the table."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import idle, live, room_open, scroll, startup, timeouts, writes
from bench.context import ROOT, Context
from bench.data import build_big_store
from bench.diagnose import store_plans
from bench.report import Row, Target, format_table, git_state, machine, write_json
from bench.sizes import PROFILES, QUICK, Sizes

DEFAULT_OUTPUT = ROOT / "bench" / "results" / "latest.json"

Group = Callable[[Context], list[Row]]
GROUPS: list[tuple[str, tuple[int, ...], Group]] = [
    # Separate stores first, then reads of the big store, and last the one that writes into it.
    ("expire_turn_timeouts", (9,), timeouts.measure),
    ("write throughput", (4, 5), writes.measure),
    ("start-up and memory (subprocesses)", (1, 8), startup.measure),
    ("opening a room", (2,), room_open.measure),
    ("scrolling the log", (3,), scroll.measure),
    ("idle CPU", (7,), idle.measure),
    ("live writer", (6,), live.measure),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="liveroom's scale figures (issue 4), each measured beside a baseline.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and one run by default: a smoke run of a few seconds",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        metavar="N",
        help="report the median of N runs (default 3; 1 with --quick)",
    )
    parser.add_argument("--seed", type=int, default=42, help="data generator seed (default 42)")
    parser.add_argument(
        "--only",
        type=_figures,
        default=None,
        metavar="FIGURES",
        help="comma-separated figure numbers to run, e.g. 2,3",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="where to write the JSON (default bench/results/latest.json)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when any figure misses its target"
    )
    parser.add_argument(
        "--profile", choices=sorted(PROFILES), default=None, help=argparse.SUPPRESS
    )  # "tiny" is for the test suite's smoke run
    return parser


def _figures(text: str) -> set[int]:
    """--only's value: figure numbers 1 to 9, comma-separated."""
    try:
        figures = {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of figure numbers: {text!r}") from None
    if not figures or not figures <= set(range(1, 10)):
        raise argparse.ArgumentTypeError("figures are numbered 1 to 9")
    return figures


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    sizes = (
        PROFILES[arguments.profile]
        if arguments.profile
        else (QUICK if arguments.quick else PROFILES["full"])
    )
    runs = arguments.runs or (3 if sizes.name == "full" else 1)
    if runs < 1:
        log("bench: --runs must be at least 1")
        return 2
    wanted: set[int] | None = arguments.only
    started = time.perf_counter()
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="liveroom-bench-"))
    try:
        payload, failed = _run(sizes, runs, arguments.seed, workdir, wanted)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    payload["duration_s"] = round(time.perf_counter() - started, 1)
    # Other processes' load skews every figure; the baselines beside them absorb some of it.
    payload["machine"]["loadavg_1m"] = {
        "start": round(load_before[0], 2),
        "end": round(os.getloadavg()[0], 2),
    }
    rows: list[dict[str, Any]] = payload["figures"]
    write_json(arguments.output, payload)
    print(payload.pop("table"))
    for finding in _findings(payload["diagnosis"]["big_room_query_plans"]):
        log(f"diagnosis: {finding}")
    passed = sum(1 for row in rows if row["pass"])
    log(
        f"{passed} of {len(rows)} figures pass; {payload['duration_s']} s in all; "
        f"JSON in {arguments.output}"
    )
    if failed:
        return 1
    return 1 if arguments.check and passed < len(rows) else 0


def _run(
    sizes: Sizes, runs: int, seed: int, workdir: Path, wanted: set[int] | None
) -> tuple[dict[str, Any], bool]:
    log(f"bench: {sizes.name} sizes, {runs} run(s), data in {workdir}")
    (workdir / "xdg-data").mkdir()
    os.environ["XDG_DATA_HOME"] = str(workdir / "xdg-data")  # never the user's database
    built = time.perf_counter()
    big = build_big_store(workdir, sizes, seed)
    log(
        f"  built {big.interactions:,} rooms and {big.events:,} events "
        f"in {time.perf_counter() - built:.1f} s"
    )
    context = Context(sizes=sizes, runs=runs, seed=seed, workdir=workdir, big=big)
    rows: list[Row] = []
    timings: dict[str, float] = {}
    failed = False
    for name, figures, group in GROUPS:
        if wanted is not None and not wanted.intersection(figures):
            continue
        log(f"  {name} (figure {', '.join(map(str, figures))})...")
        group_started = time.perf_counter()
        try:
            rows.extend(group(context))
        except Exception as error:  # report the failure as a row and go on with the rest
            failed = True
            traceback.print_exc()
            rows.append(_error_row(figures[0], name, error))
        timings[name] = round(time.perf_counter() - group_started, 1)
        log(f"    {timings[name]} s")
    rows.sort(key=lambda row: row.figure)
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench", *sys.argv[1:]]),
        "sizes": {**sizes.__dict__, "terminal": list(sizes.terminal)},
        "runs": runs,
        "seed": seed,
        "machine": machine(),
        "git": git_state(ROOT),
        "data": {
            "interactions": big.interactions,
            "events": big.events,
            "big_room_events": big.big_room_events,
            "small_room_events": big.small_room_events,
            "build_s": round(big.build_seconds, 1),
        },
        "group_seconds": timings,
        "diagnosis": {"big_room_query_plans": store_plans(big.path, big.big_room)},
        "figures": [row.as_json() for row in rows],
        "table": format_table(rows),
    }, failed


def _findings(plans: dict[str, Any]) -> list[str]:
    """One line per query plan that grows with the data (a range the index does not serve,
    or a sort SQLite has to do itself)."""
    findings = []
    for name, report in plans.items():
        for plan in report["plans"]:
            if plan["range_not_in_index"]:
                findings.append(
                    f"{name}: index search ignores the bound on "
                    f"{', '.join(plan['range_not_in_index'])}: {plan['plan'][0]}"
                )
            if plan["temp_sort"]:
                findings.append(f"{name}: sorts in a temp B-tree: {'; '.join(plan['plan'])}")
    return findings


def _error_row(figure: int, name: str, error: Exception) -> Row:
    return Row(
        key=f"{figure}.error",
        figure=figure,
        what=f"{name}: failed ({error})",
        value=float("nan"),
        unit="",
        target=Target("at_most", 0.0, "runs"),
        baseline=float("nan"),
        baseline_what="-",
        details={"error": repr(error)},
    )
