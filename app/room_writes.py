"""The game master's writes to one room, run one at a time in the order they were asked.

Each write is decided when its turn comes, against the room as this console
knows it then: the newest of the state last read and the results of its own
writes (by Interaction.revision). Pressed twice quickly, `c` turns chat off
and on again and `n` advances two turns, exactly as if pressed slowly; only
another console's write can make one of them conflict.

While writes are queued or running, the screen cannot judge a key by what it
last showed: `p n` typed together on a paused room must resume, then
advance. So a key pressed while `busy` is queued too, and judged when its
turn comes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from store import Interaction

T = TypeVar("T")
Write = Callable[[Interaction], Awaitable[Any]]
"""Decides and runs one write against the room as it is known when it runs; returns the
write's result (an Interaction moves the known state on), or None when it was refused."""


class RoomWrites:
    """A queue of writes to one room and the state they act on."""

    def __init__(
        self,
        reread: Callable[[], Awaitable[Interaction | None]],
        settled: Callable[[], None] | None = None,
    ) -> None:
        """`reread` reads the room again, after a write whose result is not the room;
        `settled` is called each time the last queued write is done."""
        self._reread = reread
        self._settled = settled
        self._known: Interaction | None = None
        self._queue: asyncio.Queue[tuple[Write, asyncio.Future[Any]]] = asyncio.Queue()
        self._pending = 0

    @property
    def busy(self) -> bool:
        """Whether writes are queued or running: the room may change before the next one."""
        return self._pending > 0

    @property
    def known(self) -> Interaction | None:
        """The room as the next write will see it."""
        return self._known

    def observe(self, interaction: Interaction) -> None:
        """A state read from the store: kept unless an own write already brought a newer one."""
        if self._known is None or interaction.revision >= self._known.revision:
            self._known = interaction

    def submit(self, write: Write) -> asyncio.Future[Any]:
        """Queue `write`; the future gets its result, or the exception it raised."""
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((write, done))
        self._pending += 1
        return done

    async def run(self) -> None:
        """Run queued writes forever, one at a time (a screen's worker runs this)."""
        while True:
            write, done = await self._queue.get()
            try:
                result = await self._run_one(write)
            except asyncio.CancelledError:
                done.cancel()
                raise
            except Exception as error:  # the caller's to handle (a form shows a StoreError)
                if not done.done():
                    done.set_exception(error)
            else:
                if not done.done():
                    done.set_result(result)
            finally:
                self._pending -= 1
            if not self._pending and self._settled is not None:
                self._settled()

    async def _run_one(self, write: Write) -> Any:
        if self._known is None:
            await self._read_again()
            if self._known is None:
                return None
        assert self._known is not None
        try:
            result = await write(self._known)
        except Exception:
            await self._read_again()  # refused: the room may have moved on
            raise
        if isinstance(result, Interaction):
            self.observe(result)
        else:  # another kind of result, or refused and reported
            await self._read_again()
        return result

    async def _read_again(self) -> None:
        fresh = await self._reread()
        if fresh is not None:
            self.observe(fresh)
