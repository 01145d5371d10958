"""Hit points and conditions as a game master and players read them.

One place for the words ("bloodied") and colours, so the console's bars and
the players' view agree about how hurt someone is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Protocol

from rich.text import Text

from widgets.text import EM_DASH, append_literal, clip, safe_text

__all__ = [
    "HEALTH_STYLES",
    "conditions_text",
    "health_style",
    "health_word",
    "hp_bar",
    "hp_gauge",
    "hp_label",
]

HEALTH_STYLES = {"unhurt": "green", "hurt": "yellow", "bloodied": "bold red", "down": "bold red"}
BAR_CELLS = 5
NAME_LIMIT = 40
GAUGE_TRACK = "grey27"
"""The background of a gauge's missing hit points: the filled part's length reads against it."""


class HeldCondition(Protocol):
    """What these texts read of a condition (the store's Condition)."""

    @property
    def name(self) -> str: ...
    @property
    def rounds_left(self) -> int | None: ...


def health_word(current_hp: int, max_hp: int) -> str:
    """How hurt someone looks: unhurt, hurt, bloodied (below half) or down."""
    if current_hp <= 0:
        return "down"
    if current_hp >= max_hp:
        return "unhurt"
    if 2 * current_hp < max_hp:
        return "bloodied"
    return "hurt"


def health_style(current_hp: int, max_hp: int) -> str:
    """Green from half up, yellow below half, red below a quarter (and at 0)."""
    if 4 * current_hp < max_hp:
        return "bold red"
    return "yellow" if 2 * current_hp < max_hp else "green"


def hp_bar(
    current_hp: int | None, max_hp: int | None, temp_hp: int | None, *, bar: bool = True
) -> Text:
    """ "▰▰▰▱▱ 12/20 +5", coloured by how hurt; "down" at 0; "—" when not tracked. Without
    `bar` (a narrow panel) only the numbers (hp_label): "12/20 +5"."""
    label = hp_label(current_hp, max_hp, temp_hp)
    if current_hp is None or max_hp is None or max_hp <= 0:
        return Text(label, style="dim", end="")
    style = health_style(current_hp, max_hp)
    text = Text(end="")
    if bar:
        filled = min(BAR_CELLS, math.ceil(BAR_CELLS * current_hp / max_hp)) if current_hp else 0
        text.append("▰" * filled, style=style)
        text.append("▱" * (BAR_CELLS - filled) + " ", style="dim")
    start = len(text)
    text.append(label, style=style)
    if temp_hp:
        plus = start + label.index(" +") + 1
        text.stylize("bold cyan", plus, plus + len(str(temp_hp)) + 1)
    if current_hp <= 0:
        text.stylize("bold red", len(text) - len("down"))
    return text


def hp_label(current_hp: int | None, max_hp: int | None, temp_hp: int | None) -> str:
    """The numbers a gauge shows: "12/20", "12/20 +5" (temporary hp), "0/20 down";
    "—" when hit points are not tracked."""
    if current_hp is None or max_hp is None or max_hp <= 0:
        return EM_DASH
    label = f"{current_hp}/{max_hp}"
    if temp_hp:
        label += f" +{temp_hp}"
    if current_hp <= 0:
        label += " down"
    return label


def hp_gauge(current_hp: int | None, max_hp: int | None, temp_hp: int | None, width: int) -> Text:
    """The numbers (hp_label) over a bar `width` cells long that is as full as the
    hit points are: a bar that costs no cells beside the numbers, so it fits the
    initiative list at every width. The bar is green, yellow below half, red below a
    quarter; temporary hp are "+5" in cyan, 0 reads "down" on an empty bar."""
    label = hp_label(current_hp, max_hp, temp_hp)
    if current_hp is None or max_hp is None or max_hp <= 0:
        return Text(label, style="dim", end="")
    width = max(width, len(label))
    style = health_style(current_hp, max_hp)
    colour = style.split()[-1]
    if current_hp >= max_hp:
        filled = width
    elif current_hp <= 0:
        filled = 0
    else:  # never empty while standing, never full while hurt
        filled = min(width - 1, max(1, round(width * current_hp / max_hp)))
    text = Text(label.ljust(width), end="", no_wrap=True, overflow="crop")
    text.stylize(f"bold black on {colour}", 0, filled)
    text.stylize(f"{style} on {GAUGE_TRACK}", filled, width)
    if temp_hp:
        start = label.index(" +") + 1
        text.stylize("bold cyan", max(start, filled), start + len(str(temp_hp)) + 1)
    return text


def conditions_text(conditions: Iterable[HeldCondition], width: int | None = None) -> Text:
    """ "prone 1 · poisoned": each condition with the rounds it has left, if it counts them.

    Within `width` cells, the conditions that do not fit are counted rather than
    lost: "prone 1 +2", and when not even the first fits whole, its name is cut:
    "unconsc… 2 +1".
    """
    held = list(conditions)
    text = _joined(held)
    if width is None or text.cell_len <= width:
        return text
    for shown in range(len(held) - 1, 0, -1):
        text = _joined(held[:shown])
        more = f" +{len(held) - shown}"
        if text.cell_len + len(more) <= width:
            text.append(more, style="bold magenta")
            return text
    first = held[0]
    rounds = "" if first.rounds_left is None else f" {first.rounds_left}"
    more = f" +{len(held) - 1}" if len(held) > 1 else ""
    if width - len(rounds) - len(more) < 3:  # a letter and "…" say more than the rounds
        rounds = ""
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    text.append(clip(safe_text(first.name), max(1, width - len(rounds) - len(more))), "magenta")
    text.append(rounds, style="dim")
    text.append(more, style="bold magenta")
    text.truncate(width, overflow="ellipsis")  # wide characters, or no room at all
    return text


def _joined(conditions: Iterable[HeldCondition]) -> Text:
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    for index, condition in enumerate(conditions):
        if index:
            text.append(" · ", style="dim")
        append_literal(text, condition.name, "magenta", limit=NAME_LIMIT)
        if condition.rounds_left is not None:
            text.append(f" {condition.rounds_left}", style="dim")
    return text
