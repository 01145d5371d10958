"""Horizontal bars of block characters, one labelled row per item.

Bars rather than a plotting widget: at 80 columns a plot's axes and ticks
take half the width, while one labelled bar per combatant, its figure beside
it, reads at a glance and needs no dependency.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from widgets.text import literal

__all__ = ["Bar", "BarChart", "bar_text"]

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
LABEL_MAX = 24


@dataclass(frozen=True)
class Bar:
    """One row: what it is, how much (the bar's length), and the figure shown beside it."""

    label: str
    value: float
    figure: str


def bar_text(bars: Sequence[Bar], width: int, style: str = "green") -> Text:
    """The rows at `width` cells: labels aligned, bars scaled to the largest value."""
    if not bars:
        return Text("nothing yet", style="dim")
    label_width = min(LABEL_MAX, max(len(bar.label) for bar in bars))
    figure_width = max(len(bar.figure) for bar in bars)
    room = max(4, width - label_width - figure_width - 2)
    largest = max((bar.value for bar in bars), default=0) or 1
    lines = []
    for bar in bars:
        line = literal(bar.label, limit=label_width)
        line.pad_right(label_width - line.cell_len + 1)
        eighths = round(max(0.0, bar.value) / largest * room * 8)
        drawn = FULL * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")
        line.append(drawn.ljust(room), style=style)
        line.append(" " + bar.figure.rjust(figure_width), style="bold")
        lines.append(line)
    return Text("\n").join(lines)


class BarChart(Widget):
    """A titled bar chart that fits its bars to the width it is given."""

    DEFAULT_CSS = """
    BarChart {
        height: auto;
        margin-bottom: 1;
    }
    """

    def __init__(self, title: str, bars: Sequence[Bar], *, style: str = "green") -> None:
        super().__init__()
        self._title = title
        self._bars = list(bars)
        self._style = style

    def render(self) -> Text:
        return Text.assemble(
            (self._title, "bold"), "\n", bar_text(self._bars, self.content_size.width, self._style)
        )

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 + max(1, len(self._bars))
