"""The rooms table: one row per interaction, refreshed in place as rooms change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import DataTable

from widgets.keyed_rows import Column, ensure_columns, same_cell, selected_key, sync_rows
from widgets.text import EM_DASH, format_clock, literal, relative_time, status_text

__all__ = ["RoomRow", "RoomsTable"]

NAME_LIMIT = 40
"""Characters of a room name shown before "…": one long name must not squeeze every column."""

ROOM_LIMIT = 24
TURN_WIDTH = 26
ACTIVITY_WIDTH = 9


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
            text.append(f"{format_clock(remaining)} left", style=style)
    return text


def activity_cell(row: RoomRow, now_ms: int | None) -> Text:
    """ "2m ago": how stale the room is, from the injected clock."""
    if now_ms is None or row.last_activity is None:
        return Text(EM_DASH, style="dim", end="")
    return Text(relative_time(row.last_activity, now_ms), end="")


COLUMNS: list[Column] = [
    ("Name", "name", None),
    ("Status", "status", 11),
    ("Room", "room", None),
    ("Players", "players", 7),
    ("Turn", "turn", TURN_WIDTH),
    ("Round", "round", 5),
    ("Activity", "activity", ACTIVITY_WIDTH),
]


class RoomsTable(DataTable[Text]):
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
        super().__init__(
            cursor_type="row",
            zebra_stripes=True,
            name=name,
            id=id,
            classes=classes,
            disabled=disabled,
        )
        self._rows: dict[str, RoomRow] = {}
        self._now_ms: int | None = None

    def on_mount(self) -> None:
        ensure_columns(self, COLUMNS)

    def update_rooms(self, rows: Sequence[RoomRow], *, now_ms: int | None = None) -> None:
        """Show exactly `rows`, in their order, keeping the cursor on the same interaction.

        `now_ms` (optional) is the screen's clock; without it the last value
        given to tick() is used for the time-dependent cells.
        """
        if now_ms is not None:
            self._now_ms = now_ms
        ensure_columns(self, COLUMNS)
        self._rows = {str(row.interaction_id): row for row in rows}
        sync_rows(self, [(key, self._cells(row)) for key, row in self._rows.items()])

    def tick(self, now_ms: int) -> None:
        """Refresh only the clock-dependent cells (Turn, Activity) for the new time."""
        self._now_ms = now_ms
        for key, row in self._rows.items():
            self._set_if_changed(key, "turn", turn_cell(row, now_ms))
            self._set_if_changed(key, "activity", activity_cell(row, now_ms))

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

    def _cells(self, row: RoomRow) -> list[Text]:
        return [
            literal(row.name, limit=NAME_LIMIT),
            status_text(row.status),
            literal(row.live_room_id, limit=ROOM_LIMIT)
            if row.live_room_id
            else Text(EM_DASH, style="dim", end=""),
            Text(str(row.participants), justify="right", end=""),
            turn_cell(row, self._now_ms),
            Text(str(row.round_number) if row.round_number else EM_DASH, justify="right", end=""),
            activity_cell(row, self._now_ms),
        ]

    def _set_if_changed(self, key: str, column: str, cell: Text) -> None:
        if not same_cell(self.get_cell(key, column), cell):
            self.update_cell(key, column, cell, update_width=False)
