"""A line of styled text as Segments, without Rich's general span machinery.

Rich's Text.render sorts every span boundary and recombines the stack of
styles at each one, since spans may nest and overlap. The event log's lines
never overlap: each part is appended with its own style (append_literal),
and the log's base style goes under all of them. For such a line,
`flat_segments` gives the segments Rich would, in about a third of the time
(Text.render was two fifths of painting a fresh line of the log, and every
frame of a scrolled log paints 30-odd fresh lines). A line whose spans
overlap, or fall outside its text, is rendered by Rich.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Span, Text

__all__ = ["flat_segments"]


def flat_segments(text: Text, base: Style, console: Console) -> list[Segment]:
    """The segments of `text` with `base` under its own styles: what
    `text.stylize_before(base)` and then `list(text.render(console))` would give,
    without changing `text`."""
    plain = text.plain
    spans = text.spans
    if not _flat(spans, len(plain)):
        styled = text.copy()
        styled.stylize_before(base)
        return list(styled.render(console))
    if not (base and plain) and not spans:
        return [Segment(plain)]  # Rich, too, ignores the text's own style here
    get_style = partial(console.get_style, default=Style.null())
    under = get_style(text.style)
    if base and plain:
        under += base
    segments = []
    position = 0
    for start, end, style in spans:
        if start > position:
            segments.append(Segment(plain[position:start], under))
        segments.append(Segment(plain[start:end], under + get_style(style)))
        position = end
    if position < len(plain):
        segments.append(Segment(plain[position:], under))
    return segments


def _flat(spans: list[Span], length: int) -> bool:
    """Whether the spans are in order, each non-empty, none overlapping the next, all
    within the text."""
    position = 0
    for start, end, _ in spans:
        if start < position or end <= start or end > length:
            return False
        position = end
    return True
