"""The room's event log: a Line API view over a bounded window of log entries.

PERF_NOTES: RichLog/Log keep every rendered line and slow to seconds at 100k
lines; a ScrollView that renders only the visible rows stays flat. The log
holds at most `max_entries` entries, pages older ones in on request
(OlderWanted) and asks for a fresh tail (LatestWanted) if it had to drop the
newest ones to make room.

Entries wrap to the view's width (a chat message is read in full, up to
MAX_ENTRY_LINES), so the scroll position counts lines, not entries; whenever
line counts change (a resize, new names, a page above) the entry at the top of
the view is kept where it was. The geometry lives in widgets.event_layout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from widgets.event_layout import Anchor, EventLayout

if TYPE_CHECKING:
    from store.models import LogEntry

__all__ = ["EventLog"]

MAX_ENTRIES = 1000
"""Entries held at most (five store pages): enough to read back screens and screens of
lines, few enough that memory stays flat however long the log."""
PREFETCH_SCREENS = 3
"""Older entries are asked for while the view is this many screens from the top, so a
reader scrolling up finds them there instead of waiting at the edge."""


class EventLog(ScrollView, can_focus=True):
    """Newest events at the bottom; follows them unless the user has scrolled up.

    Up and down move a cursor from entry to entry (Enter shows the one under
    it whole); Home puts it on the log's very first event, End on its newest.
    """

    BINDINGS = [
        Binding("up", "cursor(-1)", "Previous", tooltip="The entry above.", show=False),
        Binding("down", "cursor(1)", "Next", tooltip="The entry below.", show=False),
        Binding("home", "oldest", "Oldest", tooltip="The first event of the log.", show=False),
        Binding(
            "end", "newest", "Newest", tooltip="The newest event; follow new ones.", show=False
        ),
        Binding(
            "enter", "choose", "Show", tooltip="Show the entry under the cursor whole.", show=False
        ),
    ]

    COMPONENT_CLASSES = {"event-log--cursor"}
    DEFAULT_CSS = """
    EventLog > .event-log--cursor {
        background: $accent 35%;
    }
    EventLog {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
    }
    """

    class OlderWanted(Message):
        """The view is near the top (PREFETCH_SCREENS) and older entries exist: fetch a page.

        Answer with prepend_older(store.get_interaction_logs(..., before=before_id)).
        Posted once until the next prepend_older() or reset().
        """

        def __init__(self, before_id: int) -> None:
            super().__init__()
            self.before_id = before_id
            """Id of the oldest entry held: the `before` of the next page."""

    class NewerWanted(Message):
        """The newest entries held are not the log's newest and the view is near them:
        answer with append_newer(entries after `after_id`). Posted once until answered."""

        def __init__(self, after_id: int) -> None:
            super().__init__()
            self.after_id = after_id
            """Id of the newest entry held."""

    class OldestWanted(Message):
        """Home, with older entries in the store: call reset() with the oldest page
        (`has_newer=True`), which shows the very first event."""

    class LatestWanted(Message):
        """End (or "follow"), with newer entries dropped: call reset() with the newest page.
        Posted once until reset()."""

    class EntryChosen(Message):
        """Enter on the entry under the cursor: show it whole."""

        def __init__(self, entry: LogEntry) -> None:
            super().__init__()
            self.entry = entry

    class PendingChanged(Message):
        """pending_new changed (new events below the view, or the user caught up)."""

        def __init__(self, pending: int) -> None:
            super().__init__()
            self.pending = pending
            """Events appended since the user scrolled up; 0 once they reach the bottom."""

    def __init__(
        self,
        *,
        max_entries: int = MAX_ENTRIES,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._layout = EventLayout()
        self._has_older = False
        self._older_requested = False
        self._newer_dropped = False
        self._newer_requested = False
        self._latest_requested = False
        self._following = True
        self._pending = 0
        self._cursor: int | None = None
        """Id of the entry under the cursor (None: no cursor)."""
        self._cursor_edge: int | None = None
        """Where the next reset() puts the cursor: 0 the oldest entry, -1 the newest (Home
        or End waiting for the store's page); None: where it was."""
        self._cursor_style = Style()
        self._base_style: Style | None = None
        """The widget's style for this paint (see render_lines); None: look it up again."""
        self._repaint_on_scroll = True
        """False while the view moves along with its lines (see _follow_lines)."""

    # -- state -------------------------------------------------------------

    @property
    def entries(self) -> Sequence[LogEntry]:
        """The entries held, oldest first (read-only view for the screen and tests)."""
        return tuple(self._layout.entries)

    @property
    def has_older(self) -> bool:
        """Whether the store has entries older than the first one held."""
        return self._has_older

    @property
    def oldest_id(self) -> int | None:
        """Id of the oldest entry held: the `before` of the next older page, to read ahead."""
        held = self._layout.entries
        return held[0].id if held else None

    @property
    def allow_vertical_scroll(self) -> bool:
        """Whether the view may scroll: whenever its lines overflow it.

        Textual asks whether the scrollbar is shown, which a layout decides a
        frame after the lines grew: Home pressed right after a page went in
        above a log that fitted its view was dropped.
        """
        return self.max_scroll_y > 0 and not (self.disabled or self.loading)

    @property
    def at_bottom(self) -> bool:
        """Whether the view shows the newest event (and so follows new ones)."""
        return self._following and not self._newer_dropped

    @property
    def pending_new(self) -> int:
        """Events appended while the user was scrolled up; cleared at the bottom."""
        return self._pending

    def entry_at(self, y: int) -> tuple[LogEntry, int] | None:
        """The entry shown at virtual line `y` and which of its lines that is (None past
        the end): entries wrap, so a line number is no longer an entry's index."""
        return self._layout.anchor(y)

    # -- data in ------------------------------------------------------------

    def reset(
        self, entries: Sequence[LogEntry], *, has_older: bool, has_newer: bool = False
    ) -> None:
        """Replace everything with `entries` and jump to the bottom, or, when the store has
        newer entries (`has_newer`: the oldest page), to the top.

        Either order is accepted (the store's newest-first page is the usual
        input): entries are sorted by (timestamp, id), the store's own order.
        Only max_entries are kept. The page answering Home (OldestWanted) or End
        (LatestWanted) gets the cursor on its oldest or newest entry.
        """
        ordered = _chronological(entries)
        if len(ordered) > self.max_entries:
            if has_newer:
                ordered = ordered[: self.max_entries]
            else:
                ordered, has_older = ordered[-self.max_entries :], True
        self._layout.replace(ordered)
        self._has_older = has_older
        self._older_requested = False
        self._newer_dropped = has_newer
        self._newer_requested = self._latest_requested = False
        if self._cursor not in self._layout.ids:
            self._cursor = None
        edge, self._cursor_edge = self._cursor_edge, None
        if edge is not None and ordered:
            self._cursor = ordered[edge].id
        at_top = has_newer or (edge == 0 and self._layout.total_lines > self.size.height)
        self._following = not at_top
        self._set_pending(0)
        self._resize()
        if at_top:
            self.scroll_home(animate=False, immediate=True, force=True, x_axis=False)
        else:
            self._to_bottom()
        self.call_after_refresh(self._check_edges)

    def append(self, entries: Sequence[LogEntry]) -> None:
        """Add new events (oldest first) at the bottom.

        At the bottom the view follows them; scrolled up, the user's lines
        stay put and pending_new counts what arrived below.
        """
        new = [entry for entry in entries if entry.id not in self._layout.ids]
        if not new:
            return
        following = self.at_bottom
        if not following:
            self._set_pending(self._pending + len(new))
        if self._newer_dropped:
            return  # a gap sits between what we hold and these; LatestWanted fills it
        anchor = None if following else self._layout.anchor(self.scroll_offset.y)
        self._layout.append(new)
        overflow = len(self._layout.entries) - self.max_entries
        if overflow > 0:
            if not following and self._viewing_upper_half():
                self._drop_newest(overflow)
            else:
                self._drop_oldest(overflow)
        self._resize()
        if following:
            self._to_bottom()
        else:
            self._restore(anchor)
            self.refresh()
        self.call_after_refresh(self._check_edges)

    def prepend_older(
        self,
        entries: Sequence[LogEntry],
        *,
        has_older: bool,
        before_id: int | None = None,
    ) -> None:
        """Insert an older page (either order) above, keeping the user's entry in place.

        Pass the OlderWanted.before_id being answered: if the window moved
        since (a reset, or the oldest entries were dropped), the page no
        longer joins what is held and is ignored. Entries not older than the
        oldest one held are ignored in any case.
        """
        held = self._layout.entries
        if before_id is not None and (not held or held[0].id != before_id):
            return
        older = _chronological([entry for entry in entries if entry.id not in self._layout.ids])
        if held:
            oldest = (held[0].timestamp, held[0].id)
            older = [entry for entry in older if (entry.timestamp, entry.id) < oldest]
        # An answer that adds nothing ends the paging: asking again would loop.
        self._has_older = has_older and bool(older)
        self._older_requested = False
        if older:
            anchor = self._layout.anchor(self.scroll_offset.y)
            shown = self._shown(self.scroll_offset.y)
            self._layout.prepend(older)
            overflow = len(self._layout.entries) - self.max_entries
            if overflow > 0:
                self._drop_newest(overflow)
            y = self._layout.anchored_line(anchor)
            if y is not None and self._shown(y) == shown:
                self._follow_lines(y)
            else:
                self._resize()
                self._restore(anchor)
                self.refresh()
        self.call_after_refresh(self._check_edges)

    def append_newer(self, entries: Sequence[LogEntry], *, has_newer: bool, after_id: int) -> None:
        """Add the page after the newest entry held (answering NewerWanted(`after_id`)),
        keeping the user's entry in place. Once it reaches the store's newest entry
        (`has_newer` False) the log follows new events again."""
        held = self._layout.entries
        self._newer_requested = False
        if not held or held[-1].id != after_id or not self._newer_dropped:
            return
        newest = (held[-1].timestamp, held[-1].id)
        newer = [
            entry
            for entry in _chronological(entries)
            if entry.id not in self._layout.ids and (entry.timestamp, entry.id) > newest
        ]
        self._newer_dropped = has_newer and bool(newer)
        if newer:
            anchor = self._layout.anchor(self.scroll_offset.y)
            self._layout.append(newer)
            overflow = len(self._layout.entries) - self.max_entries
            if overflow > 0:
                self._drop_oldest(overflow)
            self._resize()
            self._restore(anchor)
            self.refresh()
        self.call_after_refresh(self._check_edges)

    @property
    def newest_id(self) -> int | None:
        """Id of the newest entry held."""
        held = self._layout.entries
        return held[-1].id if held else None

    def older_failed(self) -> None:
        """The page asked for with OlderWanted or NewerWanted could not be read (the error
        was shown): ask again the next time the view moves near that edge. Not at once: a
        store that keeps failing would be asked in a loop."""
        self._older_requested = self._newer_requested = False

    def set_names(self, names: Mapping[str, str]) -> None:
        """Display names for user ids (chat senders, joins, private recipients)."""
        self._keep_view(lambda: self._layout.set_names(names))

    def describe(self, entry: LogEntry) -> Text:
        """`entry`'s summary as the log words it, whole (for showing it on its own): the
        log's line stops at SUMMARY_LIMIT characters, this one never does."""
        return self._layout.body(entry, limit=None)

    @property
    def cursor_entry(self) -> LogEntry | None:
        """The entry under the cursor, if there is a cursor."""
        index = None if self._cursor is None else self._layout.index_of(self._cursor)
        return None if index is None else self._layout.entries[index]

    def action_cursor(self, step: int) -> None:
        """Move the cursor `step` entries; the first press puts it on the entry at the
        view's bottom (going up) or top (going down)."""
        held = self._layout.entries
        if not held:
            return
        index = None if self._cursor is None else self._layout.index_of(self._cursor)
        if index is None:
            edge = self.scroll_offset.y + (self.size.height - 1 if step < 0 else 0)
            found = self._layout.locate(max(0, min(edge, self._layout.total_lines - 1)))
            index = 0 if found is None else found[0]
        else:
            index = max(0, min(len(held) - 1, index + step))
        self._cursor_edge = None
        self._cursor = held[index].id
        self._scroll_to_entry(index)
        self.refresh()

    def action_choose(self) -> None:
        """Show the entry under the cursor whole (placing the cursor first if there is none)."""
        if self.cursor_entry is None:
            self.action_cursor(-1)
        entry = self.cursor_entry
        if entry is not None:
            self.post_message(self.EntryChosen(entry))

    def action_oldest(self) -> None:
        """Home: the cursor on the log's first event (read from the store if it is not held),
        so that Enter shows the entry the view went to."""
        if self._has_older:
            self._cursor_edge = 0  # on the oldest entry of the page reset() brings
            self.post_message(self.OldestWanted())
        elif self._layout.entries:
            self._cursor_edge = None
            self._cursor = self._layout.entries[0].id
            self.scroll_home(animate=False, immediate=True, force=True, x_axis=False)
            self.refresh()

    def action_newest(self) -> None:
        """End: the cursor on the newest event, following new ones again."""
        if self._newer_dropped:
            self._cursor_edge = -1  # on the newest entry of the page reset() brings
        elif self._layout.entries:
            self._cursor_edge = None
            self._cursor = self._layout.entries[-1].id
            self.refresh()
        self.follow()

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the entry clicked; a double click shows it whole."""
        key = self._layout.line_key(event.y + self.scroll_offset.y)
        if key is None:
            return
        self._cursor_edge = None
        self._cursor = key[0]
        self.refresh()
        if event.chain >= 2:
            self.action_choose()

    def follow(self) -> None:
        """Jump to the newest event and follow again (the screen's "N new" action)."""
        if self._newer_dropped:
            self._want_latest()
            return
        self._following = True
        self._to_bottom()
        self._set_pending(0)

    # -- internals -------------------------------------------------------

    def _resize(self) -> None:
        self.virtual_size = Size(0, self._layout.total_lines)

    def _to_bottom(self) -> None:
        self.scroll_end(animate=False, immediate=True, force=True, x_axis=False)

    def _restore(self, anchor: Anchor | None) -> None:
        """Scroll so the anchored entry's line is at the top again, wherever it now falls."""
        y = self._layout.anchored_line(anchor)
        if y is not None:
            self.scroll_to(y=y, animate=False, force=True, immediate=True)

    def _shown(self, top: int) -> tuple[int, list[tuple[int, int] | None]]:
        """What a view starting at virtual line `top` shows, line by line."""
        rows = range(top, top + self.size.height)
        return self._layout.revision, [self._layout.line_key(y) for y in rows]

    def _follow_lines(self, y: int) -> None:
        """Grow and scroll to `y`, where the lines on screen moved to (a page went in above).

        The picture is the same, so nothing is repainted but the scrollbar,
        and nothing is laid out again: a page inserted while the top of the
        log is on screen costs a frame of a few cells instead of a layout of
        the screen and a frame of the whole log. (Assigning virtual_size
        would do both.) Only a scrollbar that must appear or go needs the
        layout.
        """
        size = Size(0, self._layout.total_lines)
        keeps_scrollbar = self.show_vertical_scrollbar and size.height > self.container_size.height
        self.set_reactive(ScrollView.virtual_size, size)
        if keeps_scrollbar:
            self.vertical_scrollbar.window_virtual_size = size.height
        else:
            self.refresh(repaint=False, layout=True)
        self._repaint_on_scroll = False
        try:
            self.scroll_to(y=y, animate=False, force=True, immediate=True)
        finally:
            self._repaint_on_scroll = True

    def _keep_view(self, change: Callable[[], bool]) -> None:
        """Apply a change that may alter line counts, keeping the view on the same entry
        (or on the newest one while following). `change` returns whether anything changed."""
        anchor = None if self._following else self._layout.anchor(self.scroll_offset.y)
        if not change():
            return
        self._resize()
        if self._following:
            self._to_bottom()
        else:
            self._restore(anchor)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Rewrap for the new width; a height change alone only keeps the bottom in view."""
        self._layout.clear_lines()
        # Entries wrap short of the scrollbar, whose gutter is always reserved
        # (scrollbar-gutter: stable) so that it appearing cannot rewrap the log.
        width = max(0, self.scrollable_content_region.width)
        if width != self._layout.width:
            self._keep_view(lambda: self._layout.set_width(width))
        elif self._following:
            self._to_bottom()
        self.call_after_refresh(self._check_edges)

    def _scroll_to_entry(self, index: int) -> None:
        """Scroll the least that shows the entry at `index` whole (its top, if taller)."""
        top = self._layout.first_line(index)
        bottom = top + self._layout.line_count(index)
        view = self.scroll_offset.y
        if top < view or bottom - top > self.size.height:
            self.scroll_to(y=top, animate=False, force=True, immediate=True)
        elif bottom > view + self.size.height:
            self.scroll_to(y=bottom - self.size.height, animate=False, force=True, immediate=True)

    def _viewing_upper_half(self) -> bool:
        middle = self.scroll_offset.y + self.size.height // 2
        return middle * 2 < self._layout.total_lines

    def _drop_oldest(self, count: int) -> None:
        self._layout.drop_oldest(count)
        self._has_older = True
        self._older_requested = False  # an outstanding request now names a dropped entry

    def _drop_newest(self, count: int) -> None:
        self._layout.drop_newest(count)
        self._newer_dropped = True
        self._newer_requested = self._latest_requested = False
        self._following = False

    def _set_pending(self, pending: int) -> None:
        if pending != self._pending:
            self._pending = pending
            self.post_message(self.PendingChanged(pending))

    def _want_latest(self) -> None:
        if not self._latest_requested:
            self._latest_requested = True
            self.post_message(self.LatestWanted())

    def _check_edges(self) -> None:
        """Near the top, ask for older entries; near the bottom of a cut log, newer ones."""
        if not self.size.height:
            return
        held = self._layout.entries
        if self._near_top() and not self._older_requested:
            self._older_requested = True
            self.post_message(self.OlderWanted(held[0].id))
        near_bottom = self.scroll_offset.y + PREFETCH_SCREENS * self.size.height
        if (
            self._newer_dropped
            and held
            and not self._newer_requested
            and near_bottom >= self.max_scroll_y
        ):
            self._newer_requested = True
            self.post_message(self.NewerWanted(held[-1].id))

    def _near_top(self) -> bool:
        """Whether older entries exist and the view is PREFETCH_SCREENS from showing them."""
        near = self.scroll_offset.y < PREFETCH_SCREENS * self.size.height
        return near and self._has_older and bool(self._layout.entries)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        if self._repaint_on_scroll:
            super().watch_scroll_y(old_value, new_value)
        elif self.show_vertical_scrollbar:
            self.vertical_scrollbar.position = new_value
        self._following = round(new_value) >= self.max_scroll_y
        if self.at_bottom:
            self._set_pending(0)
        self._check_edges()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._layout.clear_lines()
        self._base_style = None

    def render_lines(self, crop: Region) -> list[Strip]:
        """Look the widget's style up once per paint: `rich_style` walks every ancestor's
        background (~0.1 ms), which per line was about half of painting the log."""
        self._base_style = self.rich_style
        self._cursor_style = self.get_component_rich_style("event-log--cursor")
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if width <= 0:
            return Strip.blank(0)
        if self._base_style is None:
            self._base_style = self.rich_style
        y += self.scroll_offset.y
        strip = self._layout.strip(y, self._base_style, width, self.app.console)
        if self._cursor is not None:
            key = self._layout.line_key(y)
            if key is not None and key[0] == self._cursor:
                strip = strip.apply_style(self._cursor_style)
        return strip


def _chronological(entries: Sequence[LogEntry]) -> list[LogEntry]:
    """Oldest first, ties by id: the store's newest-first order reversed, whatever the input."""
    return sorted(entries, key=lambda entry: (entry.timestamp, entry.id))
