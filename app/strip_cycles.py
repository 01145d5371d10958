"""Painted lines freed when they are dropped, not by the garbage collector.

Every frame, Textual's compositor cuts each line a widget painted at the
edges of what overlaps it: `Strip.divide(cuts)`. A line nothing overlaps is
cut once, at its own end, and Textual 8.2.8 answers with `[strip]`, kept in
the strip's own divide cache. The strip now refers to itself, so when the
frame is done with it only a collection can free it, with its seven caches.
Scrolling a long event log paints dozens of fresh lines a frame: 1,000
pages made 152 young collections, the longest stalls in the scroll (up to
13 ms measured), and 20 once the lines no longer referred to themselves
(bench/README.md, figure 3).

`Strip.crop_extend` does the same with a crop that leaves a strip as it is
(from 0 to its own length): it caches the strip itself. Any widget whose
line exactly fits its width (the rooms table at 78 columns) made a cycle so.

`install()` makes those two cases answer without caching: the same answer,
built for less than a cache look-up costs. Every other call goes to
Textual's own method. tests/ui/test_strip_cycles.py fails, and says this
module can go, once Textual stops caching a strip in itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.style import Style
from textual.strip import Strip

__all__ = ["install"]

_textual_divide = Strip.divide
_textual_crop_extend = Strip.crop_extend


def _divide(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    """Strip.divide, except that a cut at the strip's end alone is not cached."""
    length = self.cell_length
    cuts = [cut for cut in cuts if cut <= length]  # as Textual's divide reads them
    if cuts == [length]:
        return [self]
    return _textual_divide(self, cuts)


def _crop_extend(self: Strip, start: int, end: int, style: Style | None) -> Strip:
    """Strip.crop_extend, except that a crop leaving the strip as it is is not cached."""
    if start <= 0 and end == self.cell_length:
        return self  # Textual's: extend_cell_length(end) is self, and so is crop(start, end)
    return _textual_crop_extend(self, start, end, style)


def install() -> None:
    """Replace Strip.divide and Strip.crop_extend for every strip in the process
    (idempotent)."""
    Strip.divide = _divide  # type: ignore[method-assign]
    Strip.crop_extend = _crop_extend  # type: ignore[method-assign]
