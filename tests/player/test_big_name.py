"""Whose turn it is, three rows tall: the font, and the fallback to one bold line."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from app.player.big_name import FONT, ROWS, BigName, big_lines


def test_every_glyph_is_three_rows_of_one_width() -> None:
    for char, glyph in FONT.items():
        assert len(glyph) == ROWS, char
        assert len({len(row) for row in glyph}) == 1, char
    for char in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,'-!?:&()/":
        assert char in FONT


def test_a_name_in_capitals_one_column_apart() -> None:
    assert big_lines("Tam", 80) == [
        "╺┳╸ ┏━┓ ┏┳┓",
        " ┃  ┣━┫ ┃┃┃",
        " ╹  ╹ ╹ ╹╹╹",
    ]
    assert big_lines("Bree’s", 80) == big_lines("BREE'S", 80)  # typographic apostrophe


@pytest.mark.parametrize(
    ("name", "width"),
    [("Ólafur", 80), ("Goblin Boss", 38), ("Ogre ☠", 80), ("", 80), ("   ", 80)],
    ids=["a letter it lacks", "too wide", "a symbol", "empty", "blank"],
)
def test_what_the_font_cannot_draw_is_refused(name: str, width: int) -> None:
    assert big_lines(name, width) is None


def test_exactly_the_width_is_enough() -> None:
    rows = big_lines("Goblin Boss", 80)
    assert rows is not None
    assert big_lines("Goblin Boss", len(rows[0])) == rows


class Banner(App[None]):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width

    def compose(self) -> ComposeResult:
        yield BigName()

    def on_mount(self) -> None:
        self.query_one(BigName).styles.width = self.width


@pytest.mark.parametrize(("width", "large"), [(60, True), (30, False)])
async def test_the_widget_falls_back_to_bold_when_too_narrow(width: int, large: bool) -> None:
    app = Banner(width)
    async with app.run_test(size=(80, 10)) as pilot:
        banner = app.query_one(BigName)
        banner.name_shown = "Goblin Boss"
        await pilot.pause()
        shown = banner.render()
    assert isinstance(shown, Text)
    if large:
        assert shown.plain.splitlines() == big_lines("Goblin Boss", width)
    else:
        assert shown.plain == "Goblin Boss" and shown.style == "bold"
