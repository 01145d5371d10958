"""Frame pacing for the dashboard's screens: a late frame costs one frame slot, not two.

Textual paints a screen from an update timer ticking on a grid of 1/MAX_FPS
slots (60 a second unless TEXTUAL_FPS says otherwise), paused while nothing
is dirty. When a frame overruns its slot, Textual 8.2.8's timer
means to skip to the first slot after it, but its arithmetic lands on the
slot after that: a 20 ms frame is followed by ~29 ms of waiting before the
next one can start, however soon something changes. Scrolling a long event
log paints fresh lines every frame, and a frame that overran (a garbage
collection, a reader thread's turn at the interpreter) made the page after
it wait an extra 16.7 ms.

SteadyFrames gives a screen an update timer that skips to the first slot
after a late frame and otherwise runs like Textual's for a timer that
repeats forever, as a screen's update timer does.

After each frame it collects the young garbage, if enough has built up
(app.collector), so that the collector seldom starts inside a frame.

It can also hold its frames for a change about to come (hold_frames): a
frame due meanwhile waits for it and is painted the moment it is in.
Textual's App.batch_update would drop that frame instead, and the change
would wait for the next slot: up to 16.7 ms of an idle screen.
tests/ui/test_frames.py checks both timers, so the test of Textual's own
fails, and says this module can go, once Textual's skip is fixed.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any

from textual._time import get_time, sleep
from textual.screen import UPDATE_PERIOD, Screen, ScreenResultType
from textual.timer import EventTargetGone, Timer

from app.collector import collect_between_frames


class FrameHold:
    """Frames held back until `release()`, or until `deadline` (on Textual's clock) at most."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self._released = asyncio.Event()

    def release(self) -> None:
        self._released.set()

    async def wait(self) -> None:
        """Return once the hold is released or its deadline has passed."""
        remaining = self.deadline - get_time()
        if remaining > 0:
            with suppress(TimeoutError):
                await asyncio.wait_for(self._released.wait(), remaining)


class FrameTimer(Timer):
    """A timer that repeats forever and, after a late tick, ticks at the first slot after it.

    A tick due while the timer is held (see hold) waits for the hold to end,
    then comes at once rather than at the next slot.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self._repeat is not None or not self._interval > 0:
            raise ValueError("a FrameTimer repeats forever, at an interval above 0")
        self._holds: list[FrameHold] = []

    @contextmanager
    def hold(self, timeout: float) -> Iterator[None]:
        """Hold back the ticks due inside the block, `timeout` seconds at most; the first
        one comes the moment the block ends.

        A widget changed inside the block is in that frame once its refresh has
        reached the screen, which Textual posts when the widget is next idle:
        usually before the timer's task wakes; if not, it is painted a slot later.
        """
        hold = FrameHold(get_time() + timeout)
        self._holds.append(hold)
        try:
            yield
        finally:
            hold.release()
            self._holds.remove(hold)

    async def _run(self) -> None:
        """Textual's Timer._run for a timer that repeats forever, with the skip fixed."""
        count = 0
        interval = self._interval
        await self._active.wait()
        start = get_time()
        while True:
            now = get_time()
            if self._skip:
                count = skip_late_slots(start, interval, count, now)
            next_tick = start + (count + 1) * interval
            await sleep(next_tick - now)
            count += 1
            await self._active.wait()
            if self._reset:
                start = get_time()
                count = 0
                self._reset = False
                continue
            for hold in list(self._holds):
                await hold.wait()
            try:
                await self._tick(next_timer=next_tick, count=count)
            except EventTargetGone:
                break


def skip_late_slots(start: float, interval: float, count: int, now: float) -> int:
    """The count after which the next tick (start + (count + 1) * interval) is the first
    not before `now`: `count` itself unless that tick is late.

    Textual takes int((now - start) / interval) + 1, a slot too far. The
    quotient alone can, by rounding, name a slot whose next tick is still
    before `now` (a random search found the case tests/ui/test_frames.py
    holds): each pass moves at least one slot on, so the loop always ends.
    """
    while start + (count + 1) * interval < now:
        count = max(count + 1, math.ceil((now - start) / interval) - 1)
    return count


class SteadyFrames(Screen[ScreenResultType]):
    """A screen whose frames are paced by a FrameTimer instead of Textual's Timer."""

    _frame_timer: FrameTimer | None = None

    @property
    def _update_timer(self) -> Timer:
        """Screen._update_timer, built the way Screen builds it (paused until something is
        dirty) with a FrameTimer: Screen pauses and resumes it as it does its own."""
        return self._frames

    @property
    def _frames(self) -> FrameTimer:
        if self._frame_timer is None:
            self._frame_timer = FrameTimer(
                self,
                UPDATE_PERIOD,
                name="screen_update",
                callback=self._paint_then_collect,
                pause=True,
            )
            self._frame_timer._start()
            self._timers.add(self._frame_timer)
        return self._frame_timer

    def _paint_then_collect(self) -> None:
        """Screen._on_timer_update, then the young garbage (app.collector): after a frame,
        not in the middle of the next one."""
        self._on_timer_update()
        collect_between_frames()

    def hold_frames(self, timeout: float) -> AbstractContextManager[None]:
        """Hold back the frames due inside the block, `timeout` seconds at most, and paint
        the moment it ends: for a change about to come, which would otherwise be painted
        a frame after a frame without it."""
        return self._frames.hold(timeout)
