"""Where each entry of the event log falls once wrapped to the view's width.

EventLog holds a bounded window of entries (max_entries), so keeping one line
count per entry and a prefix sum over them is cheap: a resize recounts the
window, a new event adds one count, and y → (entry, line) is a bisect. Counting
needs no rendering for the usual short entry (its summary's cell length is
kept); only entries longer than a line are wrapped, and only visible lines are
ever rendered into Strips, held in an LRU keyed by (entry id, width, line).

Counting a page of 200 entries (formatting each summary, then wrapping it) is
~4 ms, too much for the UI thread while the reader is scrolling: measure_page
does it anywhere (the reader thread that fetches the page), against the
LayoutBasis the view had when it asked, and the view takes the counts as they
are when its basis is still the same.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip

from widgets.event_format import (
    TAG_WIDTH,
    TYPE_WIDTH,
    WIDE_TYPE_WIDTH,
    event_body,
    event_prefix,
)
from widgets.flat_text import flat_segments
from widgets.line_wrap import wrap_offsets

if TYPE_CHECKING:
    from rich.console import Console

    from store.models import LogEntry

__all__ = [
    "MAX_ENTRY_LINES",
    "NARROW_LOG",
    "STRIP_CACHE_SIZE",
    "WIDE_LOG",
    "Anchor",
    "EventLayout",
    "LayoutBasis",
    "PageLayout",
    "learn_entities",
    "measure_page",
    "prefix_width",
    "type_width_for",
]

MAX_ENTRY_LINES = 12
"""Lines one entry may take, the last being "…": a 2,000-character message must not fill
the screen and push every other event out of view."""
NARROW_LOG = 72
"""Below this content width the 20-cell type column would leave the summary too little
room: the log shows "HH:MM" and a short family tag instead."""
WIDE_LOG = 90
"""From this width on, the event type column is wide enough for every store event type."""
MIN_BODY = 8
"""Cells kept for the summary however narrow the log; anything left over is cropped."""

STRIP_CACHE_SIZE = 256
"""Rendered lines kept: several screens, enough to scroll back and forth without
re-rendering. Each Strip carries seven small caches of its own, so a deeper cache mostly
adds memory and objects for the garbage collector to walk."""

Anchor = tuple["LogEntry", int]
"""An entry and one of its lines: what the top of the view shows, kept while counts change."""


def type_width_for(width: int) -> int | None:
    """The type column's width at a content width, or None for the narrow tag form."""
    if width < NARROW_LOG:
        return None
    return WIDE_TYPE_WIDTH if width >= WIDE_LOG else TYPE_WIDTH


def prefix_width(type_width: int | None) -> int:
    """Cells before the summary: "HH:MM:SS TYPE… " or "HH:MM tag   " (see event_prefix)."""
    if type_width is None:
        return len("HH:MM ") + TAG_WIDTH + 1
    return len("HH:MM:SS ") + type_width + 1


@dataclass(frozen=True, eq=True)
class LayoutBasis:
    """Everything an entry's line count depends on besides the entry itself.

    Copied by value (EventLayout replaces its dicts rather than changing
    them), so another thread can count with it while the view moves on.
    """

    width: int
    """Content width the counts are for; 0 before the view is laid out (one line each)."""
    names: Mapping[str, str]
    """Display names by user id."""
    entities: Mapping[str, str]
    """Entity names by entity id, learned from turn events."""


@dataclass(frozen=True)
class PageLayout:
    """A page's summaries and line counts, measured against `basis` (see measure_page)."""

    basis: LayoutBasis
    measured: Mapping[int, tuple[str, int]]
    """By entry id: the summary's plain text and the lines the entry takes."""


def measure_page(entries: Iterable[LogEntry], basis: LayoutBasis) -> PageLayout:
    """Count the lines of `entries` as EventLayout would at `basis`: safe on any thread.

    It reads nothing but its arguments (and renders nothing: no console,
    no widget), so the reader thread can do it in the trip that fetches
    the page, and inserting the page on the UI thread only splices lists.
    """
    plains = {entry.id: summary_plain(entry, basis) for entry in entries}
    room = summary_room(basis.width)
    return PageLayout(
        basis, {key: (plain, count_lines(plain, room)) for key, plain in plains.items()}
    )


def summary_plain(entry: LogEntry, basis: LayoutBasis) -> str:
    """The summary's plain text, kept so a resize can recount lines without rebuilding it."""
    return event_body(entry, basis.names, basis.entities).plain


def summary_room(width: int) -> int | None:
    """Cells for the summary beside the prefix (and under it, on continuation lines);
    None before the view has a width, when every entry counts one line."""
    if width <= 0:
        return None
    return max(MIN_BODY, width - prefix_width(type_width_for(width)))


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

    def __init__(self, strip_cache_size: int = STRIP_CACHE_SIZE) -> None:
        self.entries: list[LogEntry] = []
        self.ids: set[int] = set()
        self.width = 0
        """Content width the counts are for; 0 until the widget is laid out (one line each)."""
        self._names: Mapping[str, str] = {}
        self._entities: Mapping[str, str] = {}
        """Replaced, never changed in place: a LayoutBasis handed out shares it."""
        self._plains: list[str] = []
        self._counts: list[int] = []
        self._starts: list[int] | None = [0]
        self._strips: LRUCache[tuple[int, int, int], Strip] = LRUCache(strip_cache_size)
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

    def basis(self) -> LayoutBasis:
        """What the counts depend on now: measure_page against it, off the UI thread."""
        return LayoutBasis(self.width, self._names, self._entities)

    def set_width(self, width: int) -> bool:
        """Recount every entry for a new content width; False when nothing changed."""
        if width == self.width:
            return False
        self.width = width
        self.clear_strips()
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

    def clear_strips(self) -> None:
        """Forget rendered lines (the widget's style changed); counts stay valid."""
        self._strips.clear()
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

    def replace(self, entries: Sequence[LogEntry], layout: PageLayout | None = None) -> None:
        """Hold exactly `entries` (oldest first); `layout` as for prepend."""
        self.entries = list(entries)
        self.ids = {entry.id for entry in self.entries}
        self._learn(self.entries)
        self._remeasure(layout)

    def append(self, entries: Sequence[LogEntry]) -> None:
        """Add entries (oldest first) after the newest held."""
        self._insert(len(self.entries), entries)

    def prepend(self, entries: Sequence[LogEntry], layout: PageLayout | None = None) -> None:
        """Add entries (oldest first) before the oldest held.

        `layout` (measure_page's, for these entries or more) spares counting
        them here, if it was measured against the basis the log still has.
        """
        self._insert(0, entries, layout)

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
        strip = self._strips.get((entry.id, self.width, line))
        if strip is None:
            for number, text in enumerate(self.lines(entry)):
                rendered = _padded_strip(flat_segments(text, style, console), width, style)
                self._strips[(entry.id, self.width, number)] = rendered
                if number == line:
                    strip = rendered
        return strip if strip is not None else Strip.blank(width, style)

    def lines(self, entry: LogEntry) -> list[Text]:
        """The entry wrapped to the current width: the prefix and the first part of the
        summary, then the rest indented under the summary, capped with a "…" line."""
        type_width = type_width_for(self.width)
        prefix = event_prefix(entry, type_width)
        indent = prefix_width(type_width)
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

    def _insert(
        self, at: int, entries: Sequence[LogEntry], layout: PageLayout | None = None
    ) -> None:
        if not entries:
            return
        self.entries[at:at] = entries
        self.ids.update(entry.id for entry in entries)
        if self._learn(entries):
            self._remeasure()  # a new entity name may lengthen entries already held
            return
        basis = self.basis()
        if layout is None or layout.basis != basis:
            layout = measure_page(entries, basis)
        measured = layout.measured
        pairs = [measured.get(entry.id) or self._measured(entry, basis) for entry in entries]
        self._plains[at:at] = [plain for plain, _ in pairs]
        self._counts[at:at] = [count for _, count in pairs]
        self._starts = None

    @staticmethod
    def _measured(entry: LogEntry, basis: LayoutBasis) -> tuple[str, int]:
        """One entry a given layout did not cover, counted here."""
        plain = summary_plain(entry, basis)
        return plain, count_lines(plain, summary_room(basis.width))

    def _drop(self, where: slice) -> None:
        for entry in self.entries[where]:
            self.ids.discard(entry.id)
        del self.entries[where], self._plains[where], self._counts[where]
        self._starts = None

    def _prefix(self) -> list[int]:
        if self._starts is None:
            self._starts = list(accumulate(self._counts, initial=0))
        return self._starts

    def _remeasure(self, layout: PageLayout | None = None) -> None:
        """Count every entry held again, or take `layout`'s counts if it covers them all
        at the basis held now."""
        self.clear_strips()
        basis = self.basis()
        if layout is None or layout.basis != basis or not self.ids <= layout.measured.keys():
            layout = measure_page(self.entries, basis)
        pairs = [layout.measured[entry.id] for entry in self.entries]
        self._plains = [plain for plain, _ in pairs]
        self._counts = [count for _, count in pairs]
        self._starts = None

    def _learn(self, entries: Iterable[LogEntry]) -> bool:
        """Remember the entity names turn events carry (learn_entities). True when a name
        was new."""
        entities = learn_entities(self._entities, entries)
        if entities == self._entities:
            return False
        self._entities = entities
        return True


def learn_entities(known: Mapping[str, str], entries: Iterable[LogEntry]) -> Mapping[str, str]:
    """`known` with the entity names turn events in `entries` carry, so that a dice roll
    logged with only an entity id ("gob-2") can name the goblin. A new mapping: a basis
    handed out keeps the old one."""
    entities = dict(known)
    for entry in entries:
        data = entry.event_data
        if not isinstance(data, dict):
            continue
        entity, name = data.get("entity_id"), data.get("entity_name")
        if isinstance(entity, str) and isinstance(name, str) and name:
            entities[entity] = name
    return entities


def _padded_strip(segments: list[Segment], width: int, style: Style) -> Strip:
    """`segments` as a strip exactly `width` cells wide, padded in `style`.

    Lines are wrapped to fit, so padding is the rule: appended here, it costs
    one Strip rather than a Strip and the padded copy Strip.crop_extend makes.
    """
    cells = Segment.get_line_length(segments)
    if cells > width:
        return Strip(segments, cells).crop_extend(0, width, style)
    if cells < width:
        segments.append(Segment(" " * (width - cells), style))
    return Strip(segments, width)
