"""The last state snapshot as a collapsible tree (`z`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from store import StateSnapshot
from widgets.snapshot_tree import SnapshotTree
from widgets.text import format_utc_time


class SnapshotScreen(ModalScreen[None]):
    """Browse the snapshot with the arrow keys and Enter; Escape closes."""

    BINDINGS = [Binding("escape", "close", "Close", tooltip="Back to the room.")]

    def __init__(self, snapshot: StateSnapshot) -> None:
        super().__init__()
        self._snapshot = snapshot

    def compose(self) -> ComposeResult:
        taken = self._snapshot.timestamp
        with Vertical(classes="dialog wide"):
            yield Static("State snapshot", classes="dialog-title")
            yield Static(
                "never saved" if taken is None else f"saved at {format_utc_time(taken)} UTC",
                classes="hint",
            )
            yield SnapshotTree(label="state")

    def on_mount(self) -> None:
        tree = self.query_one(SnapshotTree)
        tree.show(self._snapshot.state_snapshot)
        tree.focus()

    def action_close(self) -> None:
        self.dismiss(None)
