"""The title bar: the title and sub-title centred on one line; the icon opens the palette."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from tests.widgets.harness import HOSTILE, SIZE, WidgetApp, strip_is_inert
from widgets.title_bar import ICON, ICON_TOOLTIP, ICON_WIDTH, RIGHT_MARGIN, TitleBar


def _line(bar: TitleBar) -> str:
    return bar.render_line(0).text


async def test_the_title_is_centred_between_the_icon_and_the_right_margin() -> None:
    app = WidgetApp(TitleBar())
    app.title = "liveroom"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = _line(app.widget)
        assert line.startswith(f" {ICON} ")
        room = SIZE[0] - ICON_WIDTH - RIGHT_MARGIN
        assert line.index("liveroom") == ICON_WIDTH + (room - len("liveroom")) // 2
        assert len(line) == SIZE[0]


async def test_the_screen_sub_title_follows_a_dash_and_changes_live() -> None:
    app = WidgetApp(TitleBar())
    app.title = "liveroom"
    async with app.run_test(size=SIZE) as pilot:
        app.screen.sub_title = "Goblin Ambush"
        await pilot.pause()
        assert "liveroom — Goblin Ambush" in _line(app.widget)
        app.screen.sub_title = "Parley"
        await pilot.pause()
        assert "liveroom — Parley" in _line(app.widget)
        assert "Goblin" not in _line(app.widget)


async def test_a_title_wider_than_the_bar_ends_in_an_ellipsis() -> None:
    app = WidgetApp(TitleBar())
    app.title = "liveroom"
    async with app.run_test(size=(40, 10)) as pilot:
        app.screen.sub_title = "The Very Long Name of a Campaign Nobody Can Remember"
        await pilot.pause()
        line = _line(app.widget)
        assert len(line) == 40
        assert line.rstrip().endswith("…")
        assert line[-RIGHT_MARGIN:].strip() == ""


async def test_a_room_name_is_shown_literally() -> None:
    app = WidgetApp(TitleBar())
    async with app.run_test(size=SIZE) as pilot:
        for name in HOSTILE[:3]:
            app.screen.sub_title = name
            await pilot.pause()
            assert name in _line(app.widget)
            assert strip_is_inert(app.widget.render_line(0))


async def test_hovering_the_icon_says_what_it_does_and_clicking_opens_the_palette() -> None:
    app = WidgetApp(TitleBar())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.hover(TitleBar, offset=(1, 0))
        assert app.widget.tooltip == ICON_TOOLTIP
        await pilot.hover(TitleBar, offset=(ICON_WIDTH + 5, 0))
        assert app.widget.tooltip is None
        await pilot.click(TitleBar, offset=(ICON_WIDTH + 5, 0))
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)  # the title itself does nothing
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


@pytest.mark.parametrize(
    "width", [ICON_WIDTH, ICON_WIDTH + RIGHT_MARGIN - 1, ICON_WIDTH + RIGHT_MARGIN]
)
async def test_a_bar_too_narrow_for_the_title_shows_the_icon_alone(width: int) -> None:
    app = WidgetApp(TitleBar())
    app.title = "liveroom"
    async with app.run_test(size=(width, 10)) as pilot:
        await pilot.pause()
        assert _line(app.widget) == f" {ICON}".ljust(width)[:width]
