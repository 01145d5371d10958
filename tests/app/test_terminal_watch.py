"""The dashboard's process ends when its terminal goes away, after its own clean-up."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator

import pytest

from app.terminal_watch import LOST_EXIT_STATUS, TerminalWatch

INTERVAL_S = 0.01


class Ending:
    """Stands in for os._exit: records the status and what ran before it."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.ended = threading.Event()

    def clean_up(self) -> None:
        self.calls.append("clean up")

    def end(self, status: int) -> None:
        self.calls.append(f"end {status}")
        self.ended.set()


@pytest.fixture
def terminal() -> Iterator[tuple[int, int]]:
    """A pseudo-terminal: (the program's end, the terminal emulator's end)."""
    emulator, program = os.openpty()
    yield program, emulator
    for fd in (program, emulator):
        with contextlib.suppress(OSError):  # closed by the test already
            os.close(fd)


def test_a_terminal_that_goes_away_ends_the_process_after_the_clean_up(
    terminal: tuple[int, int],
) -> None:
    program, emulator = terminal
    ending = Ending()
    with TerminalWatch(program, on_lost=ending.clean_up, interval_s=INTERVAL_S, end=ending.end):
        os.close(emulator)  # the SSH connection drops
        assert ending.ended.wait(timeout=5)
    assert ending.calls == ["clean up", f"end {LOST_EXIT_STATUS}"]


def test_a_terminal_that_stays_is_left_alone_and_the_watch_stops_with_the_app(
    terminal: tuple[int, int],
) -> None:
    program, _ = terminal
    ending = Ending()
    with TerminalWatch(
        program, on_lost=ending.clean_up, interval_s=INTERVAL_S, end=ending.end
    ) as watch:
        assert watch.watching
        time.sleep(20 * INTERVAL_S)
    assert not watch.watching
    assert ending.calls == []


def test_a_process_not_started_on_a_terminal_is_not_watched() -> None:
    read_end, write_end = os.pipe()
    try:
        ending = Ending()
        with TerminalWatch(read_end, interval_s=INTERVAL_S, end=ending.end) as watch:
            assert not watch.watching
            time.sleep(10 * INTERVAL_S)
        assert ending.calls == []
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_failing_clean_up_still_ends_the_process(terminal: tuple[int, int]) -> None:
    program, emulator = terminal
    ending = Ending()

    def failing() -> None:
        raise OSError("the simulator was gone already")

    with TerminalWatch(program, on_lost=failing, interval_s=INTERVAL_S, end=ending.end):
        os.close(emulator)
        assert ending.ended.wait(timeout=5)
    assert ending.calls == [f"end {LOST_EXIT_STATUS}"]


def test_a_process_without_stdin_is_not_watched() -> None:
    with TerminalWatch(None, interval_s=INTERVAL_S, end=Ending().end) as watch:
        assert not watch.watching
