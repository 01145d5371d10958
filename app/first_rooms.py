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
        self._pid: int | None = pid
        self._output: int | None = output

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
        """The helper's rooms; None if it crashed, said nonsense or was not done within
        `timeout` (then it is stopped). A store it could not open raises that StoreError
        here, as opening it in this process would have, without making the user wait for
        a second try."""
        output = None
        try:
            output = self._read_all(time.monotonic() + timeout)
        finally:
            status = self._reap(kill=output is None)
        if output is None or status != 0:
            return None
        try:
            answer = json.loads(output)
            if "error" in answer:
                raise _store_error(answer["error"], answer["message"])
            return [ListedRoom(*row) for row in answer["rooms"]]
        except (ValueError, TypeError, KeyError):
            return None

    def stop(self) -> None:
        """Stop the helper if it still runs, reap it and close the pipe (done already once
        rooms() has answered)."""
        self._close_output()
        self._reap(kill=True)

    def _reap(self, *, kill: bool) -> int | None:
        """Wait for the helper to end (stopping it first if `kill`); its exit code, or None
        if it was reaped already."""
        if self._pid is None:
            return None
        pid, self._pid = self._pid, None
        if kill:
            os.kill(pid, signal.SIGKILL)  # harmless if it has just ended: it is not reaped yet
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)

    def _read_all(self, deadline: float) -> bytes | None:
        """Everything the helper writes, up to its end; None at the deadline."""
        assert self._output is not None
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
            self._close_output()

    def _close_output(self) -> None:
        if self._output is not None:
            os.close(self._output)
            self._output = None


def write_rooms(target: str | None, output: IO[str]) -> None:
    """Write the rooms of the store at `target` to `output` as JSON, or the StoreError
    that opening or reading it raised."""
    from app.hidden_drivers import open_store_drivers_hidden
    from store.errors import StoreError

    try:
        with open_store_drivers_hidden(target) as store:
            rooms = store.list_room_summaries()
    except StoreError as error:
        json.dump({"error": type(error).__name__, "message": str(error)}, output)
        return
    fields = ListedRoom._fields
    json.dump({"rooms": [[getattr(room, field) for field in fields] for room in rooms]}, output)


def _store_error(kind: object, message: object) -> Exception:
    """The helper's StoreError, as the class of that name in store.errors (StoreError itself
    for a name it does not know)."""
    from store import errors

    found = getattr(errors, kind, None) if isinstance(kind, str) else None
    error_class = (
        found
        if isinstance(found, type) and issubclass(found, errors.StoreError)
        else errors.StoreError
    )
    return error_class(str(message))


def _be_the_helper(target: str | None, output: int) -> NoReturn:
    """The forked child's whole life: write the rooms, then leave at once (no clean-up of
    what it inherited: the dashboard's process owns all of that)."""
    code = 70
    try:
        with os.fdopen(output, "w") as stream:
            write_rooms(target, stream)
        code = 0
    finally:
        os._exit(code)
