"""Hit points and conditions as a game master and players read them.

One place for the words ("bloodied") and colours, so the console's bars and
the players' view agree about how hurt someone is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Protocol

from rich.text import Text

from widgets.text import EM_DASH, append_literal

__all__ = ["HEALTH_STYLES", "conditions_text", "health_style", "health_word", "hp_bar"]

HEALTH_STYLES = {"unhurt": "green", "hurt": "yellow", "bloodied": "bold red", "down": "bold red"}
BAR_CELLS = 5
NAME_LIMIT = 40


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
    `bar` (a narrow panel) only the numbers: "12/20 +5"."""
    if current_hp is None or max_hp is None or max_hp <= 0:
        return Text(EM_DASH, style="dim", end="")
    style = health_style(current_hp, max_hp)
    text = Text(end="")
    if bar:
        filled = min(BAR_CELLS, math.ceil(BAR_CELLS * current_hp / max_hp)) if current_hp else 0
        text.append("▰" * filled, style=style)
        text.append("▱" * (BAR_CELLS - filled) + " ", style="dim")
    text.append(f"{current_hp}/{max_hp}", style=style)
    if temp_hp:
        text.append(f" +{temp_hp}", style="bold cyan")
    if current_hp <= 0:
        text.append(" down", style="bold red")
    return text


def conditions_text(conditions: Iterable[HeldCondition]) -> Text:
    """ "prone 1 · poisoned": each condition with the rounds it has left, if it counts them."""
    text = Text(end="")
    for index, condition in enumerate(conditions):
        if index:
            text.append(" · ", style="dim")
        append_literal(text, condition.name, "magenta", limit=NAME_LIMIT)
        if condition.rounds_left is not None:
            text.append(f" {condition.rounds_left}", style="dim")
    return text
