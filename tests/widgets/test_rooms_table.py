"""RoomsTable: rows replaced in place, the cursor kept, time cells ticking, columns fitted
to the width, only the lines on screen drawn."""

from __future__ import annotations

from dataclasses import replace

import pytest

import widgets.rooms_table
from widgets.rooms_table import (
    NAME_MIN,
    NAME_WIDTH,
    TURN_MIN,
    TURN_WIDTH,
    RoomRow,
    RoomsTable,
    columns_for,
    needs_of,
    turn_cell,
)
from widgets.turn_timer import TurnTimer

from .harness import HOSTILE, SIZE, T0, WidgetApp, strip_is_inert

WIDE = (130, 30)
"""Wide enough for every column (the full set needs 120 cells with one-digit ids)."""


def room(interaction_id: int, name: str = "", **changes: object) -> RoomRow:
    row = RoomRow(
        interaction_id=interaction_id,
        name=name or f"Room {interaction_id}",
        status="live",
        live_room_id=f"room-{interaction_id}",
        participants=2,
        current_turn="Bree",
        timeout_ms=T0 + 42_000,
        paused_remaining_ms=None,
        turn_time_limit=60,
        round_number=3,
        last_activity=T0 - 120_000,
    )
    return replace(row, **changes)  # type: ignore[arg-type]


def cell(table: RoomsTable, interaction_id: int, column: str) -> str:
    return table.cells(interaction_id)[column].plain


def header(table: RoomsTable) -> list[str]:
    return table.render_line(0).text.split()


async def test_columns_and_cells() -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=WIDE) as pilot:
        table.update_rooms([room(1, "Goblin ambush")], now_ms=T0)
        await pilot.pause()
        assert header(table) == [
            "#",
            "Name",
            "Status",
            "Room",
            "Players",
            "Turn",
            "Round",
            "Activity",
        ]
        assert [c.plain for c in table.cells(1).values()] == [
            "1",
            "Goblin ambush",
            " LIVE ",
            "room-1",
            "2",
            "Bree 0:42 left",
            "3",
            "2m ago",
        ]


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        (
            {"status": "paused", "timeout_ms": None, "paused_remaining_ms": 42_000},
            "Bree 0:42 left",
        ),
        ({"status": "paused", "timeout_ms": None, "paused_remaining_ms": None}, "Bree paused"),
        ({"timeout_ms": T0 + 3_600_000, "turn_time_limit": 3600}, "Bree 1:00:00 left"),
        ({"turn_time_limit": 0, "timeout_ms": None}, "Bree untimed"),
        ({"timeout_ms": T0 - 1}, "Bree time's up"),
        ({"current_turn": None}, "—"),
        ({"status": "completed"}, "—"),
    ],
)
async def test_turn_cell(changes: dict[str, object], shown: str) -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=SIZE):
        table.update_rooms([room(1, **changes)], now_ms=T0)
        assert cell(table, 1, "turn") == shown


async def test_update_in_place_keeps_the_cursor_on_the_same_interaction() -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        table.update_rooms([room(1), room(2), room(3)], now_ms=T0)
        await pilot.press("down", "down")
        assert table.selected_interaction_id == 3

        # Room 1 vanishes, room 4 appears first, room 3 changes name and status.
        table.update_rooms(
            [room(4), room(2), room(3, "Renamed", status="paused", paused_remaining_ms=9_000)]
        )
        await pilot.pause()
        assert table.interaction_ids == [4, 2, 3]
        assert table.selected_interaction_id == 3
        assert table.cursor_row == 2
        assert "Renamed" in table.render_line(3).text
        assert cell(table, 3, "name") == "Renamed"
        assert cell(table, 3, "status") == " PAUSED "
        assert cell(table, 3, "turn") == "Bree 0:09 left"


async def test_cursor_stays_in_place_when_its_room_vanishes() -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        table.update_rooms([room(1), room(2), room(3)], now_ms=T0)
        await pilot.press("down")
        table.update_rooms([room(1), room(3)])
        assert table.selected_interaction_id == 3
        table.update_rooms([])
        assert table.selected_interaction_id is None
        assert table.row_count == 0


async def test_tick_moves_the_time_cells() -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=SIZE):
        table.update_rooms([room(1)], now_ms=T0)
        table.tick(T0 + 30_000)
        assert cell(table, 1, "turn") == "Bree 0:12 left"
        assert cell(table, 1, "activity") == "2m ago"
        assert "Bree 0:12 left" in table.render_line(1).text
        table.tick(T0 + 60_000)
        assert cell(table, 1, "turn") == "Bree time's up"
        assert cell(table, 1, "activity") == "3m ago"


async def test_a_tick_that_changes_nothing_on_screen_redraws_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        # A paused turn and an idle room: nothing on screen moves with the clock.
        table.update_rooms(
            [room(1, status="paused", timeout_ms=None, paused_remaining_ms=9_000)], now_ms=T0
        )
        await pilot.pause()
        redraws: list[object] = []
        monkeypatch.setattr(table, "refresh", lambda *args, **kwargs: redraws.append(args))
        table.tick(T0 + 1_000)
        assert redraws == []
        table.tick(T0 + 60_000)  # "2m ago" becomes "3m ago"
        assert len(redraws) == 1


async def test_a_ticking_clock_redraws_only_its_own_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        paused = {"status": "paused", "timeout_ms": None, "paused_remaining_ms": 9_000}
        table.update_rooms([room(1, **paused), room(2), room(3, **paused)], now_ms=T0)
        await pilot.pause()
        redraws: list[tuple[object, ...]] = []
        monkeypatch.setattr(table, "refresh", lambda *args, **kwargs: redraws.append(args))
        table.tick(T0 + 1_000)  # room 2's 0:42 becomes 0:41: its line alone
        assert [(region.y, region.height) for (region,) in redraws] == [(2, 1)]
        # ... and on it the Turn cell alone, padding included.
        (region,) = redraws[0]
        line = table.render_line(2).text
        assert line[region.x : region.x + region.width].strip() == "Bree 0:41 left"


async def test_a_row_that_changes_is_drawn_anew_whole() -> None:
    """The cells kept between ticks are never shown for a row, style or width they were
    not drawn for."""
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=WIDE) as pilot:
        table.update_rooms([room(1), room(2)], now_ms=T0)
        await pilot.pause()
        assert "Room 2" in table.render_line(2).text
        table.update_rooms([room(1), room(2, "Dragon lair", status="paused")], now_ms=T0)
        line = table.render_line(2).text
        assert "Dragon lair" in line and "Room 2" not in line and "PAUSED" in line.upper()
        under_cursor = table.render_line(1)
        await pilot.press("down")
        assert table.render_line(1).text == under_cursor.text
        assert table.render_line(1) != under_cursor  # the cursor's style went with it
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert len(table.render_line(2).text) == table.scrollable_content_region.width


async def test_a_thousand_rooms_draw_only_the_lines_on_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn: list[int] = []
    room_cells = widgets.rooms_table.room_cells

    def counting(row: RoomRow, now_ms: int | None, turn_width: int) -> dict[str, object]:
        drawn.append(row.interaction_id)
        return room_cells(row, now_ms, turn_width)

    monkeypatch.setattr(widgets.rooms_table, "room_cells", counting)
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        table.update_rooms([room(number) for number in range(1, 1001)], now_ms=T0)
        await pilot.pause()
        assert table.row_count == 1000
        assert 0 < len(set(drawn)) <= SIZE[1]
        drawn.clear()
        await pilot.press("end")
        await pilot.pause()
        assert table.selected_interaction_id == 1000
        assert 1000 in drawn and len(set(drawn)) <= SIZE[1]
        assert "Room 1000" in table.render_line(table.size.height - 1).text
        await pilot.press("home")
        assert table.selected_interaction_id == 1


async def test_time_left_changes_colour_as_it_runs_out() -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=SIZE):
        table.update_rooms([room(1, timeout_ms=T0 + 60_000)], now_ms=T0)
        colours = []
        for left in (40, 20, 5):
            table.tick(T0 + 60_000 - left * 1000)
            turn = table.cells(1)["turn"]
            colours.append(str(turn.spans[-1].style))
        assert colours == ["green", "yellow", "bold red"]


async def test_enter_posts_room_chosen_with_the_interaction() -> None:
    table = RoomsTable()
    app = WidgetApp(table)
    async with app.run_test(size=SIZE) as pilot:
        table.update_rooms([room(7), room(9)], now_ms=T0)
        await pilot.press("down", "enter")
        chosen = app.of_type(RoomsTable.RoomChosen)
        assert [message.interaction_id for message in chosen] == [9]


async def test_hostile_names_are_shown_literally_and_do_nothing() -> None:
    table = RoomsTable()
    app = WidgetApp(table)
    async with app.run_test(size=WIDE) as pilot:
        rows = [
            room(i, name, live_room_id=name, current_turn=name)
            for i, name in enumerate(HOSTILE, start=1)
        ]
        table.update_rooms(rows, now_ms=T0)
        await pilot.pause()
        assert cell(table, 1, "name") == "[bold]x[/bold]"
        assert cell(table, 2, "name") == "[@click=app.quit]x[/]"
        assert cell(table, 3, "room") == "[link=http://x]y[/link]"
        assert cell(table, 4, "name") == "\\x1b[31mred"
        lines = [table.render_line(y) for y in range(len(HOSTILE) + 1)]
        assert all(strip_is_inert(line) for line in lines)
        assert "[@click=app.quit]x[/]" in lines[2].text
        await pilot.click(RoomsTable, offset=(3, 2))
        await pilot.pause()
        assert app.is_running
        assert table.selected_interaction_id == 2
        assert [m.interaction_id for m in app.of_type(RoomsTable.RoomChosen)] == [2]


async def test_long_names_are_truncated() -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=SIZE):
        table.update_rooms([room(1, "x" * 500)], now_ms=T0)
        assert cell(table, 1, "name") == "x" * 39 + "…"


def test_columns_fit_the_width_narrowing_turn_then_dropping_room_then_players() -> None:
    def shown(width: int, id_width: int = 1) -> dict[str, int]:
        return {key: size for _, key, size in columns_for(width, id_width)}

    full = shown(130)
    assert list(full) == ["id", "name", "status", "room", "players", "turn", "round", "activity"]
    assert full["id"] == 1 and full["name"] == NAME_WIDTH and full["turn"] == TURN_WIDTH
    assert shown(120) == full  # 8 columns, each with a cell of padding either side
    assert shown(118) == {**full, "turn": TURN_WIDTH - 2}  # 120 columns, less the scrollbar
    assert shown(114) == {**full, "turn": TURN_MIN}
    assert list(shown(113)) == ["id", "name", "status", "players", "turn", "round", "activity"]
    assert shown(100)["name"] == NAME_WIDTH  # the name before the turn's blank cells
    assert shown(90)["name"] == 24
    narrow = shown(78)
    assert list(narrow) == ["id", "name", "status", "turn", "round", "activity"]
    assert narrow["name"] == 21 and narrow["turn"] == TURN_MIN
    assert sum(size + 2 for size in narrow.values()) == 78
    thousands = shown(78, id_width=4)  # a store of a thousand rooms: "1000" fits whole
    assert thousands["id"] == 4 and thousands["name"] == NAME_MIN
    assert sum(size + 2 for size in thousands.values()) == 78
    assert shown(40)["name"] == NAME_MIN  # too narrow for anything: scrolls sideways


async def test_each_row_shows_its_interaction_id() -> None:
    """Issue 19: errors say "interaction 7" and `liveroom export 7` takes the id; the
    row must say 7 too, however many digits the ids have, at 80 columns as well."""
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=(80, 24)) as pilot:
        table.update_rooms([room(7, "Goblin ambush"), room(12, "Tavern brawl")], now_ms=T0)
        await pilot.pause()
        assert header(table)[0] == "#"
        assert table.render_line(1).text.split()[:3] == ["7", "Goblin", "ambush"]
        assert table.render_line(2).text.split()[:3] == ["12", "Tavern", "brawl"]

        table.update_rooms([room(7), room(1234)], now_ms=T0)
        await pilot.pause()
        assert table.render_line(2).text.split()[0] == "1234"
        assert table.column_keys == ["id", "name", "status", "turn", "round", "activity"]
        assert len(table.render_line(2).text.rstrip()) <= 78


async def test_at_80_columns_turn_round_and_activity_are_on_screen() -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=(80, 24)) as pilot:
        table.update_rooms(
            [
                room(
                    1,
                    "The Sunken Temple of the Drowned God",
                    status="paused",
                    timeout_ms=None,
                    paused_remaining_ms=68_000,
                )
            ],
            now_ms=T0,
        )
        await pilot.pause()
        labels = ["#", "Name", "Status", "Turn", "Round", "Activity"]
        assert header(table) == labels
        row = table.render_line(1).text
        assert "Bree 1:08 left" in row
        assert row.split()[-3:] == ["3", "2m", "ago"]
        assert "The Sunken Temple of…" in row
        assert len(row.rstrip()) <= table.size.width - table.styles.scrollbar_size_vertical


async def test_resizing_rebuilds_the_columns_and_keeps_the_cursor() -> None:
    table = RoomsTable()
    app = WidgetApp(table)
    async with app.run_test(size=WIDE) as pilot:
        table.update_rooms([room(1), room(2), room(3)], now_ms=T0)
        await pilot.press("down", "down")
        assert table.selected_interaction_id == 3
        assert "room" in table.column_keys

        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert table.column_keys == ["id", "name", "status", "turn", "round", "activity"]
        assert table.selected_interaction_id == 3
        assert cell(table, 2, "turn") == "Bree 0:42 left"

        # Normal refreshes still update in place at the new width.
        table.update_rooms([room(1), room(2), room(3, "Renamed")])
        assert cell(table, 3, "name") == "Renamed"
        assert table.selected_interaction_id == 3
        table.tick(T0 + 30_000)
        assert cell(table, 1, "turn") == "Bree 0:12 left"

        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        assert "room" in table.column_keys and "players" in table.column_keys
        assert cell(table, 2, "room") == "room-2"
        assert table.selected_interaction_id == 3


async def test_time_left_reads_as_the_room_timer_reads_it() -> None:
    """Issue 19: the list said "2m left" while the room's timer said 1:29."""
    table = RoomsTable()
    timer = TurnTimer()
    async with WidgetApp(table).run_test(size=SIZE):
        table.update_rooms([room(1, timeout_ms=T0 + 89_000, turn_time_limit=300)], now_ms=T0)
        timer.show_turn(
            status="live",
            timeout_ms=T0 + 89_000,
            limit_s=300,
            paused_remaining_ms=None,
            entity_name="Bree",
            now_ms=T0,
        )
        assert cell(table, 1, "turn") == "Bree 1:29 left"
        assert timer.summary == "Bree  1:29 left"


def test_a_long_name_gives_way_to_the_time_left() -> None:
    long = room(1, current_turn="Bartholomew the Bold", timeout_ms=T0 + 3_600_000)
    long = replace(long, turn_time_limit=3600)
    assert turn_cell(long, T0, 20).plain == "Bartho… 1:00:00 left"  # 20 cells
    assert turn_cell(long, T0).plain == "Bartholomew … 1:00:00 left"


def test_activity_within_the_first_minute_reads_just_now() -> None:
    from dataclasses import replace

    from widgets.rooms_table import RoomRow, activity_cell

    row = RoomRow(
        interaction_id=1,
        name="x",
        status="live",
        live_room_id=None,
        participants=0,
        current_turn=None,
        timeout_ms=None,
        paused_remaining_ms=None,
        turn_time_limit=0,
        round_number=1,
        last_activity=1_000_000,
    )
    assert activity_cell(row, 1_000_000 + 59_999).plain == "just now"
    assert activity_cell(row, 1_000_000 + 125_000).plain == "2m ago"
    assert activity_cell(replace(row, last_activity=None), 1_000_000).plain == "—"


async def test_the_cursor_row_is_drawn_highlighted_and_follows_the_keys() -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=SIZE) as pilot:
        table.update_rooms([room(1), room(2), room(3)], now_ms=T0)
        await pilot.pause()

        def background(y: int) -> object:
            return next(iter(table.render_line(y))).style.bgcolor  # type: ignore[union-attr]

        highlighted, plain = background(1), background(3)
        assert highlighted != plain
        await pilot.press("down", "down")
        await pilot.pause()
        assert background(3) == highlighted
        assert background(1) == plain


def test_long_values_get_the_cells_a_wide_table_has_left() -> None:
    """Issue 19 at 200 columns: names were cut at 30 cells and room ids at 16 while
    some 80 cells stayed blank. Spare cells go by need: the name, the room, the turn."""
    rows = [
        room(1, "Tavern Brawl at the Gilded Tankard", live_room_id="room-siege-of-emberfall-keep"),
        room(2, current_turn="Goblin Skirmisher 2"),
    ]
    needs = needs_of(rows)
    wide = {key: size for _, key, size in columns_for(196, needs=needs)}
    assert wide["name"] == len(rows[0].name)
    assert wide["room"] == len("room-siege-of-emberfall-keep")
    assert turn_cell(rows[1], T0, wide["turn"]).plain == "Goblin Skirmisher 2 0:42 left"
    # At 120 columns a longer name takes the Turn column's blank cells first.
    at_120 = {key: size for _, key, size in columns_for(118, needs=needs)}
    assert at_120["name"] == len(rows[0].name) and at_120["turn"] >= TURN_MIN
    assert sum(size + 2 for size in at_120.values()) <= 118
    # Without needs (or short values) nothing changes.
    assert columns_for(196) == columns_for(196, needs=needs_of([room(1)]))


async def test_a_longer_name_arriving_refits_the_columns() -> None:
    table = RoomsTable()
    async with WidgetApp(table).run_test(size=(200, 20)) as pilot:
        table.update_rooms([room(1)], now_ms=T0)
        await pilot.pause()
        longer = "The Cult Beneath Emberfall, Second Night"
        table.update_rooms([room(1), room(2, longer)], now_ms=T0)
        await pilot.pause()
        assert cell(table, 2, "name") == longer
        assert "…" not in table.render_line(2).text
