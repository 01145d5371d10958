"""InitiativeList: order, the current entity's marker and who is connected."""

from __future__ import annotations

from store import Condition, InitiativeEntry
from widgets.initiative_list import InitiativeList

from .harness import HOSTILE, SIZE, WidgetApp, initiative, strip_is_inert

ORDER = [
    initiative("pc-bree", "Bree", 17, "playerCharacter", "u-bree"),
    initiative("npc-cid", "Cid", 14, "npc", "u-cid"),
    initiative("gob-1", "Goblin", 12),
]
NAMES = {"u-bree": "Bree's player", "u-cid": "Cid's player"}


def rows(table: InitiativeList) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row(row.key)] for row in table.ordered_rows]


async def test_order_marker_types_and_connection_dots() -> None:
    table = InitiativeList()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        table.show_order(ORDER, 1, ["u-bree"], NAMES)
        await pilot.pause()
        assert rows(table) == [
            [" ", "17", "Bree", "—", "", "", "PC", "Bree's player ●"],
            ["▶", "14", "Cid", "—", "", "", "NPC", "Cid's player ○"],
            [" ", "12", "Goblin", "—", "", "", "Monster", "—"],
        ]
        assert table.cursor_row == 1
        assert table.current_index == 1
        assert "bold" in str(table.get_row_at(1)[2].style)


async def test_the_marker_moves_in_place_when_the_turn_advances() -> None:
    table = InitiativeList()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        table.show_order(ORDER, 0, [], NAMES)
        first = table.rows[table.ordered_rows[0].key]
        table.show_order(ORDER, 2, ["u-cid"], NAMES)
        await pilot.pause()
        assert [row[0] for row in rows(table)] == [" ", " ", "▶"]
        assert rows(table)[1][7] == "Cid's player ●"
        assert table.cursor_row == 2
        assert table.rows[table.ordered_rows[0].key] is first

        # A refresh with the same current entity leaves a browsing cursor alone.
        await pilot.press("up")
        table.show_order(ORDER, 2, ["u-cid"], NAMES)
        assert table.cursor_row == 1


async def test_no_current_entity_and_unknown_players() -> None:
    table = InitiativeList()
    async with WidgetApp(table).run_test(size=SIZE):
        table.show_order(ORDER[:1], None, [], {})
        assert rows(table) == [[" ", "17", "Bree", "—", "", "", "PC", "u-bree ○"]]
        table.show_order(ORDER[:1], 5, [], {})  # out of range: nobody is current
        assert table.current_index is None
        table.show_order([], None, [], {})
        assert table.row_count == 0


async def test_hostile_names_are_literal() -> None:
    table = InitiativeList()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        order = [
            initiative(f"e{i}", name, 10, "playerCharacter", f"u{i}")
            for i, name in enumerate(HOSTILE)
        ]
        names = {f"u{i}": name for i, name in enumerate(HOSTILE)}
        table.show_order(order, 0, [], names)
        await pilot.pause()
        shown = [row[2] for row in rows(table)]
        assert shown == [
            "[bold]x[/bold]",
            "[@click=app.quit]x[/]",
            "[link=http://x]y[/link]",
            "\\x1b[31mred",
        ]
        assert [row[7] for row in rows(table)] == [f"{name} ○" for name in shown]
        assert all(strip_is_inert(table.render_line(y)) for y in range(5))


async def test_hit_points_armor_conditions_and_hidden_combatants() -> None:
    hurt = InitiativeEntry(
        entity_id="gob-1",
        entity_type="monster",
        name="Goblin",
        initiative_roll=12,
        dexterity_modifier=2,
        max_hp=20,
        current_hp=4,
        temp_hp=3,
        armor_class=15,
        conditions=[Condition("prone", 1), Condition("poisoned")],
        hidden=True,
    )
    table = InitiativeList()
    async with WidgetApp(table).run_test(size=(120, 20)) as pilot:
        table.show_order([hurt], 0, [], NAMES)
        await pilot.pause()
        (row,) = rows(table)
        assert row[2] == "Goblin (hidden)"
        assert row[3:6] == ["▰▱▱▱▱ 4/20 +3", "15", "prone 1 · poisoned"]
        assert "dim" in str(table.get_row_at(0)[3].spans)
