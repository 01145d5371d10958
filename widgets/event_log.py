"""The room's event log: a Line API view over a bounded window of log entries.

PERF_NOTES: RichLog/Log keep every rendered line and slow to seconds at 100k
lines; a ScrollView that renders only the visible rows stays flat. The log
holds at most `max_entries` entries, pages older ones in on request
(OlderWanted) and asks for a fresh tail (LatestWanted) if it had to drop the
newest ones to make room.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from widgets.event_format import TYPE_WIDTH, WIDE_TYPE_WIDTH, event_line

if TYPE_CHECKING:
    from store.models import LogEntry

__all__ = ["EventLog"]

WIDE_LOG = 90
"""From this width on, the event type column is wide enough for every store event type."""


class EventLog(ScrollView, can_focus=True):
    """Newest events at the bottom; follows them unless the user has scrolled up."""

    DEFAULT_CSS = """
    EventLog {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    class OlderWanted(Message):
        """The user is within a screen of the top and older entries exist: fetch a page.

        Answer with prepend_older(store.get_interaction_logs(..., before=before_id)).
        Posted once until the next prepend_older() or reset().
        """

        def __init__(self, before_id: int) -> None:
            super().__init__()
            self.before_id = before_id
            """Id of the oldest entry held: the `before` of the next page."""

    class LatestWanted(Message):
        """The newest entries were dropped to make room for older ones and the user is back
        near the bottom: call reset() with the newest page. Posted once until reset()."""

    class PendingChanged(Message):
        """pending_new changed (new events below the view, or the user caught up)."""

        def __init__(self, pending: int) -> None:
            super().__init__()
            self.pending = pending
            """Events appended since the user scrolled up; 0 once they reach the bottom."""

    def __init__(
        self,
        *,
        max_entries: int = 5000,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._entries: list[LogEntry] = []
        self._ids: set[int] = set()
        self._names: dict[str, str] = {}
        self._has_older = False
        self._older_requested = False
        self._newer_dropped = False
        self._latest_requested = False
        self._following = True
        self._pending = 0
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(1024)

    # -- state -------------------------------------------------------------

    @property
    def entries(self) -> Sequence[LogEntry]:
        """The entries held, oldest first (read-only view for the screen and tests)."""
        return tuple(self._entries)

    @property
    def has_older(self) -> bool:
        """Whether the store has entries older than the first one held."""
        return self._has_older

    @property
    def at_bottom(self) -> bool:
        """Whether the view shows the newest event (and so follows new ones)."""
        return self._following and not self._newer_dropped

    @property
    def pending_new(self) -> int:
        """Events appended while the user was scrolled up; cleared at the bottom."""
        return self._pending

    # -- data in ------------------------------------------------------------

    def reset(self, entries: Sequence[LogEntry], *, has_older: bool) -> None:
        """Replace everything with `entries` and jump to the bottom.

        Either order is accepted (the store's newest-first page is the usual
        input): entries are sorted by (timestamp, id), the store's own order.
        Only the newest max_entries are kept.
        """
        ordered = _chronological(entries)
        if len(ordered) > self.max_entries:
            ordered = ordered[-self.max_entries :]
            has_older = True
        self._entries = ordered
        self._ids = {entry.id for entry in ordered}
        self._has_older = has_older
        self._older_requested = False
        self._newer_dropped = False
        self._latest_requested = False
        self._cache.clear()
        self._following = True
        self._set_pending(0)
        self._resize()
        self.scroll_end(animate=False, immediate=True, force=True, x_axis=False)
        self.call_after_refresh(self._check_edges)

    def append(self, entries: Sequence[LogEntry]) -> None:
        """Add new events (oldest first) at the bottom.

        At the bottom the view follows them; scrolled up, the user's lines
        stay put and pending_new counts what arrived below.
        """
        new = [entry for entry in entries if entry.id not in self._ids]
        if not new:
            return
        following = self.at_bottom
        if not following:
            self._set_pending(self._pending + len(new))
        if self._newer_dropped:
            return  # a gap sits between what we hold and these; LatestWanted fills it
        self._entries.extend(new)
        self._ids.update(entry.id for entry in new)
        overflow = len(self._entries) - self.max_entries
        if overflow > 0:
            if not following and self._viewing_upper_half():
                self._drop_newest(overflow)
            else:
                self._drop_oldest(overflow)
        self._resize()
        if following:
            self.scroll_end(animate=False, immediate=True, force=True, x_axis=False)
        else:
            self.refresh()
        self.call_after_refresh(self._check_edges)

    def prepend_older(
        self, entries: Sequence[LogEntry], *, has_older: bool, before_id: int | None = None
    ) -> None:
        """Insert an older page (either order) above, keeping the user's lines in place.

        Pass the OlderWanted.before_id being answered: if the window moved
        since (a reset, or the oldest entries were dropped), the page no
        longer joins what is held and is ignored. Entries not older than the
        oldest one held are ignored in any case.
        """
        if before_id is not None and (not self._entries or self._entries[0].id != before_id):
            return
        older = _chronological([entry for entry in entries if entry.id not in self._ids])
        if self._entries:
            oldest = (self._entries[0].timestamp, self._entries[0].id)
            older = [entry for entry in older if (entry.timestamp, entry.id) < oldest]
        # An answer that adds nothing ends the paging: asking again would loop.
        self._has_older = has_older and bool(older)
        self._older_requested = False
        if older:
            self._entries[:0] = older
            self._ids.update(entry.id for entry in older)
            overflow = len(self._entries) - self.max_entries
            if overflow > 0:
                self._drop_newest(overflow)
            self._resize()
            self.scroll_to(y=self.scroll_y + len(older), animate=False, force=True, immediate=True)
            self.refresh()
        self.call_after_refresh(self._check_edges)

    def set_names(self, names: Mapping[str, str]) -> None:
        """Display names for user ids (chat senders, joins, private recipients)."""
        if names != self._names:
            self._names = dict(names)
            self._cache.clear()
            self.refresh()

    def follow(self) -> None:
        """Jump to the newest event and follow again (the screen's "N new" action)."""
        if self._newer_dropped:
            self._want_latest()
            return
        self._following = True
        self.scroll_end(animate=False, immediate=True, force=True, x_axis=False)
        self._set_pending(0)

    # -- internals -------------------------------------------------------

    def _resize(self) -> None:
        self.virtual_size = Size(0, len(self._entries))

    def _viewing_upper_half(self) -> bool:
        middle = self.scroll_offset.y + self.size.height // 2
        return middle * 2 < len(self._entries)

    def _drop_oldest(self, count: int) -> None:
        for entry in self._entries[:count]:
            self._ids.discard(entry.id)
        del self._entries[:count]
        self._has_older = True
        self._older_requested = False  # an outstanding request now names a dropped entry
        if not self._following:
            self.scroll_to(
                y=max(0, self.scroll_y - count), animate=False, force=True, immediate=True
            )

    def _drop_newest(self, count: int) -> None:
        for entry in self._entries[-count:]:
            self._ids.discard(entry.id)
        del self._entries[-count:]
        self._newer_dropped = True
        self._latest_requested = False
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
        """Ask for older entries near the top, for the latest near the bottom of a cut log."""
        y = self.scroll_offset.y
        height = self.size.height
        if not height:
            return
        if self._has_older and not self._older_requested and self._entries and y < height:
            self._older_requested = True
            self.post_message(self.OlderWanted(self._entries[0].id))
        if self._newer_dropped and y + height >= self.max_scroll_y:
            self._want_latest()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        following = round(new_value) >= self.max_scroll_y
        if following != self._following:
            self._following = following
        if self.at_bottom:
            self._set_pending(0)
        self._check_edges()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        index = self.scroll_offset.y + y
        if not 0 <= index < len(self._entries) or width <= 0:
            return Strip.blank(width, style)
        entry = self._entries[index]
        key = (entry.id, width)
        strip = self._cache.get(key)
        if strip is None:
            type_width = WIDE_TYPE_WIDTH if width >= WIDE_LOG else TYPE_WIDTH
            text = event_line(entry, self._names, type_width)
            text.truncate(width, overflow="ellipsis")
            text.stylize_before(style)
            strip = Strip(text.render(self.app.console)).crop_extend(0, width, style)
            self._cache[key] = strip
        return strip


def _chronological(entries: Sequence[LogEntry]) -> list[LogEntry]:
    """Oldest first, ties by id: the store's newest-first order reversed, whatever the input."""
    return sorted(entries, key=lambda entry: (entry.timestamp, entry.id))
