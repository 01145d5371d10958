"""A one-widget app for the widget tests, and builders for the store's result models."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual import on
from textual.app import App, ComposeResult
from textual.events import Event
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from store.models import InitiativeEntry, LogEntry, TurnRecord

SIZE = (100, 30)
"""Every widget test runs at this terminal size."""

T0 = 1_767_225_600_000
"""2026-01-01T00:00:00Z, the tests' fixed epoch."""

HOSTILE = [
    "[bold]x[/bold]",
    "[@click=app.quit]x[/]",
    "[link=http://x]y[/link]",
    "\x1b[31mred",
]
"""Strings a player could type to style text, trigger an action or drive the terminal."""


class WidgetApp(App[None]):
    """Mounts one widget and records every message it posts up."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget
        self.received: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    @on(Message)
    def record(self, message: Message) -> None:
        """Every message that bubbles up to the app (events excluded)."""
        if not isinstance(message, Event):
            self.received.append(message)

    def of_type(self, kind: type[Message]) -> list[Any]:
        return [message for message in self.received if isinstance(message, kind)]


def strip_is_inert(strip: Strip) -> bool:
    """True when no segment carries a link or a click action (what markup would add)."""
    for segment in strip:
        assert isinstance(segment, Segment)
        style = segment.style
        if style is None:
            continue
        if style.link or any(str(key).startswith("@") for key in style.meta):
            return False
        if segment.text and "\x1b" in segment.text:
            return False
    return True


def log_entry(
    entry_id: int,
    event_type: str = "CHAT_MESSAGE",
    data: Any = None,
    *,
    user_id: str | None = None,
    entity_id: str | None = None,
    seconds: int | None = None,
) -> LogEntry:
    """A LogEntry at T0 + `seconds` (default: the id) on interaction 1."""
    return LogEntry(
        id=entry_id,
        interaction_id=1,
        event_type=event_type,
        event_data=data,
        user_id=user_id,
        entity_id=entity_id,
        timestamp=T0 + 1000 * (entry_id if seconds is None else seconds),
        session_id="room-1",
    )


def chat(entry_id: int, content: str, user_id: str = "u-bree", channel: str = "party") -> LogEntry:
    return log_entry(
        entry_id, "CHAT_MESSAGE", {"channel": channel, "content": content}, user_id=user_id
    )


def initiative(
    entity_id: str, name: str, roll: int, kind: str = "monster", user_id: str | None = None
) -> InitiativeEntry:
    return InitiativeEntry(
        entity_id=entity_id,
        entity_type=kind,  # type: ignore[arg-type]
        name=name,
        initiative_roll=roll,
        dexterity_modifier=0,
        user_id=user_id,
    )


def turn_record(
    record_id: int,
    round_number: int,
    turn_number: int,
    entity_id: str = "gob-1",
    status: str = "completed",
    seconds: int | None = 30,
    actions: list[Any] | None = None,
) -> TurnRecord:
    start = T0 + record_id * 100_000
    return TurnRecord(
        id=record_id,
        interaction_id=1,
        entity_id=entity_id,
        entity_type="monster",
        turn_number=turn_number,
        round_number=round_number,
        actions=actions or [],
        start_time=start,
        end_time=None if seconds is None else start + seconds * 1000,
        status=status,  # type: ignore[arg-type]
        user_id=None,
    )
