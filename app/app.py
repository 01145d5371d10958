"""The liveroom dashboard application and the one factory that builds it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from app import strip_cycles
from app.collector import YOUNG_GENERATION
from app.commands import binding_commands
from app.gateway import StoreGateway
from app.screens.rooms import RoomsScreen
from store.clock import Clock, system_clock
from store.errors import Conflict, InvalidInput, NotFound, StoreError, StoreUnavailable
from widgets.text import safe_text

if TYPE_CHECKING:
    from app.first_rooms import ListedRoom
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
        store: LiveStore | None = None,
        *,
        opener: Callable[[], LiveStore] | None = None,
        first_rooms: Sequence[ListedRoom] = (),
        clock: Clock = system_clock,
        idle_minutes: float = 30.0,
        poll_interval: float = 0.25,
        housekeeping: bool = True,
        collector_paused: bool = False,
        history_process: bool = True,
    ) -> None:
        """An open `store`, or an `opener` run off the UI thread once the rooms screen has
        painted `first_rooms` (read by a helper process: app.first_rooms).

        `history_process`: whether a game master reading back through a log has its older
        pages read in a process of their own (app.history_process).

        `collector_paused`: the caller switched the garbage collector off for start-up
        (app.cli.dashboard_app); the first screen shown switches it back on.

        Painted lines are freed as soon as a frame drops them (app.strip_cycles).
        """
        strip_cycles.install()
        super().__init__()
        self.gateway = StoreGateway(store, opener=opener, history_process=history_process)
        self._first_rooms = first_rooms
        self.open_failure: str | None = None
        """Why the store given as an opener could not be opened (the dashboard then exits)."""
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
        self._collector_paused = collector_paused
        self._collector_thresholds = gc.get_threshold()
        """The host's collector setting, taken again at mount and put back at unmount."""

    @property
    def store(self) -> LiveStore:
        """The store (if it is still being opened, this waits: async code awaits store_ready)."""
        return self.gateway.store

    async def store_ready(self) -> bool:
        """Wait for the store to be open (opening it if need be). If it cannot be opened the
        dashboard cannot run: it exits, once, and keeps the reason in `open_failure` for
        the command to print (app.cli), as it would have before the first screen."""
        try:
            await self.gateway.ready()
        except Exception as error:  # a StoreError, or a bug: either way there is no store
            if self.open_failure is None:
                reason = str(error) if isinstance(error, StoreError) else repr(error)
                self.open_failure = " ".join(reason.split())  # one line
                self.exit(return_code=2)
            return False
        return True

    def get_default_screen(self) -> RoomsScreen:
        """The rooms screen is the first and bottom screen: no blank screen is made under it."""
        return RoomsScreen(self._first_rooms)

    def on_mount(self) -> None:
        """Housekeeping timers, and a young generation that lets painting's garbage
        die young.

        A frame, or a page of the log read and measured, holds thousands of
        objects at once that are gone a moment later. With a young
        collection every 700 net allocations, one often falls inside such a
        burst, walks it and promotes what is still alive, for older
        collections to walk again: scrolling 1,000 pages of a log made 3,900
        young, 350 middle and 32 full collections. With 5,000: 20 young, 1
        middle, none full (bench/README.md, figure 3). Painted lines no
        longer refer to themselves (app.strip_cycles); before that fix,
        5,000 already cut the collecting from 1.46 s to 0.36 s over 500
        pages.
        """
        self._collector_thresholds = gc.get_threshold()
        gc.set_threshold(YOUNG_GENERATION, *self._collector_thresholds[1:])
        if self.housekeeping:
            self.set_interval(TIMEOUT_CHECK_S, self._expire_turns)
            self.set_interval(SWEEP_INTERVAL_S, self._sweep_idle_rooms)

    def on_unmount(self) -> None:
        gc.set_threshold(*self._collector_thresholds)
        self.gateway.close()
        if self._collector_paused:  # no screen was ever shown: still, leave it on
            self._collector_paused = False
            gc.enable()

    def hold_heap(self) -> None:
        """Move everything alive now out of the garbage collector's sight.

        Modules, classes, styles and a screen's widgets live as long as the
        screen, yet each full collection walks all of them: 35-65 ms with a
        room open, a visible stall in a scrolling log. Frozen (gc.freeze),
        they are never walked; what is allocated later is collected as usual.
        Screens call it once their first load is shown; the young
        generations are collected first so little garbage is frozen with
        them - unless the `liveroom` command paused the collector for
        start-up (app.cli.dashboard_app): then they hold
        everything start-up made, all but a few thousand of its objects
        alive (collecting them would stall the first screen for tens of
        milliseconds), and are frozen as they are before the collector is
        switched back on.
        """
        if self._collector_paused:
            self._collector_paused = False
            gc.freeze()
            gc.enable()
        else:
            gc.collect(1)
            gc.freeze()

    def release_heap(self) -> None:
        """Hand the frozen objects back to the collector (a closed screen's can then go)."""
        gc.unfreeze()

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
        started = self._start_call()
        try:
            result = await self.gateway.write(call, *args, **kwargs)
        except StoreError as error:
            self._report(error, background=background)
            return None
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
            self._report(error, background=True)
            return None
        self._store_back(started)
        return result

    def _start_call(self) -> int:
        self._calls_started += 1
        return self._calls_started

    def _report(self, error: StoreError, *, background: bool) -> None:
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
        if not await self.store_ready():
            return
        await self.store_write(self.store.expire_turn_timeouts, background=True)

    async def _sweep_idle_rooms(self) -> None:
        if not await self.store_ready():
            return
        cleaned = await self.store_write(
            self.store.cleanup_inactive_rooms, self.idle_ms, background=True
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
    store: LiveStore | None = None,
    *,
    opener: Callable[[], LiveStore] | None = None,
    first_rooms: Sequence[ListedRoom] = (),
    clock: Clock = system_clock,
    idle_minutes: float = 30.0,
    poll_interval: float = 0.25,
    housekeeping: bool = True,
    collector_paused: bool = False,
    history_process: bool = True,
) -> LiveroomApp:
    """The dashboard on `store` (or `opener`'s): the command line and every test build it
    here."""
    return LiveroomApp(
        store,
        opener=opener,
        first_rooms=first_rooms,
        clock=clock,
        idle_minutes=idle_minutes,
        poll_interval=poll_interval,
        housekeeping=housekeeping,
        collector_paused=collector_paused,
        history_process=history_process,
    )
