"""Ending the dashboard when its terminal goes away."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from types import TracebackType

__all__ = ["LOST_EXIT_STATUS", "TerminalWatch"]

LOST_EXIT_STATUS = 129
"""The status a shell gives a process ended by a hangup (128 + SIGHUP)."""


class TerminalWatch:
    """Ends the process once its terminal is gone (an SSH connection dropped, tmux killed).

    Textual does not notice: its input thread reads end-of-file from the
    closed terminal again and again (a core at 100%), and once its output
    thread has failed, the next frame blocks the app for good, so the app
    can neither see the loss nor exit, and it would hold the store open
    forever. A thread checks once a second whether `fd` is still a
    terminal; when it is not, `on_lost` runs (the demo stops its simulator)
    and the process ends. Nothing written is lost: every store write is
    committed in its own transaction.

    A process that was not started on a terminal (`fd` None, or not a
    terminal) is not watched.
    """

    def __init__(
        self,
        fd: int | None,
        *,
        on_lost: Callable[[], object] | None = None,
        interval_s: float = 1.0,
        end: Callable[[int], object] = os._exit,
    ) -> None:
        """`end` ends the process with a status (os._exit: the app's own thread is stuck,
        so nothing could be waited for); tests pass their own."""
        self._fd = fd
        self._on_lost = on_lost
        self._interval_s = interval_s
        self._end = end
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def watching(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> TerminalWatch:
        if self._fd is not None and os.isatty(self._fd):
            self._thread = threading.Thread(
                target=self._watch, args=(self._fd,), name="liveroom-terminal-watch", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()

    def _watch(self, fd: int) -> None:
        while not self._stopped.wait(self._interval_s):
            if not os.isatty(fd):
                if self._on_lost is not None:
                    # A clean-up that fails must not leave the process spinning, and
                    # there is nowhere to say so: the terminal is gone.
                    with contextlib.suppress(Exception):
                        self._on_lost()
                self._end(LOST_EXIT_STATUS)
                return
