"""One log entry as one line of human text (used by EventLog).

Kept apart from the widget so the wording can be tested without a running
app, and so the export's readable recap could reuse it later.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text

from widgets.text import format_duration, format_utc_time, literal

if TYPE_CHECKING:
    from store.models import LogEntry

__all__ = ["TYPE_WIDTH", "WIDE_TYPE_WIDTH", "event_line", "event_style", "summary"]

TYPE_WIDTH = 20
"""Cells for the event type column in a narrow log; longer types are cut with "…"."""
WIDE_TYPE_WIDTH = 23
"""Cells for the event type column when there is room: fits INTERACTION_INITIALIZED."""
SUMMARY_LIMIT = 1000
"""Characters of summary kept before the line is fitted to the view."""


def event_style(event_type: str) -> str:
    """The colour of an event type's family, so a glance tells turns from chat from joins."""
    if event_type.startswith("TURN_") or event_type == "ROUND_COMPLETED":
        return "cyan"
    if event_type == "CHAT_MESSAGE":
        return "bold white"
    if event_type.startswith("PARTICIPANT_"):
        return "green"
    if event_type.startswith(("INTERACTION_", "ROOM_")):
        return "yellow"
    if event_type.startswith("SETTINGS_"):
        return "magenta"
    return "dim"


def event_line(entry: LogEntry, names: Mapping[str, str], type_width: int = TYPE_WIDTH) -> Text:
    """ "12:00:05 TURN_STARTED         Bree's turn (round 2, turn 1)", all user text literal."""
    line = Text(end="", no_wrap=True)
    line.append(format_utc_time(entry.timestamp), style="dim")
    line.append(" ")
    kind = literal(entry.event_type, event_style(entry.event_type), limit=type_width)
    kind.pad_right(type_width - kind.cell_len)
    line.append_text(kind)
    line.append(" ")
    try:
        line.append_text(summary(entry, names))
    except (AttributeError, KeyError, TypeError, ValueError):
        # Data shaped unlike what the store writes (another writer, an old
        # row): show it raw rather than lose the line.
        line.append_text(_json_text(entry.event_data))
    return line


def summary(entry: LogEntry, names: Mapping[str, str]) -> Text:
    """The human part of the line, by event type; unknown types show compact JSON."""
    data = entry.event_data
    kind = entry.event_type
    if kind == "CHAT_MESSAGE" and isinstance(data, dict):
        return _chat(entry, data, names)
    if not isinstance(data, dict):
        return _json_text(data)
    if kind == "TURN_STARTED":
        who = _entity(entry, data, names)
        return _text(f"{who}'s turn ({_round_turn(data)})")
    if kind in ("TURN_COMPLETED", "TURN_SKIPPED", "TURN_TIMEOUT"):
        verb = {
            "TURN_COMPLETED": "completed",
            "TURN_SKIPPED": "skipped",
            "TURN_TIMEOUT": "timed out",
        }
        who = _entity(entry, data, names)
        duration = data.get("duration_ms")
        took = f" after {format_duration(duration)}" if isinstance(duration, int) else ""
        subject = f"{who}'s turn" if who else "turn"
        return _text(f"{subject} {verb[kind]}{took} ({_round_turn(data)})")
    if kind in ("PARTICIPANT_JOINED", "PARTICIPANT_LEFT"):
        user = data.get("participant_id") or entry.user_id or "?"
        verb = "joined" if kind == "PARTICIPANT_JOINED" else "left"
        return _text(f"{_name(str(user), names)} {verb}")
    if kind == "SETTINGS_UPDATED":
        return _text(", ".join(_setting(key, value) for key, value in data.items()) or "no change")
    if kind == "ROUND_COMPLETED":
        return _text(f"round {data.get('round_number', '?')} completed")
    return _json_text(data)


def _chat(entry: LogEntry, data: dict[str, Any], names: Mapping[str, str]) -> Text:
    """ "[party] Bree: text", or "🔒 private → Ana, Cid  Bree: text" for private messages."""
    channel = str(data.get("channel", "?"))
    sender = _sender(entry, data, names)
    if channel == "private":
        recipients = data.get("recipients") or []
        to = ", ".join(_name(str(r), names) for r in recipients) or "?"
        head = Text("🔒 private → ", style="bold magenta", end="")
        head.append_text(literal(to, "magenta", limit=80))
        head.append("  ")
    else:
        style = "bold red" if channel == "dm" else "dim" if channel == "system" else "bold blue"
        head = literal(f"[{channel}]", style, limit=20)
        head.append(" ")
    head.append_text(literal(sender, "bold", limit=40))
    head.append(": ")
    head.append_text(literal(str(data.get("content", "")), limit=SUMMARY_LIMIT))
    return head


def _sender(entry: LogEntry, data: dict[str, Any], names: Mapping[str, str]) -> str:
    if entry.user_id is not None:
        return _name(entry.user_id, names)
    for key in ("sender_name", "display_name", "sender"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    return "system"


def _entity(entry: LogEntry, data: dict[str, Any], names: Mapping[str, str]) -> str:
    name = data.get("entity_name")
    if isinstance(name, str) and name:
        return name
    entity = data.get("entity_id") or entry.entity_id
    return "" if entity is None else names.get(str(entity), str(entity))


def _name(user_id: str, names: Mapping[str, str]) -> str:
    return names.get(user_id, user_id)


def _round_turn(data: dict[str, Any]) -> str:
    return f"round {data.get('round_number', '?')}, turn {data.get('turn_number', '?')}"


def _setting(key: Any, value: Any) -> str:
    if key == "turn_time_limit" and isinstance(value, int):
        return "untimed turns" if value == 0 else f"turns {value}s"
    if key == "chat_enabled" and isinstance(value, bool):
        return "chat on" if value else "chat off"
    if key == "allow_private_chat" and isinstance(value, bool):
        return "private chat on" if value else "private chat off"
    return f"{key}={_compact(value)}"


def _compact(value: Any) -> str:
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        return repr(value)


def _json_text(value: Any) -> Text:
    return _text("" if value is None else _compact(value), style="dim")


def _text(value: str, style: str = "") -> Text:
    return literal(value[: SUMMARY_LIMIT * 2], style, limit=SUMMARY_LIMIT)
