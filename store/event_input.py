"""Log events made ready to insert: checked alone, or a batch's together, and the chat rules.

Everything here holds without the database except the chat rules, which read
the room's settings at the moment of the write (check_chat_allowed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from pydantic import TypeAdapter, ValidationError

from store.errors import Conflict, InvalidInput
from store.limits import MAX_EVENT_DATA_BYTES
from store.models import ON_FIRST_USE
from store.validation import ChatFields, LogEventFields, encode_json, parse_fields

CHAT_MESSAGE = "CHAT_MESSAGE"

_LOG_EVENTS = TypeAdapter(list[LogEventFields], config=ON_FIRST_USE)
_CHATS = TypeAdapter(list[ChatFields], config=ON_FIRST_USE)

EventRow = tuple[str, str | None, str | None, str | None, str]
"""(event_type, event_data as JSON text, user_id, entity_id, session_id), ready to insert."""


class PreparedEvent(NamedTuple):
    """A checked event: its row, and the channel the chat rules need (None: not a chat message)."""

    row: EventRow
    chat_channel: str | None


def prepare_event(data: object, where: str = "") -> PreparedEvent:
    """An event checked against everything that does not depend on the room's state.

    `where` prefixes the field an error names ("operation 3.data").
    """
    fields = parse_fields(LogEventFields, data, where=where)
    return _prepared(fields, f"{where}." if where else "")


def prepare_events(events: Sequence[object]) -> list[PreparedEvent] | None:
    """Many events checked at once, in order; None when any of them is invalid.

    One pydantic call for all the fields and one for all the chat messages
    cost a fraction of one call per event. An invalid event makes the result
    None, and the caller checks each event on its own (prepare_event), which
    names the one that failed.
    """
    try:
        checked = _LOG_EVENTS.validate_python(events)
        messages = iter(
            _CHATS.validate_python(
                [fields.get("event_data") for fields in checked if _is_chat(fields)]
            )
        )
        return [
            _prepared(fields, "", next(messages) if _is_chat(fields) else None)
            for fields in checked
        ]
    except (ValidationError, InvalidInput):
        return None


def _is_chat(fields: LogEventFields) -> bool:
    return fields["event_type"] == CHAT_MESSAGE


def _prepared(
    fields: LogEventFields, prefix: str, message: ChatFields | None = None
) -> PreparedEvent:
    """The row of an event whose fields are valid, after the checks beyond them.

    `message` is a chat message's event_data already checked (a batch checks
    them together); otherwise a chat message's is checked here.
    """
    event_data = fields.get("event_data")
    encoded = (
        None
        if event_data is None
        else encode_json(event_data, f"{prefix}event_data", MAX_EVENT_DATA_BYTES)
    )
    channel = None
    if _is_chat(fields):
        if message is None:
            message = parse_fields(ChatFields, event_data, where=f"{prefix}event_data")
        channel = message["channel"]
        if channel == "private" and not message.get("recipients"):
            raise InvalidInput(
                f"{prefix}event_data.recipients: a private message names at least one recipient"
            )
    row = (
        fields["event_type"],
        encoded,
        fields.get("user_id"),
        fields.get("entity_id"),
        fields["session_id"],
    )
    return PreparedEvent(row, channel)


class ChatSettings(Protocol):
    """What the chat rules read of a room: an Interaction, or the fast path's ChatGate."""

    @property
    def id(self) -> int: ...
    @property
    def chat_enabled(self) -> bool: ...
    @property
    def allow_private_chat(self) -> bool: ...


def check_chat_allowed(room: ChatSettings, chat_channel: str | None) -> None:
    """Chat obeys the room's settings at the moment it is sent (None: not a chat message)."""
    if chat_channel is None or chat_channel == "system":
        return
    if not room.chat_enabled:
        raise Conflict(f"chat is disabled in interaction {room.id}")
    if chat_channel == "private" and not room.allow_private_chat:
        raise Conflict(f"private chat is disabled in interaction {room.id}")
