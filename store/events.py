"""The live event log: logging events (chat included) and reading them back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import peewee as pw

from store.core import StoreCore, load_json, storable_interaction_id, writes
from store.errors import InvalidInput
from store.event_input import check_chat_allowed, prepare_event
from store.limits import MAX_ID_LENGTH
from store.models import FINAL_STATUSES, LogEntry
from store.prepared import slot
from store.validation import (
    check_event_types,
    check_integer,
    check_interaction_id,
    check_limit,
    check_text,
)


class ChatGate(NamedTuple):
    """The chat settings read back while stamping an event's activity."""

    id: int
    chat_enabled: bool
    allow_private_chat: bool


class EventOperations(StoreCore):
    """log_interaction_event and get_interaction_logs."""

    @writes
    def log_interaction_event(
        self,
        interaction_id: int,
        event_type: str,
        event_data: Any,
        session_id: str,
        user_id: str | None = None,
        entity_id: str | None = None,
    ) -> LogEntry:
        """Append an event to the interaction's log and return it with its id and timestamp.

        CHAT_MESSAGE events follow the room's chat settings: refused while chat
        is disabled (system messages excepted), private ones while private
        chat is disabled. Completed and cancelled interactions take no events.
        """
        check_interaction_id(interaction_id)
        event = prepare_event(
            {
                "event_type": event_type,
                "event_data": event_data,
                "session_id": session_id,
                "user_id": user_id,
                "entity_id": entity_id,
            }
        )

        def write() -> LogEntry:
            now = self._now()
            room = self._stamp_for_event(interaction_id, now)
            check_chat_allowed(room, event.chat_channel)
            [entry_id] = self._insert_events(room.id, now, [event.row])
            event_type, data, user_id, entity_id, session_id = event.row
            # The entry as stored (a tuple comes back as a list), equal to what a read returns.
            return LogEntry(
                id=entry_id,
                interaction_id=room.id,
                event_type=event_type,
                event_data=load_json(data),
                user_id=user_id,
                entity_id=entity_id,
                timestamp=now,
                session_id=session_id,
            )

        return self._write(write)

    def _stamp_for_event(self, interaction_id: int, now: int) -> ChatGate:
        """Stamp last_activity and read the chat settings in one statement.

        The hot path of a live server: one prepared UPDATE ... RETURNING
        instead of loading the whole interaction. It also takes the row lock
        on engines that lock rows. No row back means unknown or read-only, and
        the slow path says which.
        """
        interaction_id = storable_interaction_id(interaction_id)
        table = self._tables.interactions

        def build() -> pw.Query:
            writable = (table.id == slot(1)) & table.status.not_in(sorted(FINAL_STATUSES))
            return (
                table.update(last_activity=slot(0), revision=table.revision + 1)
                .where(writable)
                .returning(table.chat_enabled, table.allow_private_chat)
            )

        row = self._run("stamp", build, (now, interaction_id)).fetchone()
        if row is None:
            self._fetch_writable(interaction_id)  # raises NotFound or Conflict
            raise AssertionError("unreachable: a writable interaction updates")
        return ChatGate(interaction_id, bool(row[0]), bool(row[1]))

    def get_interaction_logs(
        self,
        interaction_id: int,
        session_id: str | None = None,
        *,
        limit: int = 100,
        before: int | None = None,
        event_types: Sequence[str] | None = None,
    ) -> list[LogEntry]:
        """Events newest first (ties by insertion order), one keyset page at a time.

        `before` is the id of the last entry of the previous page: the next
        page starts right after it, at the same cost however deep it is.
        """
        check_interaction_id(interaction_id)
        if session_id is not None:
            check_text(session_id, "session_id", MAX_ID_LENGTH)
        check_limit(limit)
        if before is not None:
            check_integer(before, "before")
        types = check_event_types(event_types)

        def read() -> list[LogEntry]:
            self._check_exists(interaction_id)
            logs = self._tables.logs
            query = self._log_select().where(logs.interaction == interaction_id)
            if session_id is not None:
                query = query.where(logs.session_id == session_id)
            if types is not None:
                query = query.where(logs.event_type.in_(types))
            if before is not None:
                anchor = (
                    logs.select(logs.timestamp)
                    .where((logs.id == before) & (logs.interaction == interaction_id))
                    .scalar()
                )
                if anchor is None:
                    raise InvalidInput(
                        f"before: no log entry {before} in interaction {interaction_id}"
                    )
                # A row-value comparison is one index range on both engines; the
                # equivalent OR of two conditions makes SQLite scan from the top.
                query = query.where(pw.Tuple(logs.timestamp, logs.id) < pw.Tuple(anchor, before))
            query = query.order_by(logs.timestamp.desc(), logs.id.desc()).limit(limit)
            return self._log_entries(query)

        return self._read_consistent(read)

    def get_logs_after(
        self, interaction_id: int, after_id: int, *, limit: int = 500
    ) -> list[LogEntry]:
        """Events with an id above `after_id`, oldest first: how a live view tails the log."""
        check_interaction_id(interaction_id)
        check_integer(after_id, "after_id")
        check_limit(limit)

        def read() -> list[LogEntry]:
            self._check_exists(interaction_id)
            logs = self._tables.logs
            query = (
                self._log_select()
                .where((logs.interaction == interaction_id) & (logs.id > after_id))
                .order_by(logs.id)
                .limit(limit)
            )
            return self._log_entries(query)

        return self._read_consistent(read)
