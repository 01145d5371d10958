"""The rooms table: one row per interaction, refreshed in place as rooms change.

The full set of columns needs about 118 cells; at 80 columns the Turn,
Round and Activity columns (what a game master scans for) would fall off
the right edge. So the table fits its columns to its width: it drops the
room id first, then the player count, and narrows the name. Changing
columns means rebuilding the table, which happens only on a resize that
crosses a threshold; normal refreshes still update cells in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from widgets.keyed_rows import (
    Column,
    KeyedTable,
    ensure_columns,
    same_cell,
    selected_key,
    sync_rows,
)
from widgets.text import EM_DASH, format_clock, literal, relative_time, status_text

__all__ = ["RoomRow", "RoomsTable"]

NAME_LIMIT = 40
"""Characters of a room name shown before "…": one long name must not squeeze every column."""

ROOM_LIMIT = 24
TURN_WIDTH = 26
ACTIVITY_WIDTH = 8
"""Fits "just now" and "999d ago", the longest relative_time() readings."""


@dataclass(frozen=True)
class RoomRow:
    """What the rooms table shows for one interaction; the screen builds it from the store."""

    interaction_id: int
    name: str
    status: str
    live_room_id: str | None
    participants: int
    current_turn: str | None
    """Name of the entity whose turn it is, if a turn is running."""
    timeout_ms: int | None
    """Epoch ms at which the running turn times out (None: untimed or not running)."""
    paused_remaining_ms: int | None
    """Turn time left, frozen while the interaction is paused."""
    turn_time_limit: int
    """Seconds per turn; 0 means untimed."""
    round_number: int
    last_activity: int | None
    """Epoch ms of the last event in the room."""


def turn_cell(row: RoomRow, now_ms: int | None) -> Text:
    """Whose turn it is and how long is left: "Bree 0:42", "Bree paused 0:42", "Bree untimed"."""
    if row.current_turn is None or row.status not in ("live", "paused"):
        return Text(EM_DASH, style="dim", end="")
    text = literal(row.current_turn, limit=14)
    text.append(" ")
    if row.turn_time_limit == 0:
        text.append("untimed", style="dim")
    elif row.status == "paused":
        remaining = row.paused_remaining_ms
        text.append("paused", style="yellow")
        if remaining is not None:
            text.append(f" {format_clock(remaining)}", style="yellow")
    elif row.timeout_ms is None or now_ms is None:
        text.append("running", style="dim")
    else:
        remaining = row.timeout_ms - now_ms
        limit_ms = row.turn_time_limit * 1000
        if remaining <= 0:
            text.append("time's up", style="bold red")
        else:
            style = "green" if remaining * 2 >= limit_ms else "yellow"
            if remaining * 5 < limit_ms:
                style = "bold red"
            text.append(f"{overview_clock(remaining)} left", style=style)
    return text


def overview_clock(remaining_ms: int) -> str:
    """Time left as the overview shows it: whole minutes until the last one, then seconds.

    The room screen ticks every second; a list of many rooms only needs to
    say which turns are about to run out, and a cell that changes once a
    minute spares redrawing the whole table every second.
    """
    if remaining_ms > 60_000:
        return f"{-(-remaining_ms // 60_000)}m"
    return format_clock(remaining_ms)


def activity_cell(row: RoomRow, now_ms: int | None) -> Text:
    """ "2m ago": how stale the room is, from the injected clock.

    Within the first minute a room reads "just now": a column of rooms
    counting seconds would redraw the whole table every second (a DataTable
    re-renders every visible cell on any cell update) to say nothing useful.
    """
    if now_ms is None or row.last_activity is None:
        return Text(EM_DASH, style="dim", end="")
    if now_ms - row.last_activity < 60_000:
        return Text("just now", end="")
    return Text(relative_time(row.last_activity, now_ms), end="")


NAME_WIDTH = 30
NAME_MIN = 18
"""The name is what a row is found by: it narrows only this far, after the Room column
has gone; below it, the Players column goes too."""
ROOM_WIDTH = 16
COLUMNS: list[Column] = [
    ("Name", "name", NAME_WIDTH),
    ("Status", "status", 11),
    ("Room", "room", ROOM_WIDTH),
    ("Players", "players", 7),
    ("Turn", "turn", TURN_WIDTH),
    ("Round", "round", 5),
    ("Activity", "activity", ACTIVITY_WIDTH),
]
_FITS: list[tuple[tuple[str, ...], int]] = [
    ((), NAME_WIDTH),
    (("room",), NAME_MIN),
    (("room", "players"), NAME_MIN),
]
"""Columns dropped, lowest value first, and how narrow the name may get with that set."""


def columns_for(width: int, cell_padding: int = 1) -> list[Column]:
    """The columns to show in `width` cells: every column while the name keeps its full
    width, then without Room, then without Players, the name narrowing to NAME_MIN.

    Narrower still, the smallest set is returned anyway and the table scrolls
    sideways, as any DataTable does.
    """
    padding = 2 * cell_padding
    for dropped, name_min in _FITS:
        kept = [column for column in COLUMNS if column[1] not in dropped]
        others = sum((size or 0) + padding for _, key, size in kept if key != "name")
        name = min(NAME_WIDTH, width - others - padding)
        if name >= name_min:
            break
    name = max(name, NAME_MIN)
    return [(label, key, name if key == "name" else size) for label, key, size in kept]


class RoomsTable(KeyedTable):
    """Every interaction at a glance; Enter posts DataTable.RowSelected for the screen.

    Rows are keyed by str(interaction_id) and updated in place, so a refresh
    every half second neither flickers nor moves the cursor off the room the
    game master is looking at.
    """

    DEFAULT_CSS = """
    RoomsTable {
        height: 1fr;
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._rows: dict[str, RoomRow] = {}
        self._now_ms: int | None = None
        self._columns = COLUMNS

    def on_mount(self) -> None:
        ensure_columns(self, self._columns)

    def on_resize(self) -> None:
        """Refit the columns to the new width, rebuilding the table only if they change."""
        width = self.size.width - self.styles.scrollbar_size_vertical
        if width <= 0:
            return
        wanted = columns_for(width, self.cell_padding)
        if wanted == self._columns and self.columns:
            return
        keep = selected_key(self)
        self._columns = wanted
        self.clear(columns=True)
        ensure_columns(self, wanted)
        for key, row in self._rows.items():
            self.add_row(*self._cells(row), key=key, height=1)
        if keep is not None:
            self.select_interaction(int(keep))

    def update_rooms(self, rows: Sequence[RoomRow], *, now_ms: int | None = None) -> None:
        """Show exactly `rows`, in their order, keeping the cursor on the same interaction.

        `now_ms` (optional) is the screen's clock; without it the last value
        given to tick() is used for the time-dependent cells.
        """
        if now_ms is not None:
            self._now_ms = now_ms
        ensure_columns(self, self._columns)
        self._rows = {str(row.interaction_id): row for row in rows}
        sync_rows(self, [(key, self._cells(row)) for key, row in self._rows.items()])

    def tick(self, now_ms: int) -> None:
        """Refresh the clock-dependent cells (Turn, Activity) of the rows on screen.

        Only the visible rows: a store of a thousand rooms would otherwise
        rebuild a thousand countdowns a second for nobody to see. Rows
        scrolled into view catch up on the next tick.
        """
        self._now_ms = now_ms
        for key in self._visible_keys():
            row = self._rows.get(key)
            if row is not None:
                self._set_if_changed(key, "turn", turn_cell(row, now_ms))
                self._set_if_changed(key, "activity", activity_cell(row, now_ms))

    def _visible_keys(self) -> list[str]:
        """Keys of the rows in the viewport (each row is one line high)."""
        first = max(0, int(self.scroll_y))
        last = min(self.row_count, first + self.scrollable_content_region.height + 1)
        ordered = self.ordered_rows
        return [str(ordered[index].key.value) for index in range(first, last)]

    @property
    def selected_interaction_id(self) -> int | None:
        """The interaction under the cursor, or None when the table is empty."""
        key = selected_key(self)
        return None if key is None else int(key)

    def select_interaction(self, interaction_id: int) -> bool:
        """Move the cursor to `interaction_id`'s row; False when it is not shown."""
        key = str(interaction_id)
        if key not in self.rows:
            return False
        self.move_cursor(row=self.get_row_index(key), animate=False)
        return True

    @property
    def column_keys(self) -> list[str]:
        """The keys of the columns shown at the current width, in order."""
        return [key for _, key, _ in self._columns]

    def _cells(self, row: RoomRow) -> list[Text]:
        """The row's cells for the columns shown (every column has a cell, most are cheap)."""
        cells = {
            "name": literal(row.name, limit=NAME_LIMIT),
            "status": status_text(row.status),
            "room": literal(row.live_room_id, limit=ROOM_LIMIT)
            if row.live_room_id
            else Text(EM_DASH, style="dim", end=""),
            "players": Text(str(row.participants), justify="right", end=""),
            "turn": turn_cell(row, self._now_ms),
            "round": Text(
                str(row.round_number) if row.round_number else EM_DASH, justify="right", end=""
            ),
            "activity": activity_cell(row, self._now_ms),
        }
        return [cells[key] for key in self.column_keys]

    def _set_if_changed(self, key: str, column: str, cell: Text) -> None:
        if not same_cell(self.get_cell(key, column), cell):
            self.update_cell(key, column, cell, update_width=False)
