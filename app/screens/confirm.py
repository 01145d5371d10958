"""A yes-or-no question before something that cannot be taken back."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """`y` or the first button confirms; Escape or the second cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Leave things as they are."),
        Binding("y", "confirm", "Yes", tooltip="Go ahead."),
    ]

    def __init__(self, title: str, explanation: str, confirm: str) -> None:
        """`title` asks, `explanation` says what happens (both shown literally)."""
        super().__init__()
        self._title = title
        self._explanation = explanation
        self._confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Static(self._explanation, classes="hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self._confirm, variant="warning", id="confirm", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
