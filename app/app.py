"""The liveroom dashboard application and the one factory that builds it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from app.commands import binding_commands
from app.gateway import StoreGateway
from app.screens.rooms import RoomsScreen
from store.clock import Clock, system_clock
from store.errors import Conflict, InvalidInput, NotFound, StoreError, StoreUnavailable
from widgets.text import safe_text

if TYPE_CHECKING:
    from store import LiveStore

T = TypeVar("T")

TIMEOUT_CHECK_S = 1.0
"""How often the dashboard records expired turns (expire_turn_timeouts)."""
SWEEP_INTERVAL_S = 30.0
"""How often idle rooms are looked for (cleanup_inactive_rooms)."""


class LiveroomApp(App[None]):
    """Rooms and their live state, read from and written to one store."""

    TITLE = "liveroom"
    CSS_PATH = "liveroom.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", tooltip="Quit liveroom.", priority=True),
        Binding("question_mark", "help", "Help", tooltip="Every key, on one screen."),
    ]

    def __init__(
        self,
        store: LiveStore,
        *,
        clock: Clock = system_clock,
        idle_minutes: float = 30.0,
        poll_interval: float = 0.25,
        housekeeping: bool = True,
        dm_user_id: str = "dm",
    ) -> None:
        super().__init__()
        self.gateway = StoreGateway(store)
        self.dm_user_id = dm_user_id
        """The game master's user id, for the encounters this console creates."""
        self.clock = clock
        self.idle_ms = int(idle_minutes * 60_000)
        self.poll_interval = poll_interval
        """Seconds between change checks; a change shows within one interval."""
        self.housekeeping = housekeeping
        """Whether this dashboard expires turns and sweeps idle rooms (off in some tests)."""
        self._calls_started = 0
        self._lost_after_call: int | None = None
        """Set while the store is lost: the number of calls started before it was lost.
        Only a later call's success says it is back; one already under way proves nothing."""
        self._heap_frozen = False

    @property
    def store(self) -> LiveStore:
        return self.gateway.store

    def get_default_screen(self) -> RoomsScreen:
        """The rooms screen is the first and bottom screen: no blank screen is made under it."""
        return RoomsScreen()

    def on_mount(self) -> None:
        if self.housekeeping:
            self.set_interval(TIMEOUT_CHECK_S, self._expire_turns)
            self.set_interval(SWEEP_INTERVAL_S, self._sweep_idle_rooms)

    def on_unmount(self) -> None:
        self.gateway.close()

    def start_up_done(self) -> None:
        """The first screen shows its data: freeze what start-up made (gc.freeze), once.

        Modules, classes and styles live as long as the app; frozen, the
        collector's full passes no longer walk them while a log scrolls.
        """
        if not self._heap_frozen:
            self._heap_frozen = True
            gc.freeze()

    # -- store calls -------------------------------------------------------

    async def store_write(
        self,
        call: Callable[..., T],
        *args: object,
        done: str | None = None,
        background: bool = False,
        **kwargs: object,
    ) -> T | None:
        """Run a write off the UI thread; a StoreError becomes a notification, not a crash.

        A write the game master asked for always says why it failed; a
        background one (housekeeping, every second) says a lost store once.
        """
        try:
            return await self.store_call(call, *args, done=done, **kwargs)
        except StoreError as error:
            self.report_store_error(error, background=background)
            return None

    async def store_call(
        self, call: Callable[..., T], *args: object, done: str | None = None, **kwargs: object
    ) -> T:
        """Run a write off the UI thread and raise its StoreError, for a caller that shows
        it itself (a form, beside the field it is about). `done` is said on success."""
        started = self._start_call()
        result = await self.gateway.write(call, *args, **kwargs)
        self._store_back(started)
        if done:
            self.notify(done, markup=False)
        return result

    async def store_read(self, call: Callable[..., T], *args: object, **kwargs: object) -> T | None:
        """Run a query off the UI thread; losing the store is reported once, not per poll."""
        started = self._start_call()
        try:
            result = await self.gateway.read(call, *args, **kwargs)
        except StoreError as error:
            self.report_store_error(error, background=True)
            return None
        self._store_back(started)
        return result

    def _start_call(self) -> int:
        self._calls_started += 1
        return self._calls_started

    def report_store_error(self, error: StoreError, *, background: bool) -> None:
        """Show a store error: as its kind's notification, or, for a store lost while
        polling in the background, once until it is back. Every screen reports this way."""
        if isinstance(error, StoreUnavailable) and background:
            if self._lost_after_call is None:
                self._lost_after_call = self._calls_started
                self.notify(
                    f"Lost the store: {safe_text(str(error))}",
                    title="Store unavailable",
                    severity="error",
                    markup=False,
                )
            return
        self.notify(
            safe_text(str(error)), title=_error_title(error), severity="error", markup=False
        )

    def _store_back(self, call: int) -> None:
        if self._lost_after_call is not None and call > self._lost_after_call:
            self._lost_after_call = None
            self.notify("The store is back.", markup=False)

    async def _expire_turns(self) -> None:
        await self.store_write(self.store.expire_turn_timeouts, background=True)

    async def _sweep_idle_rooms(self) -> None:
        """Close rooms idle too long, except those open on screen: a game master watching
        an untimed fight is not idle."""
        watched = [
            screen.interaction_id
            for screen in self.screen_stack
            if isinstance(getattr(screen, "interaction_id", None), int)
        ]
        cleaned = await self.store_write(
            self.store.cleanup_inactive_rooms, self.idle_ms, except_ids=watched, background=True
        )
        if cleaned:
            rooms = ", ".join(str(interaction_id) for interaction_id in cleaned)
            self.notify(f"Idle rooms cleaned up and paused: {rooms}", markup=False)

    # -- actions and the command palette -----------------------------------

    def action_help(self) -> None:
        from app.screens.help import HelpScreen  # on first use, not at start-up

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists the current screen's keys as "room: Pause", "turn: Skip"..."""
        yield from super().get_system_commands(screen)
        yield from binding_commands(screen, getattr(screen, "PALETTE_GROUPS", {}))


def _error_title(error: StoreError) -> str:
    for kind, title in _ERROR_TITLES:
        if isinstance(error, kind):
            return title
    return "Store error"


_ERROR_TITLES: tuple[tuple[type[StoreError], str], ...] = (
    (Conflict, "Not allowed now"),
    (InvalidInput, "Invalid input"),
    (NotFound, "Not found"),
    (StoreUnavailable, "Store unavailable"),
)


def make_app(
    store: LiveStore,
    *,
    clock: Clock = system_clock,
    idle_minutes: float = 30.0,
    poll_interval: float = 0.25,
    housekeeping: bool = True,
    dm_user_id: str = "dm",
) -> LiveroomApp:
    """The dashboard on `store`: the command line and every test build it here."""
    return LiveroomApp(
        store,
        clock=clock,
        idle_minutes=idle_minutes,
        poll_interval=poll_interval,
        housekeeping=housekeeping,
        dm_user_id=dm_user_id,
    )
