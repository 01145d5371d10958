"""Hit point bars and condition lists as the console shows them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from widgets.health import conditions_text, health_style, health_word, hp_bar


@dataclass(frozen=True)
class Held:
    name: str
    rounds_left: int | None


@pytest.mark.parametrize(
    ("current", "maximum", "temp", "shown", "style"),
    [
        (20, 20, None, "▰▰▰▰▰ 20/20", "green"),
        (9, 20, None, "▰▰▰▱▱ 9/20", "yellow"),
        (4, 20, 5, "▰▱▱▱▱ 4/20 +5", "bold red"),
        (0, 20, None, "▱▱▱▱▱ 0/20 down", "bold red"),
        (1, 100, None, "▰▱▱▱▱ 1/100", "bold red"),
    ],
)
def test_the_bar_shows_numbers_and_how_hurt(
    current: int, maximum: int, temp: int | None, shown: str, style: str
) -> None:
    bar = hp_bar(current, maximum, temp)
    assert bar.plain == shown
    assert health_style(current, maximum) == style


def test_untracked_hit_points_are_a_dash() -> None:
    assert hp_bar(None, None, None).plain == "—"


def test_health_words() -> None:
    assert [health_word(hp, 20) for hp in (20, 12, 9, 0)] == [
        "unhurt",
        "hurt",
        "bloodied",
        "down",
    ]


def test_conditions_list_rounds_left_and_stay_literal() -> None:
    text = conditions_text([Held("prone", 1), Held("[bold]cursed", None)])
    assert text.plain == "prone 1 · [bold]cursed"
