"""A fresh process that starts an app headless and says when it has painted (figures 1 and 8).

    python -m bench.probe bare
    python -m bench.probe dependencies
    python -m bench.probe liveroom DB_PATH ROOMS [--room ID]

It prints "painted" the moment the first screen shows its content (the
parent times spawn -> that line), then "rss <screen> <MB>" lines, and one
final "marks {...}" JSON line with where the time went inside the process.
Only the standard library is imported before the clock starts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

STARTED = time.perf_counter()
POLL_S = 0.002
DEADLINE_S = 120.0


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return float(line.split()[1]) / 1024
    return float("nan")


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
    """Return once a frame with the content in it has been drawn.

    Screen.wait_for_refresh alone is not enough: while the app holds its
    frames back (App.batch_update, as Textual does while it recomposes or
    mounts), the callbacks it waits for run without a refresh. So first the
    hold must end (Textual keeps its depth in App._batch_count), then the
    refresh after it.
    """
    await wait_until(lambda: not app._batch_count, "frames held back to be let go")
    await app.screen.wait_for_refresh()


async def run_bare(size: tuple[int, int], marks: Marks) -> None:
    await paint_one_label(size, marks, "bare")


async def run_dependencies(size: tuple[int, int], marks: Marks) -> None:
    """The bare app plus the store's dependencies, imported before it paints.

    Not a target: what a start-up that imports pydantic and Peewee before its
    first paint could not go below (pydantic's import, its first validator
    with the plugin look-up, Peewee without its PostgreSQL driver). The
    dashboard leaves them to a forked helper until it has painted
    (app.first_rooms).
    """
    from app.hidden_drivers import postgres_drivers_hidden

    with postgres_drivers_hidden():  # as the dashboard imports the store
        import peewee  # noqa: F401
    from pydantic import BaseModel

    class Room(BaseModel):
        name: str

    Room.model_validate({"name": "hello"})
    await paint_one_label(size, marks, "dependencies")


async def paint_one_label(size: tuple[int, int], marks: Marks, kind: str) -> None:
    """A Textual app of one label, run until it has painted; its memory as `kind`."""
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
        say(f"rss {kind} {_rss_mb():.1f}")


async def run_liveroom(
    db: str, rooms: int, room: int | None, size: tuple[int, int], marks: Marks
) -> None:
    # What `liveroom` does before its first paint, and no more (app.cli.dashboard_app):
    # the collector paused, a helper process reading the rooms while this one
    # imports the screens; the store is opened after the paint, the room
    # screen's modules imported after it, as the dashboard does.
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
        screen = app.screen
        assert isinstance(screen, RoomsScreen)
        # Memory as the dashboard runs: once its store is open and it has polled.
        await wait_until(lambda: screen.polls_completed > 0, "the rooms screen's first poll")
        marks("store_polled")
        say(f"rss rooms {_rss_mb():.1f}")
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
            say(f"rss room {_rss_mb():.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.probe")
    parser.add_argument("kind", choices=("bare", "dependencies", "liveroom"))
    parser.add_argument("db", nargs="?")
    parser.add_argument("rooms", nargs="?", type=int, default=0)
    parser.add_argument("--room", type=int, default=None)
    parser.add_argument("--size", default="140x40")
    arguments = parser.parse_args(argv)
    width, height = (int(part) for part in arguments.size.split("x"))
    marks = Marks()
    if arguments.kind == "bare":
        asyncio.run(run_bare((width, height), marks))
    elif arguments.kind == "dependencies":
        asyncio.run(run_dependencies((width, height), marks))
    else:
        asyncio.run(
            run_liveroom(arguments.db, arguments.rooms, arguments.room, (width, height), marks)
        )
    marks("done")
    say("marks " + json.dumps(marks.marks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
