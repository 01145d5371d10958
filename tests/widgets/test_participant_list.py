"""ParticipantList: display names, joins and leaves applied in place."""

from __future__ import annotations

from textual.widgets import OptionList

from widgets.participant_list import EMPTY_LABEL, ParticipantList

from .harness import HOSTILE, SIZE, WidgetApp, strip_is_inert

NAMES = {"u-bree": "Bree", "u-cid": "Cid", "u-dax": "Dax"}


def prompts(widget: ParticipantList) -> list[str]:
    return [str(option.prompt) for option in widget.options]


async def test_empty_list_says_nobody_is_connected() -> None:
    widget = ParticipantList()
    async with WidgetApp(widget).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert prompts(widget) == [EMPTY_LABEL]
        assert widget.options[0].disabled
        widget.show_participants(["u-bree"], NAMES)
        widget.show_participants([], NAMES)
        assert prompts(widget) == [EMPTY_LABEL]
        assert widget.user_ids == []


async def test_names_with_dim_ids() -> None:
    widget = ParticipantList()
    async with WidgetApp(widget).run_test(size=SIZE) as pilot:
        widget.show_participants(["u-bree", "u-zed"], NAMES)
        await pilot.pause()
        assert prompts(widget) == ["Bree  u-bree", "u-zed"]
        bree = widget.options[0].prompt
        assert [str(span.style) for span in bree.spans] == ["dim"]  # type: ignore[union-attr]
        assert widget.render_line(0).text.strip() == "Bree  u-bree"


async def test_joins_and_leaves_keep_the_highlight() -> None:
    widget = ParticipantList()
    app = WidgetApp(widget)
    async with app.run_test(size=SIZE) as pilot:
        widget.show_participants(["u-bree", "u-cid"], NAMES)
        widget.focus()
        await pilot.press("down")
        assert widget.highlighted_option is not None
        assert widget.highlighted_option.id == "u-cid"
        cid_option = widget.get_option("u-cid")

        widget.show_participants(["u-bree", "u-cid", "u-dax"], NAMES)  # Dax joins
        widget.show_participants(["u-cid", "u-dax"], NAMES)  # Bree leaves
        await pilot.pause()
        assert widget.user_ids == ["u-cid", "u-dax"]
        assert widget.get_option("u-cid") is cid_option
        assert widget.highlighted_option is not None
        assert widget.highlighted_option.id == "u-cid"

        widget.show_participants(["u-dax", "u-cid"], {**NAMES, "u-cid": "Cid the Bold"})
        assert prompts(widget) == ["Dax  u-dax", "Cid the Bold  u-cid"]
        assert widget.highlighted_option.id == "u-cid"

        await pilot.press("enter")
        selected = app.of_type(OptionList.OptionSelected)
        assert [message.option.id for message in selected] == ["u-cid"]


async def test_hostile_names_and_ids_are_literal() -> None:
    widget = ParticipantList()
    app = WidgetApp(widget)
    async with app.run_test(size=SIZE) as pilot:
        ids = [f"u{i}" for i in range(len(HOSTILE))]
        widget.show_participants([*ids, "\x1b[2J"], dict(zip(ids, HOSTILE, strict=True)))
        await pilot.pause()
        assert prompts(widget) == [
            "[bold]x[/bold]  u0",
            "[@click=app.quit]x[/]  u1",
            "[link=http://x]y[/link]  u2",
            "\\x1b[31mred  u3",
            "\\x1b[2J",
        ]
        assert all(strip_is_inert(widget.render_line(y)) for y in range(5))
        await pilot.click(ParticipantList, offset=(2, 1))
        await pilot.pause()
        assert app.is_running
