"""A process of its own that reads the log's history while the dashboard paints.

Reading a page of older events (the query, 200 LogEntry models, their line
counts) takes about 5 ms of interpreter time. On the reader thread it
shares the one interpreter lock with the UI thread, which paints each page
in 10-13 ms: scrolling a 200,000-event log page after page, a fifth of the
pages were not read ahead in time. In a process they run on the other
core, and what comes back costs the dashboard only its unpickling (about
1 ms a page), on the UI loop between frames. Pages that come late fell to
0.2-4% and the p95 page by 3-10 ms (bench figure 3; its worst page did not
fall, see bench/README.md).

The process is started when a game master starts reading back through a
log (RoomFeed.page_taken), not before: the dashboard's start-up, memory and
idle figures stay those of one process for everyone who never scrolls back.
Until it is up, and for good if it cannot start or dies, the reader thread
reads as before. It opens its own connection to the same database (the
store's path or URL), so a store that lives in memory keeps to the thread.

It is `python -m app.history_process`, not a multiprocessing child: those
import the parent's main module again, and a script that builds the
dashboard without an `if __name__ == "__main__"` guard would start a second
dashboard on the same terminal. Requests and answers are pickled frames on
its stdin and stdout, answered in order; it runs in a session of its own, so
the terminal's signals (a Ctrl+C) reach only the dashboard, which stops it.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from typing import IO, TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:
    from store import LiveStore

__all__ = ["HistoryProcess", "HistoryProcessGone", "shareable"]

P = ParamSpec("P")
T = TypeVar("T")

STOP_WAIT_S = 0.5
"""How long closing waits for the process to go before it kills it."""
NICENESS = 10
"""How much lower the process's scheduling priority is than the dashboard's."""
_LENGTH = struct.Struct("!I")
"""Each frame: its length, then that many bytes of pickle."""


class HistoryProcessGone(Exception):
    """The history process could not start or has stopped: read elsewhere."""


def shareable(location: str) -> bool:
    """Whether another process can open the database at `location` (a store's path)."""
    return location not in ("", ":memory:") and not location.startswith("file::memory:")


class HistoryProcess:
    """The process, and the thread that collects its answers for the awaiting callers."""

    def __init__(self, location: str) -> None:
        """`location`: the database file or URL to open (LiveStore.path), see shareable()."""
        self._location = location
        self._process: subprocess.Popen[bytes] | None = None
        self._pending: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[Any]]] = deque()
        self._lock = threading.Lock()
        """Held while a request's future is queued or its answer's taken: answers come in
        the order of the requests."""
        self._ready = threading.Event()
        self._gone = False
        self.reads = 0
        """Reads the process has answered without an error (how tests and the bench tell
        who read)."""

    @property
    def ready(self) -> bool:
        """Whether the process is up, with its store open, and has not stopped."""
        return self._ready.is_set() and not self._gone

    @property
    def pid(self) -> int | None:
        """The process's id, once started."""
        return None if self._process is None else self._process.pid

    @property
    def failed(self) -> bool:
        """Whether it could not start, or stopped: the reader thread reads from then on."""
        return self._gone

    def start(self) -> None:
        """Start the process (at once; `ready` tells when its store is open). Once only.
        A process that cannot be started leaves this one failed, as a failed open does."""
        if self._process is not None or self._gone:
            return
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "app.history_process"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
            assert self._process.stdin is not None and self._process.stdout is not None
            _write(self._process.stdin, _frame(self._location))
        except OSError:
            self.close()
            return
        threading.Thread(
            target=self._collect,
            args=(self._process.stdout,),
            name="liveroom-history",
            daemon=True,
        ).start()

    async def run(
        self, call: Callable[Concatenate[LiveStore, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`call(store, *args, **kwargs)` in the process: it, its arguments and its result
        must pickle. What it raises is raised here; HistoryProcessGone means the
        process is not up or stopped (and then `failed` is true)."""
        process = self._process
        if not self._ready.is_set() or process is None or process.stdin is None:
            raise HistoryProcessGone("the history process is not running")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._lock:  # queued before it is sent: the answer may come at once
            if self._gone:
                raise HistoryProcessGone("the history process stopped")
            self._pending.append((loop, future))
        try:
            # Not under the lock: a request that fills the pipe waits for the process
            # to read it, which it does once the collecting thread has taken its answers.
            _write(process.stdin, _frame((call, args, kwargs)))
        except OSError:
            future.cancel()  # no one will wait for it; the collecting thread drops it
            raise HistoryProcessGone("the history process stopped") from None
        result = await future
        self.reads += 1
        return result

    def close(self) -> None:
        """Stop the process (it only reads: a read on its way is simply abandoned), giving
        it half a second to go before it is killed: quitting is never held up for long."""
        self._gone = True
        process = self._process
        if process is None:
            return
        if process.stdin is not None:
            with suppress(OSError):  # a pipe already broken still holds its unsent bytes
                process.stdin.close()
        process.terminate()
        try:
            process.wait(timeout=STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _collect(self, answers: IO[bytes]) -> None:
        """On the collecting thread: the handshake, then each answer (still pickled) to the
        oldest request, until the process stops."""
        try:
            handshake = _read_frame(answers)
            if handshake is not None and pickle.loads(handshake) is True:
                self._ready.set()
                while (data := _read_frame(answers)) is not None:
                    with self._lock:
                        loop, future = self._pending.popleft()
                    _soon(loop, _answer, future, data)
        except (OSError, pickle.UnpicklingError):
            pass  # the process stopped mid-answer, or said nothing sensible: gone
        finally:
            with self._lock:
                self._gone = True
                pending, self._pending = self._pending, deque()
            for loop, future in pending:
                stopped = HistoryProcessGone("the history process stopped")
                _soon(loop, _settle, future, False, stopped)
            answers.close()
            self._reap()

    def _reap(self) -> None:
        """Collect the exit of a process that stopped by itself, so it is not left a zombie
        until the dashboard quits; one still running (its answers broke off) is stopped."""
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=STOP_WAIT_S)


def _soon(loop: asyncio.AbstractEventLoop, callback: Callable[..., None], *args: Any) -> None:
    """Run `callback(*args)` on `loop`'s thread; a loop closed meanwhile has no one waiting."""
    with suppress(RuntimeError):
        loop.call_soon_threadsafe(callback, *args)


def _answer(future: asyncio.Future[Any], data: bytes) -> None:
    """Unpickle an answer and settle `future` with it, on the caller's loop: between two
    frames, rather than on the collecting thread in the middle of one, where it competed
    with the painting for the interpreter. One that cannot be unpickled (a class this side
    cannot rebuild, say) fails its own read."""
    if future.done():
        return
    try:
        ok, value = pickle.loads(data)
    except Exception as error:
        ok, value = False, error
    _settle(future, ok, value)


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    """Give `future` its answer, unless its caller stopped waiting (its worker was
    cancelled, or the request never went out): a future is settled once."""
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


def _frame(value: object) -> bytes:
    """`value` pickled, after its length: one message on a pipe."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


def _write(stream: IO[bytes], frame: bytes) -> None:
    """Send a whole frame now (the pipe is buffered)."""
    stream.write(frame)
    stream.flush()


def _read_frame(stream: IO[bytes]) -> bytes | None:
    """The next frame's pickled bytes; None at the end of the stream or in a cut frame."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    data = stream.read(length)
    return data if len(data) == length else None


# -- in the history process ---------------------------------------------------


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """Open the store named by the first frame, say whether it opened (True), then answer
    each (call, args, kwargs) frame with (True, result) or (False, what it raised) until
    the dashboard closes `requests`.

    The process exists for the log's history: what its reads need is imported and run
    once (app.older_pages.warm_up) before it says it is up, not while a page waits.
    """
    from app.hidden_drivers import open_store_drivers_hidden
    from app.older_pages import warm_up

    location = _read_frame(requests)
    if location is None:
        return  # the dashboard went before it said where the store is
    try:
        store = open_store_drivers_hidden(pickle.loads(location))
        warm_up(store)
    except Exception:
        _write(answers, _frame(False))
        return
    _write(answers, _frame(True))
    try:
        while (request := _read_frame(requests)) is not None:
            call, args, kwargs = pickle.loads(request)
            try:
                answer = (True, call(store, *args, **kwargs))
            except Exception as error:  # the caller's to handle, as on the reader thread
                answer = (False, error)
            _write(answers, _answer_frame(answer))
    finally:
        store.close()


def _answer_frame(answer: tuple[bool, Any]) -> bytes:
    """`answer` as a frame; one that does not pickle becomes a RuntimeError saying what
    it was, so the caller waiting for it is not left waiting."""
    try:
        return _frame(answer)
    except Exception:
        kind = type(answer[1]).__name__
        return _frame((False, RuntimeError(f"the history process could not send a {kind}")))


def _main() -> None:
    """Answers go out on a copy of stdout; stdout itself goes nowhere, so nothing printed
    by accident can break a frame. Reading ahead is background work: where the machine
    has no core to spare, the dashboard's painting comes first."""
    if hasattr(os, "nice"):  # not on Windows
        os.nice(NICENESS)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, sys.stdout.fileno())
    os.close(quiet)
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    _main()
