"""The rooms screen's first rows, read by a helper process while the dashboard starts.

Most of `liveroom`'s start-up is imports: Textual for the screen, pydantic
and Peewee for the store (0.1 s, 40% of a bare Textual app's whole start).
One interpreter runs one import at a time, whatever its threads do. So the
command first forks a helper: on the machine's other core, it imports the
store, opens it and reads every room's summary, while the dashboard imports
Textual and its screens. The rooms screen paints the helper's rooms; only
then does the dashboard open the store itself (StoreGateway's opener), and
its first poll reads every room again.

The helper is forked, not started afresh: a new interpreter would spend
40 ms starting before its first import, and the helper is the longer of the
two paths. Forking is only safe while the process runs one thread (a child
can inherit a lock another thread holds), so where other threads run, or
there is no fork (Windows), there is no helper. Then, and when the helper
fails (a store that cannot be opened, say), the dashboard opens the store
before its first screen, and reports any error itself.
"""

from __future__ import annotations

import json
import os
import select
import signal
import threading
import time
from typing import IO, NamedTuple, NoReturn

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
    """A forked helper reading the store's rooms; rooms() collects them."""

    def __init__(self, pid: int, output: int) -> None:
        """The helper's process id, and the read end of the pipe it writes the rooms to."""
        self._pid = pid
        self._output = output

    @classmethod
    def start(cls, target: str | None) -> FirstRooms | None:
        """Fork the helper on `target` (None: the per-user store); None where it cannot be
        forked safely (see the module's docstring)."""
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _be_the_helper(target, write_end)
        os.close(write_end)
        return cls(pid, read_end)

    def rooms(self, timeout: float = HELPER_TIMEOUT_S) -> list[ListedRoom] | None:
        """The helper's rooms; None if it failed, or was not done within `timeout` (then it
        is stopped)."""
        output = self._read_all(time.monotonic() + timeout)
        if output is None:
            os.kill(self._pid, signal.SIGKILL)
        _, status = os.waitpid(self._pid, 0)
        if output is None or os.waitstatus_to_exitcode(status) != 0:
            return None
        try:
            return [ListedRoom(*row) for row in json.loads(output)]
        except (ValueError, TypeError):
            return None

    def _read_all(self, deadline: float) -> bytes | None:
        """Everything the helper writes, up to its end; None at the deadline."""
        chunks: list[bytes] = []
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not select.select([self._output], [], [], remaining)[0]:
                    return None
                chunk = os.read(self._output, 1 << 16)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)
        finally:
            os.close(self._output)


def write_rooms(target: str | None, output: IO[str]) -> int:
    """Write the rooms of the store at `target` to `output` as one JSON array; the exit code."""
    from app.hidden_drivers import open_store_drivers_hidden
    from store.errors import StoreError

    try:
        with open_store_drivers_hidden(target) as store:
            rooms = store.list_room_summaries()
    except StoreError:
        return 2  # the dashboard opens the store itself and reports the error
    json.dump([[getattr(room, field) for field in ListedRoom._fields] for room in rooms], output)
    return 0


def _be_the_helper(target: str | None, output: int) -> NoReturn:
    """The forked child's whole life: write the rooms, then leave at once (no clean-up of
    what it inherited: the dashboard's process owns all of that)."""
    code = 70
    try:
        with os.fdopen(output, "w") as stream:
            code = write_rooms(target, stream)
    finally:
        os._exit(code)
