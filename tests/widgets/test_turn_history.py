"""TurnHistory: newest turn on top, names for entity ids, in-place updates."""

from __future__ import annotations

import pytest

from widgets.turn_history import TurnHistory, actions_summary

from .harness import HOSTILE, SIZE, WidgetApp, strip_is_inert, turn_record

NAMES = {"pc-bree": "Bree", "gob-1": "Goblin"}


def rows(table: TurnHistory) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row(row.key)] for row in table.ordered_rows]


async def test_current_round_first_then_older_rounds_newest_first() -> None:
    table = TurnHistory()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        records = [
            turn_record(1, 1, 1, "pc-bree"),
            turn_record(2, 1, 2, "gob-1", "timeout", 60),
            turn_record(3, 2, 1, "pc-bree", "skipped", 5),
            turn_record(4, 2, 2, "ghost", actions=[{"type": "attack"}, {"type": "move"}]),
            turn_record(5, 3, 1, "pc-bree", seconds=None),
        ]
        table.show_records(records, NAMES, current_round=3)
        await pilot.pause()
        labels = [column.label.plain for column in table.columns.values()]
        assert labels == ["Round", "Turn", "Entity", "Status", "Duration", "Actions"]
        assert rows(table) == [
            ["3", "1", "Bree", "completed", "—", "—"],
            ["2", "2", "ghost", "completed", "30s", "attack, move"],
            ["2", "1", "Bree", "skipped", "5s", "—"],
            ["1", "2", "Goblin", "timeout", "1m 0s", "—"],
            ["1", "1", "Bree", "completed", "30s", "—"],
        ]
        assert "red" in str(table.get_cell("2", "status").style)


@pytest.mark.parametrize("height", [3, 6, 12])
async def test_the_newest_turn_stays_in_view_however_many_turns_pass(height: int) -> None:
    """Issue 19: after 17 advances (round 3, turn 6 running) the top row was round 3,
    turn 4, and the demo showed round 6 during round 11. The cursor sat on the first
    turn's row; every new turn went in above it and the table scrolled after it."""
    table = TurnHistory()
    table.styles.height = height  # the header and height - 1 rows, as in a short panel
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        records = []
        for advance in range(40):  # six combatants, into round 7
            round_number, turn_number = divmod(advance, 6)
            records.append(turn_record(advance + 1, round_number + 1, turn_number + 1))
            running_round = (advance + 1) // 6 + 1
            table.show_records(records, NAMES, running_round)
            await pilot.pause()
            assert table.scroll_y == 0
            assert table.cursor_row == 0
            top = table.render_line(1).text.split()
            assert top[:2] == [str(round_number + 1), str(turn_number + 1)]


async def test_new_records_go_on_top_and_the_top_row_follows_them() -> None:
    table = TurnHistory()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        table.show_records([turn_record(1, 1, 1)], NAMES, 1)
        table.show_records([turn_record(1, 1, 1), turn_record(2, 1, 2)], NAMES, 1)
        await pilot.pause()
        assert [row.key.value for row in table.ordered_rows] == ["2", "1"]
        assert table.cursor_row == 0


async def test_a_turn_the_game_master_moved_to_stays_under_the_cursor() -> None:
    table = TurnHistory()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        table.show_records([turn_record(1, 1, 1), turn_record(2, 1, 2)], NAMES, 1)
        await pilot.press("down")
        kept = table.rows["1"]
        table.show_records(
            [turn_record(1, 1, 1), turn_record(2, 1, 2), turn_record(3, 2, 1)], NAMES, 2
        )
        assert [row.key.value for row in table.ordered_rows] == ["3", "2", "1"]
        assert table.rows["1"] is kept
        assert table.cursor_row == 2
        await pilot.press("up", "up")  # back to the newest: it follows again
        table.show_records(
            [turn_record(i, 1 + (i > 2), 1 + (i - 1) % 2) for i in range(1, 5)], NAMES, 2
        )
        assert table.cursor_row == 0
        assert table.ordered_rows[0].key.value == "4"


def test_actions_summary() -> None:
    assert actions_summary([]) == "—"
    assert actions_summary([{"type": "attack"}, "dash"]) == "attack, dash"
    assert actions_summary([{"roll": 12}]) == '{"roll":12}'
    assert actions_summary([{"roll": 12}, 3]) == "2 actions"


async def test_hostile_entity_names_and_actions_are_literal() -> None:
    table = TurnHistory()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        records = [
            turn_record(i, 1, i, f"e{i}", actions=[{"type": "note", "description": name}])
            for i, name in enumerate(HOSTILE, start=1)
        ]
        names = {f"e{i}": name for i, name in enumerate(HOSTILE, start=1)}
        table.show_records(records, names, 1)
        await pilot.pause()
        shown = [row[2] for row in reversed(rows(table))]  # the newest on top
        assert shown == [
            "[bold]x[/bold]",
            "[@click=app.quit]x[/]",
            "[link=http://x]y[/link]",
            "\\x1b[31mred",
        ]
        assert [row[5] for row in reversed(rows(table))] == shown
        assert all(strip_is_inert(table.render_line(y)) for y in range(5))
