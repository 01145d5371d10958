"""Shared helpers that turn store values into safe, human text for the widgets.

Everything a player types (names, chat, event data, snapshot contents) reaches
the screen through these helpers, so they are the one place that guarantees it
is shown literally: no markup parsing, no terminal escapes, no line breaks that
could fake an extra log line.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from rich.text import Text

__all__ = [
    "EM_DASH",
    "TURN_RUNNING",
    "clip",
    "format_clock",
    "format_duration",
    "format_utc_time",
    "literal",
    "relative_time",
    "safe_text",
    "status_text",
    "time_left",
]

EM_DASH = "—"
"""Shown wherever a value is missing, so an empty cell reads as deliberate."""
TURN_RUNNING = ("live", "paused")
"""Statuses in which a room shows a turn (the store's RUNNING_STATUSES, spelled here
so that widgets, which only draw what they are given, never import the store)."""

# C0 controls, DEL and C1 controls (a terminal obeys all of them), bidi
# overrides and isolates (they can reorder what follows on the line), the
# Unicode line/paragraph separators, and lone surrogates (which cannot be
# encoded for the terminal at all).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

_VISIBLE = {
    "\t": " ",
    "\n": "⏎",
    "\r": "⏎",
}
"""Whitespace controls shown as something readable rather than an escape."""


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _VISIBLE:
        return _VISIBLE[char]
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def safe_text(value: str) -> str:
    """`value` with every control character replaced by a visible placeholder.

    ESC and the other C0/C1 controls become their `\\x..` escape (so
    "\\x1b[31m" shows as the six characters it is instead of turning text red),
    tabs become a space, line breaks become "⏎" so one event stays one line,
    and bidi overrides become `\\u....`. Non-strings are converted with str()
    first, so a stray number cannot crash a widget.
    """
    if not isinstance(value, str):
        value = str(value)
    return _UNSAFE.sub(_visible, value)


def clip(value: str, limit: int) -> str:
    """`value` cut to at most `limit` characters, ending with "…" when cut.

    Used before building a Text for a table cell, so a 2,000-character chat
    message cannot make a cell (or a column) 2,000 cells wide.
    """
    if limit <= 0:
        return ""
    if len(value) <= limit:
        return value
    return value[: limit - 1] + "…"


def literal(value: object, style: str = "", *, limit: int | None = None) -> Text:
    """A Text showing `value` exactly as typed (made safe, optionally clipped).

    Text(...) never parses markup, so "[bold]" or "[@click=app.quit]" stay
    plain characters; this is the constructor every widget uses for user text.
    """
    return Text(_shown(value, limit), style=style, end="", no_wrap=True, overflow="ellipsis")


def append_literal(text: Text, value: object, style: str = "", *, limit: int | None = None) -> None:
    """Append `value` to `text` exactly as typed, as literal() shows it (made safe,
    optionally clipped), without building a Text of its own: a log line assembled from
    a few of these is counted for every entry of every page read."""
    text.append(_shown(value, limit), style or None)


def _shown(value: object, limit: int | None) -> str:
    """`value` as literal text shows it: made safe, then clipped to `limit` characters."""
    text = safe_text(value if isinstance(value, str) else str(value))
    return clip(text, limit) if limit is not None else text


def relative_time(ms: int | None, now_ms: int) -> str:
    """How long ago `ms` was, coarsely ("just now", "42s ago", "2m ago", "3h ago", "5d ago").

    A game master scans this column for stale rooms; seconds matter only in
    the first minute. A timestamp in the future (clock skew between
    processes) reads as "just now" rather than a negative age.
    """
    if ms is None:
        return EM_DASH
    seconds = (now_ms - ms) // 1000
    if seconds < 5:
        return "just now"
    if seconds < 60:
        return f"{seconds}s ago"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours}h ago"
    return f"{hours // 24}d ago"


def format_clock(ms: int) -> str:
    """A countdown reading: "1:05", "0:09", "12:00", "1:00:00" past an hour.

    Rounds up, as countdown clocks do, so "0:00" appears only when the time
    is really up and a turn with 300 ms left still shows "0:01".
    """
    seconds = max(0, -(-ms // 1000))
    minutes, secs = divmod(seconds, 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def time_left(ms: int) -> str:
    """Time left on a turn, as every widget shows it: "1:29 left", "1:00:00 left".

    One reading everywhere (the rooms list, the room's timer, the event log):
    a game master who sees "1:29 left" in the list must find 1:29 on the
    room's timer, not "2m" in one place and a clock in the other.
    """
    return f"{format_clock(ms)} left"


def format_duration(ms: int | None) -> str:
    """How long something took: "45s", "1m 12s", "1m 0s", "2h 5m" ("—" when unknown).

    Turn durations are read after the fact, so whole seconds (rounded down)
    are precise enough and shorter than a clock reading.
    """
    if ms is None:
        return EM_DASH
    seconds = max(0, ms // 1000)
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {secs}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes}m" if minutes else f"{hours}h"


def format_utc_time(ms: int) -> str:
    """ "HH:MM:SS" in UTC: the log's timestamp column, identical on every machine."""
    try:
        return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return "??:??:??"


_STATUS_STYLES = {
    "live": "bold black on green",
    "paused": "bold black on yellow",
    "idle": "bold white on blue",
    "completed": "dim",
    "cancelled": "bold white on red",
}


def status_text(status: str) -> Text:
    """A coloured badge such as " LIVE " for an interaction status.

    The colour carries the meaning at a glance; the word keeps it readable
    without colour. Unknown statuses (a newer store) show dimmed, literally.
    """
    style = _STATUS_STYLES.get(status, "dim")
    return Text(f" {clip(safe_text(status), 12).upper()} ", style=style, end="", no_wrap=True)
