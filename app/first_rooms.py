"""The rooms screen's first rows, read by a helper process while the dashboard starts.

Most of `liveroom`'s start-up is imports: Textual for the screen, pydantic
and Peewee for the store (0.1 s, 40% of a bare Textual app's whole start).
One interpreter runs one import at a time, whatever its threads do. So the
command first starts this module as a helper process: on the machine's other
core, it imports the store, opens it and reads every room's summary, while
the dashboard imports Textual and its screens. The rooms screen paints the
helper's rooms; only then does the dashboard open the store itself
(StoreGateway's opener), and its first poll reads every room again.

    python -m app.first_rooms [TARGET]

prints the rooms as one JSON array of ListedRoom rows. When the helper fails
(a store that cannot be opened, say), the dashboard starts the old way and
reports the error itself.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from typing import NamedTuple

HELPER_TIMEOUT_S = 10.0
"""How long the dashboard waits for the helper once it needs the rooms (it is usually done)."""


class ListedRoom(NamedTuple):
    """A room as the helper hands it over: RoomSummary's fields, without pydantic."""

    id: int
    name: str
    status: str
    live_room_id: str | None
    participant_count: int
    current_actor: str | None
    round_number: int
    turn_number: int
    current_turn_timeout: int | None
    paused_turn_remaining_ms: int | None
    turn_time_limit: int
    last_activity: int | None
    revision: int


class FirstRooms:
    """A helper process reading the store's rooms; rooms() collects them."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process

    @classmethod
    def start(cls, target: str | None) -> FirstRooms | None:
        """Start the helper on `target` (None: the per-user store); None if it cannot start."""
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "app.first_rooms", *([target] if target else [])],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return None
        return cls(process)

    def rooms(self, timeout: float = HELPER_TIMEOUT_S) -> list[ListedRoom] | None:
        """The helper's rooms; None if it failed, or was not done within `timeout` (then it
        is stopped)."""
        try:
            output, _ = self._process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
            return None
        if self._process.returncode != 0:
            return None
        try:
            return [ListedRoom(*row) for row in json.loads(output)]
        except (ValueError, TypeError):
            return None


def main(argv: Sequence[str] | None = None) -> int:
    """Print the rooms of the store at argv[0] (default: the per-user store)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    gc.disable()  # a process of a few tenths of a second: nothing worth collecting
    from app.hidden_drivers import open_store_drivers_hidden
    from store.errors import StoreError

    try:
        with open_store_drivers_hidden(arguments[0] if arguments else None) as store:
            rooms = store.list_room_summaries()
    except StoreError as error:
        print("liveroom:", error, file=sys.stderr)
        return 2
    json.dump(
        [[getattr(room, field) for field in ListedRoom._fields] for room in rooms], sys.stdout
    )
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # the rooms are out: tearing the interpreter down would only delay EOF
