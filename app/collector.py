"""Young garbage collected between frames rather than in the middle of one.

CPython collects its young generation when allocations have outrun frees by
a threshold (5,000 in the dashboard: YOUNG_GENERATION), at whatever
allocation crosses it. Scrolling a long event log, that was mostly inside
a frame, and the collection walked every young object still alive: the
page just shown, its rendered lines and the pages staged above it. A
frame that took one was 10-25 ms longer, and those frames were most of
the scroll's worst pages (bench figure 3).

After each frame, once a fifth of the threshold has built up
(BETWEEN_FRAMES), the screens collect it themselves (collect_between_frames,
called by app.screens.frames): the frame's own garbage is gone by then, few
young objects are alive, and a young collection takes 1-3 ms (10 ms at
most) where the next frame is at least a frame slot away.

The older generations are collected the same way, as often per allocation
as CPython would: its middle generation is due after `threshold[1]` young
collections of `threshold[0]` allocations, so after five times as many of
these smaller ones; the oldest after `threshold[2]` middle ones. CPython
also skips a full collection while the objects promoted since the last one
are under a quarter of those that survived it; Python does not expose that
count, so full collections here may come somewhat more often. They run
between frames too, and walk only what the screen has not frozen
(LiveroomApp.hold_heap).
"""

from __future__ import annotations

import gc

__all__ = ["BETWEEN_FRAMES", "YOUNG_GENERATION", "collect_between_frames"]

YOUNG_GENERATION = 5_000
"""Net allocations between the collector's own young collections while the dashboard
runs (Python's default is 700; see LiveroomApp.on_mount)."""
BETWEEN_FRAMES = 1_000
"""Net allocations after which a frame's end collects the young generation. Scrolling a
200,000-event log, 1,000 made young collections of 1.3 ms (p95 3.0 ms) and middle ones
of 4.7 ms (p95 8.9 ms); 2,000, 2.2 and 4.9 ms (p95 5.1 and 9.2)."""


def collect_between_frames() -> None:
    """Collect the young generation if BETWEEN_FRAMES net allocations have built up, with
    the older generations when they are due (see the module's docstring). Nothing while
    collecting is off, or while the young threshold is 0 (CPython's "never")."""
    young_threshold, middle_threshold, old_threshold = gc.get_threshold()
    if not gc.isenabled() or young_threshold == 0:
        return  # start-up holds its heap for gc.freeze (LiveroomApp.hold_heap)
    young, middle, old = gc.get_count()
    if young < BETWEEN_FRAMES:
        return
    generation = 0
    if middle > middle_threshold * max(1, young_threshold // BETWEEN_FRAMES):
        generation = 2 if old > old_threshold else 1
    gc.collect(generation)
