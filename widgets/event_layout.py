"""Where each entry of the event log falls once wrapped to the view's width.

EventLog holds a bounded window of entries (max_entries), so keeping one line
count per entry and a prefix sum over them is cheap: a resize recounts the
window, a new event adds one count, and y → (entry, line) is a bisect. Counting
needs no rendering for the usual short entry (its summary's cell length is
kept); only entries longer than a line are wrapped, and only visible lines are
ever rendered, their segments held in an LRU keyed by (entry id, width, line).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import accumulate
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip

from widgets.event_format import SUMMARY_LIMIT, TAG_WIDTH, event_body, event_prefix
from widgets.flat_text import flat_segments
from widgets.line_wrap import wrap_offsets

if TYPE_CHECKING:
    from rich.console import Console

    from store.models import LogEntry

__all__ = [
    "LINE_CACHE_SIZE",
    "MAX_ENTRY_LINES",
    "NARROW_LOG",
    "Anchor",
    "EventLayout",
    "prefix_width",
    "shows_seconds",
]

MAX_ENTRY_LINES = 12
"""Lines one entry may take, the last being "…": a 2,000-character message must not fill
the screen and push every other event out of view."""
NARROW_LOG = 72
"""Below this content width the log's times drop their seconds ("HH:MM"): three cells
more for the summary where every cell counts. The type column is the same at every width."""
MIN_BODY = 8
"""Cells kept for the summary however narrow the log; anything left over is cropped."""

LINE_CACHE_SIZE = 128
"""Rendered lines kept, as plain segments: about three screens, enough to scroll back and
forth a few lines at a time without rendering them again. Not as Strips: a Strip carries
seven small caches, which every full pass of the garbage collector walks for as long as
the line is kept; the Strip made for each paint goes with the frame."""

Anchor = tuple["LogEntry", int]
"""An entry and one of its lines: what the top of the view shows, kept while counts change."""


def shows_seconds(width: int) -> bool:
    """Whether a log `width` cells wide shows times with their seconds (see NARROW_LOG)."""
    return width >= NARROW_LOG


def prefix_width(seconds: bool) -> int:
    """Cells before the summary: "HH:MM:SS tag   " or "HH:MM tag   " (see event_prefix)."""
    return len("HH:MM:SS " if seconds else "HH:MM ") + TAG_WIDTH + 1


def summary_room(width: int) -> int | None:
    """Cells for the summary beside the prefix (and under it, on continuation lines);
    None before the view has a width, when every entry counts one line."""
    if width <= 0:
        return None
    return max(MIN_BODY, width - prefix_width(shows_seconds(width)))


def count_lines(plain: str, room: int | None) -> int:
    """Lines a summary takes in `room` cells, by the same wrap lines() renders with."""
    if room is None:
        return 1
    return min(MAX_ENTRY_LINES, len(wrap_offsets(plain, room)) + 1)


class EventLayout:
    """The held entries, oldest first, with their wrapped line counts at one width.

    The widget owns scrolling and paging; this owns the geometry, so that a
    change in width, names or entries recounts lines in one place.
    """

    def __init__(self, line_cache_size: int = LINE_CACHE_SIZE) -> None:
        self.entries: list[LogEntry] = []
        self.ids: set[int] = set()
        self.width = 0
        """Content width the counts are for; 0 until the widget is laid out (one line each)."""
        self._names: Mapping[str, str] = {}
        self._entities: dict[str, str] = {}
        """Entity names by entity id, learned from turn events (see _learn)."""
        self._plains: list[str] = []
        self._counts: list[int] = []
        self._starts: list[int] | None = [0]
        self._lines: LRUCache[tuple[int, int, int], list[Segment]] = LRUCache(line_cache_size)
        self.revision = 0
        """Counts the times held lines may have come to look different (a new width, new
        names, a new style): same revision and same line keys, same picture."""

    # -- geometry -------------------------------------------------------------

    @property
    def total_lines(self) -> int:
        """Lines all held entries take at the current width: the view's virtual height."""
        return self._prefix()[-1]

    def line_count(self, index: int) -> int:
        """Lines the entry at `index` takes (at most MAX_ENTRY_LINES)."""
        return self._counts[index]

    def first_line(self, index: int) -> int:
        """The y of the entry at `index`'s first line."""
        return self._prefix()[index]

    def locate(self, y: int) -> tuple[int, int] | None:
        """(entry index, line within the entry) shown at virtual line `y`, None past the end."""
        starts = self._prefix()
        if not 0 <= y < starts[-1]:
            return None
        index = bisect_right(starts, y) - 1
        return index, y - starts[index]

    def anchor(self, y: int) -> Anchor | None:
        """The entry and its line at virtual line `y`, to find again after counts change."""
        found = self.locate(y)
        if found is None:
            return None
        index, line = found
        return self.entries[index], line

    def anchored_line(self, anchor: Anchor | None) -> int | None:
        """Where the anchored line now is; if its entry was dropped, the next newer one."""
        if anchor is None or not self.entries:
            return None
        entry, line = anchor
        index = self.index_of(entry.id)
        if index is None:
            key = (entry.timestamp, entry.id)
            newer = (i for i, held in enumerate(self.entries) if (held.timestamp, held.id) > key)
            index, line = next(newer, len(self.entries) - 1), 0
        return self.first_line(index) + min(line, self._counts[index] - 1)

    def index_of(self, entry_id: int) -> int | None:
        """Where the entry with `entry_id` is held, if it is."""
        if entry_id not in self.ids:
            return None
        return next(i for i, entry in enumerate(self.entries) if entry.id == entry_id)

    def set_width(self, width: int) -> bool:
        """Recount every entry for a new content width; False when nothing changed."""
        if width == self.width:
            return False
        self.width = width
        self.clear_lines()
        room = summary_room(width)
        self._counts = [count_lines(plain, room) for plain in self._plains]
        self._starts = None
        return True

    def set_names(self, names: Mapping[str, str]) -> bool:
        """New display names for user ids; False (and nothing recounted) when unchanged."""
        if names == self._names:
            return False
        self._names = dict(names)
        self._remeasure()
        return True

    def clear_lines(self) -> None:
        """Forget rendered lines (the widget's style changed); counts stay valid."""
        self._lines.clear()
        self.revision += 1

    def line_key(self, y: int) -> tuple[int, int] | None:
        """(entry id, line within the entry) at virtual line `y`; None past the end. Unlike
        an index it survives a page inserted above: the same key is the same line."""
        found = self.locate(y)
        if found is None:
            return None
        index, line = found
        return self.entries[index].id, line

    # -- the window -------------------------------------------------------------

    def replace(self, entries: Sequence[LogEntry]) -> None:
        """Hold exactly `entries` (oldest first)."""
        self.entries = list(entries)
        self.ids = {entry.id for entry in self.entries}
        self._learn(self.entries)
        self._remeasure()

    def append(self, entries: Sequence[LogEntry]) -> None:
        """Add entries (oldest first) after the newest held."""
        self._insert(len(self.entries), entries)

    def prepend(self, entries: Sequence[LogEntry]) -> None:
        """Add entries (oldest first) before the oldest held."""
        self._insert(0, entries)

    def drop_oldest(self, count: int) -> None:
        self._drop(slice(0, count))

    def drop_newest(self, count: int) -> None:
        self._drop(slice(len(self.entries) - count, None))

    # -- rendering ----------------------------------------------------------------

    def strip(self, y: int, style: Style, width: int, console: Console) -> Strip:
        """Virtual line `y`, rendered `width` cells wide (blank past the last entry)."""
        found = self.locate(y)
        if found is None:
            return Strip.blank(width, style)
        index, line = found
        entry = self.entries[index]
        segments = self._lines.get((entry.id, self.width, line))
        if segments is None:
            for number, text in enumerate(self.lines(entry)):
                rendered = _padded(flat_segments(text, style, console), width, style)
                self._lines[(entry.id, self.width, number)] = rendered
                if number == line:
                    segments = rendered
        if segments is None:
            return Strip.blank(width, style)
        return Strip(segments, width)

    def lines(self, entry: LogEntry) -> list[Text]:
        """The entry wrapped to the current width: the prefix and the first part of the
        summary, then the rest indented under the summary, capped with a "…" line."""
        seconds = shows_seconds(self.width)
        prefix = event_prefix(entry, seconds)
        indent = prefix_width(seconds)
        body = event_body(entry, self._names, self._entities)
        room = summary_room(self.width)
        offsets = wrap_offsets(body.plain, room) if room is not None else []
        parts = list(body.divide(offsets)) if offsets else [body]
        if len(parts) > MAX_ENTRY_LINES:
            parts = [*parts[: MAX_ENTRY_LINES - 1], Text("…", style="dim")]
        lines = []
        for number, part in enumerate(parts):
            line = prefix if number == 0 else Text(" " * indent)
            part.rstrip()
            line.append_text(part)
            line.end = ""
            lines.append(line)
        return lines

    # -- internals ------------------------------------------------------------------

    def _insert(self, at: int, entries: Sequence[LogEntry]) -> None:
        if not entries:
            return
        self.entries[at:at] = entries
        self.ids.update(entry.id for entry in entries)
        if self._learn(entries):
            self._remeasure()  # a new entity name may lengthen entries already held
            return
        plains = [self._plain(entry) for entry in entries]
        room = summary_room(self.width)
        self._plains[at:at] = plains
        self._counts[at:at] = [count_lines(plain, room) for plain in plains]
        self._starts = None

    def _drop(self, where: slice) -> None:
        for entry in self.entries[where]:
            self.ids.discard(entry.id)
        del self.entries[where], self._plains[where], self._counts[where]
        self._starts = None

    def _prefix(self) -> list[int]:
        if self._starts is None:
            self._starts = list(accumulate(self._counts, initial=0))
        return self._starts

    def _remeasure(self) -> None:
        """Count every entry held again (new names, or an entity name learned)."""
        self.clear_lines()
        room = summary_room(self.width)
        self._plains = [self._plain(entry) for entry in self.entries]
        self._counts = [count_lines(plain, room) for plain in self._plains]
        self._starts = None

    def body(self, entry: LogEntry, *, limit: int | None = SUMMARY_LIMIT) -> Text:
        """The entry's summary with the names known now, unwrapped; cut after `limit`
        characters (None: whole)."""
        return event_body(entry, self._names, self._entities, limit=limit)

    def _plain(self, entry: LogEntry) -> str:
        """The summary's plain text, kept so a resize can recount lines without rebuilding it."""
        return self.body(entry).plain

    def _learn(self, entries: Iterable[LogEntry]) -> bool:
        """Remember the entity names turn events and added combatants carry, so that a dice
        roll or a hit logged with only an entity id ("gob-2") can name the goblin. True when
        a name was new."""
        learned = False
        for entry in entries:
            data = entry.event_data
            if not isinstance(data, dict):
                continue
            added = data.get("entry") if isinstance(data.get("entry"), dict) else {}
            entity = added.get("entity_id", data.get("entity_id"))
            name = added.get("name", data.get("entity_name"))
            if isinstance(entity, str) and isinstance(name, str) and name:
                learned = learned or self._entities.get(entity) != name
                self._entities[entity] = name
        return learned


def _padded(segments: list[Segment], width: int, style: Style) -> list[Segment]:
    """`segments` made exactly `width` cells wide: padded in `style` (lines are wrapped to
    fit, so padding is the rule), or cut as Strip.crop_extend cuts."""
    cells = Segment.get_line_length(segments)
    if cells > width:
        return list(Strip(segments, cells).crop_extend(0, width, style))
    if cells < width:
        segments.append(Segment(" " * (width - cells), style))
    return segments
