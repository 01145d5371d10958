"""Whose turn it is, in letters three rows tall: read from across the room.

The font draws capitals, digits and common punctuation with the heavy box lines
Textual's bold Digits use for the round and the timer beside it, so the band
reads as one. A name the font cannot draw (a letter it lacks) or that would not
fit the width is shown as one line of bold text instead: never cut, never guessed.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from widgets.text import literal

ROWS = 3
GAP = " "
"""Between two letters."""

FONT: dict[str, tuple[str, str, str]] = {
    "A": ("┏━┓", "┣━┫", "╹ ╹"),
    "B": ("┏┓ ", "┣┻┓", "┗━┛"),
    "C": ("┏━╸", "┃  ", "┗━╸"),
    "D": ("┳━┓", "┃ ┃", "┻━┛"),
    "E": ("┏━╸", "┣╸ ", "┗━╸"),
    "F": ("┏━╸", "┣╸ ", "╹  "),
    "G": ("┏━╸", "┃╺┓", "┗━┛"),
    "H": ("╻ ╻", "┣━┫", "╹ ╹"),
    "I": ("╻", "┃", "╹"),
    "J": ("  ╻", "  ┃", "┗━┛"),
    "K": ("╻ ╻", "┣┳┛", "╹┗╸"),
    "L": ("╻  ", "┃  ", "┗━╸"),
    "M": ("┏┳┓", "┃┃┃", "╹╹╹"),
    "N": ("┏┓╻", "┃┗┫", "╹ ╹"),
    "O": ("┏━┓", "┃ ┃", "┗━┛"),
    "P": ("┏━┓", "┣━┛", "╹  "),
    "Q": ("┏━┓", "┃ ┃", "┗━╋"),
    "R": ("┏━┓", "┣┳┛", "╹┗╸"),
    "S": ("┏━┓", "┗━┓", "┗━┛"),
    "T": ("╺┳╸", " ┃ ", " ╹ "),
    "U": ("╻ ╻", "┃ ┃", "┗━┛"),
    "V": ("╻ ╻", "┃┏┛", "┗┛ "),
    "W": ("╻ ╻", "┃╻┃", "┗┻┛"),
    "X": ("╻ ╻", "┏╋┛", "╹ ╹"),
    "Y": ("╻ ╻", "┗┳┛", " ╹ "),
    "Z": ("╺━┓", "┏━┛", "┗━╸"),
    "0": ("┏━┓", "┃ ┃", "┗━┛"),
    "1": ("╺┓ ", " ┃ ", "╺┻╸"),
    "2": ("╺━┓", "┏━┛", "┗━╸"),
    "3": ("╺━┓", " ━┫", "╺━┛"),
    "4": ("╻ ╻", "┗━┫", "  ╹"),
    "5": ("┏━╸", "┗━┓", "╺━┛"),
    "6": ("┏━╸", "┣━┓", "┗━┛"),
    "7": ("╺━┓", "  ┃", "  ╹"),
    "8": ("┏━┓", "┣━┫", "┗━┛"),
    "9": ("┏━┓", "┗━┫", "╺━┛"),
    " ": (" ", " ", " "),
    ".": (" ", " ", "▖"),
    ",": (" ", " ", "▞"),
    "'": ("╹", " ", " "),
    '"': ("╹╹", "  ", "  "),
    "-": ("   ", "╺━╸", "   "),
    "+": ("   ", "╺╋╸", "   "),
    "!": ("╻", "┃", "▖"),
    "?": ("╺━┓", " ┏┛", " ▖ "),
    ":": (" ", "▘", "▘"),
    "&": ("┏┓ ", "┣╋╸", "┗┻┛"),
    "(": ("┏", "┃", "┗"),
    ")": ("┓", "┃", "┛"),
    "/": ("  ▞", " ▞ ", "▞  "),
    "#": ("╋╋", "╋╋", "  "),
}
"""Three rows per character; every row of a glyph has the same width."""

SAME_AS = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "}
"""Typographic characters drawn as their plain look-alikes."""


def big_lines(name: str, width: int) -> list[str] | None:
    """`name` in capitals three rows tall, or None when the font lacks one of its
    characters or the rows would be wider than `width`."""
    glyphs = []
    for char in name.strip().upper():
        glyph = FONT.get(SAME_AS.get(char, char))
        if glyph is None:
            return None
        glyphs.append(glyph)
    if not glyphs:
        return None
    rows = [GAP.join(glyph[row] for glyph in glyphs) for row in range(ROWS)]
    return rows if len(rows[0]) <= width else None


class BigName(Widget):
    """A name in large letters, or in bold on one line when large ones cannot show it.

    Passive: the screen sets `name`; the letters are chosen again whenever the
    width changes, so a name too long for a phone may still show large on a TV.
    """

    DEFAULT_CSS = """
    BigName {
        height: 3;
        content-align: center middle;
    }
    """

    name_shown: reactive[str] = reactive("", layout=False)
    """The name to show ("": nothing)."""

    def render(self) -> Text:
        name = self.name_shown
        if not name:
            return Text("")
        rows = big_lines(name, self.size.width)
        if rows is None:
            return literal(name, "bold", limit=60)
        return Text("\n".join(rows), end="", no_wrap=True)
