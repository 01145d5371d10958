"""The dashboard's door to the store: every store call runs off the UI thread.

Reads and writes each get one long-lived thread, so each keeps one database
connection (Peewee holds a connection per thread) and a write waiting for
another process's lock never blocks a read, let alone the UI. Screens await
these calls from their workers.

The `liveroom` command hands over a store still to be opened (an opener):
the reader thread opens it when it is first asked for, after the first
screen has painted (app.first_rooms).

Reads of the log's history can go to a process of their own
(read_history, app.history_process), started once a game master reads back
through a log (start_history_process).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from app.history_process import HistoryProcess, HistoryProcessGone, shareable

if TYPE_CHECKING:
    from store import LiveStore

P = ParamSpec("P")
T = TypeVar("T")


class StoreGateway:
    """Runs store calls on a reader thread and a writer thread."""

    def __init__(
        self,
        store: LiveStore | None = None,
        *,
        opener: Callable[[], LiveStore] | None = None,
        history_process: bool = True,
    ) -> None:
        """An open `store`, or an `opener` that the reader thread runs when the store is first
        asked for. `history_process`: whether start_history_process may start one (tests
        that replace the store's methods in this process turn it off)."""
        if (store is None) == (opener is None):
            raise TypeError("StoreGateway takes either a store or an opener")
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="liveroom-read")
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="liveroom-write")
        self._opener = opener
        self._opened: Future[LiveStore] | None = None
        self._history_allowed = history_process
        self.history: HistoryProcess | None = None
        """The history process, once started (None before, or if it is not allowed)."""
        if store is not None:
            self._opened = Future()
            self._opened.set_result(store)

    @property
    def store(self) -> LiveStore:
        """The store; while it is being opened, this waits for it (StoreError if it failed)."""
        return self._open().result()

    @property
    def is_open(self) -> bool:
        opened = self._opened
        return opened is not None and opened.done() and opened.exception() is None

    async def ready(self) -> LiveStore:
        """The store, opened first if need be, without blocking the event loop."""
        return await asyncio.wrap_future(self._open())

    def _open(self) -> Future[LiveStore]:
        """The store's future: opening starts on the reader thread the first time."""
        if self._opened is None:
            assert self._opener is not None
            self._opened = self._reader.submit(self._opener)
        return self._opened

    async def read(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a query on the reader thread and await its result (exceptions included)."""
        return await self._run(self._reader, call, *args, **kwargs)

    async def write(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a write on the writer thread; writes from the UI are applied in order."""
        return await self._run(self._writer, call, *args, **kwargs)

    def start_history_process(self) -> None:
        """Start the history process, if allowed and the store can be shared, and not yet
        started: read_history uses it once it is up. Returns at once."""
        if self.history is not None or not self._history_allowed or not self.is_open:
            return
        location = self.store.path
        if shareable(location):
            self.history = HistoryProcess(location)
            self.history.start()

    @property
    def history_ready(self) -> bool:
        """Whether read_history reads in the history process now."""
        return self.history is not None and self.history.ready

    async def read_history(
        self, call: Callable[Concatenate[LiveStore, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`call(store, *args, **kwargs)` in the history process when it is up, else on the
        reader thread (and there for good if the process died). The call, its arguments
        and its result must pickle."""
        if self.history is not None:
            with suppress(HistoryProcessGone):  # not up yet, or gone: the thread reads
                return await self.history.run(call, *args, **kwargs)
        return await self.read(call, await self.ready(), *args, **kwargs)

    async def _run(
        self, executor: ThreadPoolExecutor, call: Callable[..., T], *args: Any, **kwargs: Any
    ) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor, partial(call, *args, **kwargs))

    def close(self) -> None:
        """Close each thread's connection, then the threads. A store still being opened
        (a slow disk, a distant server) is not waited for: the reader thread closes it
        once it is open, so quitting is never held up. One never asked for, or that
        failed to open, has nothing to close."""
        if self.history is not None:
            self.history.close()
        opened = self._opened
        if opened is not None and not opened.done():
            opened.add_done_callback(_close_once_open)
            for executor in (self._reader, self._writer):
                executor.shutdown(wait=False)
            return
        store = None if opened is None or opened.exception() is not None else opened.result()
        for executor in (self._reader, self._writer):
            if store is not None:
                executor.submit(store.close).result()
            executor.shutdown(wait=True)


def _close_once_open(opened: Future[LiveStore]) -> None:
    """Close the connection the opener made (on the reader thread, which it ran on)."""
    if opened.exception() is None:
        opened.result().close()
