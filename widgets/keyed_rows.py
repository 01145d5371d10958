"""Keep a DataTable showing a list of keyed rows, changing only what changed.

Shared by the small table widgets (initiative, turn history). Clearing and
rebuilding a DataTable on every refresh costs a full relayout (PERF_NOTES:
233 ms at 1k rows) and throws the user's cursor away; updating cells in place
keeps both the frame time and the selection steady while data streams in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.widgets import DataTable

__all__ = [
    "WHOLE",
    "Column",
    "KeyedTable",
    "Row",
    "ensure_columns",
    "fit_columns",
    "same_cell",
    "selected_key",
    "sync_rows",
]

Row = tuple[str, Sequence[Text]]
"""(row key, one Text per column in column order)."""

Column = tuple[str, str, int | None]
"""(label, key, width): the narrowest a column is drawn, or None for as wide as its
longest value."""


WHOLE = "whole "
"""Ranks a column's longest value, not only the column: "whole name" (see fit_columns)."""
WHOLE_CAP = 24
"""Cells of a longest value that a rank guarantees: one long name must not take every
column after it away."""


def fit_columns(
    columns: Sequence[Column],
    width: int,
    needs: Mapping[str, int],
    *,
    flex: Sequence[str] = (),
    rank: Sequence[str] = (),
    padding: int = 2,
) -> list[Column]:
    """`columns` with the widths they get in `width` cells (each column `padding` wider).

    A column is drawn whole or not at all: a value cut in the middle (an armor
    class 15 shown as "1") reads as a wrong value. `rank` orders what is worth
    keeping, best first: a key is its column at its narrowest, "whole KEY" its
    longest value too (`needs`, by key, up to WHOLE_CAP cells). They are taken in
    turn while they fit; from the first that does not, the ranked columns left
    are left out. Columns not ranked are always drawn.

    The cells left over go to the `flex` columns by need, in order: the first
    grows to its longest value before the next grows at all, so a long name is
    whole before a short column gets blank cells. What is left then is shared
    evenly, so the table fills its panel.
    """
    sized = {
        key: size if size is not None else max(len(label), needs.get(key, 0))
        for label, key, size in columns
    }
    ranked = {item.removeprefix(WHOLE) for item in rank}
    used = sum(size + padding for key, size in sized.items() if key not in ranked)
    kept = {key for key in sized if key not in ranked}
    for item in rank:
        key = item.removeprefix(WHOLE)
        if key not in sized:
            continue
        if item.startswith(WHOLE):
            cost = max(0, min(needs.get(key, 0), WHOLE_CAP) - sized[key]) if key in kept else 0
        else:
            cost = sized[key] + padding
        if used + cost > width:
            break
        used += cost
        kept.add(key)
    sizes = {key: size for key, size in sized.items() if key in kept}
    spare = width - sum(size + padding for size in sizes.values())
    growing = [key for key in flex if key in sizes]
    for key in growing:
        grow = max(0, min(spare, needs.get(key, 0) - sizes[key]))
        sizes[key] += grow
        spare -= grow
    if growing and spare > 0:
        share, rest = divmod(spare, len(growing))
        for index, key in enumerate(growing):
            sizes[key] += share + (1 if index < rest else 0)
    return [(label, key, sizes[key]) for label, key, _ in columns if key in sizes]


def needs_of(keys: Sequence[str], rows: Sequence[Row]) -> dict[str, int]:
    """The widest value of each column in `rows`, by key (cells in `keys` order)."""
    needs = dict.fromkeys(keys, 0)
    for _, cells in rows:
        for key, cell in zip(keys, cells, strict=False):
            width = cell.cell_len if isinstance(cell, Text) else len(str(cell))
            if width > needs[key]:
                needs[key] = width
    return needs


def ensure_columns(table: DataTable[Any], columns: Sequence[Column]) -> None:
    """Add the table's columns once.

    Called on mount and before every update rather than in __init__: adding
    a column measures its label with the app's console, which does not exist
    yet when a widget is built outside a running app.
    """
    if table.columns:
        return
    for label, key, width in columns:
        table.add_column(label, key=key, width=width)


def same_cell(old: Any, new: Any) -> bool:
    """Whether two cell values would look identical.

    Rich's Text.__eq__ ignores the base style, so a cell whose words stay the
    same but whose colour changes (the current initiative row) would never be
    updated if compared with ==.
    """
    if isinstance(old, Text) and isinstance(new, Text):
        return old.plain == new.plain and old.style == new.style and old.spans == new.spans
    return bool(old == new)


def selected_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor, or None for an empty table."""
    if table.row_count == 0:
        return None
    row = min(max(table.cursor_row, 0), table.row_count - 1)
    return table.ordered_rows[row].key.value


def sync_rows(table: DataTable[Any], rows: Sequence[Row]) -> None:
    """Make `table` show exactly `rows`, in order, keeping the cursor on its row.

    Existing rows are updated cell by cell (update_width=False: column widths
    are set when rows are added, so a ticking value never relayouts the
    table), new rows are added, vanished rows removed, and the order fixed
    with one sort only when it differs.
    """
    keep = selected_key(table)
    old_cursor = table.cursor_row
    if isinstance(table, KeyedTable) and table.FIT_TO_ROWS:
        table.fit_to([key for _, key, _ in table.COLUMNS], rows)
    columns = list(table.columns)
    wanted = {key: cells for key, cells in rows}
    if len(wanted) != len(rows):
        raise ValueError("row keys must be unique")

    for row_key in [row.key for row in table.ordered_rows]:
        if row_key.value not in wanted:
            table.remove_row(row_key)
    for key, cells in rows:
        if key in table.rows:
            for column, cell in zip(columns, cells, strict=True):
                if not same_cell(table.get_cell(key, column), cell):
                    table.update_cell(key, column, cell, update_width=False)
        else:
            table.add_row(*cells, key=key, height=1)

    order = [key for key, _ in rows]
    if [row.key.value for row in table.ordered_rows] != order:
        _reorder(table, order, columns[0])

    if table.row_count == 0:
        return
    if keep is not None and keep in table.rows:
        target = table.get_row_index(keep)
    else:
        target = min(max(old_cursor, 0), table.row_count - 1)
    if target != table.cursor_row:
        table.move_cursor(row=target, animate=False)


def _reorder(table: DataTable[Any], order: list[str], first_column: Any) -> None:
    """Sort rows into `order`.

    DataTable.sort only hands cell values to its key function, never the row
    key, so each row's first cell is replaced with a fresh copy and the rows
    are sorted by the identity of that object. Copies guarantee no two rows
    share a cell object (which would make identities ambiguous).
    """
    position: dict[int, int] = {}
    for index, key in enumerate(order):
        cell = table.get_cell(key, first_column)
        fresh = cell.copy() if isinstance(cell, Text) else Text(str(cell), end="")
        table.update_cell(key, first_column, fresh, update_width=False)
        position[id(fresh)] = index
    table.sort(first_column, key=lambda cell: position[id(cell)])


class KeyedTable(DataTable[Text]):
    """A table with a row cursor whose rows are kept in step by key (see sync_rows).

    Its columns are fitted to the panel (fit_columns): whole columns are left
    out where the panel is narrow (RANK), and the FLEX ones share whatever width
    it has beyond the others by need, so a wide screen shows whole names first.
    """

    ZEBRA_STRIPES = True
    COLUMNS: ClassVar[Sequence[Column]] = ()
    FLEX: ClassVar[tuple[str, ...]] = ()
    """The keys of the columns that grow with the table (never below their own width),
    in the order they get cells: each to its longest value, then all evenly."""
    RANK: ClassVar[tuple[str, ...]] = ()
    """What is worth keeping when the panel is narrow, best first (see fit_columns):
    "name" the column, "whole name" its longest value. Unranked columns always show."""
    FIT_TO_ROWS: ClassVar[bool] = True
    """Whether sync_rows measures the rows for the FLEX columns' needs; False for a table
    whose cells depend on the widths (it passes its needs to fit_to_needs itself)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            cursor_type="row",
            zebra_stripes=self.ZEBRA_STRIPES,
            name=name,
            id=id,
            classes=classes,
            disabled=disabled,
        )
        self._needs: dict[str, int] = {}
        """The widest value of each column, by key, as last measured."""

    def on_mount(self) -> None:
        ensure_columns(self, self.fitted_columns())

    def on_resize(self) -> None:
        self.refit()

    def refit(self) -> None:
        """Fit the columns to the width there is now (called on every resize)."""
        self.fit_to_needs(self._needs)

    def fitted_columns(self, needs: Mapping[str, int] | None = None) -> list[Column]:
        """COLUMNS fitted to the table's width (see fit_columns); as given before the
        table has a width."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return list(self.COLUMNS)
        needs = self._needs if needs is None else needs
        return fit_columns(
            self.column_specs(needs),
            width,
            needs,
            flex=self.FLEX,
            rank=self.RANK,
            padding=2 * self.cell_padding,
        )

    def column_specs(self, needs: Mapping[str, int]) -> Sequence[Column]:
        """The columns before fitting: COLUMNS, unless the values change how narrow one
        may get."""
        return self.COLUMNS

    def fit_to(self, keys: Sequence[str], rows: Sequence[Row]) -> None:
        """Fit the columns to the widest values of `rows` (cells in `keys` order)."""
        needs = needs_of(keys, rows)
        if needs != self._needs:
            self.fit_to_needs(needs)

    def fit_to_needs(self, needs: Mapping[str, int]) -> list[Column]:
        """Fit the columns to the width and `needs`; returns them. The columns are made
        again, and the rows put back, only when one is added, left out or resized."""
        self._needs = dict(needs)
        wanted = self.fitted_columns()
        if not self.columns:
            ensure_columns(self, wanted)
            return wanted
        current = [
            (column.label.plain, str(column.key.value), column.width)
            for column in self.columns.values()
        ]
        if current == wanted:
            return wanted
        shown = [str(column.value) for column in self.columns]
        rows = [
            (str(row.key.value), dict(zip(shown, self.get_row(row.key), strict=True)))
            for row in self.ordered_rows
        ]
        cursor = self.cursor_row
        self.clear(columns=True)
        ensure_columns(self, wanted)
        for key, cells in rows:  # a column shown again starts blank, until the next sync
            self.add_row(*(cells.get(k, Text(end="")) for _, k, _ in wanted), key=key, height=1)
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1), animate=False)
        return wanted
