"""Fitting a keyed table's columns: whole columns by rank, spare cells by need."""

from __future__ import annotations

from widgets.keyed_rows import WHOLE, WHOLE_CAP, Column, fit_columns
from widgets.turn_history import TurnHistory

from .harness import WidgetApp, turn_record

COLUMNS: list[Column] = [
    ("", "marker", 1),
    ("Name", "name", 10),
    ("HP", "hp", None),
    ("Kind", "kind", 7),
    ("Notes", "notes", 6),
]
RANK = ("name", "hp", "notes", f"{WHOLE}name", "kind", f"{WHOLE}notes")
NEEDS = {"name": 15, "hp": 8, "notes": 20, "kind": 7}


def widths(width: int, needs: dict[str, int] = NEEDS) -> dict[str, int]:
    fitted = fit_columns(COLUMNS, width, needs, flex=("name", "notes"), rank=RANK)
    return {key: size for _, key, size in fitted}


def test_ranked_columns_are_left_out_whole_from_the_lowest() -> None:
    # marker 3, name 12, hp 10 (as wide as its numbers), notes 8: 33 cells.
    assert list(widths(33)) == ["marker", "name", "hp", "notes"]
    assert list(widths(32)) == ["marker", "name", "hp"]  # notes would be cut: it goes
    assert list(widths(20)) == ["marker", "name"]
    assert list(widths(10)) == ["marker"]  # unranked columns always stay


def test_a_whole_name_outranks_the_columns_after_it() -> None:
    assert widths(46) == {"marker": 1, "name": 15, "hp": 8, "notes": 14}  # no room for kind
    assert list(widths(47)) == ["marker", "name", "hp", "kind", "notes"]


def test_spare_cells_go_by_need_name_first_then_evenly() -> None:
    assert widths(40)["name"] == 15 and widths(40)["notes"] == 8
    wide = widths(100)
    assert wide["name"] > 15 and wide["notes"] > 20  # both whole, the rest shared
    fitted = fit_columns(COLUMNS, 100, NEEDS, flex=("name", "notes"), rank=RANK)
    assert sum(size + 2 for _, _, size in fitted) == 100


def test_one_long_name_does_not_take_every_column() -> None:
    needs = {**NEEDS, "name": 300}
    assert list(widths(60, needs)) == ["marker", "name", "hp", "kind", "notes"]
    assert widths(60, needs)["name"] >= WHOLE_CAP


def test_without_needs_the_flex_columns_share_evenly() -> None:
    fitted = fit_columns(COLUMNS, 60, {}, flex=("name", "notes"))
    sizes = {key: size for _, key, size in fitted}
    assert abs((sizes["name"] - 10) - (sizes["notes"] - 6)) <= 1


async def test_the_turn_history_gives_its_spare_cells_to_long_names() -> None:
    table = TurnHistory()
    async with WidgetApp(table).run_test(size=(100, 20)) as pilot:
        names = {"gob-1": "Goblin Skirmisher the Second"}
        table.show_records([turn_record(1, 1, 1)], names, current_round=1)
        await pilot.pause()
        entity = next(c for c in table.columns.values() if c.key.value == "entity")
        assert entity.width >= len(names["gob-1"])
