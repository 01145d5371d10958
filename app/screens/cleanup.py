"""Cleaning up a room (`x`): close the live room after a confirmation."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from store import Interaction
from widgets.text import safe_text


class CleanupScreen(ModalScreen[bool]):
    """Confirm closing the live room; the interaction stays, paused and resumable."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Keep the room open."),
        Binding("y", "confirm", "Yes", tooltip="Close the room."),
    ]

    def __init__(self, interaction: Interaction) -> None:
        super().__init__()
        self._interaction = interaction

    def compose(self) -> ComposeResult:
        room = safe_text(self._interaction.live_room_id or "(no room id)")
        with Vertical(classes="dialog"):
            yield Static("Clean up the room?", classes="dialog-title")
            yield Static(
                f"Room {room} of “{safe_text(self._interaction.name)}” closes and its players are "
                "disconnected. The fight is paused with its turn time kept; resume it later.",
                classes="hint",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Clean up", variant="warning", id="confirm", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
