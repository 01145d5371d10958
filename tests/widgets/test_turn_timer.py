"""TurnTimer: countdown text and bar driven only by the clock the screen passes in."""

from __future__ import annotations

from typing import Any

from rich.color import Color

from widgets.turn_timer import EMPTY, FULL, TurnTimer

from .harness import HOSTILE, SIZE, T0, WidgetApp, strip_is_inert


def live(**changes: Any) -> dict[str, Any]:
    turn: dict[str, Any] = {
        "status": "live",
        "timeout_ms": T0 + 100_000,
        "limit_s": 100,
        "paused_remaining_ms": None,
        "entity_name": "Bree",
    }
    turn.update(changes)
    return turn


async def lines(timer: TurnTimer, pilot: Any) -> tuple[str, str]:
    await pilot.pause()
    return timer.render_line(0).text.rstrip(), timer.render_line(1).text.rstrip()


def bar_colour(timer: TurnTimer) -> str:
    """The standard colour name of the bar's filled part."""
    strip = timer.render_line(1)
    colour = next(s.style.color for s in strip if FULL in s.text and s.style and s.style.color)
    names = {Color.parse(name).number: name for name in ("green", "yellow", "red")}
    return names[colour.number]


async def test_counts_down_with_ticks_and_the_bar_reddens() -> None:
    timer = TurnTimer()
    async with WidgetApp(timer).run_test(size=SIZE) as pilot:
        timer.show_turn(**live())
        timer.tick(T0 + 35_000)
        head, bar = await lines(timer, pilot)
        assert head == "Bree  1:05 left"
        width = timer.size.width
        assert bar.count(FULL) == round(0.65 * width)
        assert bar.count(EMPTY) == width - bar.count(FULL)
        assert bar_colour(timer) == "green"

        timer.tick(T0 + 60_000)
        head, _ = await lines(timer, pilot)
        assert head == "Bree  0:40 left"
        assert bar_colour(timer) == "yellow"

        timer.tick(T0 + 91_000)
        head, _ = await lines(timer, pilot)
        assert head == "Bree  0:09 left"
        assert bar_colour(timer) == "red"

        timer.tick(T0 + 100_000)
        head, bar = await lines(timer, pilot)
        assert head == "Bree  time's up"
        assert FULL not in bar
        assert timer.remaining_ms == 0


async def test_same_second_does_not_repaint() -> None:
    timer = TurnTimer()
    async with WidgetApp(timer).run_test(size=SIZE) as pilot:
        timer.show_turn(**live(), now_ms=T0)
        await pilot.pause()
        shown = timer._shown
        timer.tick(T0 + 200)
        assert timer._shown is shown


async def test_paused_shows_the_frozen_time() -> None:
    timer = TurnTimer()
    async with WidgetApp(timer).run_test(size=SIZE) as pilot:
        timer.show_turn(**live(status="paused", timeout_ms=None, paused_remaining_ms=42_000))
        timer.tick(T0 + 500_000)  # the clock moves; a paused turn does not
        head, bar = await lines(timer, pilot)
        assert head == "Bree  paused — 0:42 left"
        assert FULL in bar


async def test_untimed_no_turn_and_finished_rooms() -> None:
    timer = TurnTimer()
    async with WidgetApp(timer).run_test(size=SIZE) as pilot:
        timer.show_turn(**live(limit_s=0, timeout_ms=None), now_ms=T0)
        assert await lines(timer, pilot) == ("Bree  untimed", "")
        timer.show_turn(**live(entity_name=None))
        assert await lines(timer, pilot) == ("no turn running", "")
        timer.show_turn(**live(status="completed"))
        assert await lines(timer, pilot) == ("no turn running", "")
        assert timer.summary == "no turn running"


async def test_without_a_clock_a_live_turn_shows_its_full_limit() -> None:
    timer = TurnTimer()
    async with WidgetApp(timer).run_test(size=SIZE) as pilot:
        timer.show_turn(**live(limit_s=60, timeout_ms=T0 + 60_000))
        head, _ = await lines(timer, pilot)
        assert head == "Bree  1:00 left"


async def test_hostile_entity_names_are_literal() -> None:
    timer = TurnTimer()
    async with WidgetApp(timer).run_test(size=SIZE) as pilot:
        for name in HOSTILE:
            timer.show_turn(**live(entity_name=name), now_ms=T0)
            await pilot.pause()
            strip = timer.render_line(0)
            assert strip.text.startswith(name.replace("\x1b", "\\x1b") + "  ")
            assert strip_is_inert(strip)
