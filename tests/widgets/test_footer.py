"""The footer's choice of keys when they do not all fit: help first, the next step last."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding

from widgets.footer import SteadyFooter, _fitting


def test_keys_are_left_out_lowest_value_first_rightmost_first() -> None:
    # (cells, value): 0 refused, 1 most keys, 2 the next step, 3 help.
    keys = [(6, 3), (8, 1), (7, 2), (6, 0), (9, 1), (9, 1), (9, 2)]
    assert _fitting(keys, 200, 1) == [0, 1, 2, 3, 4, 5, 6]
    assert _fitting(keys, 53, 1) == [0, 1, 2, 4, 5, 6]  # the refused key first
    assert _fitting(keys, 43, 1) == [0, 1, 2, 4, 6]  # then the rightmost of the rest
    assert _fitting(keys, 24, 1) == [0, 2, 6]  # the next step outlasts the others
    assert _fitting(keys, 6, 1) == [0]  # help, always, while it fits at all


class Keys(App[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "add", "Add"),
        Binding("d", "damage", "Damage"),
        Binding("h", "heal", "Heal"),
        Binding("k", "conditions", "Conditions"),
        Binding("g", "go_live", "Go live"),
        Binding("question_mark", "help", "Help"),
    ]

    def compose(self) -> ComposeResult:
        yield SteadyFooter(compact=True)

    def action_back(self) -> None: ...
    def action_add(self) -> None: ...
    def action_damage(self) -> None: ...
    def action_heal(self) -> None: ...
    def action_conditions(self) -> None: ...
    def action_go_live(self) -> None: ...
    def action_help(self) -> None: ...


async def test_help_comes_first_and_the_next_step_stays_when_the_screen_is_narrow() -> None:
    """An idle room at 80 columns dropped `g Go live` (its only next step), and `? Help`
    was never on the room screen at all."""
    app = Keys()
    async with app.run_test(size=(44, 5)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(SteadyFooter)
        line = footer.render().plain
        assert line.startswith("? Help esc Back")
        assert "g Go live" in line and "Conditions" not in line
        assert len(line) == 44
