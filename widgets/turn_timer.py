"""The turn timer: whose turn it is, the time left and a bar that reddens as it runs out."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget

from widgets.text import TURN_RUNNING, literal, time_left

__all__ = ["TurnTimer", "bar_style"]

FULL = "━"
EMPTY = "─"


def bar_style(fraction: float) -> str:
    """Green with half the time or more, yellow below half, red below a fifth."""
    if fraction < 0.2:
        return "red"
    if fraction < 0.5:
        return "yellow"
    return "green"


@dataclass(frozen=True)
class _Turn:
    status: str
    timeout_ms: int | None
    limit_s: int
    paused_remaining_ms: int | None
    entity_name: str | None


class TurnTimer(Widget):
    """A countdown the screen drives: show_turn() when the turn changes, tick() every second.

    The widget never reads the wall clock; the time comes from tick() (or
    show_turn's now_ms), so a test or a snapshot with a fixed clock always
    renders the same frame.
    """

    DEFAULT_CSS = """
    TurnTimer {
        height: 2;
        width: 1fr;
        padding: 0 1;
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._turn = _Turn("idle", None, 0, None, None)
        self._now_ms: int | None = None
        self._shown: tuple[object, ...] | None = None

    def show_turn(
        self,
        *,
        status: str,
        timeout_ms: int | None,
        limit_s: int,
        paused_remaining_ms: int | None,
        entity_name: str | None,
        now_ms: int | None = None,
    ) -> None:
        """Show a new turn state (from the interaction); now_ms optionally sets the clock too."""
        self._turn = _Turn(status, timeout_ms, limit_s, paused_remaining_ms, entity_name)
        if now_ms is not None:
            self._now_ms = now_ms
        self._refresh_if_changed()

    def tick(self, now_ms: int) -> None:
        """Advance the clock; repaints only when the visible second (or bar) changes."""
        self._now_ms = now_ms
        self._refresh_if_changed()

    @property
    def remaining_ms(self) -> int | None:
        """Time left on the running or paused turn; None when untimed, unknown or no turn."""
        turn = self._turn
        if turn.entity_name is None or turn.limit_s <= 0:
            return None
        if turn.status == "paused":
            return turn.paused_remaining_ms
        if turn.status != "live" or turn.timeout_ms is None:
            return None
        if self._now_ms is None:
            return turn.limit_s * 1000
        return max(0, turn.timeout_ms - self._now_ms)

    @property
    def summary(self) -> str:
        """The first line as plain text ("Bree  1:05 left"); what tests and screen readers want."""
        return self._headline().plain

    def _state_key(self) -> tuple[object, ...]:
        remaining = self.remaining_ms
        seconds = None if remaining is None else -(-remaining // 1000)
        return (self._turn, seconds, self.size.width)

    def _refresh_if_changed(self) -> None:
        key = self._state_key()
        if key != self._shown:
            self._shown = key
            self.refresh()

    def _fraction(self) -> float | None:
        remaining = self.remaining_ms
        if remaining is None:
            return None
        return min(1.0, max(0.0, remaining / (self._turn.limit_s * 1000)))

    def _headline(self) -> Text:
        turn = self._turn
        if turn.entity_name is None or turn.status not in TURN_RUNNING:
            return Text("no turn running", style="dim", end="")
        line = literal(turn.entity_name, "bold", limit=60)
        line.append("  ")
        remaining = self.remaining_ms
        if turn.limit_s <= 0:
            state = "paused — untimed" if turn.status == "paused" else "untimed"
            line.append(state, style="yellow" if turn.status == "paused" else "dim")
        elif turn.status == "paused":
            left = "" if remaining is None else f" — {time_left(remaining)}"
            line.append(f"paused{left}", style="bold yellow")
        elif remaining is None:
            line.append("untimed", style="dim")
        elif remaining <= 0:
            line.append("time's up", style="bold red")
        else:
            style = bar_style(self._fraction() or 0.0)
            line.append(time_left(remaining), style=f"bold {style}")
        return line

    def _bar(self, width: int) -> Text:
        fraction = self._fraction()
        if fraction is None or width <= 0:
            return Text("", end="")
        filled = round(fraction * width)
        style = "dim yellow" if self._turn.status == "paused" else bar_style(fraction)
        bar = Text(FULL * filled, style=style, end="")
        bar.append(EMPTY * (width - filled), style="bright_black")
        return bar

    def render(self) -> RenderResult:
        headline = self._headline()
        headline.append("\n")
        headline.append_text(self._bar(self.size.width))
        return headline

    def on_resize(self) -> None:
        self._refresh_if_changed()
