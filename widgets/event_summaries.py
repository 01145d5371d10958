"""Summaries of the room's life cycle (live, paused, resumed, finalized, closed) and of dice.

These events used to show as raw JSON; a game master reading the log wants
"paused · 1:08 left", not {"reason":null,"remaining_ms":68000}. Every value
that came from a writer reaches the screen through widgets.text.literal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from rich.text import Text

from widgets.text import append_literal, literal, time_left

__all__ = [
    "SUMMARY_LIMIT",
    "chat_sender",
    "compact",
    "lifecycle_summary",
    "roll_summary",
    "turn_limit",
]

SUMMARY_LIMIT = 1000
"""Characters of summary kept before the entry is wrapped to the view (and capped there)."""

SEPARATOR = " · "
_IDENTIFIER = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")


def turn_limit(seconds: int) -> str:
    """ "90 s turns", "5 min turns", "untimed turns": a turn time limit as a game master says it."""
    if seconds <= 0:
        return "untimed turns"
    if seconds % 60 == 0:
        return f"{seconds // 60} min turns"
    return f"{seconds} s turns"


def compact(value: Any) -> str:
    """One-line JSON for data no summary knows; repr() for what JSON cannot encode."""
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        return repr(value)


SENDER_KEYS = ("sender_name", "display_name", "sender")
"""Where a writer may name a chat message's sender in its data."""


def chat_sender(
    user_id: str | None, data: Mapping[str, Any], names: Mapping[str, str]
) -> str | None:
    """Who a chat message is from, named one way on every channel, or None if nobody.

    The user's display name first ("Dana the DM"), else the name the writer
    put in the data (the console's "Game master"), else the user id. A
    message with neither (a game server's system notice) has no sender: the
    line then reads "[system] Round 2", not "[system] system: Round 2".
    """
    if user_id is not None and user_id in names:
        return names[user_id]
    for key in SENDER_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return user_id


def lifecycle_summary(
    kind: str, data: dict[str, Any], *, limit: int | None = SUMMARY_LIMIT
) -> Text | None:
    """The summary of an INTERACTION_* or ROOM_CLEANUP event, or None for any other type.

    `limit`: characters kept (None: all of it, for the entry shown on its own).
    """
    words = _lifecycle_words(kind, data)
    if words is None:
        return None
    return literal(words if limit is None else words[: limit * 2], limit=limit)


def _lifecycle_words(kind: str, data: dict[str, Any]) -> str | None:
    if kind == "INTERACTION_INITIALIZED":
        return _went_live(data)
    if kind == "INTERACTION_PAUSED":
        reason = _reason(data.get("reason"))
        if reason is None:
            head = "paused"
        elif reason.casefold().startswith("paused"):
            head = reason  # the dashboard's own "paused by the game master"
        else:
            head = f"paused ({reason})"
        return _parts(head, _left(data))
    if kind == "INTERACTION_RESUMED":
        return _parts(_in_room("resumed", data), _left(data))
    if kind == "INTERACTION_COMPLETED":
        reason = _reason(data.get("completion_reason"))
        return _parts("finalized" if reason is None else f"finalized: {reason}")
    if kind == "INTERACTION_CANCELLED":
        was = _reason(data.get("previous_status"))
        return _parts("cancelled" if was is None else f"cancelled (was {was})")
    if kind == "ROOM_CLEANUP":
        reason = _reason(data.get("reason"))
        if reason is None:
            return _parts("room closed")
        if reason.casefold().startswith("closed "):
            return _parts(f"room {reason}")  # "closed_by_game_master"
        return _parts(f"room closed: {reason}")
    return None


def roll_summary(
    data: dict[str, Any], actor: str, *, limit: int | None = SUMMARY_LIMIT
) -> Text | None:
    """ "Bree rolled 1d20+5 = 17 (Longbow attack)"; None when the data has neither part.

    With `limit` each part is cut short to keep the line readable; None keeps them whole.
    """

    def cut(short: int) -> int | None:
        return None if limit is None else short

    notation = data.get("notation")
    result = data.get("result")
    if notation is None and result is None:
        return None
    text = Text(end="")  # styled by spans only, so the bold name does not spill over
    append_literal(text, actor, "bold", limit=cut(40))
    text.append(" rolled")
    if notation is not None:
        text.append(" ")
        append_literal(text, _plain(notation), limit=cut(40))
    if result is not None:
        text.append(" = " if notation is not None else " ")
        append_literal(text, _plain(result), "bold", limit=cut(80))
    label = data.get("label")
    if label:
        text.append(" (")
        append_literal(text, _plain(label), limit=cut(80))
        text.append(")")
    return text


def _went_live(data: dict[str, Any]) -> str:
    """ "went live in room r-12 · 90 s turns · chat on · private chat off"."""
    settings = (setting_text(key, data.get(key)) for key in SETTING_KEYS)
    return _parts(_in_room("went live", data), *(text for text in settings if text))


SETTING_KEYS = ("turn_time_limit", "chat_enabled", "allow_private_chat")


def setting_text(key: Any, value: Any) -> str | None:
    """A room setting as people say it ("90 s turns", "chat off"); None for anything else."""
    if key == "turn_time_limit" and isinstance(value, int) and not isinstance(value, bool):
        return turn_limit(value)
    if key == "chat_enabled" and isinstance(value, bool):
        return "chat on" if value else "chat off"
    if key == "allow_private_chat" and isinstance(value, bool):
        return "private chat on" if value else "private chat off"
    return None


def _in_room(verb: str, data: dict[str, Any]) -> str:
    room = data.get("live_room_id")
    return f"{verb} in room {_plain(room)}" if room else verb


def _left(data: dict[str, Any]) -> str | None:
    remaining = data.get("remaining_ms")
    if isinstance(remaining, int) and not isinstance(remaining, bool):
        return time_left(remaining)
    return None


def _reason(value: Any) -> str | None:
    """A reason as words: "inactivity_timeout" reads "inactivity timeout"; blank is None."""
    if value is None:
        return None
    text = _plain(value).strip()
    if not text:
        return None
    return text.replace("_", " ") if _IDENTIFIER.fullmatch(text) else text


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else compact(value)


def _parts(*parts: str | None) -> str:
    return SEPARATOR.join(part for part in parts if part)
