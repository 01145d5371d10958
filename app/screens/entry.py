"""One event log entry shown whole (Enter on the log): its summary wrapped, and its data."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from store import LogEntry
from widgets.event_format import event_tag
from widgets.text import format_utc_time, literal


class EntryScreen(ModalScreen[None]):
    """The entry's time, kind, sender, whole summary and event data, all literal."""

    BINDINGS = [Binding("escape", "close", "Close", tooltip="Back to the room.")]

    def __init__(self, entry: LogEntry, summary: Text, sender: str | None) -> None:
        """`summary`: the entry as the log words it, unclipped; `sender`: who wrote it."""
        super().__init__()
        self._entry = entry
        self._summary = summary
        self._sender = sender

    def compose(self) -> ComposeResult:
        entry = self._entry
        heading = Text.assemble(
            (f"{format_utc_time(entry.timestamp)} UTC  ", "dim"),
            literal(event_tag(entry.event_type), "bold"),
            (f"  #{entry.id}", "dim"),
        )
        if self._sender:
            heading.append("  from ", style="dim")
            heading.append_text(literal(self._sender))
        with VerticalScroll(classes="dialog wide"):
            yield Static(heading, classes="dialog-title")
            yield Static(_wrapped(self._summary), classes="entry-summary")
            yield Static("event data", classes="hint")
            yield Static(_data_text(entry.event_data), classes="entry-data")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


def _wrapped(text: Text) -> Text:
    """`text` wrapped to the dialog's width rather than cut at its edge."""
    wrapped = text.copy()
    wrapped.no_wrap = False
    wrapped.overflow = "fold"
    return wrapped


def _data_text(data: object) -> Text:
    """The event data as indented JSON, each line literal, long ones wrapped."""
    pretty = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=repr)
    return _wrapped(Text("\n").join(literal(line) for line in pretty.splitlines()))
