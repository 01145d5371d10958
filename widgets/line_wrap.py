"""Where to break a line of text to fit a width: the event log's word wrap.

Rich's Text.wrap does this too, but the event log must count the lines of
every held entry (thousands) whenever the view is resized, and Rich spends
about 10 µs a word on it. This wraps plain ASCII (nearly all chat) at about
a tenth of that, and the log renders with the very same offsets
(Text.divide), so a count can never disagree with what is drawn.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

__all__ = ["wrap_offsets"]

_WORD = re.compile(r"\s*\S+\s*")
"""A word with the whitespace after it (and, for the first, any before it)."""


def wrap_offsets(text: str, width: int) -> list[int]:
    """Offsets at which `text` breaks into lines of at most `width` cells.

    Words move whole to the next line; a word longer than a whole line is
    folded, starting on the current line so a long URL or a row of "x" does
    not leave a line nearly empty. Whitespace at the end of a line may
    exceed the width (the caller strips it). No offsets: one line.
    """
    width = max(1, width)
    narrow = text.isascii()
    measure = len if narrow else cell_len
    if measure(text) <= width:
        return []
    offsets: list[int] = []
    used = 0
    for match in _WORD.finditer(text):
        word = match.group()
        visible = measure(word.rstrip())
        if used + visible <= width:
            used += measure(word)
        elif visible <= width:
            offsets.append(match.start())
            used = measure(word)
        else:
            used = _fold(word, match.start(), used, width, narrow, offsets)
    return offsets


def _fold(word: str, start: int, used: int, width: int, narrow: bool, offsets: list[int]) -> int:
    """Break a word longer than a line wherever a line fills; returns the cells used after.

    `narrow` says every character is one cell (ASCII), sparing a lookup per character.
    """
    if used >= width:
        offsets.append(start)
        used = 0
    for offset, char in enumerate(word, start):
        cells = 1 if narrow else cell_len(char)
        if used and used + cells > width and not char.isspace():
            offsets.append(offset)
            used = 0
        used += cells
    return used
