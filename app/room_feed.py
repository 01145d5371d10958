"""What a room screen needs from the store, fetched incrementally.

The first load reads one page of the log; after that only entries with a
higher id are read (a cheap tail query), names are looked up once per user,
and the turn history is re-read only when a turn moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.gateway import StoreGateway
from store import Interaction, LogEntry, TurnRecord

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

    @property
    def names(self) -> dict[str, str]:
        """Display names learned so far, by user id."""
        return self._names

    def set_filter(self, event_filter: EventFilter) -> None:
        """Show only these events; the next fetch starts a fresh first page."""
        self.event_filter = event_filter
        self._last_log_id = None

    async def fetch(self) -> RoomUpdate:
        read = self._gateway.read
        interaction = await read(
            self._store.get_interaction, self.interaction_id, with_snapshot=False
        )
        update = RoomUpdate(interaction=interaction, names=self._names)
        if self._last_log_id is None:
            page = await read(
                self._store.get_interaction_logs,
                self.interaction_id,
                limit=LOG_PAGE,
                event_types=self.event_filter.types,
            )
            if self.event_filter.types is None:
                self._last_log_id = max((entry.id for entry in page), default=0)
            else:  # the filtered page may stop short of the newest entry: ask for it
                newest = await read(self._store.get_interaction_logs, self.interaction_id, limit=1)
                self._last_log_id = newest[0].id if newest else 0
            update.first_page, update.has_older = page, len(page) == LOG_PAGE
            seen = page
        else:
            seen = await self._tail()
            update.new_entries = [entry for entry in seen if self.event_filter.admits(entry)]
        position = (interaction.round_number, interaction.turn_number)
        if position != self._turn_position or any(e.event_type.startswith("TURN_") for e in seen):
            self._turn_position = position
            update.turn_records = await read(self._store.get_turn_records, self.interaction_id)
        await self._learn_names(interaction, seen)
        return update

    async def older(self, before_id: int) -> tuple[list[LogEntry], bool]:
        """The page of entries older than `before_id`, newest first, and whether more exist."""
        page = await self._gateway.read(
            self._store.get_interaction_logs,
            self.interaction_id,
            limit=LOG_PAGE,
            before=before_id,
            event_types=self.event_filter.types,
        )
        await self._learn_names(None, page)
        return page, len(page) == LOG_PAGE

    async def _tail(self) -> list[LogEntry]:
        entries: list[LogEntry] = []
        while True:
            batch = await self._gateway.read(
                self._store.get_logs_after,
                self.interaction_id,
                self._last_log_id or 0,
                limit=TAIL_LIMIT,
            )
            entries.extend(batch)
            if batch:
                self._last_log_id = batch[-1].id
            if len(batch) < TAIL_LIMIT:
                return entries

    async def _learn_names(
        self, interaction: Interaction | None, entries: Sequence[LogEntry]
    ) -> None:
        wanted = {entry.user_id for entry in entries if entry.user_id}
        for entry in entries:
            data = entry.event_data
            if isinstance(data, dict) and isinstance(data.get("recipients"), list):
                wanted.update(r for r in data["recipients"] if isinstance(r, str) and r)
        if interaction is not None:
            wanted.update(interaction.connected_participants)
            wanted.update(e.user_id for e in interaction.initiative_order if e.user_id)
            wanted.add(interaction.dm_user_id)
        missing = sorted(wanted - self._names.keys())
        if missing:
            self._names.update(await self._gateway.read(self._store.display_names, missing))
