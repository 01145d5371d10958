"""The dashboard's door to the store: every store call runs off the UI thread.

Reads and writes each get one long-lived thread, so each keeps one database
connection (Peewee holds a connection per thread) and a write waiting for
another process's lock never blocks a read, let alone the UI. One writer
thread also means writes run in the order they were asked for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from store import LiveStore

P = ParamSpec("P")
T = TypeVar("T")


class StoreGateway:
    """Runs store calls on a reader thread and a writer thread."""

    def __init__(self, store: LiveStore) -> None:
        self.store = store
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="liveroom-read")
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="liveroom-write")

    async def read(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a query on the reader thread and await its result (exceptions included)."""
        return await self._run(self._reader, partial(call, *args, **kwargs))

    async def write(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a write on the writer thread; writes are applied in the order asked."""
        return await self._run(self._writer, partial(call, *args, **kwargs))

    @staticmethod
    async def _run(executor: ThreadPoolExecutor, call: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(executor, call)

    def close(self) -> None:
        """Close each thread's connection, then the threads."""
        for executor in (self._reader, self._writer):
            executor.submit(self.store.close).result()
            executor.shutdown(wait=True)
