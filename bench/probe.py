"""A fresh process that starts an app headless and says when it has painted (figures 1 and 8).

    python -m bench.probe bare
    python -m bench.probe liveroom DB_PATH ROOMS [--room ID]

It prints "painted" the moment the first screen shows its content (the
parent times spawn -> that line), then "rss <screen> <MB> <processes>"
lines (this process and every process it started), and one final "marks {...}" JSON
line with where the time went inside the process. Only the standard library
is imported before the clock starts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from typing import Any

STARTED = time.perf_counter()
POLL_S = 0.002
DEADLINE_S = 120.0


def process_tree(pid: int | None = None) -> list[int]:
    """A process and all its descendants (from /proc)."""
    pid = os.getpid() if pid is None else pid
    tree = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                for child in children.read().split():
                    tree.extend(process_tree(int(child)))
    except OSError:  # a process that ended meanwhile
        pass
    return tree


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return float(line.split()[1]) / 1024
    except OSError:  # a process that ended meanwhile holds no memory
        pass
    return 0.0


def report_memory(screen: str) -> None:
    """Say "rss SCREEN MB" for this process and every process it started, and how many."""
    tree = process_tree()
    say(f"rss {screen} {sum(rss_mb(pid) for pid in tree):.1f} {len(tree)}")


class Marks:
    """Milliseconds since the probe module was imported, by step."""

    def __init__(self) -> None:
        self.marks: dict[str, float] = {}

    def __call__(self, name: str) -> None:
        self.marks[name] = round((time.perf_counter() - STARTED) * 1000, 2)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def wait_until(check: Any, what: str) -> None:
    """Poll `check()` every few milliseconds, giving the app's tasks the loop in between."""
    deadline = time.perf_counter() + DEADLINE_S
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        await asyncio.sleep(POLL_S)


async def painted(app: Any) -> None:
    """Return once the screen has refreshed since its content went in (wait_for_refresh)."""
    await app.screen.wait_for_refresh()


async def run_bare(size: tuple[int, int], marks: Marks) -> None:
    """A Textual app of one label, run until it has painted."""
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    marks("imported")

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("hello")

    app = Bare()
    async with app.run_test(size=size):
        await wait_until(lambda: bool(app.screen.query(Label)), "the label")
        await painted(app)
        marks("painted")
        say("painted")
        report_memory("bare")


async def run_liveroom(
    db: str, rooms: int, room: int | None, size: tuple[int, int], marks: Marks
) -> None:
    """The dashboard as `liveroom` starts it (app.cli.dashboard_app), until every room shows."""
    from app.cli import dashboard_app

    app = dashboard_app(db)
    marks("app_made")
    from app.screens.rooms import RoomsScreen
    from widgets.rooms_table import RoomsTable

    def rooms_shown() -> bool:
        screen = app.screen
        return isinstance(screen, RoomsScreen) and screen.query_one(RoomsTable).row_count == rooms

    async with app.run_test(size=size):
        marks("app_running")
        await wait_until(rooms_shown, f"{rooms} rows in the rooms table")
        marks("rows")
        await painted(app)
        marks("painted")
        say("painted")
        report_memory("rooms")
        if room is not None:
            from app.screens.room import RoomScreen
            from widgets.event_log import EventLog

            await app.push_screen(RoomScreen(room))

            def room_shown() -> bool:
                screen = app.screen
                return isinstance(screen, RoomScreen) and bool(screen.query_one(EventLog).entries)

            await wait_until(room_shown, f"room {room}'s events")
            await painted(app)
            marks("room_painted")
            report_memory("room")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.probe")
    parser.add_argument("kind", choices=("bare", "liveroom"))
    parser.add_argument("db", nargs="?")
    parser.add_argument("rooms", nargs="?", type=int, default=0)
    parser.add_argument("--room", type=int, default=None)
    parser.add_argument("--size", default="140x40")
    arguments = parser.parse_args(argv)
    width, height = (int(part) for part in arguments.size.split("x"))
    size = (width, height)
    marks = Marks()
    if arguments.kind == "bare":
        asyncio.run(run_bare(size, marks))
    else:
        asyncio.run(run_liveroom(arguments.db, arguments.rooms, arguments.room, size, marks))
    marks("done")
    say("marks " + json.dumps(marks.marks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
