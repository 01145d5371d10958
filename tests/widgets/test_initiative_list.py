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
        assert row[3].rstrip() == "4/20 +3"  # over a bar as wide as the column
        assert row[4:6] == ["15", "prone 1 · poisoned"]
        assert "dim" in str(table.get_row_at(0)[3].spans)


def fighter(
    entity_id: str,
    name: str,
    hp: tuple[int, int],
    conditions: tuple[Condition, ...] = (),
    kind: str = "monster",
) -> InitiativeEntry:
    return InitiativeEntry(
        entity_id=entity_id,
        entity_type=kind,  # type: ignore[arg-type]
        name=name,
        initiative_roll=10,
        dexterity_modifier=0,
        user_id="u-bree" if kind == "playerCharacter" else None,
        current_hp=hp[0],
        max_hp=hp[1],
        armor_class=15,
        conditions=list(conditions),
    )


FIGHT = [
    fighter("pc-thorin", "Thorin Ashbeard", (38, 38), kind="playerCharacter"),
    fighter("ogre", "Siege Ogre", (31, 59), (Condition("blessed", 2), Condition("poisoned"))),
    fighter("cultist", "Ember Cultist 1", (0, 9), (Condition("prone", 1),)),
]


def keys(table: InitiativeList) -> list[str]:
    return [str(key.value) for key in table.columns]


async def test_a_narrow_panel_leaves_out_whole_columns_not_half_values() -> None:
    """Issue 21 at 80x24: the panel (38 cells) used to show AC 15 as "1" and lose the
    conditions and type off its edge. Whole columns go, lowest value first."""
    table = InitiativeList()
    async with WidgetApp(table).run_test(size=(38, 12)) as pilot:
        table.show_order(FIGHT, 0, [], NAMES)
        await pilot.pause()
        assert keys(table) == ["marker", "name", "hp", "ac", "conditions"]
        widths = sum(column.width + 2 for column in table.columns.values())
        assert widths <= 38
        shown = rows(table)
        assert [row[2].rstrip() for row in shown] == ["38/38", "31/59", "0/9 down"]
        assert [row[3] for row in shown] == ["15", "15", "15"]
        # Conditions that do not fit are counted or cut with "…", never silently lost.
        assert [row[4] for row in shown] == ["", "bl… +1", "pro… 1"]


async def test_columns_come_back_as_the_panel_widens() -> None:
    table = InitiativeList()
    async with WidgetApp(table).run_test(size=(54, 12)) as pilot:
        table.show_order(FIGHT, 0, [], NAMES)
        await pilot.pause()
        assert keys(table) == ["marker", "roll", "name", "hp", "ac", "conditions"]
        name = next(column for column in table.columns.values() if column.key.value == "name")
        assert name.width == len("Thorin Ashbeard")  # whole before the type comes back
        assert rows(table)[1][5] == "blessed 2 +1"

        await pilot.resize_terminal(100, 12)
        await pilot.pause()
        assert keys(table) == [key for _, key, _ in InitiativeList.COLUMNS]
        ogre = rows(table)[1]
        assert ogre[5] == "blessed 2 · poisoned"
        assert ogre[6:] == ["Monster", "—"]
        assert table.cursor_row == 0


async def test_hit_points_are_numbers_over_a_bar_coloured_by_how_hurt() -> None:
    table = InitiativeList()
    async with WidgetApp(table).run_test(size=(100, 12)) as pilot:
        table.show_order(FIGHT, 0, [], NAMES)
        await pilot.pause()
        hp = [table.get_row_at(index)[3] for index in range(3)]
        width = table.columns[next(k for k in table.columns if k.value == "hp")].width
        assert all(cell.cell_len == width for cell in hp)
        assert "on green" in str(hp[0].spans[0].style)  # unhurt: a full green bar
        assert hp[0].spans[0].end == width
        assert "on green" in str(hp[1].spans[0].style)  # 31/59: about half full
        assert 0 < hp[1].spans[0].end < width
        assert "on green" not in str(hp[2].spans) and "red" in str(hp[2].spans)  # down
