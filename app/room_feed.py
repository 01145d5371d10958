"""What a room screen needs from the store, read incrementally.

The first read brings the newest page of the log; after that only entries
with a higher id are read (a cheap tail query), names are looked up once per
user, and the turn history is re-read only when a turn moved. Each refresh
is one trip to the reader thread, however many queries it runs.

Older pages are read one at a time, and one ahead: once a page is handed
to the log, the page above it is read in the background, so a reader paging
up finds the next page there (`kept_older`) instead of waiting for a read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from store import Interaction, LiveStore, LogEntry, TurnRecord

StoreRead = Callable[..., Awaitable[Any]]
"""LiveroomApp.store_read: runs a call on the reader thread; None when it failed (reported)."""

LOG_PAGE = 200
TAIL_LIMIT = 1000


@dataclass(frozen=True)
class EventFilter:
    """A named set of event types the log can be narrowed to (None: everything)."""

    label: str
    types: tuple[str, ...] | None

    def admits(self, entry: LogEntry) -> bool:
        return self.types is None or entry.event_type in self.types


EVENT_FILTERS: tuple[EventFilter, ...] = (
    EventFilter("all events", None),
    EventFilter("chat", ("CHAT_MESSAGE",)),
    EventFilter(
        "turns",
        ("TURN_STARTED", "TURN_COMPLETED", "TURN_SKIPPED", "TURN_TIMEOUT", "ROUND_COMPLETED"),
    ),
    EventFilter("players", ("PARTICIPANT_JOINED", "PARTICIPANT_LEFT")),
    EventFilter(
        "room",
        (
            "INTERACTION_INITIALIZED",
            "INTERACTION_PAUSED",
            "INTERACTION_RESUMED",
            "INTERACTION_COMPLETED",
            "INTERACTION_CANCELLED",
            "ROOM_CLEANUP",
            "SETTINGS_UPDATED",
        ),
    ),
)


@dataclass
class RoomUpdate:
    """One refresh's worth of news for the room screen."""

    interaction: Interaction
    names: dict[str, str]
    first_page: list[LogEntry] | None = None
    """Newest-first page replacing the log (first load or a new filter)."""
    has_older: bool = False
    new_entries: list[LogEntry] = field(default_factory=list)
    """Oldest-first entries that arrived since the last refresh."""
    turn_records: list[TurnRecord] | None = None
    """The whole turn history, when it may have changed."""


@dataclass(frozen=True)
class OlderPage:
    """The page of the log just older than the entry `before_id`."""

    before_id: int
    entries: list[LogEntry]
    """Newest first, as the store returns them."""
    has_older: bool
    filter_changes: int
    """The feed's filter generation it was read under (see RoomFeed.is_current)."""

    @property
    def oldest_id(self) -> int | None:
        """The `before_id` of the page above this one (None for an empty page)."""
        return self.entries[-1].id if self.entries else None


@dataclass(frozen=True)
class NewerPage:
    """The entries just newer than the entry `after_id`, oldest first."""

    after_id: int
    entries: list[LogEntry]
    has_newer: bool
    filter_changes: int


@dataclass(frozen=True)
class _ReadAhead:
    """The page above `before_id`, being read (or read) before the log asks for it."""

    before_id: int
    read: asyncio.Task[OlderPage | None]


@dataclass(frozen=True)
class _Start:
    """Where a read starts from, copied on the UI thread so the reader thread shares no state."""

    last_log_id: int | None
    event_filter: EventFilter
    turn_position: tuple[int, int] | None
    known_names: frozenset[str]


@dataclass(frozen=True)
class _Read:
    """What one trip to the reader thread brought back, applied to the feed on the UI thread."""

    update: RoomUpdate
    last_log_id: int
    turn_position: tuple[int, int]
    names: dict[str, str]


class RoomFeed:
    """Incremental reads of one interaction; `read` runs a call on the reader thread."""

    def __init__(self, store: LiveStore, read: StoreRead, interaction_id: int) -> None:
        self._store = store
        self._read = read
        self.interaction_id = interaction_id
        self.event_filter = EVENT_FILTERS[0]
        self._last_log_id: int | None = None
        self._turn_position: tuple[int, int] | None = None
        self._names: dict[str, str] = {}
        self._filter_changes = 0
        self._ahead: _ReadAhead | None = None
        """The page above the last one handed out: the log's likely next request."""

    @property
    def names(self) -> dict[str, str]:
        """Display names learned so far, by user id."""
        return self._names

    def set_filter(self, event_filter: EventFilter) -> None:
        """Show only these events; the next fetch starts a fresh first page."""
        self.event_filter = event_filter
        self._last_log_id = None
        self._filter_changes += 1
        self.close()

    def close(self) -> None:
        """Drop the page read ahead (cancelling its read): a new filter, or the room closed."""
        if self._ahead is not None:
            self._ahead.read.cancel()
            self._ahead = None

    def reload(self) -> None:
        """Start the next fetch from a fresh first page, with the same filter."""
        self.set_filter(self.event_filter)

    def is_current(self, page: OlderPage | NewerPage) -> bool:
        """Whether `page` was read under the filter shown now."""
        return page.filter_changes == self._filter_changes

    async def fetch(self) -> RoomUpdate | None:
        """What changed since the last fetch (everything, the first time); None if the read
        failed (the app reported it)."""
        changes = self._filter_changes
        start = _Start(
            self._last_log_id, self.event_filter, self._turn_position, frozenset(self._names)
        )
        read: _Read | None = await self._read(self._read_changes, start)
        if read is None:
            return None
        if changes == self._filter_changes:
            self._last_log_id = read.last_log_id
        else:  # a new filter meanwhile: its own first page comes with the next fetch
            read.update.first_page = None
        self._turn_position = read.turn_position
        self._names.update(read.names)
        read.update.names = self._names
        return read.update

    def kept_older(self, before_id: int) -> OlderPage | None:
        """The page above `before_id` if it was read ahead and has arrived; None otherwise
        (ask `older`). Lets the screen put the page in without waiting for anything."""
        ahead = self._ahead
        if ahead is None or ahead.before_id != before_id or not ahead.read.done():
            return None
        if ahead.read.cancelled() or ahead.read.exception() is not None:
            return None
        page = ahead.read.result()
        if page is None or not self.is_current(page):
            return None
        self._ahead = None
        self._read_ahead(page)
        return page

    async def older(self, before_id: int) -> OlderPage | None:
        """The page above `before_id`: the one read ahead if it is that one, else read now.
        None if the read failed (reported)."""
        ahead, self._ahead = self._ahead, None
        page = None
        if ahead is not None and ahead.before_id == before_id:
            page = await ahead.read
        if page is None or not self.is_current(page):
            if ahead is not None:
                ahead.read.cancel()
            page = await self._read_page(before_id)
        if page is not None:
            self._read_ahead(page)
        return page

    def _read_ahead(self, page: OlderPage) -> None:
        """Start reading the page above `page`, for the log's next request."""
        self.close()
        if page.has_older and page.oldest_id is not None and self.is_current(page):
            above = page.oldest_id
            self._ahead = _ReadAhead(above, asyncio.create_task(self._read_page(above)))

    async def _read_page(self, before_id: int) -> OlderPage | None:
        changes = self._filter_changes
        found = await self._read(
            self._read_older, before_id, self.event_filter.types, frozenset(self._names)
        )
        if found is None:
            return None
        entries, names = found
        self._names.update(names)
        return OlderPage(before_id, entries, len(entries) == LOG_PAGE, changes)

    async def newer(self, after_id: int) -> NewerPage | None:
        """The page after the entry `after_id` (0: the log's first page), under the
        filter; None if the read failed (reported)."""
        changes = self._filter_changes
        found = await self._read(
            self._read_newer, after_id, self.event_filter, frozenset(self._names)
        )
        if found is None:
            return None
        entries, has_newer, names = found
        self._names.update(names)
        return NewerPage(after_id, entries, has_newer, changes)

    def tail_from(self, after_id: int) -> None:
        """Tail the log from `after_id` again: the log just caught up with the newest
        entries by pages, and what the tail read meanwhile was not taken in."""
        if self._last_log_id is not None:
            self._last_log_id = min(self._last_log_id, after_id)

    # -- on the reader thread ------------------------------------------------

    def _read_changes(self, start: _Start) -> _Read:
        interaction = self._store.get_interaction(self.interaction_id, with_snapshot=False)
        update = RoomUpdate(interaction=interaction, names={})
        if start.last_log_id is None:
            seen, last_log_id = self._read_first_page(start.event_filter)
            update.first_page, update.has_older = seen, len(seen) == LOG_PAGE
        else:
            seen, last_log_id = self._read_tail(start.last_log_id)
            update.new_entries = [entry for entry in seen if start.event_filter.admits(entry)]
        position = (interaction.round_number, interaction.turn_number)
        if position != start.turn_position or any(
            entry.event_type.startswith("TURN_") for entry in seen
        ):
            update.turn_records = self._store.get_turn_records(self.interaction_id)
        names = self._names_of(wanted_names(interaction, seen) - start.known_names)
        return _Read(update, last_log_id, position, names)

    def _read_older(
        self, before_id: int, event_types: tuple[str, ...] | None, known_names: frozenset[str]
    ) -> tuple[list[LogEntry], dict[str, str]]:
        """The page above `before_id` (newest first), and the names of users it mentions
        that were not known."""
        page = self._store.get_interaction_logs(
            self.interaction_id, limit=LOG_PAGE, before=before_id, event_types=event_types
        )
        return page, self._names_of(wanted_names(None, page) - known_names)

    def _read_newer(
        self, after_id: int, event_filter: EventFilter, known_names: frozenset[str]
    ) -> tuple[list[LogEntry], bool, dict[str, str]]:
        """Up to a page of entries after `after_id` that the filter admits, oldest first,
        whether more follow, and the names of users they mention that were not known."""
        entries: list[LogEntry] = []
        more = True
        while more:
            batch = self._store.get_logs_after(self.interaction_id, after_id, limit=TAIL_LIMIT)
            more = len(batch) == TAIL_LIMIT
            for index, entry in enumerate(batch):
                after_id = entry.id
                if event_filter.admits(entry):
                    entries.append(entry)
                    if len(entries) == LOG_PAGE:
                        more = more or index < len(batch) - 1
                        break
            if len(entries) == LOG_PAGE:
                break
        return entries, more, self._names_of(wanted_names(None, entries) - known_names)

    def _read_first_page(self, event_filter: EventFilter) -> tuple[list[LogEntry], int]:
        """The newest page, and the newest id of the whole log (where tailing resumes)."""
        page = self._store.get_interaction_logs(
            self.interaction_id, limit=LOG_PAGE, event_types=event_filter.types
        )
        if event_filter.types is None:
            return page, max((entry.id for entry in page), default=0)
        # The filtered page may stop short of the newest entry: ask for it.
        newest = self._store.get_interaction_logs(self.interaction_id, limit=1)
        return page, newest[0].id if newest else 0

    def _read_tail(self, last_log_id: int) -> tuple[list[LogEntry], int]:
        entries: list[LogEntry] = []
        while True:
            batch = self._store.get_logs_after(self.interaction_id, last_log_id, limit=TAIL_LIMIT)
            entries.extend(batch)
            if batch:
                last_log_id = batch[-1].id
            if len(batch) < TAIL_LIMIT:
                return entries, last_log_id

    def _names_of(self, users: set[str]) -> dict[str, str]:
        """Display names of `users` (no query when there are none)."""
        return self._store.display_names(sorted(users)) if users else {}


def wanted_names(interaction: Interaction | None, entries: Sequence[LogEntry]) -> set[str]:
    """Every user id the room shows a name for: senders, recipients, players, the DM."""
    wanted = {entry.user_id for entry in entries if entry.user_id}
    for entry in entries:
        data = entry.event_data
        if isinstance(data, dict) and isinstance(data.get("recipients"), list):
            wanted.update(r for r in data["recipients"] if isinstance(r, str) and r)
    if interaction is not None:
        wanted.update(interaction.connected_participants)
        wanted.update(e.user_id for e in interaction.initiative_order if e.user_id)
        wanted.add(interaction.dm_user_id)
    return wanted
