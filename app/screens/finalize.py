"""Finalizing a session (`f`): nothing happens until the game master confirms."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from store import Interaction
from store.limits import MAX_REASON_LENGTH
from widgets.text import safe_text


class FinalizeScreen(ModalScreen[str | None]):
    """Ask for the completion reason; returns it, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Keep the session running.")]

    def __init__(self, interaction: Interaction) -> None:
        super().__init__()
        self._interaction = interaction

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Finalize the session?", classes="dialog-title")
            yield Static(
                f"“{safe_text(self._interaction.name)}” becomes completed: the room closes, "
                "players are disconnected and the interaction turns read-only. "
                "This cannot be undone.",
                classes="hint",
                markup=False,
            )
            yield Input(
                placeholder="completion reason, e.g. victory, party fled, TPK",
                id="reason",
                max_length=MAX_REASON_LENGTH,
                compact=True,
            )
            yield Static("", id="form-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Finalize", variant="error", id="confirm", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted)
    def _confirm(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.query_one("#form-error", Static).update("Give a completion reason to finalize.")
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
