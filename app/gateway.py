"""The dashboard's door to the store: every store call runs off the UI thread.

Reads and writes each get one long-lived thread, so each keeps one database
connection (Peewee holds a connection per thread) and a write waiting for
another process's lock never blocks a read, let alone the UI. Screens await
these calls from their workers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, ParamSpec, TypeVar

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
        return await self._run(self._reader, call, *args, **kwargs)

    async def write(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a write on the writer thread; writes from the UI are applied in order."""
        return await self._run(self._writer, call, *args, **kwargs)

    async def _run(
        self, executor: ThreadPoolExecutor, call: Callable[..., T], *args: Any, **kwargs: Any
    ) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor, partial(call, *args, **kwargs))

    def close(self) -> None:
        """Close each thread's connection, then the threads."""
        for executor in (self._reader, self._writer):
            executor.submit(self.store.close).result()
            executor.shutdown(wait=True)
