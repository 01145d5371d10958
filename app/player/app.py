"""The players' view as an application: one read-only screen, built by one factory."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from textual.app import App
from textual.binding import Binding

from app.player.screen import PlayerScreen
from app.player.source import PlayerSource
from store.clock import Clock, system_clock
from store.errors import StoreError
from widgets.text import safe_text

T = TypeVar("T")


class PlayerApp(App[None]):
    """Whose turn it is, the timer, the order and the party's chat, for the players.

    It holds no key that changes anything: its store is read-only, and it has
    no command palette (whose commands include saving a screenshot to disk).
    """

    TITLE = "liveroom players' view"
    CSS_PATH = "player.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", tooltip="Close the players' view.", priority=True)
    ]

    def __init__(
        self,
        source: PlayerSource,
        interaction_id: int,
        *,
        clock: Clock = system_clock,
        poll_interval: float = 0.25,
    ) -> None:
        super().__init__()
        self.source = source
        self.interaction_id = interaction_id
        self.clock = clock
        self.poll_interval = poll_interval
        """Seconds between change checks: a write shows within one interval."""
        # One reader thread: Peewee keeps a connection per thread, so reads reuse one.
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="player-read")
        self._store_lost = False

    def get_default_screen(self) -> PlayerScreen:
        return PlayerScreen(self.interaction_id)

    def on_unmount(self) -> None:
        self._reader.submit(self.source.close).result()
        self._reader.shutdown(wait=True)

    async def store_read(self, call: Callable[..., T], *args: object, **kwargs: object) -> T | None:
        """Run a read on the reader thread; a StoreError is said once and gives None."""
        try:
            result = await asyncio.get_running_loop().run_in_executor(
                self._reader, partial(call, *args, **kwargs)
            )
        except StoreError as error:
            if not self._store_lost:
                self._store_lost = True
                self.notify(
                    safe_text(str(error)), title="Store error", severity="error", markup=False
                )
            return None
        if self._store_lost:
            self._store_lost = False
            self.notify("The store is back.", markup=False)
        return result


def make_player_app(
    source: PlayerSource,
    interaction_id: int,
    *,
    clock: Clock = system_clock,
    poll_interval: float = 0.25,
) -> PlayerApp:
    """The players' view of one interaction: `liveroom player` and every test build it here."""
    return PlayerApp(source, interaction_id, clock=clock, poll_interval=poll_interval)


def player_main(target: str | None, room: str) -> int:
    """`liveroom player ROOM_ID`: the view on this terminal, until Ctrl+Q. The store and the
    room are checked first, so a wrong --db or ROOM_ID is one line, before any screen."""
    import sys

    from app.player.source import resolve_room
    from app.terminal_watch import TerminalWatch

    source = PlayerSource(target)
    try:
        interaction_id = resolve_room(source.store, room)
    finally:
        source.close()
    app = make_player_app(source, interaction_id)
    stdin = sys.__stdin__  # a terminal that goes away ends the view (TerminalWatch)
    with TerminalWatch(None if stdin is None else stdin.fileno()):
        app.run()
    return app.return_code or 0
