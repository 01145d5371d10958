"""A screen that follows the store: it re-reads only after another connection commits."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, cast

from textual import work
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from app.app import LiveroomApp


class PollingScreen(Screen[None]):
    """Checks the store's change token every poll interval and refreshes on a change.

    The check is one PRAGMA on the reader thread, so an idle dashboard costs
    next to nothing; the loop is a single exclusive worker, so two refreshes
    never overlap. A screen hidden under another full screen neither polls nor
    ticks (the rooms table under an open room would otherwise re-read every
    room on every write); it catches up as soon as it is shown again.
    """

    def __init__(self) -> None:
        super().__init__()
        self._forced = True
        self.polls_completed = 0
        """Finished change checks: lets a test or benchmark wait for the screen to catch up."""

    @property
    def liveroom(self) -> LiveroomApp:
        return cast("LiveroomApp", self.app)

    def on_mount(self) -> None:
        self._follow_store()
        self.set_interval(1.0, self._tick)

    def request_refresh(self) -> None:
        """Refresh on the next poll even if nobody else wrote (after our own write)."""
        self._forced = True

    @property
    def shown(self) -> bool:
        """On top, or under modal dialogs only: what the game master can see."""
        stack = self.app.screen_stack
        if self not in stack:
            return False
        above = stack[stack.index(self) + 1 :]
        return all(isinstance(screen, ModalScreen) for screen in above)

    @work(exclusive=True, group="poll", exit_on_error=False)
    async def _follow_store(self) -> None:
        app = self.liveroom
        loop = asyncio.get_running_loop()
        last_token: int | None = None
        first_poll = True
        while True:
            started = loop.time()
            if not self.shown:
                self._forced = True
            else:
                try:
                    token = await app.store_read(app.store.change_token)
                    if token is not None and (token != last_token or self._forced):
                        self._forced = False
                        last_token = token
                        await self.refresh_from_store()
                finally:
                    if first_poll:  # shown, or failed: either way start-up is over
                        first_poll = False
                        self.call_after_refresh(app.start_up_done)
                self.polls_completed += 1
            await asyncio.sleep(max(0.0, app.poll_interval - (loop.time() - started)))

    async def refresh_from_store(self) -> None:
        """Fetch what changed and show it; subclasses implement."""
        raise NotImplementedError

    def _tick(self) -> None:
        if self.shown:
            self.tick(self.liveroom.clock())

    def tick(self, now_ms: int) -> None:
        """Once a second: update what depends on time alone (timers, "2m ago")."""
