"""What a room screen needs from the store, fetched incrementally.

The first load reads one page of the log; after that only entries with a
higher id are read (a cheap tail query), names are looked up once per user,
and the turn history is re-read only when a turn moved.

Each refresh is one trip to the reader thread, however many queries it runs:
every trip waits for the UI loop to pick its result up, and while a screen
is being laid out and painted (opening a room) that wait is several
milliseconds a hop.

Older pages of the log are read ahead of the reader (read_ahead, ReadAhead)
and measured for the log's layout in the same read; the screen stages them
in the log, which puts one in the moment the view reaches the top, in the
frame that shows it, instead of waiting for a read and a count while the
screen paints. Once the game master reads back through the log
(page_taken), the reads go to the history process (app.history_process),
off the interpreter that paints, and reach further ahead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from app.gateway import StoreGateway
from app.older_pages import (
    LOG_PAGE,
    MeasuredPage,
    PackedPage,
    measure_pages,
    names_of,
    read_older_pages,
    wanted_names,
)
from store import Interaction, LogEntry, StoreError, TurnRecord
from widgets.event_layout import LayoutBasis, PageLayout, learn_entities, measure_page

TAIL_LIMIT = 1000


@dataclass(frozen=True)
class ReadAhead:
    """How far ahead of the reader older pages are read, how many pages a read brings, and
    how they wait to be shown."""

    pages: int
    """Older pages read ahead of the oldest one held (see read_ahead)."""
    pages_per_read: int
    """Pages one read brings: the page asked for and those above it, kept as read ahead."""
    staged: int
    """Of those, the nearest ones staged in the log, ready to go in (see read_ahead)."""
    packed: bool
    """Whether pages come packed and wait so until they are staged (PackedPage)."""


ON_READER_THREAD = ReadAhead(pages=2, pages_per_read=2, staged=2, packed=False)
"""Two ahead, so that a read slowed by a paint or a collection still lands before the page
after next is wanted; two a read, because each read's result waits for the UI loop, behind
any frame being painted, and the next read could only start after it: scrolling page after
page, the reader fell a page behind every few pages at one a read. Deeper or bigger reads
made the worst page worse: a page that came late waited for a longer read, and every read
competed with the painting for the interpreter."""
IN_HISTORY_PROCESS = ReadAhead(pages=8, pages_per_read=4, staged=2, packed=True)
"""Off the UI's interpreter a read costs the dashboard only its unpickling, so the history
process reads further ahead in bigger reads. At two and two, its answers, each waiting for
the UI loop, came too seldom: scrolling a 200,000-event room page after page, one page in
six was late. At eight and four, about one in a hundred (bench figure 3). Only the two
nearest are unpacked and staged: the next to go in, and the one after it for a page taken
before the read-ahead has run again."""
FIRST_PAGES_ABOVE = 2
"""Older pages read with the newest one when a room opens (or a filter changes), and
staged at once: a game master paging up straight away finds them there, and the
read-ahead goes on from the first one taken. With one, the second page up was late
(45-60 ms) in most scrolls of a 200,000-event room; each costs the room's first paint a
few milliseconds of reading and measuring on the reader thread."""
HISTORY_PROCESS_AFTER = 3
"""Older pages taken into the log before its reads go to the history process: opening a
room whose newest page is short takes one or two by itself, and a game master who only
glances up the log should not start a process."""


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
    first_layout: PageLayout | None = None
    """The first page measured against the basis the log will have once it holds it."""
    has_older: bool = False
    pages_above: list[OlderPage] = field(default_factory=list)
    """The pages above the first page (FIRST_PAGES_ABOVE), nearest first, read and measured
    in the same trip: staged with the first page, they are there for the first pages up,
    however soon those are asked for."""
    new_entries: list[LogEntry] = field(default_factory=list)
    """Oldest-first entries that arrived since the last refresh."""
    turn_records: list[TurnRecord] | None = None
    """The whole turn history, when it may have changed."""


class OlderPage:
    """A page of the log older than `before_id`, read and measured off the UI thread.

    A page the history process read ahead comes packed (PackedPage): its
    entries are unpacked the first time they are asked for, which the feed
    leaves until the page is staged in the log.
    """

    def __init__(self, page: MeasuredPage | PackedPage, filter_changes: int) -> None:
        self.before_id = page.before_id
        self.oldest_id = page.oldest_id
        """Id of the page's oldest entry, the `before_id` of the page above (None: empty)."""
        self.has_older = page.has_older
        self.filter_changes = filter_changes
        """The feed's filter generation it was read under (see RoomFeed.is_current)."""
        self._page = page

    @property
    def entries(self) -> list[LogEntry]:
        """Newest first, as the store returns them."""
        return self._measured().entries

    @property
    def layout(self) -> PageLayout:
        """The entries' line counts, against the basis the page was read with."""
        return self._measured().layout

    def unpack(self) -> None:
        """Unpack the page now, if it came packed; what could not be unpacked is raised as
        a StoreError, as a read that failed would be."""
        if isinstance(self._page, PackedPage):
            try:
                self._page = self._page.unpack()
            except Exception as error:
                raise StoreError(
                    f"a page of the log read ahead came back broken: {error!r}"
                ) from error

    def _measured(self) -> MeasuredPage:
        self.unpack()
        assert isinstance(self._page, MeasuredPage)
        return self._page


@dataclass
class _Ahead:
    """A page being read ahead: which one, and (once `done` is set) the page, if it came."""

    before_id: int
    filter_changes: int
    done: asyncio.Event = field(default_factory=asyncio.Event)
    page: OlderPage | None = None


@dataclass(frozen=True)
class _Start:
    """Where a fetch starts from, copied on the UI thread so the reader thread shares no state."""

    last_log_id: int | None
    event_filter: EventFilter
    turn_position: tuple[int, int] | None
    basis: LayoutBasis
    """The log's width and entity names with the feed's names: the names known, and what a
    first page is measured against."""


@dataclass(frozen=True)
class _Read:
    """What one trip to the reader thread brought back, applied to the feed on the UI thread."""

    update: RoomUpdate
    last_log_id: int
    turn_position: tuple[int, int]
    names: dict[str, str]
    pages_above: list[MeasuredPage]


class RoomFeed:
    """Incremental reads of one interaction through the gateway's reader thread."""

    def __init__(self, gateway: StoreGateway, interaction_id: int) -> None:
        self._gateway = gateway
        self._store = gateway.store
        self.interaction_id = interaction_id
        self.event_filter = EVENT_FILTERS[0]
        self._last_log_id: int | None = None
        self._turn_position: tuple[int, int] | None = None
        self._names: dict[str, str] = {}
        self._filter_changes = 0
        self._ahead: list[_Ahead] = []
        """Pages read, or being read, ahead: the nearest first."""
        self._pages_taken = 0

    @property
    def names(self) -> dict[str, str]:
        """Display names learned so far, by user id."""
        return self._names

    def set_filter(self, event_filter: EventFilter) -> None:
        """Show only these events; the next fetch starts a fresh first page."""
        self.event_filter = event_filter
        self._last_log_id = None
        self._filter_changes += 1

    def reload(self) -> None:
        """Start the next fetch from a fresh first page, with the same filter."""
        self.set_filter(self.event_filter)

    def page_taken(self) -> None:
        """An older page went into the log. From the HISTORY_PROCESS_AFTER-th on, the game
        master is reading back through it: older pages are read in the history process
        once it is up (this starts it and returns at once)."""
        self._pages_taken += 1
        if self._pages_taken >= HISTORY_PROCESS_AFTER:
            self._gateway.start_history_process()

    async def fetch(self, basis: LayoutBasis) -> RoomUpdate:
        """What changed since the last fetch (everything, the first time), in one reader trip.
        `basis`: the log's now (EventLog.layout_basis), for a first page to be measured."""
        changes = self._filter_changes
        # The log is handed this feed's names with the update: measure against them.
        basis = LayoutBasis(basis.width, dict(self._names), basis.entities)
        start = _Start(self._last_log_id, self.event_filter, self._turn_position, basis)
        read = await self._gateway.read(self._read, start)
        if changes == self._filter_changes:
            self._last_log_id = read.last_log_id
            read.update.pages_above = [OlderPage(page, changes) for page in read.pages_above]
            for page in read.update.pages_above:
                self._ahead.append(_Ahead(page.before_id, changes, page=page))
                self._ahead[-1].done.set()
        else:  # a new filter meanwhile: its own first page comes with the next fetch
            read.update.first_page = read.update.first_layout = None
        self._turn_position = read.turn_position
        self._names.update(read.names)
        read.update.names = self._names
        return read.update

    async def older(self, before_id: int, basis: LayoutBasis) -> OlderPage:
        """The page older than `before_id`, unpacked: the one read ahead if it is that one
        (waiting for it if it is still on its way, rather than reading it twice), else
        read now."""
        page = await self._shared_page(before_id, basis)
        return self._handed_over(page if page is not None else await self._older(before_id, basis))

    async def read_ahead(self, before_id: int, basis: LayoutBasis) -> AsyncIterator[OlderPage]:
        """Read the pages above `before_id` ahead (ReadAhead.pages), and yield the nearest
        ones to stage (ReadAhead.staged), each as soon as it is in: pages read (or on
        their way) already are not read again. Those further up wait in the feed.

        A failed read ends the pages: older() reads it again when the log
        asks for it, and reports the error then.
        """
        changes = self._filter_changes
        plan = self._read_ahead_plan()
        self._ahead = self._chain_from(before_id)
        for number in range(plan.pages):
            try:
                page = await self._shared_page(before_id, basis)
            except StoreError:
                return
            if page is None or self._filter_changes != changes:
                return  # failed, or a new filter: the pages above belong to a log that is gone
            if number < plan.staged:
                try:
                    yield self._handed_over(page)
                except StoreError:
                    return
            if not page.has_older or page.oldest_id is None:
                return
            before_id = page.oldest_id  # the next page starts there

    async def _shared_page(self, before_id: int, basis: LayoutBasis) -> OlderPage | None:
        """The page older than `before_id`, read once for every caller that wants it: the
        read already on its way (None if it failed), else a read started now."""
        ahead = self._ahead_for(before_id)
        if ahead is not None:
            await ahead.done.wait()
            return ahead.page
        ahead = _Ahead(before_id, self._filter_changes)
        self._ahead.append(ahead)
        try:
            ahead.page = await self._older(before_id, basis)
        finally:
            if ahead.page is None and ahead in self._ahead:
                self._ahead.remove(ahead)  # failed or cancelled: read it when asked
            ahead.done.set()
        return ahead.page

    def _handed_over(self, page: OlderPage) -> OlderPage:
        """`page`, unpacked to be handed over. One that cannot be unpacked is forgotten, to
        be read again when it is next asked for, and its error raised."""
        try:
            page.unpack()
        except StoreError:
            self._ahead = [ahead for ahead in self._ahead if ahead.page is not page]
            raise
        return page

    def _ahead_for(self, before_id: int) -> _Ahead | None:
        """The page older than `before_id` read (or being read) ahead under this filter."""
        for ahead in self._ahead:
            if self._is_for(ahead, before_id):
                return ahead
        return None

    def _chain_from(self, before_id: int) -> list[_Ahead]:
        """The pages held ahead that continue the log up from `before_id`, nearest first;
        any other is no longer wanted (the log moved on, or the filter changed)."""
        chain = []
        ahead = self._ahead_for(before_id)
        while ahead is not None:
            chain.append(ahead)
            if ahead.page is None or ahead.page.oldest_id is None:
                break
            ahead = self._ahead_for(ahead.page.oldest_id)
        return chain

    def _is_for(self, ahead: _Ahead, before_id: int) -> bool:
        """Whether `ahead` is the page older than `before_id` under the current filter."""
        return ahead.before_id == before_id and ahead.filter_changes == self._filter_changes

    def is_current(self, page: OlderPage) -> bool:
        """Whether `page` was read under the filter shown now: a page read before the
        game master changed it belongs to a log that is gone."""
        return page.filter_changes == self._filter_changes

    def _read_ahead_plan(self) -> ReadAhead:
        """How to read ahead now: as the history process does once it is up."""
        return IN_HISTORY_PROCESS if self._gateway.history_ready else ON_READER_THREAD

    async def _older(self, before_id: int, basis: LayoutBasis) -> OlderPage:
        """The page older than `before_id`, read with the pages above it
        (ReadAhead.pages_per_read), which are kept as read ahead."""
        changes = self._filter_changes
        plan = self._read_ahead_plan()
        read = await self._gateway.read_history(
            read_older_pages,
            self.interaction_id,
            before_id,
            plan.pages_per_read,
            self.event_filter.types,
            frozenset(self._names),
            basis,
            packed=plan.packed,
        )
        self._names.update(read.names)
        older = [OlderPage(page, changes) for page in read.pages]
        if changes == self._filter_changes:
            for page in older[1:]:
                if self._ahead_for(page.before_id) is None:
                    self._ahead.append(_Ahead(page.before_id, changes, page=page))
                    self._ahead[-1].done.set()
        return older[0]

    # -- on the reader thread ------------------------------------------------

    def _read(self, start: _Start) -> _Read:
        interaction = self._store.get_interaction(self.interaction_id, with_snapshot=False)
        update = RoomUpdate(interaction=interaction, names={})
        above: list[LogEntry] = []
        if start.last_log_id is None:
            seen, last_log_id = self._read_first_page(start.event_filter)
            update.first_page, update.has_older = seen, len(seen) == LOG_PAGE
            if update.has_older:
                above = self._store.get_interaction_logs(
                    self.interaction_id,
                    limit=LOG_PAGE * FIRST_PAGES_ABOVE,
                    before=seen[-1].id,
                    event_types=start.event_filter.types,
                )
        else:
            seen, last_log_id = self._read_tail(start.last_log_id)
            update.new_entries = [entry for entry in seen if start.event_filter.admits(entry)]
        position = (interaction.round_number, interaction.turn_number)
        if position != start.turn_position or any(
            entry.event_type.startswith("TURN_") for entry in seen
        ):
            update.turn_records = self._store.get_turn_records(self.interaction_id)
        known = start.basis.names.keys()
        names = names_of(self._store, wanted_names(interaction, seen + above) - known)
        pages_above = []
        if update.first_page is not None:
            pages_above = self._measure_first_pages(update, above, start.basis, names)
        return _Read(update, last_log_id, position, names, pages_above)

    @staticmethod
    def _measure_first_pages(
        update: RoomUpdate, above: list[LogEntry], basis: LayoutBasis, names: dict[str, str]
    ) -> list[MeasuredPage]:
        """Measure the first page against the basis the log will have once it holds it (the
        new names, and the entity names the page teaches), and the pages above it, if any,
        against the same: as the log will have it when they go in, unless one of them
        teaches an entity name of its own (the log then counts the page itself)."""
        first = update.first_page or []
        basis = LayoutBasis(
            basis.width, {**basis.names, **names}, learn_entities(basis.entities, first)
        )
        update.first_layout = measure_page(first, basis)
        if not update.has_older:
            return []
        return measure_pages(above, first[-1].id, FIRST_PAGES_ABOVE, basis)

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
