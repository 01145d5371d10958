"""Keep a DataTable showing a list of keyed rows, changing only what changed.

Shared by the small table widgets (initiative, turn history). Clearing and
rebuilding a DataTable on every refresh costs a full relayout (PERF_NOTES:
233 ms at 1k rows) and throws the user's cursor away; updating cells in place
keeps both the frame time and the selection steady while data streams in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.widgets import DataTable

__all__ = [
    "Column",
    "KeyedTable",
    "Row",
    "ensure_columns",
    "same_cell",
    "selected_key",
    "sync_rows",
]

Row = tuple[str, Sequence[Text]]
"""(row key, one Text per column in column order)."""

Column = tuple[str, str, int | None]
"""(label, key, fixed width or None to fit the content)."""


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

    Its columns have fixed widths (auto-sized ones would depend on which rows
    came first), except the FLEX ones: they share whatever width the panel
    has beyond the others, so a wide screen shows whole names.
    """

    ZEBRA_STRIPES = True
    COLUMNS: ClassVar[Sequence[Column]] = ()
    FLEX: ClassVar[tuple[str, ...]] = ()
    """The keys of the columns that grow with the table (never below their own width)."""

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

    def on_mount(self) -> None:
        ensure_columns(self, self.fitted_columns())

    def on_resize(self) -> None:
        """Give the flexible column the width there is now: the columns are made again,
        and the rows put back, only when a width changes."""
        wanted = self.fitted_columns()
        current = [
            (column.label.plain, str(column.key.value), column.width)
            for column in self.columns.values()
        ]
        if not self.columns or current == [(label, key, width) for label, key, width in wanted]:
            return
        rows = [(str(row.key.value), list(self.get_row(row.key))) for row in self.ordered_rows]
        cursor = self.cursor_row
        self.clear(columns=True)
        ensure_columns(self, wanted)
        for key, cells in rows:
            self.add_row(*cells, key=key, height=1)
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1), animate=False)

    def fitted_columns(self) -> list[Column]:
        """COLUMNS, the FLEX ones sharing the width the others leave."""
        width = self.scrollable_content_region.width
        if not self.FLEX or width <= 0:
            return list(self.COLUMNS)
        spare = width - sum((w or 0) + 2 * self.cell_padding for _, _, w in self.COLUMNS)
        share = max(0, spare) // len(self.FLEX)
        return [
            (label, key, (w or 0) + share if key in self.FLEX else w)
            for label, key, w in self.COLUMNS
        ]
