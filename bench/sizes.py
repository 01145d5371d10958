"""How big each benchmark is: the issue's sizes, a quick smoke run, and a tiny test run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    """Every knob that decides how much data and time one benchmark run takes."""

    name: str
    interactions: int
    """Interactions in the big store (the rooms screen lists them all)."""
    events: int
    """Log events in the big store, all rooms together."""
    big_room_events: int
    """Events of the one big room (opened, scrolled and written into live)."""
    small_room_events: int
    """Events of the small room that the big one is compared with."""
    page: int
    """Events per log page (the room screen's page size)."""
    widget_scroll_pages: int
    """Pages scrolled through the EventLog widget in the app (0: all of them)."""
    widget_scroll_runs: int
    """Passes through the widget, at most --runs (each one is every page; its max and p95 are
    over them all, and the figure is their median, as every other figure's)."""
    single_writes: int
    """log_interaction_event calls per run of figure 4."""
    batch_events: int
    """Events written per run of figure 5, in batches of `batch_size`."""
    batch_size: int
    live_rate: float
    """Events per second of the writer process (figure 6)."""
    live_seconds: float
    baseline_live_seconds: float
    idle_seconds: float
    """Seconds of each idle CPU measurement (figure 7)."""
    settle_seconds: float
    """Wait before an idle measurement, so start-up work (first ticks and polls) is over."""
    timeout_rooms: int
    """Live rooms in the expire_turn_timeouts store (figure 9)."""
    terminal: tuple[int, int] = (140, 40)
    """Headless terminal size (columns, rows) every app is run at."""


FULL = Sizes(
    name="full",
    interactions=1_000,
    events=1_000_000,
    big_room_events=200_000,
    small_room_events=200,
    page=200,
    widget_scroll_pages=0,
    widget_scroll_runs=3,
    single_writes=3_000,
    batch_events=100_000,
    batch_size=500,
    live_rate=500.0,
    live_seconds=10.0,
    baseline_live_seconds=5.0,
    idle_seconds=10.0,
    settle_seconds=1.5,
    timeout_rooms=1_000,
)

QUICK = Sizes(
    name="quick",
    interactions=50,
    events=20_000,
    big_room_events=5_000,
    small_room_events=200,
    page=200,
    widget_scroll_pages=10,
    widget_scroll_runs=1,
    single_writes=300,
    batch_events=10_000,
    batch_size=500,
    live_rate=200.0,
    live_seconds=1.5,
    baseline_live_seconds=1.0,
    idle_seconds=1.0,
    settle_seconds=0.5,
    timeout_rooms=50,
)

TINY = Sizes(
    name="tiny",
    interactions=8,
    events=2_000,
    big_room_events=1_000,
    small_room_events=50,
    page=200,
    widget_scroll_pages=3,
    widget_scroll_runs=1,
    single_writes=50,
    batch_events=1_000,
    batch_size=500,
    live_rate=100.0,
    live_seconds=0.6,
    baseline_live_seconds=0.4,
    idle_seconds=0.3,
    settle_seconds=0.2,
    timeout_rooms=5,
)

PROFILES = {sizes.name: sizes for sizes in (FULL, QUICK, TINY)}
