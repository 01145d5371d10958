"""The rooms table: one row per interaction, drawn line by line from plain row data.

A store may hold a thousand rooms. A DataTable measures and renders every
cell of every row when rows arrive (PERF_NOTES: 234 ms to first paint at 1k
rows); this table holds the rows as RoomRow values and renders only the
lines on screen, so showing 1,000 rooms costs what showing 30 does, and a
refresh that changes one room redraws one screenful at most.

The full set of columns needs about 118 cells; at 80 columns the Turn,
Round and Activity columns (what a game master scans for) would fall off
the right edge. So the table fits its columns to its width: it narrows the
Turn column (mostly blank), drops the live room id, then the player count,
and narrows the name. The interaction's id (the "#" column, what errors and
`liveroom export` name) always stays, as wide as the longest id. On a wide
screen the cells left over go to the longest values: the name first, then
the live room id, then whose turn it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from widgets.text import (
    EM_DASH,
    TURN_RUNNING,
    literal,
    relative_time,
    status_text,
    time_left,
)
from widgets.turn_timer import bar_style

__all__ = ["RoomRow", "RoomsTable"]

NAME_LIMIT = 40
"""Characters of a room name shown before "…": one long name must not squeeze every column."""

ROOM_LIMIT = 40
TURN_WIDTH = 26
TURN_NAME_LIMIT = 14
"""Characters of the name in a Turn column TURN_WIDTH wide, at most: the time left beside
it matters more. A wider column (a wide screen) gives the name its extra cells."""
ACTIVITY_WIDTH = 8
"""Fits "just now" and "999d ago", the longest relative_time() readings."""
CLOCK_KEYS = ("turn", "activity")
"""The columns that change with the clock alone, in the order _shown_times holds them."""
KEPT_ROWS = 100
"""Rows whose other cells are kept drawn (see RoomsTable._row_line): a tall screenful."""


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


def turn_cell(row: RoomRow, now_ms: int | None, width: int = TURN_WIDTH) -> Text:
    """Whose turn it is and how long is left: "Bree 0:42 left", "Bree untimed".

    The time reads as the room's own timer reads it (widgets.text.time_left).
    A paused turn shows its frozen time in yellow, beside the PAUSED status;
    the name, not the time, gives way when the cell is `width` cells short.
    """
    if row.current_turn is None or row.status not in TURN_RUNNING:
        return Text(EM_DASH, style="dim", end="")
    state, style = _turn_state(row, now_ms)
    name_limit = TURN_NAME_LIMIT + max(0, width - TURN_WIDTH)
    text = literal(row.current_turn, limit=max(1, min(name_limit, width - 1 - len(state))))
    text.append(" ")
    text.append(state, style=style)
    return text


def _turn_state(row: RoomRow, now_ms: int | None) -> tuple[str, str]:
    """The turn cell's words after the name, and their style."""
    if row.turn_time_limit == 0:
        return "untimed", "dim"
    if row.status == "paused":
        remaining = row.paused_remaining_ms
        return ("paused" if remaining is None else time_left(remaining)), "yellow"
    if row.timeout_ms is None or now_ms is None:
        return "running", "dim"
    remaining = row.timeout_ms - now_ms
    if remaining <= 0:
        return "time's up", "bold red"
    # The timer's colours; the last fifth in bold, to catch the eye in a list of rooms.
    style = bar_style(remaining / (row.turn_time_limit * 1000))
    return time_left(remaining), "bold red" if style == "red" else style


def activity_cell(row: RoomRow, now_ms: int | None) -> Text:
    """ "2m ago": how stale the room is, from the injected clock.

    Within the first minute a room reads "just now": a column of rooms
    counting seconds would redraw the whole table every second to say
    nothing useful.
    """
    if now_ms is None or row.last_activity is None:
        return Text(EM_DASH, style="dim", end="")
    if now_ms - row.last_activity < 60_000:
        return Text("just now", end="")
    return Text(relative_time(row.last_activity, now_ms), end="")


Column = tuple[str, str, int]
"""(label, key, width in cells)."""

CELL_PADDING = 1
"""Blank cells either side of every column."""
NAME_WIDTH = 30
NAME_MIN = 18
"""The name is what a row is found by: it narrows only this far, after the Room column
has gone; below it, the Players column goes too."""
ROOM_WIDTH = 16
TURN_MIN = 20
"""The Turn column narrows this far before columns go: "Goblin Boss 1:29 left" fits."""
ID_WIDTH = 1
"""The "#" column's width before any rows arrive; then the longest id's digits."""
COLUMNS: list[Column] = [
    ("#", "id", ID_WIDTH),
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
_COLUMN_META = [Style.from_meta({"column": index}) for index in range(len(COLUMNS))]


def columns_for(
    width: int,
    id_width: int = ID_WIDTH,
    cell_padding: int = CELL_PADDING,
    needs: dict[str, int] | None = None,
) -> list[Column]:
    """The columns to show in `width` cells, the "#" column `id_width` wide: every column
    while the name keeps its full width (the Turn column narrowing to TURN_MIN first),
    then without Room, then without Players, the name narrowing to NAME_MIN. The name
    is what a row is found by: it has the cells the Turn column can spare.

    A name longer than NAME_WIDTH (`needs`, by key; see needs_of) takes the cells
    the Turn column can spare; cells left over then go to the columns whose values
    are longer: the name grows to its longest, then the room id, then the Turn column.

    Narrower still, the smallest set is returned anyway and the table scrolls
    sideways.
    """
    padding = 2 * cell_padding
    sizes = {"id": max(1, id_width)}
    for dropped, name_min in _FITS:
        kept = [column for column in COLUMNS if column[1] not in dropped]
        fixed = sum(
            sizes.get(key, size) + padding for _, key, size in kept if key not in ("name", "turn")
        )
        spare = width - fixed - 2 * padding  # for the name and the turn
        if spare - name_min >= TURN_MIN:
            break
    # A name longer than NAME_WIDTH takes the Turn column's blank cells first.
    longest = min(NAME_LIMIT, max(NAME_WIDTH, (needs or {}).get("name", 0)))
    name = max(name_min, min(longest, spare - TURN_MIN))
    sizes["name"] = name
    sizes["turn"] = max(TURN_MIN, min(TURN_WIDTH, spare - name))
    columns = [(label, key, sizes.get(key, size)) for label, key, size in kept]
    left = width - sum(size + padding for *_, size in columns)
    for grown in ("name", "room", "turn"):
        size = next((size for _, key, size in columns if key == grown), None)
        if size is None or left <= 0:
            continue
        wider = max(0, min(left, (needs or {}).get(grown, 0) - size))
        sizes[grown] = size + wider
        left -= wider
    return [(label, key, sizes.get(key, size)) for label, key, size in kept]


def needs_of(rows: Iterable[RoomRow]) -> dict[str, int]:
    """The cells the name, room id and Turn columns need to show `rows` whole."""
    names = rooms = turns = 0
    for row in rows:
        names = max(names, len(row.name))
        rooms = max(rooms, len(row.live_room_id or ""))
        if row.current_turn is not None and row.status in TURN_RUNNING:
            turns = max(turns, len(row.current_turn))
    return {
        "name": min(names, NAME_LIMIT),
        "room": min(rooms, ROOM_LIMIT),
        "turn": TURN_WIDTH - TURN_NAME_LIMIT + min(turns, NAME_LIMIT),
    }


def room_cells(row: RoomRow, now_ms: int | None, turn_width: int = TURN_WIDTH) -> dict[str, Text]:
    """Every column's cell for one room (the table shows those its width allows)."""
    return {
        "id": Text(str(row.interaction_id), style="dim", end=""),
        "name": literal(row.name, limit=NAME_LIMIT),
        "status": status_text(row.status),
        "room": literal(row.live_room_id, limit=ROOM_LIMIT)
        if row.live_room_id
        else Text(EM_DASH, style="dim", end=""),
        "players": Text(str(row.participants), end=""),
        "turn": turn_cell(row, now_ms, turn_width),
        "round": Text(str(row.round_number) if row.round_number else EM_DASH, end=""),
        "activity": activity_cell(row, now_ms),
    }


class RoomsTable(ScrollView, can_focus=True):
    """Every interaction at a glance, a row cursor on one; Enter or a click posts RoomChosen.

    update_rooms() replaces the rows; the cursor stays on the interaction it
    was on (or in its place when that room went), so a refresh every half
    second neither flickers nor moves the game master's selection.
    """

    COMPONENT_CLASSES = {
        "rooms-table--header",
        "rooms-table--even-row",
        "rooms-table--cursor",
    }
    DEFAULT_CSS = """
    RoomsTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .rooms-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .rooms-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .rooms-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:dark > .rooms-table--even-row {
            background: $surface-darken-1 40%;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .rooms-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .rooms-table--header {
                background-tint: $foreground 5%;
            }
        }
    }
    """
    BINDINGS = [
        Binding("enter", "choose", "Open", show=False),
        Binding("up", "cursor_by(-1)", "Up", show=False),
        Binding("down", "cursor_by(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
    ]

    class RoomChosen(Message):
        """The game master chose a room (Enter on it, or a click)."""

        def __init__(self, table: RoomsTable, interaction_id: int) -> None:
            super().__init__()
            self.table = table
            self.interaction_id = interaction_id

        @property
        def control(self) -> RoomsTable:
            return self.table

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._rows: list[RoomRow] = []
        self._positions: dict[int, int] = {}
        self._now_ms: int | None = None
        self._columns = COLUMNS
        self._id_width = ID_WIDTH
        self._needs: dict[str, int] = {}
        """What the longest values need (needs_of), as the columns were last fitted to."""
        self._styles: _PaintStyles | None = None
        self._shown_times: dict[int, tuple[str, str]] = {}
        """(turn, activity) as last drawn, by interaction id: tick() redraws only on a change."""
        self._kept_cells: LRUCache[int, tuple[object, list[list[Segment] | None]]] = LRUCache(
            KEPT_ROWS
        )
        """The segments of each cell but the clock's, by interaction id, as last drawn (with
        what they were drawn for): see _row_line."""

    # -- data ------------------------------------------------------------

    def update_rooms(self, rows: Sequence[RoomRow], *, now_ms: int | None = None) -> None:
        """Show exactly `rows`, in their order, keeping the cursor on the same interaction.

        `now_ms` (optional) is the screen's clock; without it the last value
        given to tick() is used for the time-dependent cells.
        """
        if now_ms is not None:
            self._now_ms = now_ms
        positions = {row.interaction_id: index for index, row in enumerate(rows)}
        if len(positions) != len(rows):
            raise ValueError("interaction ids must be unique")
        kept = self.selected_interaction_id
        changed = list(rows) != self._rows
        self._rows, self._positions = list(rows), positions
        id_width = max((len(str(row.interaction_id)) for row in rows), default=ID_WIDTH)
        needs = needs_of(rows)
        if id_width != self._id_width or needs != self._needs:
            self._id_width, self._needs = id_width, needs
            self._fit_columns()
            changed = True
        self._fit_virtual_size()
        if kept in positions:
            self._set_cursor(positions[kept])
        else:
            self._set_cursor(self.cursor_row)
        if changed:
            self._shown_times.clear()
            self.refresh()

    def tick(self, now_ms: int) -> None:
        """Redraw the clock-dependent cells (Turn, Activity) that changed, in the rows on
        screen; rows scrolled into view are drawn with the current time anyway.

        Time left counts seconds, as the room's timer does, so a screen of live rooms
        changes every second: only those cells are repainted, not the table, and their
        lines are drawn from the cells kept since (see _row_line).
        """
        self._now_ms = now_ms
        turn_width = self._turn_width()
        spans = self._column_spans()
        for index in self._visible_indexes():
            row = self._rows[index]
            shown = self._shown_times.get(row.interaction_id, ("", ""))
            now = (turn_cell(row, now_ms, turn_width).plain, activity_cell(row, now_ms).plain)
            changed = [
                spans[key]
                for key, old, new in zip(CLOCK_KEYS, shown, now, strict=True)
                if old != new and key in spans
            ]
            if changed:
                y = index + 1 - int(self.scroll_y)
                self.refresh(*(Region(x - int(self.scroll_x), y, width, 1) for x, width in changed))

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def interaction_ids(self) -> list[int]:
        """The interactions shown, top to bottom."""
        return [row.interaction_id for row in self._rows]

    @property
    def selected_interaction_id(self) -> int | None:
        """The interaction under the cursor, or None when the table is empty."""
        if not self._rows:
            return None
        return self._rows[min(self.cursor_row, len(self._rows) - 1)].interaction_id

    def select_interaction(self, interaction_id: int) -> bool:
        """Move the cursor to `interaction_id`'s row; False when it is not shown."""
        if interaction_id not in self._positions:
            return False
        self._set_cursor(self._positions[interaction_id])
        return True

    def select_first(self) -> None:
        """Move the cursor to the top row."""
        self._set_cursor(0)

    @property
    def column_keys(self) -> list[str]:
        """The keys of the columns shown at the current width, in order."""
        return [key for _, key, _ in self._columns]

    def cells(self, interaction_id: int) -> dict[str, Text]:
        """The cells of a shown room's row as drawn now, by column key (for tests and tools)."""
        row = self._rows[self._positions[interaction_id]]
        cells = room_cells(row, self._now_ms, self._turn_width())
        return {key: cells[key] for key in self.column_keys}

    # -- keys and mouse --------------------------------------------------

    def action_choose(self) -> None:
        chosen = self.selected_interaction_id
        if chosen is not None:
            self.post_message(self.RoomChosen(self, chosen))

    def action_cursor_by(self, rows: int) -> None:
        self._set_cursor(self.cursor_row + rows)

    def action_page(self, direction: int) -> None:
        self._set_cursor(self.cursor_row + direction * self._page_rows())

    def action_cursor_to(self, row: int) -> None:
        self._set_cursor(row if row >= 0 else len(self._rows) - 1)

    def on_click(self, event: events.Click) -> None:
        """A click on a row selects it and chooses it, as Enter would."""
        if event.y < 1:
            return  # the header
        index = int(self.scroll_y) + event.y - 1
        if 0 <= index < len(self._rows):
            self._set_cursor(index)
            self.action_choose()

    def on_resize(self) -> None:
        """Refit the columns to the new width."""
        if self._fit_columns():
            self._fit_virtual_size()
            self._scroll_cursor_into_view()

    def _fit_columns(self) -> bool:
        """Fit the columns to the width and the longest id; False before the table has a
        width (the columns are fitted again when it gets one)."""
        width = self.size.width - self.styles.scrollbar_size_vertical
        if width <= 0:
            return False
        self._columns = columns_for(width, self._id_width, needs=self._needs)
        return True

    # -- drawing ---------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def render_lines(self, crop: Region) -> list[Strip]:
        """Look the styles up once per paint: `rich_style` walks every ancestor (~0.1 ms),
        as EventLog found, and a line needs up to three of them."""
        self._styles = None
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """The header on the first line; below it the rows from the scroll position down."""
        styles = self._paint_styles()
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_x)
        index = int(self.scroll_y) + y - 1
        if y == 0:
            style = styles.header
            labels = ((Text(label, end=""), size) for label, _, size in self._columns)
            line = _strip(
                (
                    _cell(column, cell, style, self.app.console)
                    for column, cell in enumerate(labels)
                ),
                self._line_width(),
            )
        elif index < len(self._rows):
            style = styles.row(index % 2 == 1, index == self.cursor_row)
            line = self._row_line(index, style)
        else:
            return Strip.blank(width, styles.base)
        if scroll_x == 0 and line.cell_length == width:
            # crop_extend would keep the strip in its own cache (it is its own result),
            # and a strip that refers to itself waits for the garbage collector.
            return line
        return line.crop_extend(scroll_x, scroll_x + width, style)

    def _paint_styles(self) -> _PaintStyles:
        if self._styles is None:
            base = self.rich_style
            self._styles = _PaintStyles(
                base,
                base + self.get_component_rich_style("rooms-table--header"),
                self.get_component_rich_style("rooms-table--even-row"),
                self.get_component_rich_style("rooms-table--cursor"),
            )
        return self._styles

    def _row_line(self, index: int, style: Style) -> Strip:
        """A room's line: the clock's cells drawn anew, the others as drawn last time.

        A screen of live rooms is redrawn every second for their time left;
        the cells that did not change (most of the line) are kept by room, for
        as long as the room's row, the line's style and the columns stay the same.
        """
        row, now_ms, console = self._rows[index], self._now_ms, self.app.console
        clock = {
            "turn": turn_cell(row, now_ms, self._turn_width()),
            "activity": activity_cell(row, now_ms),
        }
        self._shown_times[row.interaction_id] = (clock["turn"].plain, clock["activity"].plain)
        columns = tuple(self._columns)
        kept = self._kept_cells.get(row.interaction_id)
        if kept is None or kept[0] != (row, style, columns):
            cells = room_cells(row, now_ms, self._turn_width())
            drawn = [
                None if key in clock else _cell(column, (cells[key], size), style, console)
                for column, (_, key, size) in enumerate(columns)
            ]
            kept = ((row, style, columns), drawn)
            self._kept_cells[row.interaction_id] = kept
        return _strip(
            (
                segments or _cell(column, (clock[key], size), style, console)
                for column, ((_, key, size), segments) in enumerate(
                    zip(columns, kept[1], strict=True)
                )
            ),
            self._line_width(),
        )

    # -- cursor and scrolling --------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        """Redraw the two rows the cursor moved between, not the whole table.

        Row `index` is line `index + 1` of the virtual canvas (the header
        takes line 0), which is what ScrollView.refresh_line counts in.
        """
        for index in (old, new):
            self.refresh_line(index + 1)

    def _set_cursor(self, index: int) -> None:
        index = max(0, min(index, len(self._rows) - 1)) if self._rows else 0
        self.cursor_row = index
        self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self) -> None:
        visible = self._page_rows()
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def _column_spans(self) -> dict[str, tuple[int, int]]:
        """Where each column shown is drawn, as (x, width) on the unscrolled line, by key."""
        spans = {}
        x = 0
        for _, key, size in self._columns:
            spans[key] = (x, size + 2 * CELL_PADDING)
            x += size + 2 * CELL_PADDING
        return spans

    def _turn_width(self) -> int:
        return next((size for _, key, size in self._columns if key == "turn"), TURN_WIDTH)

    def _page_rows(self) -> int:
        """Rows that fit under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _visible_indexes(self) -> range:
        first = int(self.scroll_y)
        return range(first, min(len(self._rows), first + self._page_rows()))

    def _fit_virtual_size(self) -> None:
        self.virtual_size = Size(self._line_width(), len(self._rows) + 1)

    def _line_width(self) -> int:
        """Cells a whole line takes: every column shown with its padding."""
        return sum(size + 2 * CELL_PADDING for _, _, size in self._columns)


class _PaintStyles(NamedTuple):
    """The table's styles for one paint."""

    base: Style
    header: Style
    even_row: Style
    cursor: Style

    def row(self, striped: bool, under_cursor: bool) -> Style:
        """Zebra stripes (every second row), and the cursor on its row."""
        style = self.base + self.even_row if striped else self.base
        return style + self.cursor if under_cursor else style


def _strip(cells: Iterable[list[Segment]], length: int) -> Strip:
    """One line of cells (see _cell), left to right, `length` cells in all."""
    return Strip([segment for cell in cells for segment in cell], length)


def _cell(column: int, cell: tuple[Text, int], style: Style, console: Console) -> list[Segment]:
    """The segments of one cell, cut (with "…") or padded to its width, on the row's style.

    A cell's own colours (the status badge) win, and stay on its word: the
    column padding has only the row's style. Each cell's segments carry its
    column number (as a DataTable's do), so they are never merged with the
    next cell's: a screenshot then places every column at its own position.
    A cell of one style, most of them, becomes one segment without Rich's
    general rendering (a third of a paint's time).
    """
    text, width = cell
    cell_style = style + _COLUMN_META[column]
    if text.cell_len > width:
        text = text.copy()
        text.truncate(width, overflow="ellipsis")
    padding = " " * CELL_PADDING
    segments = [Segment(padding, cell_style)]
    if text.spans:
        segments.extend(
            Segment(segment.text, cell_style + segment.style if segment.style else cell_style)
            for segment in text.render(console)
        )
    elif text.plain:
        own = console.get_style(text.style) if isinstance(text.style, str) else text.style
        segments.append(Segment(text.plain, cell_style + own if own else cell_style))
    segments.append(Segment(" " * (width - text.cell_len + CELL_PADDING), cell_style))
    return segments
