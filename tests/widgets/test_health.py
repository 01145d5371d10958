"""Hit point bars and condition lists as the console shows them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from widgets.health import conditions_text, health_style, health_word, hp_bar, hp_gauge


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


@pytest.mark.parametrize(
    ("current", "temp", "filled", "shown"),
    [
        (20, None, 10, "20/20"),
        (10, None, 5, "10/20"),
        (19, None, 9, "19/20"),  # hurt: never a full bar
        (1, 5, 1, "1/20 +5"),  # standing: never an empty one
        (0, None, 0, "0/20 down"),
    ],
)
def test_the_gauge_is_the_numbers_over_a_bar_as_full_as_the_hit_points(
    current: int, temp: int | None, filled: int, shown: str
) -> None:
    gauge = hp_gauge(current, 20, temp, 10)
    assert gauge.plain == shown.ljust(10)
    bar = [span for span in gauge.spans if "black on" in str(span.style)]
    assert sum(span.end - span.start for span in bar) == filled
    if temp:
        assert any("cyan" in str(span.style) for span in gauge.spans)


def test_a_gauge_is_never_narrower_than_its_numbers() -> None:
    assert hp_gauge(0, 135, 10, 3).plain == "0/135 +10 down"
    assert hp_gauge(None, None, None, 8).plain == "—"


@pytest.mark.parametrize(
    ("width", "shown"),
    [
        (None, "blessed 2 · poisoned · prone 1"),
        (30, "blessed 2 · poisoned · prone 1"),
        (29, "blessed 2 · poisoned +1"),
        (12, "blessed 2 +2"),
        (10, "bles… 2 +2"),
        (6, "bl… +2"),
    ],
)
def test_conditions_that_do_not_fit_are_counted_not_lost(width: int | None, shown: str) -> None:
    held = [Held("blessed", 2), Held("poisoned", None), Held("prone", 1)]
    assert conditions_text(held, width).plain == shown


def test_one_long_condition_is_cut_with_its_rounds_kept() -> None:
    assert conditions_text([Held("unconscious", 3)], 8).plain == "uncon… 3"
