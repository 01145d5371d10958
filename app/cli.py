"""The `liveroom` command: the dashboard, the demo, the simulator and exports."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.app import LiveroomApp

DB_HELP = "database file or URL (default: $LIVEROOM_DB, else the per-user database)"
ROOM_HELP = "the interaction's id (the rooms table's #), or the id of its live room"


def build_parser() -> argparse.ArgumentParser:
    # A subcommand's --db defaults to SUPPRESS, not None: its default would otherwise
    # overwrite a --db given before it (`liveroom --db game.db export 3`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=DB_HELP)

    parser = argparse.ArgumentParser(
        prog="liveroom",
        description="Run live tabletop interactions from the terminal.",
    )
    parser.add_argument("--db", metavar="PATH_OR_URL", default=None, help=DB_HELP)
    parser.add_argument(
        "--idle-minutes",
        type=_idle_minutes,
        default=30.0,
        metavar="N",
        help="clean up live rooms idle longer than this (default 30)",
    )
    parser.add_argument(
        "--dm",
        metavar="USER_ID",
        default=None,
        help="your user id as game master (default: $LIVEROOM_DM, else your login name)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo", parents=[common], help="seed a fresh demo store and open it with a live simulator"
    )
    demo.add_argument("--rate", type=float, default=4.0, help="simulated actions per second")

    simulate = commands.add_parser(
        "simulate", parents=[common], help="play live rooms in this store, as a game server would"
    )
    simulate.add_argument("--rooms", type=int, default=None, help="how many live rooms to play")
    simulate.add_argument("--rate", type=float, default=5.0, metavar="EVENTS_PER_S")
    simulate.add_argument(
        "--duration",
        type=float,
        default=None,
        metavar="S",
        help="stop after this many seconds (default: run until interrupted)",
    )

    export = commands.add_parser(
        "export",
        parents=[common],
        help="write one session to stdout: events and turns (jsonl), turns (csv), a recap (md)",
    )
    export.add_argument("interaction_id", type=int, metavar="INTERACTION_ID")
    export.add_argument("--format", choices=("jsonl", "csv", "md"), default="jsonl")

    player = commands.add_parser(
        "player", parents=[common], help="the players' view of one room: read-only, for a TV"
    )
    player.add_argument("room", metavar="ROOM_ID", help=ROOM_HELP)
    serve = commands.add_parser(
        "serve", parents=[common], help="serve the players' view of one room to browsers"
    )
    serve.add_argument("room", metavar="ROOM_ID", help=ROOM_HELP)
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; any other needs the printed token)",
    )
    serve.add_argument("--port", type=int, default=8040, help="port to listen on (default 8040)")

    copy = commands.add_parser(
        "copy", help="copy a whole store into a new one (say SQLite to PostgreSQL), verified"
    )
    copy.add_argument("--from", dest="source", required=True, metavar="PATH_OR_URL")
    copy.add_argument("--to", dest="destination", required=True, metavar="PATH_OR_URL")
    return parser


def _idle_minutes(text: str) -> float:
    """--idle-minutes: a number of minutes, at least 1 (0 would close every room at once)."""
    try:
        minutes = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of minutes: {text!r}") from None
    if not minutes >= 1:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be at least 1 minute, not {text}")
    return minutes


def database_target(arguments: argparse.Namespace) -> str | None:
    """--db, else $LIVEROOM_DB, else None (the per-user default)."""
    return arguments.db or os.environ.get("LIVEROOM_DB") or None


def game_master(arguments: argparse.Namespace) -> str:
    """--dm, else $LIVEROOM_DM, else the login name: who the encounters created here belong to."""
    import getpass

    return arguments.dm or os.environ.get("LIVEROOM_DM") or getpass.getuser()


def dashboard_app(
    target: str | None, idle_minutes: float = 30.0, dm_user_id: str = "dm"
) -> LiveroomApp:
    """The dashboard as `liveroom` starts it, ready to run: the store is opened first, so
    that a store that cannot be opened is reported (a StoreError) before any screen."""
    from app.app import make_app
    from store import open_store

    store = open_store(target)
    store.close()  # this thread's connection: the dashboard's threads open their own
    return make_app(store, idle_minutes=idle_minutes, dm_user_id=dm_user_id)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    from store.errors import StoreError

    try:
        if arguments.command is None:
            app = dashboard_app(
                database_target(arguments), arguments.idle_minutes, game_master(arguments)
            )
            return _run_dashboard(app)
        if arguments.command == "simulate":
            from app.simulator import simulate_main

            return simulate_main(
                database_target(arguments), arguments.rooms, arguments.rate, arguments.duration
            )
        if arguments.command == "export":
            return _export(arguments)
        if arguments.command == "copy":
            from app.copy import copy_store

            print("\n".join(copy_store(arguments.source, arguments.destination).lines()))
            return 0
        if arguments.command == "demo":
            return _demo(arguments)
        if arguments.command in ("player", "serve"):
            return _players_view(arguments)
        raise AssertionError(f"unhandled command {arguments.command!r}")
    except StoreError as error:
        print("liveroom:", " ".join(str(error).split()), file=sys.stderr)  # always one line
        return 2
    except KeyboardInterrupt:
        return 130


def _run_dashboard(app: LiveroomApp, on_terminal_lost: Callable[[], object] | None = None) -> int:
    """Run the dashboard; if its terminal goes away, `on_terminal_lost` runs and the
    process ends (TerminalWatch)."""
    from app.terminal_watch import TerminalWatch

    stdin = sys.__stdin__  # None when the process was started with stdin closed
    with TerminalWatch(None if stdin is None else stdin.fileno(), on_lost=on_terminal_lost):
        app.run()
    return app.return_code or 0


def _players_view(arguments: argparse.Namespace) -> int:
    """`liveroom player` and `liveroom serve`: read-only, see app/player."""
    if arguments.command == "player":
        from app.player.app import player_main

        return player_main(database_target(arguments), arguments.room)
    from app.player.serve import serve_main

    return serve_main(database_target(arguments), arguments.room, arguments.host, arguments.port)


def _export(arguments: argparse.Namespace) -> int:
    """Read-only: a mistyped --db is an error naming the file, never a new store."""
    from app.export import export_session
    from store import open_store

    with open_store(database_target(arguments), read_only=True) as store:
        sys.stdout.write(export_session(store, arguments.interaction_id, arguments.format))
    return 0


def _demo(arguments: argparse.Namespace) -> int:
    """A fresh demo store, a simulator process writing into it, and the dashboard on top."""
    import subprocess
    import tempfile
    from pathlib import Path

    from app.app import make_app
    from app.seed import seed_demo
    from store import open_store

    target = arguments.db or str(Path(tempfile.mkdtemp(prefix="liveroom-demo-")) / "demo.db")
    if arguments.db and Path(arguments.db).exists():
        print(f"liveroom: {arguments.db} exists; the demo seeds a fresh store", file=sys.stderr)
        return 2
    with open_store(target) as store:
        seed_demo(store)
    simulator = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.cli",
            "simulate",
            "--db",
            target,
            "--rate",
            str(arguments.rate),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with open_store(target) as store:
            app = make_app(
                store, idle_minutes=arguments.idle_minutes, dm_user_id=game_master(arguments)
            )
            return _run_dashboard(app, simulator.terminate)
    finally:
        simulator.terminate()
        simulator.wait(timeout=5)
        print(f"The demo store stays at {target}")


if __name__ == "__main__":
    sys.exit(main())
