"""One log entry as human text: the time and type prefix, and the summary (used by EventLog).

Kept apart from the widget so the wording can be tested without a running
app, and so the export's readable recap could reuse it later. The summaries
of the room's life cycle and of dice rolls live in widgets.event_summaries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text

from widgets.event_summaries import (
    SUMMARY_LIMIT,
    chat_sender,
    compact,
    lifecycle_summary,
    roll_summary,
    setting_text,
)
from widgets.fight_summaries import FIGHT_TAGS, fight_summary
from widgets.text import append_literal, format_duration, format_utc_time, literal

if TYPE_CHECKING:
    from store.models import LogEntry

__all__ = [
    "TAG_WIDTH",
    "event_body",
    "event_line",
    "event_prefix",
    "event_style",
    "event_tag",
    "summary",
]

TAG_WIDTH = 5
"""Cells for the event's family word ("turn", "chat", "round"), the log's type column at
every width: the store's event type names (TURN_STARTED) are for programs, and the
summary beside the word already says what happened."""

_TAGS = {
    "CHAT_MESSAGE": "chat",
    "PARTICIPANT_JOINED": "join",
    "PARTICIPANT_LEFT": "left",
    "ROUND_COMPLETED": "round",
    "DICE_ROLL": "roll",
}


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
    if event_type == "DICE_ROLL":
        return "bright_blue"
    return "dim"


def event_tag(event_type: str) -> str:
    """A word of at most TAG_WIDTH cells naming the event's family ("turn", "chat", "room").

    Unknown types (another writer's) are shortened to their first word in
    lower case, so "SPELL_CAST" still reads as "spell" rather than vanishing.
    """
    tag = _TAGS.get(event_type) or FIGHT_TAGS.get(event_type)
    if tag is None:
        if event_type.startswith("TURN_"):
            tag = "turn"
        elif event_type.startswith(("INTERACTION_", "ROOM_")):
            tag = "room"
        elif event_type.startswith("SETTINGS_"):
            tag = "set"
        else:
            tag = (event_type.strip("_").split("_", 1)[0] or event_type or "?").lower()
    return tag


def event_prefix(entry: LogEntry, seconds: bool = True) -> Text:
    """ "12:00:05 turn  ": the time and the event's family word in a TAG_WIDTH column, the
    same word at every width; without `seconds` (a narrow log) the time is "12:00"."""
    stamp = format_utc_time(entry.timestamp)
    style = event_style(entry.event_type)
    line = Text(end="", no_wrap=True)
    line.append(stamp if seconds else stamp[:5], style="dim")
    line.append(" ")
    start = line.cell_len
    append_literal(line, event_tag(entry.event_type), style, limit=TAG_WIDTH)
    line.append(" " * (TAG_WIDTH - (line.cell_len - start)), style)  # the column, styled
    line.append(" ")
    return line


def event_line(entry: LogEntry, names: Mapping[str, str], seconds: bool = True) -> Text:
    """ "12:00:05 turn  Bree's turn (round 2, turn 1)", all user text literal."""
    line = event_prefix(entry, seconds)
    line.append_text(event_body(entry, names))
    return line


def event_body(
    entry: LogEntry,
    names: Mapping[str, str],
    entities: Mapping[str, str] | None = None,
    *,
    limit: int | None = SUMMARY_LIMIT,
) -> Text:
    """summary(), or the raw data when it is shaped unlike what the store writes.

    Another writer or an old row must not be able to lose a line (or crash
    the log) with data of an unexpected shape: it is shown as compact JSON.
    `limit`: as for summary().
    """
    try:
        return summary(entry, names, entities, limit=limit)
    except (AttributeError, KeyError, TypeError, ValueError):
        return _json_text(entry.event_data, limit)


def summary(
    entry: LogEntry,
    names: Mapping[str, str],
    entities: Mapping[str, str] | None = None,
    *,
    limit: int | None = SUMMARY_LIMIT,
) -> Text:
    """The human part of the line, by event type; unknown types show compact JSON.

    `names` maps user ids to display names; `entities` maps entity ids (the
    initiative order's) to names, for events that carry only an entity id.
    `limit`: characters of writer's text kept (a log line is clipped); None keeps it
    all, for the entry shown on its own.
    """
    data = entry.event_data
    kind = entry.event_type
    if kind == "CHAT_MESSAGE" and isinstance(data, dict):
        return _chat(entry, data, names, limit)
    if not isinstance(data, dict):
        return _json_text(data, limit)
    entities = entities or {}
    if kind == "TURN_STARTED":
        who = _entity(entry, data, names, entities)
        return _text(f"{who}'s turn ({_round_turn(data)})", limit=limit)
    if kind in ("TURN_COMPLETED", "TURN_SKIPPED", "TURN_TIMEOUT"):
        return _text(_turn_end(entry, data, names, entities), limit=limit)
    fight = fight_summary(kind, data, entities)
    if fight is not None:
        return fight
    if kind in ("PARTICIPANT_JOINED", "PARTICIPANT_LEFT"):
        user = data.get("participant_id") or entry.user_id or "?"
        verb = "joined" if kind == "PARTICIPANT_JOINED" else "left"
        return _text(f"{_name(str(user), names)} {verb}", limit=limit)
    if kind == "SETTINGS_UPDATED":
        settings = ", ".join(_setting(key, value) for key, value in data.items())
        return _text(settings or "no change", limit=limit)
    if kind == "ROUND_COMPLETED":
        return _text(f"round {data.get('round_number', '?')} completed", limit=limit)
    if kind == "DICE_ROLL":
        rolled = roll_summary(data, _actor(entry, data, names, entities), limit=limit)
        if rolled is not None:
            return rolled
    described = lifecycle_summary(kind, data, limit=limit)
    return described if described is not None else _json_text(data, limit)


def _turn_end(
    entry: LogEntry, data: dict[str, Any], names: Mapping[str, str], entities: Mapping[str, str]
) -> str:
    """ "Gob's turn completed after 1m 12s (round 1, turn 2)", "Gob ran out of time (…)"."""
    kind = entry.event_type
    who = _entity(entry, data, names, entities)
    if data.get("reason") == "down":  # the turn engine passed a downed monster over
        return f"{who or 'a downed combatant'} is down: turn passed over"
    where = f"({_round_turn(data)})"
    if kind == "TURN_TIMEOUT":
        return f"{who} ran out of time {where}" if who else f"turn timed out {where}"
    verb = "completed" if kind == "TURN_COMPLETED" else "skipped"
    duration = data.get("duration_ms")
    took = f" after {format_duration(duration)}" if isinstance(duration, int) else ""
    subject = f"{who}'s turn" if who else "turn"
    return f"{subject} {verb}{took} {where}"


def _chat(
    entry: LogEntry, data: dict[str, Any], names: Mapping[str, str], limit: int | None
) -> Text:
    """ "[party] Bree: text", or "🔒 private → Ana, Cid  Bree: text" for private messages;
    on every channel a message nobody sent reads "[system] text" (see chat_sender)."""
    channel = str(data.get("channel", "?"))
    sender = chat_sender(entry.user_id, data, names)
    # Styles go on spans, never on `head` itself: a Text's own style would colour
    # everything appended after it, the whole message included.
    head = Text(end="")
    if channel == "private":
        recipients = data.get("recipients") or []
        to = ", ".join(_name(str(r), names) for r in recipients) or "?"
        head.append("🔒 private → ", style="bold magenta")
        append_literal(head, to, "magenta", limit=80)
        head.append("  ")
    else:
        style = "bold red" if channel == "dm" else "dim" if channel == "system" else "bold blue"
        append_literal(head, f"[{channel}]", style, limit=20)
        head.append(" ")
    if sender is not None:
        append_literal(head, sender, "bold", limit=40)
        head.append(": ")
    append_literal(head, str(data.get("content", "")), limit=limit)
    return head


def _entity(
    entry: LogEntry, data: dict[str, Any], names: Mapping[str, str], entities: Mapping[str, str]
) -> str:
    name = data.get("entity_name")
    if isinstance(name, str) and name:
        return name
    entity = data.get("entity_id") or entry.entity_id
    if entity is None:
        return ""
    return entities.get(str(entity)) or names.get(str(entity), str(entity))


def _actor(
    entry: LogEntry, data: dict[str, Any], names: Mapping[str, str], entities: Mapping[str, str]
) -> str:
    """Who did it: the entity's name when known, else the user's, else whichever id exists.

    The entity comes first: a game master rolling for a goblin is logged
    with the master's user id and the goblin's entity id.
    """
    named = _entity(entry, data, {}, entities)
    entity = data.get("entity_id") or entry.entity_id
    if named and named != str(entity):
        return named
    if entry.user_id is not None and entry.user_id in names:
        return names[entry.user_id]
    return named or entry.user_id or "someone"


def _name(user_id: str, names: Mapping[str, str]) -> str:
    return names.get(user_id, user_id)


def _round_turn(data: dict[str, Any]) -> str:
    return f"round {data.get('round_number', '?')}, turn {data.get('turn_number', '?')}"


def _setting(key: Any, value: Any) -> str:
    return setting_text(key, value) or f"{key}={compact(value)}"


def _json_text(value: Any, limit: int | None = SUMMARY_LIMIT) -> Text:
    return _text("" if value is None else compact(value), style="dim", limit=limit)


def _text(value: str, style: str = "", *, limit: int | None = SUMMARY_LIMIT) -> Text:
    # Cut before making it safe: a 60 KB value is not scanned for a 1,000-character line.
    shown = value if limit is None else value[: limit * 2]
    return literal(shown, style, limit=limit)
